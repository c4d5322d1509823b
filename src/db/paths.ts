import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The checkout's root: the nearest folder above this file with a package.json. Found by walking
 * up, so it is the same whether this runs from src/ through tsx or from the compiled dist/src/.
 */
function projectRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('Gatehouse could not find its package.json above its own files.');
    folder = parent;
  }
  return folder;
}

export const PROJECT_ROOT = projectRoot();

export const PRISMA_DIR = path.join(PROJECT_ROOT, 'prisma');

export const SCHEMA_FILES = {
  sqlite: path.join(PRISMA_DIR, 'schema.prisma'),
  postgresql: path.join(PRISMA_DIR, 'postgresql', 'schema.prisma'),
} as const;

export const MIGRATION_DIRS = {
  sqlite: path.join(PRISMA_DIR, 'migrations'),
  postgresql: path.join(PRISMA_DIR, 'postgresql', 'migrations'),
} as const;
