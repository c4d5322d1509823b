import path from 'node:path';
import { PROJECT_ROOT } from './paths.js';

export type DatabaseTarget = { provider: 'sqlite'; url: string; filePath: string } | { provider: 'postgresql'; url: string };

/**
 * `file:` URLs name an SQLite file, a relative one relative to the project root (where `.env` is),
 * not to wherever a command happens to run; `postgresql://` URLs name a server.
 */
export function parseDatabaseUrl(url: string, projectRoot = PROJECT_ROOT): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url };
  if (url.startsWith('file:')) {
    const filePart = url.slice('file:'.length).replace(/\?.*$/, '');
    if (filePart === '') throw new Error('DATABASE_URL file: needs a path, e.g. file:./data/gatehouse.db');
    if (filePart === ':memory:') return { provider: 'sqlite', url, filePath: ':memory:' };
    return { provider: 'sqlite', url, filePath: path.resolve(projectRoot, filePart) };
  }
  throw new Error('DATABASE_URL must start with postgresql:// or file:');
}

/** The URL with any password replaced, safe to log. */
export function describeDatabase(target: DatabaseTarget): string {
  if (target.provider === 'sqlite') return `sqlite:${target.filePath}`;
  const parsed = new URL(target.url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
