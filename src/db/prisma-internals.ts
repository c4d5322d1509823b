import { readFile } from 'node:fs/promises';
import type { SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import type * as SchemaEngineExports from '@prisma/schema-engine-wasm';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool } from 'pg';
import type { SqlProvider } from './query-builder.js';

/*
 * Every place where Gatehouse relies on what Prisma, its driver adapters or its WASM schema engine
 * do without promising it. Each workaround says why it exists and what it assumes, and
 * test/db/prisma-internals.test.ts checks each assumption against the installed packages, so a
 * Prisma upgrade that changes one fails there by name rather than somewhere far away.
 *
 * Checked against Prisma 7.10.0 (@prisma/adapter-better-sqlite3, @prisma/adapter-pg,
 * @prisma/schema-engine-wasm of the same release).
 */

// ---------------------------------------------------------------------------------------------
// 1. The Prisma client's provider (`_activeProvider`).
//
// Hand-written SQL that runs inside a Prisma transaction must be built in that database's dialect,
// and a transaction client does not say which database it talks to. Every generated client, and
// each transaction client made from it, carries its schema's provider in `_activeProvider`, which
// the generated types do not declare. Prisma removed and restored run-time access to the provider
// before (https://github.com/prisma/orm/pull/17455); if it goes, the test names it.
// ---------------------------------------------------------------------------------------------

export function prismaProviderOf(client: object): SqlProvider {
  const { _activeProvider: provider } = client as { _activeProvider?: string };
  if (provider === 'sqlite') return 'sqlite';
  if (provider === 'postgresql') return 'postgres';
  throw new Error(`Gatehouse does not run on the database provider ${String(provider)}.`);
}

// ---------------------------------------------------------------------------------------------
// 2. Who ends a driver adapter's transaction (`usePhantomQuery`).
//
// src/db/sql.ts runs its own transactions on the adapter, as Prisma's transaction manager does.
// The adapter's `startTransaction` sends BEGIN; `commit()` and `rollback()` only release the
// connection or lock. Whether the manager must send COMMIT/ROLLBACK itself is the transaction's
// `options.usePhantomQuery`: false means it must (both adapters say false today). The flag is
// declared but its meaning is documented only by Prisma's own transaction manager.
// ---------------------------------------------------------------------------------------------

export function transactionEndsWithStatement(transaction: Transaction): boolean {
  return !transaction.options.usePhantomQuery;
}

// ---------------------------------------------------------------------------------------------
// 3. The better-sqlite3 adapter's connection (`adapter.client`) and its `prepare`.
//
// The adapter compiles every statement afresh (`client.prepare(sql).bind(args)`, then `run()` or
// `raw().all()` and `columns()`), which was the largest single cost of a decision. better-sqlite3
// statements are meant to be compiled once and reused
// (https://github.com/WiseLibs/better-sqlite3/issues/793); the adapter has no option for it, so its
// connection's `prepare` is replaced by one that compiles each SQL text once. The adapter keeps the
// connection in a public field its types do not declare.
//
// Transactions also begin IMMEDIATE rather than DEFERRED. Within a process the adapter runs one
// transaction at a time, but another process (the CLI beside the server) may write to the same
// file; a deferred transaction that read first then cannot upgrade to a write and fails at once,
// without waiting for the busy timeout (compare https://github.com/prisma/orm/issues/29933, where a
// busy COMMIT breaks the adapter's later transactions). The adapter sends exactly `BEGIN`.
// ---------------------------------------------------------------------------------------------

/** How many distinct SQL texts keep their compiled statement; Gatehouse's texts vary little. */
const STATEMENT_CACHE_SIZE = 500;

const columnsOf = new WeakMap<BetterSqlite3.Statement, BetterSqlite3.ColumnDefinition[]>();

/**
 * A compiled statement shared by every execution of the same SQL text. The adapter binds
 * parameters to a statement for good (better-sqlite3 allows that once), so each use gets its own
 * binding here and passes the parameters to the shared statement when it runs. It offers exactly
 * what the adapter uses; anything else the adapter starts to call fails as "not a function".
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

/** The better-sqlite3 connection inside Prisma's SQLite adapter. */
export function betterSqlite3ConnectionOf(adapter: SqlDriverAdapter): BetterSqlite3.Database {
  const { client } = adapter as unknown as { client?: BetterSqlite3.Database };
  if (!client || typeof client.prepare !== 'function') {
    throw new Error("Prisma's SQLite adapter no longer keeps its better-sqlite3 connection in `client`.");
  }
  return client;
}

