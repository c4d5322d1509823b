import { afterEach, describe, expect, it } from 'vitest';
import { invitationSealingKey, openInvitationCode } from '../../src/domain/invitation-tokens.js';
import type { OutboxItem } from '../../src/domain/outbox-messages.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { startSmtpServer, type SmtpSandbox } from '../../src/sandbox/index.js';
import { checkAddresses, chooseGrant, saveSendingChoices } from '../../src/services/invitations/invite-drafts.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { buttonsIn, mrkdwnTexts, person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Invitee');
const settings = { sealingKey: invitationSealingKey(SIGNING_SECRET) };

async function invite(
  app: TestApp,
  organizationId: number,
  addresses: string[],
  options: { language?: 'en' | 'es' | 'fr'; permissions?: string[]; now?: Date } = {},
) {
  const { prisma } = app.db.database;
  const now = options.now ?? new Date();
  const checked = await checkAddresses(
    prisma,
    { actorSlackUserId: ADA.id, organizationId, text: addresses.join('\n'), draftId: null },
    now,
  );
  const draftId = checked.draftId;
  await chooseGrant(
    prisma,
    { actorSlackUserId: ADA.id, draftId, permissions: options.permissions ?? [PERMISSION.esriAccess], endsOn: null, caller: null },
    now,
  );
  await saveSendingChoices(
    prisma,
    { actorSlackUserId: ADA.id, draftId, tags: [], personalMessage: 'Welcome aboard', language: options.language ?? 'en', logNote: null },
    now,
  );
  await sendInvitations(prisma, { actorSlackUserId: ADA.id, draftId }, settings, now);
  app.gatehouse.dispatcher.wake();
}

/** The codes queued for delivery, read the way only the app can: with its sealing key. */
async function queuedCodes(app: TestApp): Promise<Map<number, string>> {
  const rows = await app.db.database.prisma.outboxMessage.findMany({ where: { kind: 'invitation.deliver' } });
  const codes = new Map<number, string>();
  for (const row of rows) {
    const item = JSON.parse(row.payload) as Extract<OutboxItem, { kind: 'invitation.deliver' }>;
    const code = openInvitationCode(item.sealedCode, settings.sealingKey);
    if (code) codes.set(item.invitationId, code);
  }
  return codes;
}

