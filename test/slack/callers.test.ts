import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { callerRowValue } from '../../src/slack/views/callers-list.js';
import { ACTION, CALLBACK, CALLER_FORM_BLOCK, INPUT_ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, seedOrganization, type Person } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const CAL = person('U0CAL', 'Cal Callers');
const TOM = person('U0TOM', 'Tom Trainer');
const RITA = person('U0RITA', 'Rita Member');
const NOW = new Date('2031-03-02T18:00:00.000Z');
const SUPPORT = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];

describe.each(DATABASE_KINDS)('/access callers on %s', (kind) => {
  let app: TestApp;
  let organizationId: number;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  async function start(): Promise<void> {
    app = await startTestApp(kind, {}, { now: () => NOW });
    organizationId = (await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA])).id;
  }

  async function connect(who: Person, permissions: string[], caller: 'STANDARD' | 'PREMIUM' | null = null): Promise<number> {
    app.emulator.addUser(who);
    const { prisma } = app.db.database;
    const member = await prisma.member.create({ data: { slackUserId: who.id, displayName: who.realName, email: who.email } });
    const connection = await prisma.connection.create({
      data: { organizationId, memberId: member.id, callerSupportLevel: caller, callerLevel: caller === 'PREMIUM' ? 'Primary' : null },
    });
    await prisma.connectionPermission.createMany({
      data: permissions.map((permissionKey) => ({ connectionId: connection.id, permissionKey })),
    });
    return connection.id;
  }

  async function permissionsOf(connectionId: number): Promise<string[]> {
    const rows = await app.db.database.prisma.connectionPermission.findMany({ where: { connectionId }, orderBy: { permissionKey: 'asc' } });
    return rows.map((row) => row.permissionKey);
  }

  async function openList(userId: string) {
    const opened = app.emulator.callsTo('views.open').length;
    const reply = await app.driver.slashCommand({ userId, text: 'callers' });
    await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
    expect(reply.status).toBe(200);
    return app.emulator.currentModal(userId)!;
  }

  /** Pushes a form from the list and returns it once Slack shows it. */
  async function pushFrom(list: { id: string }, userId: string, interaction: { actionId: string; value?: string }) {
    const pushed = app.emulator.callsTo('views.push').length;
    await app.driver.interact({ userId, view: list.id, ...interaction });
    await app.emulator.waitForCalls('views.push', pushed + 1, 10_000);
    return app.emulator.currentModal(userId)!;
  }

  it('lists, promotes, edits and removes callers, for a callers admin, redrawing the list each time', async () => {
    await start();
    await connect(CAL, [PERMISSION.assignAuthorizedCallers]);
    const existing = await connect(person('U0OLD', 'Olga Oldcaller'), SUPPORT, 'STANDARD');
    const rita = await connect(RITA, [PERMISSION.downloadSoftware]);

    const list = await openList(CAL.id);
    expect(list.definition).toMatchObject({ callback_id: CALLBACK.callersList });
    expect(JSON.stringify(list.definition)).toContain('has 1 authorized caller');
    expect(JSON.stringify(list.definition)).toContain('Standard support');

    // Add: an address and a member together is one too many.
    const add = await pushFrom(list, CAL.id, { actionId: ACTION.callersAdd });
    expect(add.definition).toMatchObject({ callback_id: CALLBACK.callerAdd });
    const both = await app.driver.submitView(
      add.id,
      {
        [CALLER_FORM_BLOCK.address]: { [INPUT_ACTION]: 'new@example.com' },
        [CALLER_FORM_BLOCK.member]: { [INPUT_ACTION]: RITA.id },
        [CALLER_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: 'STANDARD' },
      },
      CAL.id,
    );
    expect(both.json).toMatchObject({
      response_action: 'errors',
      errors: { [CALLER_FORM_BLOCK.address]: expect.stringContaining('not both') as unknown },
    });
    expect(await permissionsOf(rita)).toEqual([PERMISSION.downloadSoftware]);

    // Promote a member: both support permissions and the settings, and the list shows them.
    const updates = app.emulator.callsTo('views.update').length;
    await app.driver.submitView(
      add.id,
      {
        [CALLER_FORM_BLOCK.member]: { [INPUT_ACTION]: RITA.id },
        [CALLER_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: 'PREMIUM' },
        [CALLER_FORM_BLOCK.callerLevel]: { [INPUT_ACTION]: 'Backup' },
        [CALLER_FORM_BLOCK.note]: { [INPUT_ACTION]: 'Our new GIS lead' },
      },
      CAL.id,
    );
    expect(await permissionsOf(rita)).toEqual([PERMISSION.downloadSoftware, ...SUPPORT].sort());
    expect(await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: rita } })).toMatchObject({
      callerSupportLevel: 'PREMIUM',
      callerLevel: 'Backup',
    });
    await app.emulator.waitForCalls('views.update', updates + 1, 10_000);
    expect(JSON.stringify(app.emulator.getView(list.id)!.definition)).toContain('has 2 authorized callers');

    // Edit the existing caller's settings.
    const edit = await pushFrom(list, CAL.id, { actionId: ACTION.callersManageRow, value: callerRowValue('edit', existing) });
    expect(edit.definition).toMatchObject({ callback_id: CALLBACK.callerEdit });
    await app.driver.submitView(
      edit.id,
      {
        [CALLER_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: 'PREMIUM' },
        [CALLER_FORM_BLOCK.callerLevel]: { [INPUT_ACTION]: 'Secondary' },
      },
      CAL.id,
    );
    expect(await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: existing } })).toMatchObject({
      callerSupportLevel: 'PREMIUM',
      callerLevel: 'Secondary',
    });

    // Remove: both support permissions go, and the caller settings with them.
    const remove = await pushFrom(list, CAL.id, { actionId: ACTION.callersManageRow, value: callerRowValue('remove', existing) });
    expect(remove.definition).toMatchObject({ callback_id: CALLBACK.callerRemove });
    await app.driver.submitView(remove.id, { [CALLER_FORM_BLOCK.note]: { [INPUT_ACTION]: 'Left the team' } }, CAL.id);
    expect(await permissionsOf(existing)).toEqual([]);
    expect(await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: existing } })).toMatchObject({
      callerSupportLevel: null,
      callerLevel: null,
    });
    const logged = await app.db.database.prisma.permissionLogEntry.findMany({
      where: { organizationId, action: LOG_ACTION.callerChanged },
      orderBy: { id: 'asc' },
    });
    expect(logged.map((entry) => entry.note)).toEqual(['Our new GIS lead', null, 'Left the team']);
  });

  it('refuses a training admin and a plain member, naming the Administrators, and opens nothing', async () => {
    await start();
    await connect(TOM, [PERMISSION.assignTraining]);
    await connect(RITA, [PERMISSION.downloadSoftware]);
    for (const who of [TOM, RITA]) {
      const opened = app.emulator.callsTo('views.open').length;
      const reply = await app.driver.slashCommand({ userId: who.id, text: 'callers' });
      expect(reply.status).toBe(200);
      expect(JSON.stringify(reply.json), who.id).toContain('Ada Admin');
      expect(app.emulator.callsTo('views.open')).toHaveLength(opened);
    }
  });
});
