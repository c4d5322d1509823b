import { afterEach, describe, expect, it } from 'vitest';
import { activateConnection } from '../../src/db/connection-writes.js';
import { endOfDayIn } from '../../src/domain/dates.js';
import { invitationSealingKey } from '../../src/domain/invitation-tokens.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { checkAddresses, chooseGrant, saveSendingChoices } from '../../src/services/invitations/invite-drafts.js';
import { editInvitation } from '../../src/services/invitations/edit-invitation.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { memberFor } from '../../src/services/members.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { buttonsIn, mrkdwnTexts, person, postsIn, requestAccess, seedOrganization, settle, type Person } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Boss');
const TINA = person('U0TINA', 'Tina Trainer');
const CARL = person('U0CARL', 'Carl Callers');
const RITA = person('U0RITA', 'Rita Member');
const MALLORY = person('U0MALLORY', 'Mallory Other');
const settings = { sealingKey: invitationSealingKey(SIGNING_SECRET) };

/** Gives someone a connection as it stands, the way earlier approvals would have left it. */
async function connect(
  app: TestApp,
  organizationId: number,
  who: Person,
  permissions: string[],
  terms: { endsOn?: string | null; startsOn?: string | null; tags?: string[] } = {},
): Promise<number> {
  const { prisma } = app.db.database;
  app.emulator.addUser(who);
  const member = await memberFor(prisma, { slackUserId: who.id, displayName: who.realName, email: who.email });
  const endsOn = terms.endsOn ?? null;
  return activateConnection(prisma, {
    organizationId,
    memberId: member.id,
    permissions,
    tags: terms.tags ?? [],
    startsOn: terms.startsOn ?? null,
    endsOn,
    endsAt: endsOn ? endOfDayIn(endsOn, 'UTC') : null,
    connectedById: member.id,
    at: new Date(),
  });
}

/** Sends an invitation through the invite flow's services as `from`, returning the new invitation's id. */
async function invite(
  app: TestApp,
  from: Person,
  organizationId: number,
  address: string,
  permissions: string[],
  caller: { supportLevel: 'STANDARD' | 'PREMIUM'; callerLevel: string | null } | null = null,
): Promise<number> {
  const { prisma } = app.db.database;
  const now = new Date();
  const checked = await checkAddresses(prisma, { actorSlackUserId: from.id, organizationId, text: address, draftId: null }, now);
  const draftId = checked.draftId;
  await chooseGrant(prisma, { actorSlackUserId: from.id, draftId, permissions, endsOn: null, caller }, now);
  await saveSendingChoices(
    prisma,
    { actorSlackUserId: from.id, draftId, tags: [], personalMessage: null, language: 'en', logNote: null },
    now,
  );
  await sendInvitations(prisma, { actorSlackUserId: from.id, draftId }, settings, now);
  await settle(app);
  const invitation = await prisma.invitation.findFirstOrThrow({ where: { email: address }, orderBy: { id: 'desc' } });
  return invitation.id;
}

async function heldBy(app: TestApp, who: Person, organizationId: number): Promise<string[]> {
  const grants = await app.db.database.prisma.connectionPermission.findMany({
    where: { connection: { organizationId, member: { slackUserId: who.id } } },
  });
  return grants.map((grant) => grant.permissionKey).sort();
}

/** The code of an invitation as its DM shows it, in the `/access accept CODE` line. */
function codeIn(dm: { blocks?: unknown; text?: unknown }): string {
  const code = /\/access accept ([A-Za-z0-9_-]{43})/.exec(mrkdwnTexts(dm).join('\n'))?.[1];
  expect(code).toBeDefined();
  return code!;
}

/** Everything Gatehouse told someone privately: ephemeral messages and DMs, as text. */
function toldTo(app: TestApp, who: Person): string {
  return [...app.emulator.callsTo('chat.postEphemeral'), ...app.emulator.callsTo('chat.postMessage')]
    .filter((call) => call.args.user === who.id || call.args.channel === who.id || call.args.channel === app.emulator.dmChannelFor(who.id))
    .map((call) => JSON.stringify(call.args))
    .join('\n');
}