/** Makes the adapter's connection compile each SQL text once, and begin transactions IMMEDIATE. */
export function reuseCompiledStatements(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const database = betterSqlite3ConnectionOf(adapter);
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
}

// ---------------------------------------------------------------------------------------------
// 4. The PostgreSQL adapter's private `performIO`, for the schema engine only.
//
// The catalog queries the schema engine runs to describe a PostgreSQL schema return `"char"`
// columns (relkind, contype, …), a type the adapter does not map and refuses. pg already hands
// their values over as strings, so they are labelled as text before the adapter maps the columns.
// `performIO` is the adapter's private method that returns pg's raw result.
// ---------------------------------------------------------------------------------------------

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type PgRawResult = { fields: Array<{ dataTypeID: number }> };

export function readCharColumnsAsText(adapter: SqlDriverAdapter): void {
  const queryable = adapter as unknown as { performIO?: (query: SqlQuery) => Promise<PgRawResult> };
  if (typeof queryable.performIO !== 'function') {
    throw new Error('Prisma\'s PostgreSQL adapter no longer has the private performIO Gatehouse relabels "char" columns in.');
  }
  const performIO = queryable.performIO.bind(adapter);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
}

// ---------------------------------------------------------------------------------------------
// 5. Migration scripts on PostgreSQL (`executeScript`).
//
// The PostgreSQL adapter splits a migration script on every `;`
// (https://github.com/prisma/orm/pull/27510 only skips the empty pieces), which breaks function
// bodies. PostgreSQL's simple query protocol takes the whole script at once (in one implicit
// transaction), as `prisma migrate deploy` sends it; the adapter's pool is `underlyingDriver()`.
// ---------------------------------------------------------------------------------------------

function hasPgPool(adapter: SqlDriverAdapter): adapter is SqlDriverAdapter & { underlyingDriver(): Pool } {
  return 'underlyingDriver' in adapter && typeof adapter.underlyingDriver === 'function';
}

export function sendScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (adapter.provider !== 'postgres') return adapter;
  if (!hasPgPool(adapter)) throw new Error("Prisma's PostgreSQL adapter no longer exposes its pg pool as underlyingDriver().");
  const pool = adapter.underlyingDriver();
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  readCharColumnsAsText(adapter);
  return adapter;
}

// ---------------------------------------------------------------------------------------------
// 6. Several statements in one `executeRaw` (schema engine, shadow database).
//
// The schema engine replays a migration into the shadow database as one `executeRaw` call, which
// better-sqlite3 refuses when the migration has several statements
// (https://github.com/prisma/orm/issues/2868). Such a call has no parameters, so it is safe to run
// as a script instead. pg sends a call without parameters by the simple query protocol, which
// takes several statements, so PostgreSQL needs nothing.
// ---------------------------------------------------------------------------------------------

/** better-sqlite3's refusal of several statements in one prepared query. */
const MULTI_STATEMENT_REFUSAL = /more than one statement/i;

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) return JSON.stringify(error);
  return String(error);
}

export function acceptMultiStatementRaw(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (adapter.provider !== 'sqlite') return adapter;
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length > 0 || !MULTI_STATEMENT_REFUSAL.test(describeError(error))) throw error;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  return adapter;
}

// ---------------------------------------------------------------------------------------------
// 7. Loading the WASM schema engine (`__wbg_set_wasm`, `__wbindgen_start`).
//
// Node 20 cannot import the package's `.wasm` entry, so the module is instantiated by hand: the JS
// glue is imported by its own export path and handed the compiled instance, through the two
// functions wasm-bindgen generates for bundlers.
// ---------------------------------------------------------------------------------------------

export type SchemaEngineModule = typeof SchemaEngineExports;

// Node has WebAssembly at run time, but the ES library types this project compiles against do not.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loading: Promise<SchemaEngineModule> | undefined;

export function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  loading ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import(glueUrl)) as SchemaEngineModule & {
      __wbg_set_wasm?: (exports: Record<string, unknown>) => void;
    };
    if (typeof glue.__wbg_set_wasm !== 'function') {
      throw new Error('@prisma/schema-engine-wasm no longer has the wasm-bindgen glue Gatehouse loads it through.');
    }
    const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loading;
}