describe.each(DATABASE_KINDS)('invitations through Slack on %s', (kind) => {
  let app: TestApp;
  let smtp: SmtpSandbox | undefined;
  afterEach(async () => {
    // Whatever the app sent, Slack would have accepted: no Block Kit or API rule was broken.
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
    await smtp?.close();
    smtp = undefined;
  });

  it('DMs people in the workspace an Accept button bound to their account, and tells the admins when they accept', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', auditChannelId: 'C0AUDIT' }, [
      ADA,
    ]);
    app.emulator.addUser(RITA);
    app.emulator.addUser(person('U0MALLORY', 'Mallory Other'));
    await invite(app, organization.id, [RITA.email], { permissions: [PERMISSION.esriAccess, PERMISSION.eLearning] });
    await settle(app);

    const [dm] = postsIn(app, RITA.id);
    expect(dm).toBeDefined();
    expect(mrkdwnTexts(dm!).join('\n')).toContain('Welcome aboard');
    const [accept] = buttonsIn(dm!);
    expect(accept).toMatchObject({ action_id: ACTION.acceptInvitation });
    // The sealed code is gone from the outbox once delivered.
    expect((await queuedCodes(app)).size).toBe(0);

    const click = await app.driver.clickButton({ userId: RITA.id, actionId: ACTION.acceptInvitation, message: dm! });
    expect(click.status).toBe(200);
    // The click is acknowledged at once; accepting happens right after, and ends by updating the DM.
    await app.emulator.waitForCalls('chat.update', 1, 10_000);
    await settle(app);
    const rita = await app.db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId: RITA.id } });
    const grants = await app.db.database.prisma.connectionPermission.findMany({ where: { connection: { memberId: rita.id } } });
    expect(grants.map((grant) => grant.permissionKey).sort()).toEqual([PERMISSION.eLearning, PERMISSION.esriAccess].sort());
    // The invitation DM now says it was accepted and has no button left.
    const updated = app.emulator.messagesIn(app.emulator.dmChannelFor(RITA.id))[0]!;
    expect(buttonsIn(updated)).toEqual([]);
    expect(mrkdwnTexts(updated).join('\n')).toContain('You accepted the invitation to *City of Redlands*');
    // Ada hears about it, and the audit channel gets one line.
    expect(
      postsIn(app, ADA.id).some((message) => mrkdwnTexts(message).join('\n').includes('accepted the invitation to *City of Redlands*')),
    ).toBe(true);
    const acceptances = postsIn(app, 'C0AUDIT')
      .map((message) => mrkdwnTexts(message).join('\n'))
      .filter((line) => line.includes('Accepted an invitation'));
    expect(acceptances).toHaveLength(1);
    expect(acceptances[0]).toMatch(/`#\d+` {2}· {2}<@\w+> {2}· {2}Accepted an invitation/);
  });

  it('refuses the Accept button to a Slack account whose email is not the invited address', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    app.emulator.addUser(RITA);
    const mallory = person('U0MALLORY', 'Mallory Other');
    app.emulator.addUser(mallory);
    await invite(app, organization.id, [RITA.email]);
    await settle(app);
    // Mallory got hold of Rita's invitation (a forwarded screenshot, a shared screen) and clicks Accept as herself.
    const dm = postsIn(app, RITA.id)[0]!;
    const click = await app.driver.clickButton({ userId: mallory.id, actionId: ACTION.acceptInvitation, message: dm });
    expect(click.status).toBe(200);
    const told = await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000);
    expect(JSON.stringify(told.at(-1)!.args)).toContain(`This invitation is for ${RITA.email}`);
    expect(await app.db.database.prisma.invitation.count({ where: { status: 'PENDING' } })).toBe(1);
    expect(await app.db.database.prisma.member.count({ where: { slackUserId: mallory.id } })).toBe(0);
    expect(buttonsIn(postsIn(app, RITA.id)[0]!)).toHaveLength(1);
  });

  it('emails people who are not in the workspace, in their language, with a code that works once', async () => {
    smtp = await startSmtpServer();
    app = await startTestApp(kind, { SMTP_URL: smtp.url, SMTP_FROM: 'Gatehouse <access@example.com>' });
    const organization = await seedOrganization(app, { name: 'Ciudad de Redlands', customerNumber: '100300' }, [ADA]);
    await invite(app, organization.id, ['nuevo@example.org'], { language: 'es' });
    const [mail] = await smtp.waitForMessages(1, 10_000);
    expect(mail!.to).toEqual(['nuevo@example.org']);
    expect(mail!.subject).toContain('Ciudad de Redlands');
    expect(mail!.text).toContain('Welcome aboard');
    const code = /\/access accept ([A-Za-z0-9_-]{43})/.exec(mail!.text)?.[1];
    expect(code).toBeDefined();
    await settle(app);

    // The code works for the Slack account whose email is the invited address.
    app.emulator.addUser({ ...person('U0NUEVO', 'Nuevo Person'), email: 'nuevo@example.org' });
    const accepted = await app.driver.slashCommand({ userId: 'U0NUEVO', text: `accept ${code}` });
    expect(JSON.stringify(accepted.body)).toContain('You accepted the invitation');
    const again = await app.driver.slashCommand({ userId: 'U0NUEVO', text: `accept ${code}` });
    expect(JSON.stringify(again.body)).toContain('accepted already');
    const wrong = await app.driver.slashCommand({ userId: 'U0NUEVO', text: `accept ${'x'.repeat(43)}` });
    expect(JSON.stringify(wrong.body)).toContain("doesn't work");
  });

  it('hands the codes to the inviting admin when an invitee can be reached neither in Slack nor by email', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await invite(app, organization.id, ['far@example.org', 'away@example.org']);
    await settle(app);
    const handover = postsIn(app, ADA.id)
      .map((message) => mrkdwnTexts(message).join('\n'))
      .join('\n');
    expect(handover).toContain('far@example.org');
    expect(handover).toContain('away@example.org');
    const codes = [...handover.matchAll(/`([A-Za-z0-9_-]{43})`/g)].map((match) => match[1]);
    expect(new Set(codes).size).toBe(2);
  });

  it('delivers a 200-person invitation through a Slack outage, every DM exactly once and none before Retry-After', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const invitees = Array.from({ length: 200 }, (_, index) => person(`U0INV${String(index).padStart(4, '0')}`, `Invitee ${index}`));
    for (const invitee of invitees) app.emulator.addUser(invitee);
    // Slack fails twice, then rate-limits for 2 seconds, then recovers.
    app.emulator.failNext('chat.postMessage', { status: 503 }, 2);
    app.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1);
    await invite(
      app,
      organization.id,
      invitees.map((invitee) => invitee.email),
    );
    await settle(app, 60_000);

    const posts = app.emulator.callsTo('chat.postMessage');
    expect(posts.filter((call) => call.faulted).map((call) => call.status)).toEqual([503, 503, 429]);
    const limitedAt = posts.find((call) => call.status === 429)!.at.getTime();
    const nextPost = posts.find((call) => call.at.getTime() > limitedAt && !call.faulted)!;
    expect(nextPost.at.getTime() - limitedAt).toBeGreaterThanOrEqual(2000);
    for (const invitee of invitees) {
      const dms = postsIn(app, invitee.id);
      expect(dms, invitee.email).toHaveLength(1);
      expect(buttonsIn(dms[0]!).map((button) => button.action_id)).toEqual([ACTION.acceptInvitation]);
    }
    const rows = await app.db.database.prisma.outboxMessage.findMany({ where: { kind: 'invitation.deliver' } });
    expect(rows).toHaveLength(200);
    expect(rows.every((row) => row.status === 'SENT')).toBe(true);
  });

  it('refuses a code after six weeks, and an old code once the invitation was resent, each with its own message', async () => {
    // The app's clock starts at the real time (the invitations are sent at it) and is then moved on.
    let clock = new Date();
    app = await startTestApp(kind, {}, { now: () => clock });
    const organization = await seedOrganization(
      app,
      { name: 'City of Redlands', customerNumber: '100200', timeZone: 'America/Los_Angeles' },
      [ADA],
    );
    await invite(app, organization.id, ['late@example.org', 'again@example.org'], { now: clock });
    await settle(app);
    // Neither is in Slack and email is not set up, so Ada got both codes to hand over.
    const handover = postsIn(app, ADA.id)
      .map((message) => mrkdwnTexts(message).join('\n'))
      .join('\n');
    const codeFor = (email: string) => new RegExp(`${email.replace('.', '\\.')}[^\\n]*?\`([A-Za-z0-9_-]{43})\``).exec(handover)?.[1];
    const late = codeFor('late@example.org')!;
    const again = codeFor('again@example.org')!;
    expect(late).toBeDefined();
    expect(again).toBeDefined();

    const resent = await app.db.database.prisma.invitation.findFirstOrThrow({ where: { email: 'again@example.org' } });
    const { resendInvitation } = await import('../../src/services/invitations/resend-invitation.js');
    await resendInvitation(
      app.db.database.prisma,
      { actorSlackUserId: ADA.id, invitationId: resent.id, language: 'en', personalMessage: null, note: null },
      settings,
      clock,
    );
    const replaced = await app.driver.slashCommand({ userId: 'U0AGAIN', text: `accept ${again}` });
    expect(bodyText(replaced.body)).toContain('only the newest code works');

    clock = new Date(clock.getTime() + 6 * 7 * 24 * 60 * 60 * 1000);
    const expired = await app.driver.slashCommand({ userId: 'U0LATE', text: `accept ${late}` });
    const expiry = (await app.db.database.prisma.invitation.findFirstOrThrow({ where: { email: 'late@example.org' } })).expiresAt;
    const expiryDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(expiry);
    expect(bodyText(expired.body)).toContain(`This invitation to City of Redlands expired on ${expiryDate}`);
    expect(await app.db.database.prisma.connection.count({ where: { organizationId: organization.id } })).toBe(1);
  });
});

function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}
