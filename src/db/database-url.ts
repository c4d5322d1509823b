import path from 'node:path';

export type DatabaseTarget =
  | { provider: 'sqlite'; url: string; filePath: string }
  | { provider: 'postgresql'; url: string };

/** `file:` URLs name an SQLite file (relative to the working directory); `postgresql://` a server. */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url };
  if (url.startsWith('file:')) {
    const filePart = url.slice('file:'.length).replace(/\?.*$/, '');
    if (filePart === '') throw new Error('DATABASE_URL file: needs a path, e.g. file:./data/gatehouse.db');
    if (filePart === ':memory:') return { provider: 'sqlite', url, filePath: ':memory:' };
    return { provider: 'sqlite', url, filePath: path.resolve(cwd, filePart) };
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
