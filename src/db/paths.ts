import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The checkout's root, found from this file so commands work from any working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const PRISMA_DIR = path.join(PROJECT_ROOT, 'prisma');

export const SCHEMA_FILES = {
  sqlite: path.join(PRISMA_DIR, 'schema.prisma'),
  postgresql: path.join(PRISMA_DIR, 'postgresql', 'schema.prisma'),
} as const;

export const MIGRATION_DIRS = {
  sqlite: path.join(PRISMA_DIR, 'migrations'),
  postgresql: path.join(PRISMA_DIR, 'postgresql', 'migrations'),
} as const;
