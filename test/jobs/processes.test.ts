import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { insertRows } from '../../src/db/bulk-insert.js';
import type { Db } from '../../src/db/client.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const DAY = 24 * 60 * 60 * 1000;

/** `count` connections that ended before `endedBefore` (and so are due), plus ones that warn soon after `now`. */
async function seedDue(prisma: Db, count: number, endedAt: Date, warnAt: Date | null) {
  await seedPermissionCatalog(prisma);
  const organization = await createOrganization(prisma, { name: 'Sweep County', customerNumber: '600001', auditChannelId: 'C0AUDIT' });
  await addAdministrator(prisma, { customerNumber: '600001', slackUserId: 'U0SWEEPADMIN', displayName: 'Sam' });
  const now = new Date();
  await prisma.$transaction(
    async (tx) => {
      await insertRows(
        tx,
        'Member',
        Array.from({ length: count }, (_, n) => ({
          slackUserId: `UD${String(n).padStart(8, '0')}`,
          displayName: `Member ${n}`,
          email: `member${n}@example.com`,
          language: 'en',
          createdAt: now,
          updatedAt: now,
        })),
      );
      const members = await tx.member.findMany({
        where: { slackUserId: { startsWith: 'UD' } },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      await insertRows(
        tx,
        'Connection',
        members.map((member, n) => {
          const endsAt = warnAt && n % 2 === 1 ? warnAt : endedAt;
          return {
            organizationId: organization.id,
            memberId: member.id,
            status: 'ACTIVE' as const,
            tags: '[]',
            endsOn: endsAt.toISOString().slice(0, 10),
            endsAt,
            connectedAt: now,
            updatedAt: now,
          };
        }),
      );
    },
    { timeout: 120_000 },
  );
  await prisma.connectionPermission.createMany({
    data: (await prisma.connection.findMany({ where: { member: { slackUserId: { startsWith: 'UD' } } }, select: { id: true } })).map(
      (connection) => ({
        connectionId: connection.id,
        permissionKey: PERMISSION.esriAccess,
      }),
    ),
  });
}

function startNode(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function outputOf(child: ReturnType<typeof startNode>): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out };
}

describe.each(DATABASE_KINDS)('jobs in real processes on %s', (kind) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database.drop();
  });

  it('finishes a sweep killed midway (SIGKILL) on the next run: every connection expired, with exactly one notice and one log entry each', async () => {
    database = await createTestDatabase(kind);
    const { prisma } = database.database;
    await seedDue(prisma, 10_000, new Date(Date.now() - DAY), null);
    const cli = path.join(PROJECT_ROOT, 'src/cli/gatehouse.ts');
    const expiredCount = () => prisma.connection.count({ where: { status: 'EXPIRED' } });

    const first = startNode([cli, 'jobs', 'run', 'time-limits'], { DATABASE_URL: database.url });
    const exited = once(first, 'exit');
    // Kill it once it has committed some batches and before it has finished them all.
    let atKill = 0;
    for (let waited = 0; waited < 60_000; waited += 10) {
      atKill = await expiredCount();
      if (atKill >= 1000 || first.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.kill('SIGKILL');
    await exited;
    const afterKill = await expiredCount();
    expect(atKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(10_000);

    const second = await outputOf(startNode([cli, 'jobs', 'run', 'time-limits'], { DATABASE_URL: database.url }));
    expect(second.code).toBe(0);
    expect(second.out).toMatch(new RegExp(`expired ${10_000 - afterKill}`));
    expect(await expiredCount()).toBe(10_000);
    const notices = await prisma.outboxMessage.findMany({ where: { kind: 'connection.ended' }, select: { payload: true } });
    const noticed = notices.map((row) => (JSON.parse(row.payload) as { connectionId: number }).connectionId);
    expect(noticed).toHaveLength(10_000);
    expect(new Set(noticed).size).toBe(10_000);
    expect(await prisma.permissionLogEntry.count({ where: { action: 'connection.expired' } })).toBe(10_000);
  }, 180_000);

  it.runIf(kind === 'postgresql')(
    'runs a tick once when three app processes fire it: no duplicate state changes, warnings or log entries',
    async () => {
      database = await createTestDatabase(kind);
      const { prisma } = database.database;
      const now = new Date();
      await seedDue(prisma, 400, new Date(now.getTime() - DAY), new Date(now.getTime() + 6 * DAY));
      const tick = new Date(Math.floor(now.getTime() / 300_000) * 300_000).toISOString();
      const script = path.join(PROJECT_ROOT, 'test/support/job-tick.ts');
      const runs = await Promise.all(
        [1, 2, 3].map(() => outputOf(startNode([script, 'time-limits', tick, now.toISOString()], { DATABASE_URL: database.url }))),
      );
      expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
      const statuses = runs.map((run) => (JSON.parse(run.out.trim().split('\n').at(-1)!) as { status: string }).status).sort();
      expect(statuses).toEqual(['skipped', 'skipped', 'succeeded']);
      expect(await prisma.connection.count({ where: { status: 'EXPIRED' } })).toBe(200);
      expect(await prisma.permissionLogEntry.count({ where: { action: 'connection.expired' } })).toBe(200);
      expect(await prisma.outboxMessage.count({ where: { kind: 'connection.warning' } })).toBe(200);
      expect(await prisma.outboxMessage.count({ where: { kind: 'connection.ended' } })).toBe(200);
      expect(await prisma.jobRun.count({ where: { job: 'time-limits', tick } })).toBe(1);
    },
    120_000,
  );
});
