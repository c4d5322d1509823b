import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import type { AppResponse, EmulatedView } from '../../src/sandbox/index.js';
import { addressesBlockId } from '../../src/slack/views/invite-addresses-form.js';
import { rowKeyValue, rowValue } from '../../src/slack/views/member-values.js';
import { ROW_BLOCK_PREFIX } from '../../src/slack/views/users-list.js';
import {
  ACTION,
  APPROVE_FORM_BLOCK,
  CALLBACK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITE_GRANT_BLOCK,
  INVITE_SENDING_BLOCK,
} from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { waitUntil } from '../support/members.js';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  expectNoServerErrors,
  mrkdwnTexts,
  person,
  postsIn,
  requestAccess,
  seedOrganization,
  settle,
  type Person,
} from '../support/flows.js';

/*
 * Races fired at the HTTP endpoint with real concurrency: every request is signed and in flight at
 * once, as when Slack delivers many clicks or commands together. PostgreSQL runs them on separate
 * connections, which is where a read followed by an unconditional write lets two of them win.
 */

const ADA = person('U0ADA', 'Ada Admin');
const INVITEE = 'rita@example.org';

/** How many requests race in each test: the issue asks for at least 50 at once. */
const RACERS = 50;

function bodyText(response: AppResponse): string {
  return response.body;
}

function modalOf(app: TestApp, userId = ADA.id): EmulatedView {
  const modal = app.emulator.currentModal(userId);
  if (!modal) throw new Error('no modal is open');
  return modal;
}

function revisionOf(view: EmulatedView): number {
  return (JSON.parse(String(view.definition.private_metadata)) as { revision: number }).revision;
}

/** Ada invites the addresses through the three steps of `/access invite`, and leaves step 3 open. */
async function openSendingStep(app: TestApp, addresses: string[], permissions: string[] = [PERMISSION.esriAccess]): Promise<EmulatedView> {
  const opens = app.emulator.callsTo('views.open').length;
  await app.driver.slashCommand({ userId: ADA.id, text: 'invite' });
  await app.emulator.waitForCalls('views.open', opens + 1, 10_000);
  const paste = (text: string) =>
    app.driver.submitView(modalOf(app), { [addressesBlockId(revisionOf(modalOf(app)))]: { [INPUT_ACTION]: text } }, ADA.id);
  await paste(addresses.join('\n'));
  await paste('');
  await app.driver.submitView(modalOf(app), { [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: permissions } }, ADA.id);
  const sending = modalOf(app);
  expect(sending.definition.callback_id).toBe(CALLBACK.inviteSending);
  return sending;
}

/** Sends an invitation to people outside the workspace; without email, Ada is handed their codes. */
async function inviteOutsiders(app: TestApp, addresses: string[], permissions?: string[]): Promise<Map<string, string>> {
  const sending = await openSendingStep(app, addresses, permissions);
  const sent = await app.driver.submitView(sending, {}, ADA.id);
  expect(sent.body).toContain('"response_action":"clear"');
  await settle(app);
  const handover = postsIn(app, ADA.id)
    .map((message) => mrkdwnTexts(message).join('\n'))
    .join('\n');
  const codes = new Map<string, string>();
  for (const address of addresses) {
    const code = new RegExp(`${address.replace(/\./g, '\\.')}[^\\n]*?\`([A-Za-z0-9_-]{43})\``).exec(handover)?.[1];
    if (!code) throw new Error(`no code was handed over for ${address}`);
    codes.set(address, code);
  }
  return codes;
}

/** Slack accounts that all use the invited address, so that only the code decides who may accept. */
function accountsOf(app: TestApp, count: number, email: string, prefix = 'U0TAKER'): Person[] {
  return Array.from({ length: count }, (_, index) => {
    const account = { ...person(`${prefix}${String(index).padStart(2, '0')}`, `Taker ${index}`), email };
    app.emulator.addUser(account);
    return account;
  });
}

