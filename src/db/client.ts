import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresPrismaClient } from './generated/postgresql/client.js';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { createAdapterFactory } from './adapters.js';
import type { DatabaseTarget } from './database-url.js';
import { driverSqlDatabase, type SqlDatabase } from './sql.js';

/**
 * The one client type the app is written against. Both generated clients come from the same
 * models, so their APIs agree; the SQLite client's types stand for both.
 */
export type Db = SqlitePrismaClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * Transactions wait their turn rather than fail: SQLite runs one writer at a time, so a burst of
 * decisions queues up behind each other.
 */
export const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

export interface Database {
  prisma: Db;
  /** The same database for hand-written SQL on the hot paths, without the ORM's per-call cost. */
  sql: SqlDatabase;
  target: DatabaseTarget;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  poolSize?: number;
}

/** The factory, and the adapter it gave Prisma once Prisma has connected. */
function rememberingAdapter(factory: SqlMigrationAwareDriverAdapterFactory) {
  let connected: SqlDriverAdapter | undefined;
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => (connected = await factory.connect()),
      connectToShadowDb: () => factory.connectToShadowDb(),
    } satisfies SqlMigrationAwareDriverAdapterFactory,
    connected(): SqlDriverAdapter {
      if (!connected) throw new Error('Prisma has not connected to the database yet.');
      return connected;
    },
  };
}

export async function openDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<Database> {
  const remembered = rememberingAdapter(createAdapterFactory(target, options));
  const adapter = remembered.factory;
  const prisma =
    target.provider === 'sqlite'
      ? new SqlitePrismaClient({ adapter })
      : // The PostgreSQL client is generated from the same models; only its provider differs.
        (new PostgresPrismaClient({ adapter }) as unknown as Db);
  await prisma.$connect();
  if (target.provider === 'sqlite') {
    // WAL lets readers proceed while a writer commits; NORMAL sync is durable in WAL mode.
    await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await prisma.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  }
  return {
    prisma,
    // SQLite's connection is shared with Prisma, so its lock orders both kinds of transaction.
    sql: driverSqlDatabase(remembered.connected()),
    target,
    close: () => prisma.$disconnect(),
  };
}

/** True when the database answers a trivial query within the time a readiness probe allows. */
export async function databaseAnswers(prisma: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([prisma.$queryRawUnsafe('SELECT 1').then(() => true), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
