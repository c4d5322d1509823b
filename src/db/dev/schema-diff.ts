import { readFileSync } from 'node:fs';
import type { DiffTarget } from '@prisma/schema-engine-wasm';
import { createAdapterFactory } from '../adapters.js';
import { parseDatabaseUrl } from '../database-url.js';
import { readMigrationList } from '../migrations.js';
import { MIGRATION_DIRS, SCHEMA_FILES } from '../paths.js';
import { openSchemaEngine } from '../schema-engine.js';
import { startPostgres } from '../../sandbox/postgres-server.js';

export type Provider = keyof typeof MIGRATION_DIRS;

/**
 * The SQL that would bring a database built from the committed migrations up to the schema file,
 * as `prisma migrate diff` prints it. The migrations are replayed in a shadow database: an
 * in-memory SQLite one, or for PostgreSQL `shadowUrl` when given, else a throwaway local server.
 */
export async function diffMigrationsToSchema(provider: Provider, shadowUrl?: string): Promise<string> {
  const migrations = readMigrationList(MIGRATION_DIRS[provider]);
  const schemaPath = SCHEMA_FILES[provider];
  const to: DiffTarget = {
    tag: 'schemaDatamodel',
    files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }],
  };
  const from: DiffTarget = migrations.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...migrations };
  const throwawayServer = provider === 'postgresql' && !shadowUrl ? await startPostgres() : undefined;
  try {
    const url = provider === 'sqlite' ? 'file::memory:' : (shadowUrl ?? (await throwawayServer!.createDatabase('shadow')));
    const { engine, close } = await openSchemaEngine(createAdapterFactory(parseDatabaseUrl(url)));
    try {
      const result = await engine.diff({
        from,
        to,
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      return result.stdout ?? '';
    } finally {
      await close();
    }
  } finally {
    await throwawayServer?.stop();
  }
}

/** True when a diff script holds no statements, only Prisma's comments. */
export function isEmptyMigration(sql: string): boolean {
  return sql.replace(/--.*$/gm, '').trim() === '';
}
