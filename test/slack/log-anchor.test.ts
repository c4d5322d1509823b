import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { appendChained } from '../../src/db/permission-log.js';
import { parseAnchor } from '../../src/domain/log-chain.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { fireTick } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const jobSettings = { warningLeadDays: [14, 7, 1], requestReminderDays: 3, requestExpiryDays: 30, operatorUserIds: [] };

describe.each(DATABASE_KINDS)('the daily log anchor on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it("posts each organization's head to its audit channel once a day, and `log verify --anchor` checks the log against it", async () => {
    let clock = new Date('2031-03-10T00:02:00.000Z');
    app = await startTestApp(kind, {}, { now: () => clock });
    const { prisma } = app.db.database;
    const redlands = await seedOrganization(
      app,
      { name: 'City of <!channel> Redlands', customerNumber: '100200', auditChannelId: 'C0AUDIT' },
      [ADA],
    );
    // No audit channel: nowhere to post its anchor.
    await seedOrganization(app, { name: 'Quiet Town', customerNumber: '100300' }, []);
    const tick = () =>
      fireTick({
        intervalMinutes: 5,
        logger: createLogger('silent'),
        context: () => ({ prisma, now: clock, ...jobSettings }),
      });
    const anchorPosts = () => postsIn(app, 'C0AUDIT').filter((message) => String(message.text).includes('Permissions log anchor'));

    await tick();
    clock = new Date('2031-03-10T13:30:00.000Z');
    await tick();
    await settle(app);
    expect(await prisma.outboxMessage.count({ where: { kind: 'log.anchor' } })).toBe(1);
    const head = await prisma.permissionLogEntry.findFirstOrThrow({ where: { chain: redlands.id }, orderBy: { sequence: 'desc' } });
    const [posted] = anchorPosts();
    const texts = mrkdwnTexts(posted!).join('\n');
    expect(texts).toContain(`\`${head.sequence}:${head.hash}\``);
    expect(texts).toContain(`City of &lt;!channel&gt; Redlands`);
    expect(texts).not.toContain('<!channel>');
    expect(texts).toContain(`gatehouse log verify --org 100200 --anchor ${head.sequence}:${head.hash}`);
    const call = app.emulator.callsTo('chat.postMessage').find((recorded) => String(recorded.args.text).includes('anchor'));
    expect(call?.args.channel).toBe('C0AUDIT');

    // The next day the head has moved on, and the new one is posted.
    await prisma.$transaction((tx) =>
      appendChained(tx, {
        organizationId: redlands.id,
        actorLabel: 'operator',
        action: LOG_ACTION.organizationChannelsChanged,
        createdAt: clock,
      }),
    );
    clock = new Date('2031-03-11T00:04:00.000Z');
    await tick();
    await settle(app);
    const posts = anchorPosts();
    expect(posts).toHaveLength(2);
    const anchor = parseAnchor(/`(\d+:[0-9a-f]{64})`/.exec(mrkdwnTexts(posts[1]!).join('\n'))![1]!)!;
    expect(anchor.sequence).toBe(head.sequence! + 1);

    // The anchor an auditor copied from Slack checks the log; one of another day's head does not.
    const verify = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const status = await runCli(
        ['log', 'verify', ...argv],
        { out: (line) => out.push(line), err: (line) => err.push(line) },
        {
          DATABASE_URL: app.db.url,
        },
      );
      return { status, out, err };
    };
    expect(await verify('--org', '100200', '--anchor', `${anchor.sequence}:${anchor.hash}`)).toMatchObject({ status: 0, err: [] });
    expect(await verify('--org', '100200', '--anchor', `${anchor.sequence}:${head.hash}`)).toMatchObject({
      status: 1,
      err: [expect.stringContaining(`entry ${anchor.sequence}`)],
    });
  });
});
