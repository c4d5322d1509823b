// Tamper evidence: someone with access to the database turns off the log's append-only triggers, as
// an attacker could, and changes, removes, swaps or inserts entries. `log verify` names the first
// broken sequence number each time. Each tampering happens in a transaction that is rolled back, so
// every case starts from the same whole chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Tx } from '../../src/db/client.js';
import { verifyLogChains } from '../../src/db/log-verify.js';
import { appendLogEntries } from '../../src/db/permission-log.js';
import { sqlOf } from '../../src/db/sql.js';
import { entryHash, formatAnchor } from '../../src/domain/log-chain.js';
import { BREAK_REASON } from '../../src/domain/log-verify.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { ensurePermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind, type TestDatabase } from '../support/databases.js';

class RolledBack extends Error {}

/** Turns the append-only triggers off for the rest of the transaction, as an attacker with DB access would. */
async function disableTriggers(tx: Tx, kind: DatabaseKind) {
  if (kind === 'postgresql') {
    await tx.$executeRawUnsafe('ALTER TABLE "PermissionLogEntry" DISABLE TRIGGER USER');
  } else {
    await tx.$executeRawUnsafe('DROP TRIGGER "PermissionLogEntry_no_update"');
    await tx.$executeRawUnsafe('DROP TRIGGER "PermissionLogEntry_no_delete"');
  }
}

