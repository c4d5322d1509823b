import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { createAdapterFactory } from './adapters.js';
import type { DatabaseTarget } from './database-url.js';
import { MIGRATION_DIRS } from './paths.js';
import { openSchemaEngine } from './schema-engine.js';

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

/**
 * Applies the committed migrations that the database has not had yet and returns their names.
 * The engine records them in `_prisma_migrations`, as `prisma migrate deploy` does, and takes
 * PostgreSQL's migration advisory lock, so replicas starting together apply each migration once.
 */
export async function applyPendingMigrations(target: DatabaseTarget): Promise<string[]> {
  const { engine, logs, close } = await openSchemaEngine(createAdapterFactory(target, { poolSize: 1 }));
  try {
    const result = await engine.applyMigrations({
      migrationsList: readMigrationList(MIGRATION_DIRS[target.provider]),
      filters: NO_FILTERS,
    });
    return result.appliedMigrationNames;
  } catch (error) {
    throw new Error(`Migrating the database failed: ${describeEngineError(error)}${logs.length ? `\n${logs.join('\n')}` : ''}`);
  } finally {
    await close();
  }
}

export function describeEngineError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
