// The audit channel gets one concise line for every change in the organization, through the
// outbox, each carrying its log entries' sequence numbers: every entry of the chain is named by
// exactly one line, a batch by one post, and invitations and end-date changes are among them.
import { afterEach, describe, expect, it } from 'vitest';
import { invitationSealingKey } from '../../src/domain/invitation-tokens.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { decideRequest } from '../../src/services/access-requests.js';
import { checkAddresses, chooseGrant, saveSendingChoices } from '../../src/services/invitations/invite-drafts.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { changeEndDate } from '../../src/services/lifecycle.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, postsIn, requestAccess, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Member');
const AUDIT = 'C0AUDIT';

/** The sequence numbers a line names: `#7`, or a range `#120–#1119`. */
function sequencesNamed(text: string): number[] {
  const range = /\((#(\d+)–#(\d+))\)/.exec(text);
  if (range) {
    const from = Number(range[2]);
    const to = Number(range[3]);
    return Array.from({ length: to - from + 1 }, (_, index) => from + index);
  }
  // The fallback text repeats the line, so a number is counted once per post.
  return [...new Set([...text.matchAll(/`#(\d+)`/g)].map((match) => Number(match[1])))];
}

describe.each(DATABASE_KINDS)('the audit channel on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('names every log entry of the organization exactly once, in lines that say who did what', async () => {
    const now = new Date();
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', auditChannelId: AUDIT }, [ADA]);
    const { prisma, sql } = app.db.database;

    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const decided = await decideRequest(
      sql,
      { requestId, actor: { slackUserId: ADA.id }, outcome: 'APPROVED', granted: [PERMISSION.esriAccess], note: null, notify: true },
      { operatorUserIds: [] },
      now,
    );
    expect(decided.ok).toBe(true);
    const connection = await prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: RITA.id } } });
    await changeEndDate(prisma, { actorSlackUserId: ADA.id, connectionId: connection.id, endsOn: '2031-01-31', note: null }, now);

    // Three invitations at once: one change, one line.
    const emails = ['alan@example.com', 'lynn@example.com', 'ivan@example.com'];
    const { draftId } = await checkAddresses(
      prisma,
      { actorSlackUserId: ADA.id, organizationId: organization.id, text: emails.join('\n'), draftId: null },
      now,
    );
    await chooseGrant(prisma, { actorSlackUserId: ADA.id, draftId, permissions: [PERMISSION.eLearning], endsOn: null, caller: null }, now);
    await saveSendingChoices(
      prisma,
      { actorSlackUserId: ADA.id, draftId, tags: [], personalMessage: null, language: 'en', logNote: null },
      now,
    );
    await sendInvitations(prisma, { actorSlackUserId: ADA.id, draftId }, { sealingKey: invitationSealingKey(SIGNING_SECRET) }, now);
    app.gatehouse.dispatcher.wake();
    await settle(app);

    const lines = postsIn(app, AUDIT).map((message) => mrkdwnTexts(message).join('\n'));
    const entries = await prisma.permissionLogEntry.findMany({ where: { organizationId: organization.id }, orderBy: { sequence: 'asc' } });
    const named = lines.flatMap(sequencesNamed).sort((a, b) => a - b);
    expect(named).toEqual(entries.map((entry) => entry.sequence));

    expect(lines.find((line) => line.includes('Approved a request'))).toMatch(
      new RegExp(`<@${ADA.id}>.*Approved a request.*<@${RITA.id}>`),
    );
    expect(lines.some((line) => line.includes('Changed the end date') && line.includes(`<@${RITA.id}>`))).toBe(true);
    const invitations = lines.filter((line) => line.includes('Invited'));
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toContain('*3 log entries*');
    for (const email of emails) expect(invitations[0]).toContain(email);
  });

  it('posts nothing for an organization without an audit channel', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    expect(await app.db.database.prisma.outboxMessage.count({ where: { kind: 'audit.entries' } })).toBe(0);
  });
});
