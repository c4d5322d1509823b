import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SCHEMA_FILES } from '../paths.js';

const DERIVED_HEADER = '// Derived from ../schema.prisma by `npm run db:schema`. Do not edit: change ../schema.prisma instead.\n';

/** The Kysely types come from the source schema alone: both databases share them. */
const KYSELY_GENERATOR = /^(\/\/.*\n)*generator kysely \{[^}]*\}\n\n?/m;

/**
 * The PostgreSQL schema text: the SQLite source with its provider and client output swapped, and
 * without the Kysely generator.
 */
export function derivePostgresSchema(sqliteSchema: string): string {
  const withoutSourceHeader = sqliteSchema.replace(/^(\/\/.*\n)+\n?/, '').replace(KYSELY_GENERATOR, '');
  const swapped = withoutSourceHeader
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=\s*"\.\.\/src\/db\/generated\/sqlite"/, 'output$1= "../../src/db/generated/postgresql"');
  if (!swapped.includes('"postgresql"') || !swapped.includes('generated/postgresql')) {
    throw new Error('prisma/schema.prisma no longer has the datasource or generator lines this script rewrites');
  }
  return DERIVED_HEADER + swapped;
}

export function writePostgresSchema(): string {
  const derived = derivePostgresSchema(readFileSync(SCHEMA_FILES.sqlite, 'utf8'));
  mkdirSync(path.dirname(SCHEMA_FILES.postgresql), { recursive: true });
  writeFileSync(SCHEMA_FILES.postgresql, derived);
  return SCHEMA_FILES.postgresql;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`wrote ${path.relative(process.cwd(), writePostgresSchema())}`);
}
