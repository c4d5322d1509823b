// Entries written before the hash chain existed are chained by the migration runner: a database
// migrated up to just before the chain's migration gets entries the old way, then `db migrate`
// applies the rest and chains them, per organization, in the order they were written.
import { afterEach, describe, expect, it } from 'vitest';
import { createAdapterFactory } from '../../src/db/adapters.js';
import { openDatabase } from '../../src/db/client.js';
import { verifyLogChains } from '../../src/db/log-verify.js';
import { applyPendingMigrations, readMigrationList } from '../../src/db/migrations.js';
import { MIGRATION_DIRS } from '../../src/db/paths.js';
import type { Sql } from '../../src/db/sql.js';
import { openSchemaEngine } from '../../src/db/schema-engine.js';
import { GENESIS_HASH, NO_ORGANIZATION_CHAIN } from '../../src/domain/log-chain.js';
import { createEmptyDatabase, DATABASE_KINDS, type EmptyDatabase } from '../support/databases.js';

const CHAIN_MIGRATION = '20261202101012_permissions_log_chain';

/** Applies only the migrations before the chain's, as a database of the previous release has them. */
async function migrateToBeforeTheChain(database: EmptyDatabase) {
  const provider = database.target.provider;
  const list = readMigrationList(MIGRATION_DIRS[provider]);
  const { engine, close } = await openSchemaEngine(createAdapterFactory(database.target, { poolSize: 1 }));
  try {
    await engine.applyMigrations({
      migrationsList: { ...list, migrationDirectories: list.migrationDirectories.filter((entry) => entry.path < CHAIN_MIGRATION) },
      filters: { externalTables: [], externalEnums: [] },
    });
  } finally {
    await close();
  }
}

/** An entry as the previous release wrote it: the table has no chain columns yet, so the current client cannot. */
async function oldEntry(
  sql: Sql,
  entry: {
    organizationId: number | null;
    action: string;
    createdAt: Date;
    actorLabel?: string;
    before?: unknown;
    after?: unknown;
    note?: string;
  },
): Promise<number> {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const [row] = await sql.rows(
    sql.build
      .insertInto('PermissionLogEntry')
      .values({
        organizationId: entry.organizationId,
        action: entry.action,
        createdAt: entry.createdAt,
        actorLabel: entry.actorLabel ?? null,
        before: json(entry.before),
        after: json(entry.after),
        note: entry.note ?? null,
      })
      .returning('id'),
  );
  return row!.id;
}