describe.each(DATABASE_KINDS)('the permissions log under tampering on %s', (kind) => {
  let database: TestDatabase;
  let prisma: Db;
  let chain: number;

  /** Tampers in a transaction, verifies inside it, and rolls it all back. */
  const verdictAfter = async (tamper: (tx: Tx) => Promise<void>, options: Parameters<typeof verifyLogChains>[1] = {}) => {
    let verification: Awaited<ReturnType<typeof verifyLogChains>> | undefined;
    await prisma
      .$transaction(async (tx) => {
        await disableTriggers(tx, kind);
        await tamper(tx);
        verification = await verifyLogChains(tx, options);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return verification!;
  };

  const entryAt = (tx: Tx | Db, sequence: number) => tx.permissionLogEntry.findFirstOrThrow({ where: { chain, sequence } });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.database.prisma;
    await ensurePermissionCatalog(prisma);
    const organization = await createOrganization(prisma, { name: 'Tamper County', customerNumber: '700700' });
    chain = organization.id;
    await addAdministrator(prisma, { customerNumber: '700700', slackUserId: 'U0TAMPERADM', displayName: 'Tess' });
    const admin = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'U0TAMPERADM' } });
    const now = new Date('2026-11-20T10:00:00.000Z');
    await prisma.$transaction((tx) =>
      appendLogEntries(
        tx,
        Array.from({ length: 8 }, (_, n) => ({
          organizationId: organization.id,
          actorId: admin.id,
          subjectEmail: `person${n}@example.com`,
          action: n % 2 === 0 ? LOG_ACTION.invitationSent : LOG_ACTION.invitationRevoked,
          before: n % 2 === 0 ? null : { permissions: ['esri_access'], note: 'ä "quoted" ✓' },
          after: { permissions: ['esri_access', 'e_learning'], startsOn: null, endsOn: '2027-01-31', nested: { z: 1, a: [2, 'b'] } },
          note: n === 3 ? 'for the audit' : null,
          createdAt: new Date(now.getTime() + n * 1000),
        })),
      ),
    );
  });
  afterAll(async () => {
    await database.drop();
  });

  it('finds the untouched log whole', async () => {
    const count = await prisma.permissionLogEntry.count({ where: { chain } });
    expect(count).toBeGreaterThanOrEqual(10);
    const verification = await verifyLogChains(database.database.sql);
    expect(verification.broken).toBeNull();
    expect(verification.entries).toBe(await prisma.permissionLogEntry.count());
    const head = await entryAt(prisma, count);
    expect(formatAnchor(verification.heads.get(chain)!)).toBe(`${count}:${head.hash}`);
    // The same through a Prisma transaction, which decodes rows its own way.
    expect((await verifyLogChains(prisma, { chains: [chain] })).broken).toBeNull();
  });

  it('names an UPDATE of one field at its entry', async () => {
    const verification = await verdictAfter(async (tx) => {
      await tx.$executeRawUnsafe(`UPDATE "PermissionLogEntry" SET "note" = 'nothing to see' WHERE "chain" = ${chain} AND "sequence" = 5`);
    });
    const entry = await entryAt(prisma, 5);
    expect(verification.broken).toEqual({ chain, sequence: 5, entryId: entry.id, reason: BREAK_REASON.hashMismatch });
  });

  it('names a DELETE of a row at its missing number', async () => {
    const verification = await verdictAfter(async (tx) => {
      await tx.$executeRawUnsafe(`DELETE FROM "PermissionLogEntry" WHERE "chain" = ${chain} AND "sequence" = 4`);
    });
    expect(verification.broken).toEqual({ chain, sequence: 4, entryId: null, reason: BREAK_REASON.gap });
    // The same when the entries after the gap are too many to hold back, and the chain is walked alone.
    const alone = await verdictAfter(
      async (tx) => {
        await tx.$executeRawUnsafe(`DELETE FROM "PermissionLogEntry" WHERE "chain" = ${chain} AND "sequence" = 4`);
      },
      { heldBackLimit: 1, batchSize: 3 },
    );
    expect(alone.broken).toEqual({ chain, sequence: 4, entryId: null, reason: BREAK_REASON.gap });
  });

  it("names a swap of two rows' contents at the first of them", async () => {
    const [third, seventh] = [await entryAt(prisma, 3), await entryAt(prisma, 7)];
    const verification = await verdictAfter(async (tx) => {
      const sql = sqlOf(tx);
      for (const [row, other] of [
        [third, seventh],
        [seventh, third],
      ] as const) {
        await sql.execute(
          sql.build
            .updateTable('PermissionLogEntry')
            .set({
              action: other.action,
              subjectEmail: other.subjectEmail,
              before: other.before === null ? null : JSON.stringify(other.before),
              after: other.after === null ? null : JSON.stringify(other.after),
              note: other.note,
            })
            .where('id', '=', row.id),
        );
      }
    });
    expect(verification.broken).toEqual({ chain, sequence: 3, entryId: third.id, reason: BREAK_REASON.hashMismatch });
  });

  it('names a row inserted between two, hashed and with the numbers after it shifted up, at its own number', async () => {
    const count = await prisma.permissionLogEntry.count({ where: { chain } });
    let insertedId = 0;
    const verification = await verdictAfter(async (tx) => {
      // From the end down, so that the unique (chain, sequence) index never sees two at once.
      for (let sequence = count; sequence >= 6; sequence -= 1) {
        await tx.$executeRawUnsafe(
          `UPDATE "PermissionLogEntry" SET "sequence" = ${sequence + 1} WHERE "chain" = ${chain} AND "sequence" = ${sequence}`,
        );
      }
      const before = await entryAt(tx, 5);
      const content = {
        chain,
        sequence: 6,
        previousHash: before.hash!,
        organizationId: chain,
        actorId: before.actorId,
        actorLabel: null,
        subjectMemberId: null,
        subjectEmail: 'backdoor@example.com',
        action: LOG_ACTION.invitationSent,
        before: null,
        after: { permissions: ['administrator'] },
        note: null,
        createdAt: before.createdAt,
      };
      const sql = sqlOf(tx);
      const [row] = await sql.rows(
        sql.build
          .insertInto('PermissionLogEntry')
          .values({ ...content, after: JSON.stringify(content.after), hash: entryHash(content), permissionKeys: '|administrator|' })
          .returning('id'),
      );
      insertedId = row!.id;
    });
    expect(verification.broken).toEqual({ chain, sequence: 6, entryId: insertedId, reason: BREAK_REASON.inserted });
  });

  it('names a row inserted by hand, without a place in the chain', async () => {
    let insertedId = 0;
    let verification: Awaited<ReturnType<typeof verifyLogChains>> | undefined;
    const everyChain = await verdictAfter(async (tx) => {
      insertedId = (await tx.permissionLogEntry.create({ data: { organizationId: chain, action: LOG_ACTION.invitationSent } })).id;
      verification = await verifyLogChains(tx, { chains: [chain] });
    });
    // Written without a chain, it lands in chain 0 (the column's default), yet it is about this organization.
    expect(verification!.broken).toEqual({ chain, sequence: null, entryId: insertedId, reason: BREAK_REASON.unchained });
    expect(everyChain.broken).toMatchObject({ sequence: null, entryId: insertedId, reason: BREAK_REASON.unchained });
  });

  it('catches a rewritten tail only with the posted anchor', async () => {
    const anchorEntry = await entryAt(prisma, 6);
    const anchor = { sequence: 6, hash: anchorEntry.hash! };
    let result: Awaited<ReturnType<typeof verifyLogChains>>[] = [];
    await prisma
      .$transaction(async (tx) => {
        await disableTriggers(tx, kind);
        // Rewrite entry 4 and re-hash it and everything after it, as an attacker who knows the encoding would.
        const rows = await tx.permissionLogEntry.findMany({ where: { chain, sequence: { gte: 4 } }, orderBy: { sequence: 'asc' } });
        let previousHash = (await entryAt(tx, 3)).hash!;
        const sql = sqlOf(tx);
        for (const row of rows) {
          const note = row.sequence === 4 ? 'rewritten' : row.note;
          const hash = entryHash({ ...row, sequence: row.sequence!, previousHash, note });
          await sql.execute(sql.build.updateTable('PermissionLogEntry').set({ note, previousHash, hash }).where('id', '=', row.id));
          previousHash = hash;
        }
        result = [await verifyLogChains(tx, { chains: [chain] }), await verifyLogChains(tx, { chains: [chain], anchor })];
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    expect(result[0]!.broken).toBeNull();
    expect(result[1]!.broken).toEqual({ chain, sequence: 6, entryId: anchorEntry.id, reason: BREAK_REASON.anchorMismatch });
    // And the untouched log matches the anchor.
    expect((await verifyLogChains(prisma, { chains: [chain], anchor })).broken).toBeNull();
  });
});
