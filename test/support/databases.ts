import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../../src/db/database-url.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';

export const DATABASE_KINDS = ['sqlite', 'postgresql'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

export interface EmptyDatabase {
  url: string;
  target: DatabaseTarget;
  drop(): Promise<void>;
}

function postgresUrl(database: string): string {
  return `postgresql://postgres@127.0.0.1:${inject('postgresPort')}/${database}`;
}

async function onPostgres(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database of the given kind, with nothing applied to it. */
export async function createEmptyDatabase(kind: DatabaseKind): Promise<EmptyDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    const url = `file:${path.join(dir, 'gatehouse.db')}`;
    return { url, target: parseDatabaseUrl(url), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `test_${randomBytes(6).toString('hex')}`;
  await onPostgres(`CREATE DATABASE ${name}`);
  const url = postgresUrl(name);
  return { url, target: parseDatabaseUrl(url), drop: () => onPostgres(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export interface TestDatabase extends EmptyDatabase {
  database: Database;
}

/** A migrated database, opened; `drop` closes and deletes it. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const empty = await createEmptyDatabase(kind);
  await applyPendingMigrations(empty.target);
  const database = await openDatabase(empty.target);
  return {
    ...empty,
    database,
    async drop() {
      await database.close();
      await empty.drop();
    },
  };
}
