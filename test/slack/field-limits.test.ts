import { afterEach, describe, expect, it } from 'vitest';
import { endOfDayIn } from '../../src/domain/dates.js';
import { invitationSealingKey } from '../../src/domain/invitation-tokens.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { buildViewStateValues, type EmulatedView, type ValuesInput } from '../../src/sandbox/index.js';
import { checkAddresses, chooseGrant } from '../../src/services/invitations/invite-drafts.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { sweepTimeLimits } from '../../src/services/lifecycle.js';
import {
  ACTION,
  EXTEND_FORM_BLOCK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_RESEND_BLOCK,
  INVITATION_REVOKE_BLOCK,
  INVITE_GRANT_BLOCK,
  INVITE_SENDING_BLOCK,
  REQUEST_FORM_BLOCK,
} from '../../src/slack/views/ids.js';
import { rowKeyValue, rowValue } from '../../src/slack/views/member-values.js';
import { ROW_BLOCK_PREFIX } from '../../src/slack/views/users-list.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { openRequestForm, person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Requester');
const HUGE = 'x'.repeat(100_000);
const LONG_TAG = 'y'.repeat(5_000);
const DAY = 24 * 60 * 60 * 1000;

function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DATABASE_KINDS)('limits on free text, checked on the server, on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  /**
   * Submits a view as a forged client would: the fields in `valid` as a person fills them in, then
   * the text fields in `forged` replaced by whatever the attacker sends, past the form's max_length.
   */
  async function forge(view: EmulatedView, userId: string, valid: ValuesInput, forged: Record<string, string>) {
    const stateValues = buildViewStateValues(view.definition, valid, { allowMissingRequired: true });
    for (const [blockId, text] of Object.entries(forged))
      stateValues[blockId] = { [INPUT_ACTION]: { type: 'plain_text_input', value: text } };
    return app.driver.viewSubmission({ view, userId, stateValues });
  }

  const modalOf = (userId: string) => {
    const modal = app.emulator.currentModal(userId);
    if (!modal) throw new Error('no modal is open');
    return modal;
  };

  async function start() {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    return seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
  }

  async function sentInvitation(organizationId: number) {
    const { prisma } = app.db.database;
    const drafted = await checkAddresses(
      prisma,
      { actorSlackUserId: ADA.id, organizationId, text: 'new.person@example.org', draftId: null },
      new Date(),
    );
    await chooseGrant(
      prisma,
      { actorSlackUserId: ADA.id, draftId: drafted.draftId, permissions: [PERMISSION.eLearning], endsOn: null, caller: null },
      new Date(),
    );
    await sendInvitations(
      prisma,
      { actorSlackUserId: ADA.id, draftId: drafted.draftId },
      { sealingKey: invitationSealingKey(SIGNING_SECRET) },
      new Date(),
    );
    await settle(app);
    return prisma.invitation.findFirstOrThrow({ orderBy: { id: 'desc' } });
  }

  /** Opens Edit, Resend or Revoke on an invitation from its row menu in `/access invitations`, pushed on the list. */
  async function openManageForm(verb: 'edit' | 'resend' | 'revoke', invitationId: number) {
    const opensBefore = app.emulator.callsTo('views.open').length;
    await app.driver.slashCommand({ userId: ADA.id, text: 'invitations' });
    await app.emulator.waitForCalls('views.open', opensBefore + 1, 10_000);
    const row = { kind: 'invitation' as const, invitationId };
    const pushesBefore = app.emulator.callsTo('views.push').length;
    await app.driver.interact({
      userId: ADA.id,
      view: modalOf(ADA.id),
      actionId: ACTION.usersManageRow,
      blockId: `${ROW_BLOCK_PREFIX}${rowKeyValue(row)}`,
      value: rowValue(verb, row),
    });
    await app.emulator.waitForCalls('views.push', pushesBefore + 1, 10_000);
    return modalOf(ADA.id);
  }

  it('refuses over-long details of an unlisted organization with field errors, and stores no request', async () => {
    await start();
    const opened = await openRequestForm(app, RITA.id);
    const updatesBefore = app.emulator.callsTo('views.update').length;
    await app.driver.interact({ userId: RITA.id, actionId: ACTION.toggleUnlisted, view: opened, value: ['unlisted'] });
    await app.emulator.waitForCalls('views.update', updatesBefore + 1, 10_000);
    const response = await forge(
      modalOf(RITA.id),
      RITA.id,
      {
        [REQUEST_FORM_BLOCK.unlistedToggle]: { [ACTION.toggleUnlisted]: ['unlisted'] },
        [REQUEST_FORM_BLOCK.unlistedName]: { [INPUT_ACTION]: 'Redlands Planning' },
        [REQUEST_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: 'Forum access' },
      },
      {
        [REQUEST_FORM_BLOCK.unlistedAcronym]: LONG_TAG,
        [REQUEST_FORM_BLOCK.unlistedDepartment]: HUGE,
        [REQUEST_FORM_BLOCK.unlistedCity]: HUGE,
      },
    );
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        [REQUEST_FORM_BLOCK.unlistedAcronym]: expect.stringMatching(/at most 30 characters/),
        [REQUEST_FORM_BLOCK.unlistedDepartment]: expect.stringMatching(/at most 200 characters/),
        [REQUEST_FORM_BLOCK.unlistedCity]: expect.stringMatching(/at most 100 characters/),
      },
    });
    expect(await app.db.database.prisma.accessRequest.count()).toBe(0);
  });

  it('refuses an over-long personal message, tag or log note in invitation step 3, and sends nothing', async () => {
    await start();
    const { prisma } = app.db.database;
    const before = app.emulator.callsTo('views.open').length;
    await app.driver.slashCommand({ userId: ADA.id, text: 'invite' });
    await app.emulator.waitForCalls('views.open', before + 1, 10_000);
    const first = modalOf(ADA.id);
    const revision = (JSON.parse(String(first.definition.private_metadata)) as { revision: number }).revision;
    const { addressesBlockId } = await import('../../src/slack/views/invite-addresses-form.js');
    await app.driver.submitView(first, { [addressesBlockId(revision)]: { [INPUT_ACTION]: 'new.person@example.org' } }, ADA.id);
    await app.driver.submitView(modalOf(ADA.id), { [addressesBlockId(revision + 1)]: { [INPUT_ACTION]: '' } }, ADA.id);
    await app.driver.submitView(
      modalOf(ADA.id),
      { [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.eLearning] } },
      ADA.id,
    );
    const sending = modalOf(ADA.id);
    expect(sending.definition.callback_id).toBe('invite_sending');

    const response = await forge(
      sending,
      ADA.id,
      {},
      {
        [INVITE_SENDING_BLOCK.personalMessage]: HUGE,
        [INVITE_SENDING_BLOCK.tags]: `ok, ${LONG_TAG}`,
        [INVITE_SENDING_BLOCK.note]: HUGE,
      },
    );
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: {
        [INVITE_SENDING_BLOCK.personalMessage]: expect.stringMatching(/at most 1000 characters/),
        [INVITE_SENDING_BLOCK.tags]: expect.stringMatching(/at most 50 characters/),
        [INVITE_SENDING_BLOCK.note]: expect.stringMatching(/at most 1000 characters/),
      },
    });
    expect(await prisma.invitation.count()).toBe(0);
    const draft = await prisma.inviteDraft.findFirstOrThrow();
    expect(draft).toMatchObject({ personalMessage: null, logNote: null, tags: [] });

    // Going back with the forged text, which keeps step 3's answers, does not store it either.
    const closed = await app.driver.viewClosed({
      view: sending,
      userId: ADA.id,
      values: { [INVITE_SENDING_BLOCK.personalMessage]: { [INPUT_ACTION]: HUGE } },
    });
    expect(closed.status).toBe(200);
    expect((await prisma.inviteDraft.findFirstOrThrow()).personalMessage).toBeNull();
  });

  it('refuses over-long notes and messages when editing, resending or revoking an invitation, and changes nothing', async () => {
    const organization = await start();
    const { prisma } = app.db.database;
    const invitation = await sentInvitation(organization.id);
    const logBefore = await prisma.permissionLogEntry.count();

    const revoke = await forge(await openManageForm('revoke', invitation.id), ADA.id, {}, { [INVITATION_REVOKE_BLOCK.note]: HUGE });
    expect(bodyText(revoke.body)).toMatch(new RegExp(`${INVITATION_REVOKE_BLOCK.note}.*at most 1000 characters`));

    const resend = await forge(
      await openManageForm('resend', invitation.id),
      ADA.id,
      {},
      { [INVITATION_RESEND_BLOCK.personalMessage]: HUGE, [INVITATION_RESEND_BLOCK.note]: HUGE },
    );
    expect(resend.json).toMatchObject({
      response_action: 'errors',
      errors: {
        [INVITATION_RESEND_BLOCK.personalMessage]: expect.stringMatching(/at most 1000/),
        [INVITATION_RESEND_BLOCK.note]: expect.stringMatching(/at most 1000/),
      },
    });

    const edit = await forge(
      await openManageForm('edit', invitation.id),
      ADA.id,
      {},
      { [INVITATION_EDIT_BLOCK.tags]: LONG_TAG, [INVITATION_EDIT_BLOCK.note]: HUGE },
    );
    expect(edit.json).toMatchObject({
      response_action: 'errors',
      errors: {
        [INVITATION_EDIT_BLOCK.tags]: expect.stringMatching(/at most 50/),
        [INVITATION_EDIT_BLOCK.note]: expect.stringMatching(/at most 1000/),
      },
    });

    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({
      status: 'PENDING',
      tokenHash: invitation.tokenHash,
      personalMessage: null,
      tags: [],
    });
    expect(await prisma.permissionLogEntry.count()).toBe(logBefore);
  });

  it('refuses an over-long note when extending an end date, and keeps the end date', async () => {
    let clock = new Date();
    app = await startTestApp(kind, {}, { now: () => clock });
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const { prisma } = app.db.database;
    const member = await prisma.member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName } });
    const endsAt = endOfDayIn('2031-01-31', 'UTC');
    const connection = await prisma.connection.create({
      data: { organizationId: organization.id, memberId: member.id, endsOn: '2031-01-31', endsAt },
    });
    clock = new Date(endsAt.getTime() - 3 * DAY);
    await sweepTimeLimits(prisma, { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS }, clock);
    await settle(app);
    const digest = postsIn(app, ADA.id).at(-1)!;
    const blocks = digest.blocks as Array<{ block_id?: string; elements?: Array<{ value?: string }> }>;
    const blockId = blocks.find((block) => block.elements?.some((element) => element.value === `extend:${connection.id}`))!.block_id!;
    const opensBefore = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.extendEndDate, blockId, message: digest });
    await waitUntil(() => app.emulator.callsTo('views.open').length > opensBefore);

    const response = await forge(
      modalOf(ADA.id),
      ADA.id,
      { [EXTEND_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: '2031-03-31' } },
      { [EXTEND_FORM_BLOCK.note]: HUGE },
    );
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { [EXTEND_FORM_BLOCK.note]: expect.stringMatching(/at most 1000 characters/) },
    });
    expect(await prisma.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ endsOn: '2031-01-31' });
    expect(await prisma.permissionLogEntry.count({ where: { action: 'connection.end_date_changed' } })).toBe(0);
  });
});
