// prisma.config.ts, loaded the way the Prisma CLI loads it (its own loader, @prisma/config), and
// by the CLI itself. `prisma migrate deploy` cannot run here (it downloads its schema engine), so
// this checks what it would be given: the schema, the migrations and the database URL.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfigFromFile } from '@prisma/config';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/paths.js';

const POSTGRES_URL = 'postgresql://gatehouse:secret@db.internal:5432/gatehouse';
const savedUrl = process.env.DATABASE_URL;

async function configWith(databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl;
  const loaded = await loadConfigFromFile({ configRoot: PROJECT_ROOT });
  if (loaded.error) throw new Error(`prisma.config.ts did not load: ${JSON.stringify(loaded.error)}`);
  return loaded;
}

function committedMigrations(folder: string): string[] {
  return readdirSync(folder).filter((entry) => existsSync(path.join(folder, entry, 'migration.sql')));
}

afterEach(() => {
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
});

describe('prisma.config.ts', () => {
  it('points a PostgreSQL DATABASE_URL at the PostgreSQL schema and its committed migrations', async () => {
    const { resolvedPath, config } = await configWith(POSTGRES_URL);
    expect(resolvedPath).toBe(path.join(PROJECT_ROOT, 'prisma.config.ts'));
    expect(config.schema).toBe(path.join(PROJECT_ROOT, 'prisma/postgresql/schema.prisma'));
    expect(config.migrations?.path).toBe(path.join(PROJECT_ROOT, 'prisma/postgresql/migrations'));
    expect(config.datasource?.url).toBe(POSTGRES_URL);
    expect(existsSync(config.schema!)).toBe(true);
    expect(existsSync(path.join(config.migrations!.path!, 'migration_lock.toml'))).toBe(true);
    expect(committedMigrations(config.migrations!.path!)).toEqual(committedMigrations(path.join(PROJECT_ROOT, 'prisma/migrations')));
  });

  it('points a SQLite DATABASE_URL at the SQLite schema, and a relative file at the project root as the app does', async () => {
    const { config } = await configWith('file:./data/gatehouse.db');
    expect(config.schema).toBe(path.join(PROJECT_ROOT, 'prisma/schema.prisma'));
    expect(config.migrations?.path).toBe(path.join(PROJECT_ROOT, 'prisma/migrations'));
    expect(config.datasource?.url).toBe(`file:${path.join(PROJECT_ROOT, 'data/gatehouse.db')}`);
    expect(existsSync(path.join(config.migrations!.path!, 'migration_lock.toml'))).toBe(true);
  });

  it("refuses a DATABASE_URL the app would refuse, with the app's message", async () => {
    process.env.DATABASE_URL = 'mysql://localhost/gatehouse';
    const loaded = await loadConfigFromFile({ configRoot: PROJECT_ROOT });
    expect(loaded.error?._tag).toBe('ConfigLoadError');
    expect(loaded.error && 'error' in loaded.error ? loaded.error.error.message : '').toContain(
      'DATABASE_URL must start with postgresql://',
    );
  });

  it('is what the Prisma CLI loads, with the schema given on its command line as the README says', () => {
    const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
    const result = spawnSync(process.execPath, [prismaCli, 'validate', '--schema', 'prisma/postgresql/schema.prisma'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: POSTGRES_URL,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        // The CLI insists that a schema engine binary exists before it validates (it cannot download
        // one here), though validating does not run it; src/db/dev/generate-clients.ts does the same.
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      },
    });
    expect(result.stderr + result.stdout).toContain('Loaded Prisma config from prisma.config.ts');
    expect(result.stdout + result.stderr).toContain('The schema at prisma/postgresql/schema.prisma is valid');
    expect(result.status).toBe(0);
  });
});
