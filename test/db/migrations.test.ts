import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';
import { MIGRATION_DIRS, SCHEMA_FILES } from '../../src/db/paths.js';
import { derivePostgresSchema } from '../../src/db/dev/derive-postgres-schema.js';
import { diffMigrationsToSchema, isEmptyMigration } from '../../src/db/dev/schema-diff.js';
import { createEmptyDatabase, DATABASE_KINDS, type EmptyDatabase } from '../support/databases.js';

const committedMigrations = (kind: keyof typeof MIGRATION_DIRS) =>
  readdirSync(MIGRATION_DIRS[kind], { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe('the PostgreSQL schema', () => {
  it('is the SQLite schema with only its provider and client output changed', () => {
    const derived = derivePostgresSchema(readFileSync(SCHEMA_FILES.sqlite, 'utf8'));
    expect(readFileSync(SCHEMA_FILES.postgresql, 'utf8')).toBe(derived);
  });

  it('has the same migration folders as SQLite', () => {
    expect(committedMigrations('postgresql')).toEqual(committedMigrations('sqlite'));
  });
});

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  const databases: EmptyDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });
  const emptyDatabase = async () => {
    const database = await createEmptyDatabase(kind);
    databases.push(database);
    return database;
  };

  it('apply every committed migration to an empty database, and a second run changes nothing', async () => {
    const { target } = await emptyDatabase();
    expect(await applyPendingMigrations(target)).toEqual(committedMigrations(kind));
    expect(await applyPendingMigrations(target)).toEqual([]);

    const { prisma, close } = await openDatabase(target);
    try {
      const recorded = await prisma.$queryRawUnsafe<Array<{ migration_name: string; finished_at: unknown }>>(
        'SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(recorded.map((row) => row.migration_name)).toEqual(committedMigrations(kind));
      expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
      expect(await prisma.organization.count()).toBe(0);
    } finally {
      await close();
    }
  });

  it('leave the database exactly as prisma/schema.prisma describes it', async () => {
    const shadow = kind === 'postgresql' ? (await emptyDatabase()).url : undefined;
    const drift = await diffMigrationsToSchema(kind, shadow);
    expect(isEmptyMigration(drift), drift).toBe(true);
  });

  it('make the permissions log append-only', async () => {
    const { target } = await emptyDatabase();
    await applyPendingMigrations(target);
    const { prisma, close } = await openDatabase(target);
    try {
      const entry = await prisma.permissionLogEntry.create({
        data: { action: 'organization.created', actorLabel: 'operator', after: { name: 'Acme' } },
      });
      await expect(prisma.permissionLogEntry.update({ where: { id: entry.id }, data: { note: 'rewritten' } })).rejects.toThrow();
      await expect(prisma.permissionLogEntry.delete({ where: { id: entry.id } })).rejects.toThrow();
      await expect(prisma.permissionLogEntry.deleteMany({})).rejects.toThrow();
      const stored = await prisma.permissionLogEntry.findUniqueOrThrow({ where: { id: entry.id } });
      expect(stored.note).toBeNull();
      expect(stored.after).toEqual({ name: 'Acme' });
    } finally {
      await close();
    }
  });
});
