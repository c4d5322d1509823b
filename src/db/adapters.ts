import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DatabaseTarget } from './database-url.js';

/** How long an SQLite writer waits for another writer's lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export interface AdapterOptions {
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

export function createAdapterFactory(
  target: DatabaseTarget,
  options: AdapterOptions = {},
): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === 'sqlite') {
    if (target.filePath !== ':memory:') mkdirSync(path.dirname(target.filePath), { recursive: true });
    return new PrismaBetterSqlite3({ url: target.filePath, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }
  return new PrismaPg({ connectionString: target.url, max: options.poolSize ?? 10 });
}
