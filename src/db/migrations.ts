import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { createAdapterFactory } from './adapters.js';
import { backfillLogChain } from './log-chain-backfill.js';
import { DatabaseUnavailableError, describeDatabaseError, notMigratedMessage, withDatabaseCause } from './database-errors.js';
import type { DatabaseTarget } from './database-url.js';
import { MIGRATION_DIRS } from './paths.js';
import { openSchemaEngine } from './schema-engine.js';
import { driverSqlDatabase } from './sql.js';

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** The committed migration folders in Prisma's standard layout, read the way `prisma migrate` reads them. */
export function readMigrationList(migrationsDir: string): MigrationList {
  const lockfilePath = path.join(migrationsDir, 'migration_lock.toml');
  const folders = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockfilePath) ? readFileSync(lockfilePath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: folders.map((folder) => {
      const sqlPath = path.join(migrationsDir, folder, 'migration.sql');
      return {
        path: folder,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(sqlPath)
            ? { tag: 'ok', value: readFileSync(sqlPath, 'utf8') }
            : { tag: 'error', value: `${sqlPath} is missing` },
        },
      };
    }),
  };
}

/** The columns Gatehouse reads of the table in which Prisma's schema engine records applied migrations. */
interface PrismaMigrationsTable {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Names of the committed migrations the database has not finished applying. */
export async function pendingMigrations(target: DatabaseTarget): Promise<string[]> {
  const committed = readMigrationList(MIGRATION_DIRS[target.provider]).migrationDirectories.map((entry) => entry.path);
  const adapter = await withDatabaseCause(target, () => createAdapterFactory(target, { poolSize: 1 }).connect());
  try {
    const sql = driverSqlDatabase(adapter);
    const applied = await sql.rows(
      sql.build
        .withTables<{ _prisma_migrations: PrismaMigrationsTable }>()
        .selectFrom('_prisma_migrations')
        .select('migration_name')
        .where('finished_at', 'is not', null)
        .where('rolled_back_at', 'is', null),
    );
    const done = new Set(applied.map((row) => row.migration_name));
    return committed.filter((name) => !done.has(name));
  } catch (error) {
    // No migrations table yet: nothing has been applied. Anything else (an unreachable server, a
    // refused login) is not a database waiting for its migrations, and is reported as what it is.
    if (isMissingTable(error)) return committed;
    const described = describeDatabaseError(error, target);
    throw described === undefined ? error : new DatabaseUnavailableError(described, { cause: error });
  } finally {
    await adapter.dispose();
  }
}

function isMissingTable(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'DriverAdapterError' &&
    typeof error.cause === 'object' &&
    error.cause !== null &&
    'kind' in error.cause &&
    error.cause.kind === 'TableDoesNotExist'
  );
}

/** Refuses a database that lacks committed migrations, naming them and the command that applies them. */
export async function assertMigrated(target: DatabaseTarget): Promise<void> {
  const pending = await pendingMigrations(target);
  if (pending.length > 0) throw new DatabaseUnavailableError(notMigratedMessage(pending));
}

/**
 * Applies the committed migrations that the database has not had yet and returns their names,
 * then chains any permissions log entries written before the hash chain (src/db/log-chain-backfill.ts).
 * When none are pending the engine is not started: it locks an SQLite database exclusively,
 * which would fail while the app holds it open.
 * The engine records them in `_prisma_migrations`, as `prisma migrate deploy` does, and takes
 * PostgreSQL's migration advisory lock, so replicas starting together apply each migration once.
 */
export async function applyPendingMigrations(target: DatabaseTarget): Promise<string[]> {
  const applied = (await pendingMigrations(target)).length === 0 ? [] : await applyWithEngine(target);
  // Also when nothing was pending: a backfill cut short (a crash, a replica stopped) is finished here.
  await chainOlderLogEntries(target);
  return applied;
}

async function applyWithEngine(target: DatabaseTarget): Promise<string[]> {
  const { engine, logs, close } = await openSchemaEngine(createAdapterFactory(target, { poolSize: 1 }));
  try {
    const result = await engine.applyMigrations({
      migrationsList: readMigrationList(MIGRATION_DIRS[target.provider]),
      filters: NO_FILTERS,
    });
    return result.appliedMigrationNames;
  } catch (error) {
    throw new Error(`Migrating the database failed: ${describeEngineError(error)}${logs.length ? `\n${logs.join('\n')}` : ''}`, {
      cause: error,
    });
  } finally {
    await close();
  }
}

/** Runs the log chain's backfill on a connection of its own, once the schema has the chain's columns. */
async function chainOlderLogEntries(target: DatabaseTarget): Promise<number> {
  const adapter = await withDatabaseCause(target, () => createAdapterFactory(target, { poolSize: 1 }).connect());
  try {
    return await backfillLogChain(driverSqlDatabase(adapter));
  } finally {
    await adapter.dispose();
  }
}

function describeEngineError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
