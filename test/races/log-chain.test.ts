import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { verifyLogChains } from '../../src/db/log-verify.js';
import { appendChained, appendLogEntries, type LogEntryInput } from '../../src/db/permission-log.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const WRITERS = 10;
const TRANSACTIONS_EACH = 15;

/*
 * Ten writers append to the same two chains at once. On PostgreSQL each is a replica of its own:
 * its own client and connection pool, so their transactions really overlap and only the chain's
 * lock lines them up. Half append to both chains in one call naming them in the other order, which
 * deadlocked when each chain's lock was taken as its first entry came.
 */
describe.each(DATABASE_KINDS)('log chain races on %s', (kind) => {
  let db: TestDatabase;
  const replicas: Database[] = [];
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((replica) => replica.close()));
    await db.drop();
  });

  it(`leaves one chain per organization, numbered without a gap or a fork, when ${WRITERS} writers append at once`, async () => {
    db = await createTestDatabase(kind);
    const north = await createOrganization(db.database.prisma, { name: 'North', customerNumber: '900001' });
    const south = await createOrganization(db.database.prisma, { name: 'South', customerNumber: '900002' });
    // SQLite serves one process's writers through one connection; PostgreSQL serves replicas.
    for (let writer = 0; writer < WRITERS; writer += 1) {
      replicas.push(kind === 'postgresql' ? await openDatabase(db.target, { poolSize: 2 }) : db.database);
    }
    const entry = (organizationId: number, writer: number, n: number): LogEntryInput => ({
      organizationId,
      actorLabel: 'operator',
      action: LOG_ACTION.organizationChannelsChanged,
      after: { writer, n },
      note: `writer ${writer}, transaction ${n}`,
      createdAt: new Date(Date.UTC(2026, 11, 1, 12, writer, n)),
    });
    // Each organization's creation, then what the writers append.
    const appended = new Map([
      [north.id, 1],
      [south.id, 1],
    ]);
    const results = await Promise.allSettled(
      replicas.map(async (replica, writer) => {
        for (let n = 0; n < TRANSACTIONS_EACH; n += 1) {
          await replica.prisma.$transaction(async (tx) => {
            if (writer % 2 === 0) {
              await appendChained(tx, entry(north.id, writer, n));
              return;
            }
            const [first, second] = writer % 4 === 1 ? [north, south] : [south, north];
            await appendLogEntries(tx, [entry(first.id, writer, n), entry(second.id, writer, n), entry(first.id, writer, n)]);
          });
          if (writer % 2 === 0) appended.set(north.id, appended.get(north.id)! + 1);
          else {
            const first = writer % 4 === 1 ? north : south;
            const second = first === north ? south : north;
            appended.set(first.id, appended.get(first.id)! + 2);
            appended.set(second.id, appended.get(second.id)! + 1);
          }
        }
      }),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);

    const { prisma } = db.database;
    for (const [chain, count] of appended) {
      const sequences = (
        await prisma.permissionLogEntry.findMany({ where: { chain }, select: { sequence: true }, orderBy: { sequence: 'asc' } })
      ).map((row) => row.sequence);
      expect(sequences).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    }
    const verification = await verifyLogChains(db.database.sql);
    expect(verification.broken).toBeNull();
    expect(verification.entries).toBe(await prisma.permissionLogEntry.count());
  });
});
