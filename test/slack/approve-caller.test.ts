import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { ACTION, APPROVE_FORM_BLOCK, INPUT_ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, postsIn, requestAccess, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Member');
const CALLER = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];

describe.each(DATABASE_KINDS)('approving an authorized caller on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  async function openApproveForm() {
    await settle(app);
    const card = postsIn(app, ADA.id).at(-1)!;
    const opens = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.approve, message: card });
    await app.emulator.waitForCalls('views.open', opens + 1, 10_000);
    return app.emulator.currentModal(ADA.id)!;
  }

  const callerOf = async () => {
    const connection = await app.db.database.prisma.connection.findFirstOrThrow({
      where: { member: { slackUserId: RITA.id } },
      include: { permissions: true },
    });
    return {
      permissions: connection.permissions.map((grant) => grant.permissionKey).sort(),
      supportLevel: connection.callerSupportLevel,
      callerLevel: connection.callerLevel,
    };
  };

  it('asks for the caller settings once both support permissions are ticked, requires them, and stores them', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const { id: organizationId } = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await requestAccess(app, RITA, { organizationId, accessPermissions: [PERMISSION.viewSupport], purpose: 'Support calls' });
    const form = await openApproveForm();
    expect(JSON.stringify(form.definition)).not.toContain(APPROVE_FORM_BLOCK.supportLevel);

    const updates = app.emulator.callsTo('views.update').length;
    await app.driver.interact({
      userId: ADA.id,
      actionId: INPUT_ACTION,
      blockId: APPROVE_FORM_BLOCK.accessPermissions,
      view: form,
      value: PERMISSION.authorizedCallerActions,
      values: { [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: CALLER } },
    });
    await app.emulator.waitForCalls('views.update', updates + 1, 10_000);
    const withCaller = app.emulator.currentModal(ADA.id)!;
    expect(JSON.stringify(withCaller.definition)).toContain(APPROVE_FORM_BLOCK.supportLevel);

    // Slack itself will not submit the form without a support level; a forged submission is refused all the same.
    const forged = await app.driver.viewSubmission({
      view: withCaller,
      userId: ADA.id,
      values: { [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: CALLER } },
      allowMissingRequired: true,
    });
    expect(forged.json).toEqual({
      response_action: 'errors',
      errors: { [APPROVE_FORM_BLOCK.supportLevel]: 'Choose the support level for this authorized caller.' },
    });
    const premiumWithoutLevel = await app.driver.submitView(
      withCaller,
      {
        [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: CALLER },
        [APPROVE_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: 'PREMIUM' },
      },
      ADA.id,
    );
    expect(premiumWithoutLevel.json).toEqual({
      response_action: 'errors',
      errors: { [APPROVE_FORM_BLOCK.callerLevel]: 'Premium support callers need a caller level.' },
    });
    expect(await app.db.database.prisma.connection.count({ where: { member: { slackUserId: RITA.id } } })).toBe(0);

    await app.driver.submitView(
      withCaller,
      {
        [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: CALLER },
        [APPROVE_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: 'PREMIUM' },
        [APPROVE_FORM_BLOCK.callerLevel]: { [INPUT_ACTION]: 'Secondary' },
      },
      ADA.id,
    );
    expect(await callerOf()).toEqual({ permissions: [...CALLER].sort(), supportLevel: 'PREMIUM', callerLevel: 'Secondary' });

    // A later approval without both support permissions ends caller status.
    await requestAccess(app, RITA, { organizationId, accessPermissions: [PERMISSION.eLearning], purpose: 'Training' });
    const next = await openApproveForm();
    expect(JSON.stringify(next.definition)).toContain(APPROVE_FORM_BLOCK.supportLevel);
    const redraws = app.emulator.callsTo('views.update').length;
    const kept = [PERMISSION.viewSupport, PERMISSION.eLearning];
    await app.driver.interact({
      userId: ADA.id,
      actionId: INPUT_ACTION,
      blockId: APPROVE_FORM_BLOCK.accessPermissions,
      view: next,
      value: PERMISSION.authorizedCallerActions,
      values: { [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: kept } },
    });
    await app.emulator.waitForCalls('views.update', redraws + 1, 10_000);
    const withoutCaller = app.emulator.currentModal(ADA.id)!;
    expect(JSON.stringify(withoutCaller.definition)).not.toContain(APPROVE_FORM_BLOCK.supportLevel);
    await app.driver.submitView(withoutCaller, { [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: kept } }, ADA.id);
    expect(await callerOf()).toEqual({
      permissions: [PERMISSION.eLearning, PERMISSION.viewSupport].sort(),
      supportLevel: null,
      callerLevel: null,
    });
  });
});