describe.each(DATABASE_KINDS)('the log chain backfill on %s', (kind) => {
  let database: EmptyDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
  });

  it('chains the older entries of each organization in createdAt, id order, once, and new entries follow them', async () => {
    database = await createEmptyDatabase(kind);
    await migrateToBeforeTheChain(database);
    const old = await openDatabase(database.target);
    const day = (n: number) => new Date(Date.UTC(2026, 5, n, 9, 30, 0, 123));
    let ids: { north: number; south: number; entries: number[] };
    try {
      const { prisma } = old;
      const north = await prisma.organization.create({ data: { name: 'North', customerNumber: '810001', searchText: 'north' } });
      const south = await prisma.organization.create({ data: { name: 'South', customerNumber: '810002', searchText: 'south' } });
      // Written out of date order, with two at the same instant (ordered by id), one about no organization.
      const written = [
        { organizationId: north.id, action: 'organization.created', createdAt: day(1), after: { name: 'North', zone: 'UTC' } },
        {
          organizationId: north.id,
          action: 'connection.permissions_changed',
          createdAt: day(5),
          before: { permissions: ['esri_access'] },
          after: { permissions: ['e_learning'] },
        },
        { organizationId: north.id, action: 'connection.created', createdAt: day(3), after: { permissions: ['esri_access'], tags: [] } },
        { organizationId: south.id, action: 'organization.created', createdAt: day(2), after: { name: 'South' } },
        { organizationId: north.id, action: 'connection.created', createdAt: day(3), note: 'same instant, later id' },
        { organizationId: null, action: 'request.triaged', createdAt: day(4), actorLabel: 'operator' },
      ];
      const entries: number[] = [];
      for (const data of written) entries.push(await oldEntry(old.sql, data));
      ids = { north: north.id, south: south.id, entries };
    } finally {
      await old.close();
    }

    // The chain's migration and those after it; the backfill runs once they are applied.
    expect((await applyPendingMigrations(database.target))[0]).toBe(CHAIN_MIGRATION);
    const { prisma, sql, close } = await openDatabase(database.target);
    try {
      const chained = await prisma.permissionLogEntry.findMany({ orderBy: [{ chain: 'asc' }, { sequence: 'asc' }] });
      const [a, b, c, d, e, f] = ids.entries;
      expect(chained.map((entry) => [entry.id, entry.chain, entry.sequence])).toEqual([
        [f, NO_ORGANIZATION_CHAIN, 1],
        [a, ids.north, 1],
        [c, ids.north, 2],
        [e, ids.north, 3],
        [b, ids.north, 4],
        [d, ids.south, 1],
      ]);
      expect(chained.filter((entry) => entry.sequence === 1).every((entry) => entry.previousHash === GENESIS_HASH)).toBe(true);
      expect(chained.find((entry) => entry.id === b)).toMatchObject({ permissionKeys: '|e_learning|esri_access|', aboutCaller: false });
      // Entry b was written before c and e but is chained after them: the whole-log walk holds it
      // back until its turn, or, past its limit, walks the chain again alone.
      const verification = await verifyLogChains(sql);
      expect(verification).toMatchObject({ broken: null, entries: 6, chains: 3 });
      expect(await verifyLogChains(sql, { heldBackLimit: 0 })).toMatchObject({ broken: null, entries: 6, chains: 3 });
      expect(await verifyLogChains(sql, { batchSize: 2 })).toMatchObject({ broken: null, entries: 6, chains: 3 });

      // Chained once: migrating again changes nothing, and the triggers refuse any change to a chained entry.
      const before = JSON.stringify(chained);
      expect(await applyPendingMigrations(database.target)).toEqual([]);
      expect(JSON.stringify(await prisma.permissionLogEntry.findMany({ orderBy: [{ chain: 'asc' }, { sequence: 'asc' }] }))).toBe(before);
      await expect(prisma.permissionLogEntry.update({ where: { id: a! }, data: { sequence: 9 } })).rejects.toThrow();

      // New entries go on from the backfilled head.
      const { appendChained } = await import('../../src/db/permission-log.js');
      const next = await prisma.$transaction((tx) =>
        appendChained(tx, {
          organizationId: ids.north,
          actorLabel: 'operator',
          action: 'organization.channels_changed',
          createdAt: day(9),
        }),
      );
      expect(next.sequence).toBe(5);
      expect((await verifyLogChains(sql, { chains: [ids.north] })).broken).toBeNull();
    } finally {
      await close();
    }
  });

  it('finishes a backfill that was cut short, at the next migration run', async () => {
    database = await createEmptyDatabase(kind);
    await migrateToBeforeTheChain(database);
    const old = await openDatabase(database.target);
    try {
      const organization = await old.prisma.organization.create({ data: { name: 'West', customerNumber: '810003', searchText: 'west' } });
      for (let n = 0; n < 25; n += 1) {
        await oldEntry(old.sql, {
          organizationId: organization.id,
          action: 'connection.created',
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)),
        });
      }
    } finally {
      await old.close();
    }
    // The chain's migration applied by the engine alone, as if the process stopped before the backfill.
    const list = readMigrationList(MIGRATION_DIRS[database.target.provider]);
    const { engine, close: closeEngine } = await openSchemaEngine(createAdapterFactory(database.target, { poolSize: 1 }));
    try {
      await engine.applyMigrations({ migrationsList: list, filters: { externalTables: [], externalEnums: [] } });
    } finally {
      await closeEngine();
    }
    const { prisma, sql, close } = await openDatabase(database.target);
    try {
      expect(await prisma.permissionLogEntry.count({ where: { sequence: null } })).toBe(25);
      expect(await applyPendingMigrations(database.target)).toEqual([]);
      expect(await prisma.permissionLogEntry.count({ where: { sequence: null } })).toBe(0);
      expect(await verifyLogChains(sql)).toMatchObject({ broken: null, entries: 25, chains: 1 });
    } finally {
      await close();
    }
  });
});