async function waitUntil(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(DATABASE_KINDS)("limited admins, plain approvals, bound codes and one's own access on %s", (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  async function start() {
    app = await startTestApp(kind);
    return seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [BOB]);
  }

  it("keeps an Administrator's permissions when a training admin invites them to e-Learning, and says so before they accept", async () => {
    const organization = await start();
    await connect(app, organization.id, ADA, [PERMISSION.administrator, PERMISSION.manageLicensing], {
      endsOn: '2099-12-31',
      tags: ['gis'],
    });
    await connect(app, organization.id, TINA, [PERMISSION.assignTraining]);
    await invite(app, TINA, organization.id, ADA.email, [PERMISSION.eLearning]);

    const dm = postsIn(app, ADA.id).at(-1)!;
    const dmText = mrkdwnTexts(dm).join('\n');
    expect(dmText).toMatch(/You keep[^\n]*\n• \*Administrator\*/);
    expect(dmText).toContain('Manage licensing');
    expect(dmText).toMatch(/You gain[^\n]*\n• \*Access e-Learning\*/);
    expect(dmText).not.toContain('You lose');

    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.acceptInvitation, message: dm });
    await app.emulator.waitForCalls('chat.update', 1, 10_000);
    expect(await heldBy(app, ADA, organization.id)).toEqual(
      [PERMISSION.administrator, PERMISSION.eLearning, PERMISSION.manageLicensing].sort(),
    );
    // The training admin's invitation does not move the dates of access outside her scope.
    const connection = await app.db.database.prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: ADA.id } } });
    expect(connection).toMatchObject({ endsOn: '2099-12-31', status: 'ACTIVE' });
    expect(connection.tags).toEqual(['gis']);
  });

  it('keeps what a support-callers admin cannot grant when their invitation is accepted with the code', async () => {
    const organization = await start();
    await connect(app, organization.id, ADA, [PERMISSION.administrator, PERMISSION.viewSupport]);
    await connect(app, organization.id, CARL, [PERMISSION.assignAuthorizedCallers]);
    await invite(app, CARL, organization.id, ADA.email, [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions], {
      supportLevel: 'STANDARD',
      callerLevel: null,
    });
    const code = codeIn(postsIn(app, ADA.id).at(-1)!);
    const reply = await app.driver.slashCommand({ userId: ADA.id, text: `accept ${code}` });
    expect(JSON.stringify(reply.body)).toContain('You accepted the invitation');
    // Carl's invitation decides the support permissions only; Ada stays an Administrator.
    expect(await heldBy(app, ADA, organization.id)).toEqual(
      [PERMISSION.administrator, PERMISSION.authorizedCallerActions, PERMISSION.viewSupport].sort(),
    );
    const connection = await app.db.database.prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: ADA.id } } });
    expect(connection.callerSupportLevel).toBe('STANDARD');
  });

  it('asks for confirmation, naming what is lost, before `/access accept` takes permissions away', async () => {
    const organization = await start();
    await connect(app, organization.id, ADA, [PERMISSION.administrator, PERMISSION.manageLicensing]);
    await invite(app, BOB, organization.id, ADA.email, [PERMISSION.esriAccess, PERMISSION.manageLicensing]);
    const dm = postsIn(app, ADA.id).at(-1)!;
    expect(mrkdwnTexts(dm).join('\n')).toMatch(/You lose[^\n]*\n• \*Administrator\*/);

    const reply = await app.driver.slashCommand({ userId: ADA.id, text: `accept ${codeIn(dm)}` });
    const body = JSON.parse(String(reply.body)) as { text?: string; blocks?: unknown };
    const shown = mrkdwnTexts(body).join('\n');
    expect(shown).toMatch(/You keep[^\n]*\n• \*Manage licensing\*/);
    expect(shown).toMatch(/You gain[^\n]*\n• \*Esri access\*/);
    expect(shown).toMatch(/You lose[^\n]*\n• \*Administrator\*/);
    // Nothing changed yet.
    expect(await heldBy(app, ADA, organization.id)).toEqual([PERMISSION.administrator, PERMISSION.manageLicensing].sort());
    expect(await app.db.database.prisma.invitation.count({ where: { status: 'PENDING' } })).toBe(1);

    const [confirm] = buttonsIn(body);
    expect(confirm?.action_id).toBe(ACTION.acceptInvitation);
    const channel = app.emulator.dmChannelFor(ADA.id);
    await app.driver.blockActions({
      userId: ADA.id,
      actions: [{ action_id: confirm!.action_id, value: confirm!.value! }],
      channel,
      container: { type: 'message', channel_id: channel, is_ephemeral: true, message_ts: '1.000001' },
    });
    await waitUntil(async () => (await app.db.database.prisma.invitation.count({ where: { status: 'ACCEPTED' } })) === 1, 'the accept');
    expect(await heldBy(app, ADA, organization.id)).toEqual([PERMISSION.esriAccess, PERMISSION.manageLicensing].sort());
  });

  it("asks again when an edit since the DM was drawn makes accepting take permissions away, and a limited admin's edit narrows what it may change", async () => {
    const organization = await start();
    await connect(app, organization.id, ADA, [PERMISSION.administrator, PERMISSION.manageLicensing]);
    await connect(app, organization.id, TINA, [PERMISSION.assignTraining]);
    const invitationId = await invite(app, TINA, organization.id, ADA.email, [PERMISSION.eLearning]);
    const dm = postsIn(app, ADA.id).at(-1)!;
    expect(mrkdwnTexts(dm).join('\n')).not.toContain('You lose');
    const { prisma } = app.db.database;
    // Bob, an Administrator, edits it: what accepting changes is now his to decide, all of it.
    const edit = (by: Person, permissions: string[]) =>
      editInvitation(
        prisma,
        { actorSlackUserId: by.id, invitationId, permissions, tags: [], endsOn: null, caller: null, note: null },
        new Date(),
      );
    await edit(BOB, [PERMISSION.eLearning]);

    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.acceptInvitation, message: dm });
    await waitUntil(() => toldTo(app, ADA).includes('takes permissions away'), 'the question');
    expect(await heldBy(app, ADA, organization.id)).toEqual([PERMISSION.administrator, PERMISSION.manageLicensing].sort());
    expect(await prisma.invitation.count({ where: { status: 'PENDING' } })).toBe(1);

    // Tina edits it again: her edit makes it change only what her scope covers.
    await edit(TINA, [PERMISSION.eLearning]);
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.acceptInvitation, message: dm });
    await waitUntil(async () => (await prisma.invitation.count({ where: { status: 'ACCEPTED' } })) === 1, 'the accept');
    expect(await heldBy(app, ADA, organization.id)).toEqual(
      [PERMISSION.administrator, PERMISSION.eLearning, PERMISSION.manageLicensing].sort(),
    );
  });

  it("prefills the Approve form with the member's end date, start date and tags, and a plain Approve keeps them", async () => {
    const organization = await start();
    const connectionId = await connect(app, organization.id, RITA, [PERMISSION.esriAccess], {
      startsOn: '2026-01-05',
      endsOn: '2099-06-30',
      tags: ['contractor', 'gis'],
    });
    await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.downloadSoftware] });
    const card = postsIn(app, BOB.id).find((message) => buttonsIn(message).some((button) => button.action_id === ACTION.approve))!;
    const opensBefore = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: BOB.id, actionId: ACTION.approve, message: card });
    const opened = (await app.emulator.waitForCalls('views.open', opensBefore + 1, 10_000))[opensBefore]!;
    const form = JSON.stringify(opened.args);
    expect(form).toContain('"initial_date":"2099-06-30"');
    expect(form).toContain('"initial_date":"2026-01-05"');
    expect(form).toContain('"initial_value":"contractor, gis"');
    // What the form says about approving an existing member is what happens.
    expect(mrkdwnTexts(opened.args.view as { blocks?: unknown }).join('\n')).toContain(
      'Their start date, end date and tags start filled in as they are now',
    );

    const response = await app.driver.submitView(opened, {}, BOB.id);
    expect(response.status).toBe(200);
    const connection = await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection).toMatchObject({ startsOn: '2026-01-05', endsOn: '2099-06-30' });
    expect(connection.tags).toEqual(['contractor', 'gis']);
    expect(await heldBy(app, RITA, organization.id)).toEqual([PERMISSION.downloadSoftware, PERMISSION.esriAccess].sort());
  });

  it('refuses `/access accept CODE` from a Slack account whose email is not the invited address, naming the inviter, and logs it', async () => {
    const organization = await start();
    app.emulator.addUser(RITA);
    app.emulator.addUser(MALLORY);
    await invite(app, BOB, organization.id, RITA.email, [PERMISSION.administrator]);
    const code = codeIn(postsIn(app, RITA.id).at(-1)!);

    const refused = await app.driver.slashCommand({ userId: MALLORY.id, text: `accept ${code}` });
    const text = JSON.stringify(refused.body);
    expect(text).toContain(`This invitation is for ${RITA.email}`);
    expect(text).toContain(BOB.realName);
    const { prisma } = app.db.database;
    expect(await prisma.connection.count({ where: { member: { slackUserId: MALLORY.id } } })).toBe(0);
    expect(await prisma.invitation.count({ where: { status: 'PENDING' } })).toBe(1);
    const logged = await prisma.permissionLogEntry.findMany({ where: { action: LOG_ACTION.invitationRefusedWrongAccount } });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ organizationId: organization.id, subjectEmail: RITA.email });
    expect(JSON.stringify(logged[0]!.after)).toContain(MALLORY.id);

    const accepted = await app.driver.slashCommand({ userId: RITA.id, text: `accept ${code}` });
    expect(JSON.stringify(accepted.body)).toContain('You accepted the invitation');
    expect(await heldBy(app, RITA, organization.id)).toEqual([PERMISSION.administrator]);
  });

  it('refuses an Administrator removing her own end date, and lets another Administrator do it', async () => {
    const organization = await start();
    const connectionId = await connect(app, organization.id, ADA, [PERMISSION.administrator], { endsOn: '2099-01-31' });
    const channel = app.emulator.dmChannelFor(ADA.id);
    await app.driver.blockActions({
      userId: ADA.id,
      actions: [{ action_id: ACTION.removeEndDate, value: `remove:${connectionId}` }],
      channel,
    });
    await waitUntil(() => toldTo(app, ADA).includes('Nobody raises their own access'), 'the refusal');
    const { prisma } = app.db.database;
    expect((await prisma.connection.findUniqueOrThrow({ where: { id: connectionId } })).endsOn).toBe('2099-01-31');
    expect(await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.endDateChanged } })).toBe(0);

    await app.driver.blockActions({
      userId: BOB.id,
      actions: [{ action_id: ACTION.removeEndDate, value: `remove:${connectionId}` }],
      channel: app.emulator.dmChannelFor(BOB.id),
    });
    await waitUntil(
      async () => (await prisma.connection.findUniqueOrThrow({ where: { id: connectionId } })).endsOn === null,
      "Bob's change",
    );
  });

  it("refuses accepting an invitation one sent to oneself, and editing an invitation to one's own address", async () => {
    const organization = await start();
    await connect(app, organization.id, ADA, [PERMISSION.administrator], { endsOn: '2099-01-31' });
    const invitationId = await invite(app, ADA, organization.id, ADA.email, [PERMISSION.administrator, PERMISSION.manageLicensing]);
    const code = codeIn(postsIn(app, ADA.id).at(-1)!);
    const reply = await app.driver.slashCommand({ userId: ADA.id, text: `accept ${code}` });
    expect(JSON.stringify(reply.body)).toContain('Nobody changes their own access');
    const { prisma } = app.db.database;
    expect(await prisma.invitation.count({ where: { status: 'PENDING' } })).toBe(1);
    expect(await heldBy(app, ADA, organization.id)).toEqual([PERMISSION.administrator]);

    await expect(
      editInvitation(
        prisma,
        {
          actorSlackUserId: ADA.id,
          invitationId,
          permissions: [PERMISSION.administrator],
          tags: [],
          endsOn: null,
          caller: null,
          note: null,
        },
        new Date(),
      ),
    ).rejects.toThrow('Nobody changes their own access');
    expect(await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.invitationEdited } })).toBe(0);
  });
});