describe.each(DATABASE_KINDS)('invitation races on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  const prisma = () => app.db.database.prisma;

  async function start() {
    app = await startTestApp(kind);
    return seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
  }

  /** Every effect an acceptance has, counted. */
  async function acceptanceEffects(organizationId: number) {
    return {
      connections: await prisma().connection.count({ where: { organizationId, member: { slackUserId: { not: ADA.id } } } }),
      logEntries: await prisma().permissionLogEntry.count({ where: { action: LOG_ACTION.invitationAccepted } }),
      adminNotices: await prisma().outboxMessage.count({ where: { kind: 'permissions.changed' } }),
      acceptedInvitations: await prisma().invitation.count({ where: { status: 'ACCEPTED' } }),
    };
  }

  it('connects exactly one of 50 accounts sending one code at once', async () => {
    const organization = await start();
    const code = (await inviteOutsiders(app, [INVITEE])).get(INVITEE)!;
    const takers = accountsOf(app, 50, INVITEE);

    const responses = await Promise.all(takers.map((taker) => app.driver.slashCommand({ userId: taker.id, text: `accept ${code}` })));
    expectNoServerErrors(responses);
    expect(responses.filter((response) => bodyText(response).includes('You accepted the invitation'))).toHaveLength(1);
    expect(responses.filter((response) => bodyText(response).includes('accepted already'))).toHaveLength(49);
    expect(await acceptanceEffects(organization.id)).toEqual({ connections: 1, logEntries: 1, adminNotices: 1, acceptedInvitations: 1 });
    await settle(app);
    const told = postsIn(app, ADA.id).filter((message) => mrkdwnTexts(message).join('\n').includes('accepted the invitation'));
    expect(told).toHaveLength(1);
  });

  it('accepts once when one person sends the same code 50 times at once', async () => {
    const organization = await start();
    const code = (await inviteOutsiders(app, [INVITEE])).get(INVITEE)!;
    const [rita] = accountsOf(app, 1, INVITEE, 'U0RITA');

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => app.driver.slashCommand({ userId: rita!.id, text: `accept ${code}` })),
    );
    expectNoServerErrors(responses);
    expect(responses.filter((response) => bodyText(response).includes('You accepted the invitation'))).toHaveLength(1);
    expect(responses.filter((response) => bodyText(response).includes('accepted already'))).toHaveLength(49);
    expect(await acceptanceEffects(organization.id)).toEqual({ connections: 1, logEntries: 1, adminNotices: 1, acceptedInvitations: 1 });
  });

  it('evaluates exactly 5 of 50 wrong codes sent at once, and makes the rest wait', async () => {
    await start();
    const [mallory] = accountsOf(app, 1, 'mallory@example.org', 'U0MALLORY');
    const guesses = Array.from({ length: 50 }, (_, index) => `guess${String(index).padStart(2, '0')}${'x'.repeat(38)}`);

    const responses = await Promise.all(guesses.map((guess) => app.driver.slashCommand({ userId: mallory!.id, text: `accept ${guess}` })));
    expectNoServerErrors(responses);
    expect(responses.filter((response) => bodyText(response).includes("doesn't work"))).toHaveLength(5);
    expect(responses.filter((response) => bodyText(response).includes('too many codes'))).toHaveLength(45);
    expect(await prisma().invitationCodeAttempt.count({ where: { slackUserId: mallory!.id } })).toBe(5);
  });

  it(`sends an invitation draft once when its Send arrives ${RACERS} times at once`, async () => {
    await start();
    const addresses = ['one@example.org', 'two@example.org', 'three@example.org'];
    const sending = await openSendingStep(app, addresses);
    const posts = app.emulator.callsTo('chat.postMessage').length;

    const responses = await Promise.all(
      Array.from({ length: RACERS }, () =>
        app.driver.viewSubmission({
          view: sending,
          userId: ADA.id,
          values: { [INVITE_SENDING_BLOCK.personalMessage]: { [INPUT_ACTION]: 'Welcome' } },
        }),
      ),
    );
    expectNoServerErrors(responses);
    expect(responses.filter((response) => bodyText(response).includes('"response_action":"clear"'))).toHaveLength(1);
    const refused = responses.filter((response) => bodyText(response).includes('"response_action":"errors"'));
    expect(refused).toHaveLength(RACERS - 1);
    for (const response of refused) expect(bodyText(response)).toContain('sent already');

    for (const address of addresses) expect(await prisma().invitation.count({ where: { email: address } }), address).toBe(1);
    expect(await prisma().permissionLogEntry.count({ where: { action: LOG_ACTION.invitationSent } })).toBe(3);
    expect(await prisma().outboxMessage.count({ where: { kind: 'invitation.deliver' } })).toBe(3);
    await settle(app);
    const confirmations = app.emulator
      .callsTo('chat.postMessage')
      .slice(posts)
      .filter((call) => call.args.channel === ADA.id && String(call.args.text).startsWith('Sent 3 invitations'));
    expect(confirmations).toHaveLength(1);
  });

  it(`keeps every address of ${RACERS} pastes into one draft that arrive at once`, async () => {
    await start();
    const opens = app.emulator.callsTo('views.open').length;
    await app.driver.slashCommand({ userId: ADA.id, text: 'invite' });
    await app.emulator.waitForCalls('views.open', opens + 1, 10_000);
    const pasteInto = (view: EmulatedView, text: string) =>
      app.driver.viewSubmission({ view, userId: ADA.id, values: { [addressesBlockId(revisionOf(view))]: { [INPUT_ACTION]: text } } });
    // The first paste makes the draft; Slack then shows the list with room for more.
    await pasteInto(modalOf(app), 'first@example.org');
    const withDraft = modalOf(app);
    const addresses = Array.from({ length: RACERS }, (_, index) => `paste${index}@example.org`);

    const responses = await Promise.all(addresses.map((address) => pasteInto(withDraft, address)));
    expectNoServerErrors(responses);
    const drafts = await prisma().inviteDraft.findMany();
    expect(drafts).toHaveLength(1);
    expect((drafts[0]!.addresses as string[]).slice().sort()).toEqual(['first@example.org', ...addresses].sort());
  });

  it('leaves one pending invitation per address when two drafts to the same people are sent at once', async () => {
    await start();
    const addresses = ['one@example.org', 'two@example.org'];
    // Two modals, each with its own draft, as from two windows.
    const first = await openSendingStep(app, addresses);
    const second = await openSendingStep(app, addresses);
    expect(app.emulator.getView(first.id)).toBeDefined();

    const responses = await Promise.all(
      Array.from({ length: RACERS }, (_, index) =>
        app.driver.viewSubmission({ view: index % 2 === 0 ? first : second, userId: ADA.id, values: {} }),
      ),
    );
    expectNoServerErrors(responses);
    for (const address of addresses) {
      expect(await prisma().invitation.count({ where: { email: address, status: 'PENDING' } }), address).toBe(1);
      expect(await prisma().invitation.count({ where: { email: address, status: 'REVOKED' } }), address).toBe(1);
    }
  });

  it('gives approval and acceptance for the same person at once, in either order, both their effects', async () => {
    const organization = await start();
    for (let round = 0; round < 5; round += 1) {
      const requester = person(`U0REQ${round}`, `Requester ${round}`);
      app.emulator.addUser(requester);
      const requestId = await requestAccess(app, requester, {
        organizationId: organization.id,
        accessPermissions: [PERMISSION.esriAccess],
      });
      // Ada also invited the same person, to more than they asked for, so accepting after the
      // approval takes nothing away (which would first ask them to confirm); it reaches them by DM.
      const sending = await openSendingStep(app, [requester.email], [PERMISSION.esriAccess, PERMISSION.eLearning]);
      await app.driver.submitView(sending, {}, ADA.id);
      await settle(app);
      const invitationDm = postsIn(app, requester.id).find((message) => JSON.stringify(message.blocks).includes(ACTION.acceptInvitation))!;
      const card = postsIn(app, ADA.id).find(
        (message) =>
          JSON.stringify(message.blocks).includes(`"${ACTION.approve}"`) && JSON.stringify(message.blocks).includes(requester.id),
      )!;
      const opens = app.emulator.callsTo('views.open').length;
      await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.approve, message: { channel: card.channel, ts: card.ts } });
      const approveForm = (await app.emulator.waitForCalls('views.open', opens + 1, 10_000))[opens]!;
      const responses = await Promise.all([
        app.driver.submitView(approveForm, { [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] } }, ADA.id),
        app.driver.clickButton({ userId: requester.id, actionId: ACTION.acceptInvitation, message: invitationDm }),
      ]);
      expectNoServerErrors(responses);
      // The approval updates its card too, so only the invitation DM's own update says the acceptance
      // (which runs after its click is acknowledged) has finished.
      await waitUntil(() =>
        app.emulator.callsTo('chat.update').some((call) => call.args.channel === invitationDm.channel && call.args.ts === invitationDm.ts),
      );
      await settle(app);

      expect(await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: 'APPROVED' });
      expect(await prisma().invitation.findFirstOrThrow({ where: { email: requester.email } })).toMatchObject({ status: 'ACCEPTED' });
      const member = await prisma().member.findUniqueOrThrow({ where: { slackUserId: requester.id } });
      const connections = await prisma().connection.findMany({ where: { memberId: member.id }, include: { permissions: true } });
      expect(connections).toHaveLength(1);
      // The two changes happened one after the other: the later one started from what the earlier left.
      const [earlier, later] = await prisma().permissionLogEntry.findMany({
        where: { subjectMemberId: member.id, action: { in: [LOG_ACTION.requestApproved, LOG_ACTION.invitationAccepted] } },
        orderBy: { id: 'asc' },
      });
      expect(later).toBeDefined();
      const permissionsIn = (snapshot: unknown) => [...((snapshot as { permissions?: string[] } | null)?.permissions ?? [])].sort();
      expect(permissionsIn(later!.before)).toEqual(permissionsIn(earlier!.after));
      expect(connections[0]!.permissions.map((grant) => grant.permissionKey).sort()).toEqual(permissionsIn(later!.after));
    }
  });

  it('ends a pending invitation once when it is revoked while its code is sent 40 times', async () => {
    await start();
    const code = (await inviteOutsiders(app, [INVITEE])).get(INVITEE)!;
    const invitation = await prisma().invitation.findFirstOrThrow({ where: { email: INVITEE } });
    const [rita] = accountsOf(app, 1, INVITEE, 'U0RITA');
    const revokeForm = await openManagementForm(app, invitation.id, 'revoke');

    const responses = await Promise.all([
      ...Array.from({ length: 20 }, () => app.driver.slashCommand({ userId: rita!.id, text: `accept ${code}` })),
      app.driver.submitView(revokeForm, {}, ADA.id),
      ...Array.from({ length: 20 }, () => app.driver.slashCommand({ userId: rita!.id, text: `accept ${code}` })),
    ]);
    expectNoServerErrors(responses);
    const endings = await prisma().permissionLogEntry.count({
      where: { action: { in: [LOG_ACTION.invitationAccepted, LOG_ACTION.invitationRevoked] } },
    });
    expect(endings).toBe(1);
    const final = await prisma().invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(await prisma().connection.count({ where: { member: { slackUserId: rita!.id } } })).toBe(final.status === 'ACCEPTED' ? 1 : 0);
  });

  it(`applies ${RACERS} edits of one invitation sent at once one after another, each logged from what the last left`, async () => {
    await start();
    await inviteOutsiders(app, [INVITEE]);
    const invitation = await prisma().invitation.findFirstOrThrow({ where: { email: INVITEE } });
    const choices = [[PERMISSION.esriAccess], [PERMISSION.eLearning], [PERMISSION.esriAccess, PERMISSION.eLearning]];
    const forms = [];
    for (let index = 0; index < RACERS; index += 1) forms.push(await openManagementForm(app, invitation.id, 'edit'));

    const responses = await Promise.all(
      forms.map((form, index) =>
        app.driver.submitView(
          form,
          { [INVITATION_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: choices[index % choices.length]! } },
          ADA.id,
        ),
      ),
    );
    expectNoServerErrors(responses);
    const edits = await prisma().permissionLogEntry.findMany({ where: { action: LOG_ACTION.invitationEdited }, orderBy: { id: 'asc' } });
    expect(edits).toHaveLength(RACERS);
    const permissionsIn = (snapshot: unknown) => (snapshot as { permissions: string[] }).permissions;
    expect(permissionsIn(edits[0]!.before)).toEqual([PERMISSION.esriAccess]);
    for (let index = 1; index < edits.length; index += 1)
      expect(permissionsIn(edits[index]!.before)).toEqual(permissionsIn(edits[index - 1]!.after));
    const final = await prisma().invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(final.permissions).toEqual(permissionsIn(edits.at(-1)!.after));
  });

  it(`counts ${RACERS} resends of one invitation sent at once one by one, and only the newest code works`, async () => {
    await start();
    await inviteOutsiders(app, [INVITEE]);
    const invitation = await prisma().invitation.findFirstOrThrow({ where: { email: INVITEE } });
    const forms = [];
    for (let index = 0; index < RACERS; index += 1) forms.push(await openManagementForm(app, invitation.id, 'resend'));

    const responses = await Promise.all(forms.map((form) => app.driver.submitView(form, {}, ADA.id)));
    expectNoServerErrors(responses);
    const resends = await prisma().permissionLogEntry.findMany({ where: { action: LOG_ACTION.invitationResent }, orderBy: { id: 'asc' } });
    expect(resends.map((entry) => (entry.before as { resendCount: number }).resendCount)).toEqual(
      Array.from({ length: RACERS }, (_, index) => index),
    );
    expect(await prisma().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({ resendCount: RACERS });
  });
});

/**
 * Opens the Edit, Resend or Revoke form of an invitation as an admin does: `/access invitations` opens the
 * members list on its Pending filter, and the choice from the invitation's row menu pushes the form on it.
 */
async function openManagementForm(app: TestApp, invitationId: number, verb: 'edit' | 'resend' | 'revoke') {
  const opens = app.emulator.callsTo('views.open').length;
  await app.driver.slashCommand({ userId: ADA.id, text: 'invitations' });
  const list = (await app.emulator.waitForCalls('views.open', opens + 1, 10_000))[opens]!;
  const row = { kind: 'invitation' as const, invitationId };
  const pushes = app.emulator.callsTo('views.push').length;
  await app.driver.interact({
    userId: ADA.id,
    view: list,
    actionId: ACTION.usersManageRow,
    blockId: `${ROW_BLOCK_PREFIX}${rowKeyValue(row)}`,
    value: rowValue(verb, row),
  });
  return (await app.emulator.waitForCalls('views.push', pushes + 1, 10_000))[pushes]!;
}
