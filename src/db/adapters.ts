import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { IsolationLevel, SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
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
    return reusingStatements(new PrismaBetterSqlite3({ url: target.filePath, timeout: SQLITE_BUSY_TIMEOUT_MS }));
  }
  return new PrismaPg({ connectionString: target.url, max: options.poolSize ?? 10 });
}

/** How many distinct SQL texts keep their compiled statement; Prisma's texts vary little. */
const STATEMENT_CACHE_SIZE = 500;

const columnsOf = new WeakMap<BetterSqlite3.Statement, BetterSqlite3.ColumnDefinition[]>();

/**
 * A compiled statement shared by every execution of the same SQL text. The adapter binds
 * parameters to a statement for good (better-sqlite3 allows that once), so each use gets its own
 * binding here and passes the parameters to the shared statement when it runs.
 */
class ReusedStatement {
  constructor(
    private readonly statement: BetterSqlite3.Statement,
    private readonly parameters: unknown[] = [],
  ) {}

  get reader(): boolean {
    return this.statement.reader;
  }

  bind(...parameters: unknown[]): ReusedStatement {
    return new ReusedStatement(this.statement, parameters);
  }

  columns() {
    // A statement's columns are fixed once it is compiled, and asking SQLite for them is not cheap.
    let columns = columnsOf.get(this.statement);
    if (!columns) {
      columns = this.statement.columns();
      columnsOf.set(this.statement, columns);
    }
    return columns;
  }

  raw(toggle = true): this {
    this.statement.raw(toggle);
    return this;
  }

  run() {
    return this.statement.run(...this.parameters);
  }

  all() {
    return this.statement.all(...this.parameters);
  }
}

/**
 * The better-sqlite3 adapter compiles every statement afresh, which was the largest single cost of
 * a decision. Its connections get a `prepare` that compiles each SQL text once.
 *
 * Transactions also begin IMMEDIATE rather than DEFERRED. Within a process the adapter runs one
 * transaction at a time, but another process (the CLI beside the server) may write to the same
 * file; a deferred transaction that read first then cannot upgrade to a write and fails, whereas an
 * immediate one waits for the lock up to the busy timeout.
 */
function reusingStatements(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const withCache = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    // The adapter keeps its better-sqlite3 handle in a public field that its types do not declare.
    const database = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    const compile = database.prepare.bind(database);
    const statements = new Map<string, BetterSqlite3.Statement>();
    const prepare = (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statement = compile(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql);
        statements.set(sql, statement);
      }
      return new ReusedStatement(statement);
    };
    Object.assign(database, { prepare });
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => isolatingTransactions(withCache(await factory.connect())),
    connectToShadowDb: async () => isolatingTransactions(withCache(await factory.connectToShadowDb())),
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
