import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config/env.js';
import { hashInvitationToken, invitationSealingKey } from '../../src/domain/invitation-tokens.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { startSmtpServer, type RecordedCall, type SmtpSandbox } from '../../src/sandbox/index.js';
import { decideRequest } from '../../src/services/access-requests.js';
import { checkAddresses, chooseGrant, saveSendingChoices } from '../../src/services/invitations/invite-drafts.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { buttonsIn, mrkdwnTexts, person, postsIn, requestAccess, seedOrganization, type Person } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Admin');
const RITA = person('U0RITA', 'Rita Requester');
const RAY = person('U0RAY', 'Ray Requester');
const IVY = person('U0IVY', 'Ivy Invitee');
const OPAL = person('U0OPAL', 'Opal Operator');
/** An operator id that is not (or no longer) in the workspace: DMs to it fail for good. */
const GONE_OPERATOR = 'U0GONE';
const ADMIN_CHANNEL = 'C0ADMINS';
const AUDIT_CHANNEL = 'C0AUDIT';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sealing = { sealingKey: invitationSealingKey(SIGNING_SECRET) };

/** Outbox kinds whose delivery posts one new message. */
const POSTING_KINDS = new Set([
  'request.card',
  'request.receipt',
  'request.outcome',
  'permissions.changed',
  'audit.entries',
  'invitation.deliver',
  'outbox.parked',
]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DATABASE_KINDS)('the outbox through outages on %s', (kind) => {
  let app: TestApp;
  let smtp: SmtpSandbox | undefined;
  // The app's clock: the tests move it, and every retry and pause is scheduled by it.
  let clock: Date;

  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
    await smtp?.close();
    smtp = undefined;
  });

  async function start(overrides: Partial<AppConfig> = {}) {
    clock = new Date();
    app = await startTestApp(kind, { OPERATOR_USER_IDS: [OPAL.id], ...overrides }, { now: () => clock });
    for (const someone of [RITA, RAY, IVY, OPAL]) app.emulator.addUser(someone);
    const organization = await seedOrganization(
      app,
      { name: 'City of Redlands', customerNumber: '100200', adminChannelId: ADMIN_CHANNEL, auditChannelId: AUDIT_CHANNEL },
      [ADA, BOB],
    );
    // Seeding ran on the wall clock, a moment past the app's: its audit lines are due now.
    clock = new Date();
    return organization;
  }

  const prisma = () => app.db.database.prisma;

  /** Lets the dispatcher deliver (or fail) everything due at the current clock, unless Slack asked it to wait. */
  async function drain(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      app.gatehouse.dispatcher.wake();
      const due = await prisma().outboxMessage.count({ where: { status: 'PENDING', availableAt: { lte: clock } } });
      if (due === 0 || app.gatehouse.dispatcher.isPaused()) return;
      if (Date.now() > deadline) throw new Error(`${due} outbox messages still due at ${clock.toISOString()}`);
      await sleep(10);
    }
  }

  /** Moves the clock on by `ms` in steps, letting the dispatcher work at each. */
  async function advance(ms: number, step = 5 * MINUTE): Promise<void> {
    for (let moved = 0; moved < ms; moved += step) {
      clock = new Date(clock.getTime() + Math.min(step, ms - moved));
      await drain();
    }
  }

  async function decide(requestId: number, outcome: 'APPROVED' | 'DENIED') {
    const decided = await decideRequest(
      app.db.database.sql,
      {
        requestId,
        actor: { slackUserId: ADA.id, displayName: ADA.realName },
        outcome,
        granted: outcome === 'APPROVED' ? [PERMISSION.esriAccess] : undefined,
        note: outcome === 'APPROVED' ? 'Approved while Slack was down' : 'Not for this team',
        notify: true,
      },
      { operatorUserIds: [OPAL.id] },
      clock,
    );
    expect(decided.ok).toBe(true);
    app.gatehouse.dispatcher.wake();
  }

  async function invite(organizationId: number, invitee: Person) {
    const checked = await checkAddresses(prisma(), { actorSlackUserId: ADA.id, organizationId, text: invitee.email, draftId: null }, clock);
    const draftId = checked.draftId;
    await chooseGrant(
      prisma(),
      { actorSlackUserId: ADA.id, draftId, permissions: [PERMISSION.esriAccess], endsOn: null, caller: null },
      clock,
    );
    await saveSendingChoices(
      prisma(),
      { actorSlackUserId: ADA.id, draftId, tags: [], personalMessage: 'Welcome aboard', language: 'en', logNote: null },
      clock,
    );
    await sendInvitations(prisma(), { actorSlackUserId: ADA.id, draftId }, sealing, clock);
    app.gatehouse.dispatcher.wake();
  }

  /** Slack's answers to the posts that went through. */
  const deliveredPosts = (): RecordedCall[] =>
    app.emulator.callsTo('chat.postMessage').filter((call) => !call.faulted && (call.response as { ok?: boolean }).ok === true);

  /** Every message that posts was posted exactly once, and nothing else was posted. */
  async function expectEachPostedOnce() {
    const rows = await prisma().outboxMessage.findMany({ orderBy: { id: 'asc' } });
    const posting = rows.filter((row) => POSTING_KINDS.has(row.kind) && row.resultChannel !== 'email');
    const posts = deliveredPosts();
    for (const row of posting) {
      const matching = posts.filter((call) => (call.response as { ts?: string }).ts === row.resultTs);
      expect(matching, `${row.kind} #${row.id}`).toHaveLength(1);
    }
    expect(posts).toHaveLength(posting.length);
  }

  it('delivers everything queued during a two-hour 503 outage exactly once when Slack recovers, parking nothing', async () => {
    const organization = await start();
    const ritaRequest = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const rayRequest = await requestAccess(app, RAY, { organizationId: organization.id, accessPermissions: [PERMISSION.eLearning] });

    app.emulator.startOutage({ status: 503 });
    // Work goes on in Gatehouse while Slack is down: decisions, an invitation.
    await decide(ritaRequest, 'APPROVED');
    await advance(20 * MINUTE);
    await decide(rayRequest, 'DENIED');
    await invite(organization.id, IVY);
    await advance(2 * HOUR - 20 * MINUTE);

    // Two hours in, the dispatcher is still trying, and nothing has given up.
    expect(await prisma().outboxMessage.count({ where: { status: 'FAILED' } })).toBe(0);
    const waiting = await prisma().outboxMessage.findMany({ where: { status: 'PENDING' } });
    expect(waiting.map((row) => row.kind)).toEqual(
      expect.arrayContaining(['request.outcome', 'permissions.changed', 'audit.entries', 'request.refresh', 'invitation.deliver']),
    );
    expect(Math.max(...waiting.map((row) => row.attempts))).toBeGreaterThanOrEqual(20);

    app.emulator.endOutage();
    await advance(10 * MINUTE);

    const rows = await prisma().outboxMessage.findMany();
    expect(rows.filter((row) => row.status !== 'SENT').map((row) => `${row.kind}: ${row.status} ${row.lastError}`)).toEqual([]);
    await expectEachPostedOnce();
    // What each person was owed arrived, once.
    expect(postsIn(app, RITA.id).map((message) => mrkdwnTexts(message).join('\n'))).toEqual([
      expect.anything(),
      expect.stringMatching(/approved/i),
    ]);
    expect(postsIn(app, RAY.id).map((message) => mrkdwnTexts(message).join('\n'))).toEqual([
      expect.anything(),
      expect.stringMatching(/denied|not approved/i),
    ]);
    // One audit line per change, each decision among them, each posted once.
    const auditPosts = postsIn(app, AUDIT_CHANNEL).map((message) => mrkdwnTexts(message).join('\n'));
    expect(auditPosts).toHaveLength(await prisma().outboxMessage.count({ where: { kind: 'audit.entries' } }));
    expect(auditPosts.filter((text) => /Approved a request|Denied a request/.test(text))).toHaveLength(2);
    expect(postsIn(app, BOB.id).filter((message) => /changed/i.test(JSON.stringify(message)))).toHaveLength(1);
    const invitationDms = postsIn(app, IVY.id);
    expect(invitationDms).toHaveLength(1);
    expect(buttonsIn(invitationDms[0]!).map((button) => button.action_id)).toEqual([ACTION.acceptInvitation]);
    // The cards drawn before the outage were brought up to date after it.
    for (const posted of await prisma().requestMessage.findMany({ where: { requestId: ritaRequest, audience: 'admin' } })) {
      expect(JSON.stringify(app.emulator.findMessage(posted.channelId, posted.ts)!.blocks)).toMatch(/Approved by/);
    }
    expect(postsIn(app, OPAL.id)).toEqual([]);
  });

  it('lets a 15-second burst of 429s delay messages without using up a try, pausing on the app clock', async () => {
    const organization = await start();
    const ritaRequest = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const burstEnds = clock.getTime() + 15_000;
    const limitedAt: number[] = [];
    app.emulator.setFault(() => {
      if (clock.getTime() >= burstEnds) return undefined;
      limitedAt.push(clock.getTime());
      return { status: 429, retryAfter: 1 };
    });
    await decide(ritaRequest, 'APPROVED');
    await invite(organization.id, IVY);
    await drain();
    await advance(20_000, 1000);

    expect(limitedAt.length).toBeGreaterThanOrEqual(10);
    // After each 429 nothing is sent until Retry-After has passed on the app's clock.
    for (let index = 1; index < limitedAt.length; index += 1)
      expect(limitedAt[index]! - limitedAt[index - 1]!).toBeGreaterThanOrEqual(1000);
    const rows = await prisma().outboxMessage.findMany();
    expect(rows.filter((row) => row.status !== 'SENT').map((row) => `${row.kind}: ${row.status}`)).toEqual([]);
    // The one attempt each counts is the one that went through.
    expect(rows.filter((row) => row.attempts !== 1).map((row) => `${row.kind}: ${row.attempts} attempts`)).toEqual([]);
    expect(rows.every((row) => row.firstFailedAt === null)).toBe(true);
    await expectEachPostedOnce();
  });

  it('hands the code to the inviting admin when the invitation DM fails with user_not_found, and says why', async () => {
    const organization = await start();
    app.emulator.setFault(({ method, args }) =>
      method === 'chat.postMessage' && args.channel === IVY.id ? { error: 'user_not_found' } : undefined,
    );
    await invite(organization.id, IVY);
    await drain();

    expect(await prisma().outboxMessage.count({ where: { status: { not: 'SENT' } } })).toBe(0);
    const handover = postsIn(app, ADA.id)
      .map((message) => mrkdwnTexts(message).join('\n'))
      .join('\n');
    expect(handover).toContain(IVY.email);
    expect(handover).toContain('user_not_found');
    const code = /`([A-Za-z0-9_-]{43})`/.exec(handover)?.[1];
    const invitation = await prisma().invitation.findFirstOrThrow({ where: { email: IVY.email } });
    expect(invitation.status).toBe('PENDING');
    expect(hashInvitationToken(code!)).toBe(invitation.tokenHash);
    expect(postsIn(app, IVY.id)).toEqual([]);
  });

  it('emails the invitation when the DM fails for good and email is set up, and tells the inviting admin', async () => {
    smtp = await startSmtpServer();
    const organization = await start({ SMTP_URL: smtp.url, SMTP_FROM: 'Gatehouse <access@example.com>' });
    app.emulator.setFault(({ method, args }) =>
      method === 'chat.postMessage' && args.channel === IVY.id ? { error: 'account_inactive' } : undefined,
    );
    await invite(organization.id, IVY);
    const [mail] = await smtp.waitForMessages(1, 10_000);
    expect(mail!.to).toEqual([IVY.email]);
    await drain();

    expect(await prisma().outboxMessage.count({ where: { status: { not: 'SENT' } } })).toBe(0);
    const told = postsIn(app, ADA.id).map((message) => mrkdwnTexts(message).join('\n'));
    expect(told).toEqual([expect.stringContaining(IVY.email)]);
    expect(told[0]).toMatch(/email/i);
    expect(told[0]).toContain('account_inactive');
    // The code went to the invitee alone.
    expect(told[0]).not.toMatch(/`[A-Za-z0-9_-]{43}`/);
    await app.gatehouse.dispatcher.stop();
    expect(smtp.messages).toHaveLength(1);
  });

  it('parks a message only after the retry window, reports it to the operators once, and counts it in /metrics', async () => {
    const organization = await start({ OUTBOX_RETRY_HOURS: 3, OPERATOR_USER_IDS: [OPAL.id, GONE_OPERATOR] });
    const ritaRequest = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    // Only the audit channel is down: every post to it fails with a 503.
    app.emulator.setFault(({ method, args }) =>
      method === 'chat.postMessage' && args.channel === AUDIT_CHANNEL ? { status: 503 } : undefined,
    );
    await decide(ritaRequest, 'APPROVED');
    await drain();
    await advance(2 * HOUR + 55 * MINUTE);
    const audit = await prisma().outboxMessage.findFirstOrThrow({ where: { kind: 'audit.entries', status: 'PENDING' } });
    expect(audit.status).toBe('PENDING');
    expect(postsIn(app, OPAL.id)).toEqual([]);

    await advance(10 * MINUTE);
    expect(await prisma().outboxMessage.findUniqueOrThrow({ where: { id: audit.id } })).toMatchObject({ status: 'FAILED' });
    // Hours later, after many more rounds, Opal was still told once; the report that could not
    // reach the other operator was parked in its turn, and not reported.
    await advance(5 * HOUR, 30 * MINUTE);
    const reports = postsIn(app, OPAL.id).map((message) => mrkdwnTexts(message).join('\n'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(`#${audit.id}`);
    expect(reports[0]).toContain('audit.entries');
    expect(reports[0]).toContain('503');
    const parked = await prisma().outboxMessage.findMany({ where: { status: 'FAILED' }, orderBy: { id: 'asc' } });
    expect(parked.map((row) => row.kind)).toEqual(['audit.entries', 'outbox.parked']);
    expect(parked.every((row) => row.reportedAt !== null)).toBe(true);
    expect(await prisma().outboxMessage.count({ where: { kind: 'outbox.parked' } })).toBe(2);

    const metrics = await (await fetch(`${app.gatehouse.url}/metrics`)).text();
    expect(metrics).toMatch(/^gatehouse_outbox_failed_messages 2$/m);
    expect(postsIn(app, RITA.id).at(-1)).toBeDefined();
  });
});
