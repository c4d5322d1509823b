import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { DatabaseTarget } from './database-url.js';
import { reuseCompiledStatements } from './prisma-internals.js';

/** How long an SQLite writer waits for another writer's lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export interface AdapterOptions {
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

export function createAdapterFactory(target: DatabaseTarget, options: AdapterOptions = {}): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === 'sqlite') {
    if (target.filePath !== ':memory:') mkdirSync(path.dirname(target.filePath), { recursive: true });
    return reusingStatements(new PrismaBetterSqlite3({ url: target.filePath, timeout: SQLITE_BUSY_TIMEOUT_MS }));
  }
  return new PrismaPg({ connectionString: target.url, max: options.poolSize ?? 10 });
}

/**
 * The SQLite adapter's connections compile each SQL text once and begin transactions IMMEDIATE;
 * src/db/prisma-internals.ts says how and why.
 */
function reusingStatements(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => isolatingTransactions(reuseCompiledStatements(await factory.connect())),
    connectToShadowDb: async () => isolatingTransactions(reuseCompiledStatements(await factory.connectToShadowDb())),
  };
}

/**
 * The SQLite adapter has one connection, and runs a statement made outside any transaction on it
 * straight away, even while someone else's transaction is open there. Such a write would become
 * part of that transaction and vanish if it rolled back, and such a read would see changes that
 * were never committed. Here those statements wait until the open transaction has ended, which is
 * what they would get from PostgreSQL's separate connections.
 */
function isolatingTransactions(adapter: SqlDriverAdapter): SqlDriverAdapter {
  let openTransaction: Promise<void> | null = null;
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  // Each check of openTransaction is followed by its use with no await in between, so two
  // waiters woken together cannot both go ahead.
  Object.assign(adapter, {
    queryRaw: async (query: SqlQuery) => {
      while (openTransaction) await openTransaction;
      return queryRaw(query);
    },
    executeRaw: async (query: SqlQuery) => {
      while (openTransaction) await openTransaction;
      return executeRaw(query);
    },
    startTransaction: async (isolationLevel?: IsolationLevel): Promise<Transaction> => {
      while (openTransaction) await openTransaction;
      let ended!: () => void;
      openTransaction = new Promise((resolve) => (ended = resolve));
      const end = () => {
        openTransaction = null;
        ended();
      };
      let transaction: Transaction;
      try {
        transaction = await startTransaction(isolationLevel);
      } catch (error) {
        end();
        throw error;
      }
      const commit = transaction.commit.bind(transaction);
      const rollback = transaction.rollback.bind(transaction);
      return Object.assign(transaction, {
        commit: () => commit().finally(end),
        rollback: () => rollback().finally(end),
      });
    },
  });
  return adapter;
}
