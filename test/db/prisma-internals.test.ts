import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptMultiStatementRaw,
  betterSqlite3ConnectionOf,
  loadSchemaEngineModule,
  prismaProviderOf,
  readCharColumnsAsText,
  reuseCompiledStatements,
  sendScriptsWhole,
  transactionEndsWithStatement,
} from '../../src/db/prisma-internals.js';
import { createEmptyDatabase, createTestDatabase, DATABASE_KINDS, type EmptyDatabase, type TestDatabase } from '../support/databases.js';

/*
 * What src/db/prisma-internals.ts relies on, checked against the installed Prisma. A failure here
 * names the workaround a Prisma upgrade broke, or says that one is no longer needed.
 */

const query = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

function connect(empty: EmptyDatabase): Promise<SqlDriverAdapter> {
  return empty.target.provider === 'sqlite'
    ? new PrismaBetterSqlite3({ url: empty.target.filePath, timeout: 0 }).connect()
    : new PrismaPg({ connectionString: empty.target.url, max: 2 }).connect();
}

describe.each(DATABASE_KINDS)('Prisma internals on %s', (kind) => {
  let database: TestDatabase;
  const adapters: SqlDriverAdapter[] = [];
  const adapter = async () => {
    const connected = await connect(database);
    adapters.push(connected);
    return connected;
  };
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await Promise.allSettled(adapters.map((connected) => connected.dispose()));
    await database.database.close();
    await database.drop();
  });

  it('reads the provider of a Prisma client and of its transaction clients from the undeclared _activeProvider', async () => {
    const expected = kind === 'sqlite' ? 'sqlite' : 'postgres';
    expect(prismaProviderOf(database.database.prisma)).toBe(expected);
    await database.database.prisma.$transaction(async (tx) => {
      expect(prismaProviderOf(tx)).toBe(expected);
    });
    expect(() => prismaProviderOf({})).toThrow(/does not run on the database provider undefined/);
  });

  it('finds that the adapter leaves COMMIT and ROLLBACK to whoever runs the transaction (usePhantomQuery is false)', async () => {
    const connected = await adapter();
    const transaction = await connected.startTransaction();
    try {
      expect(transaction.options.usePhantomQuery).toBe(false);
      expect(transactionEndsWithStatement(transaction)).toBe(true);
      await transaction.executeRaw(query('ROLLBACK'));
    } finally {
      await transaction.rollback();
    }
  });

  it('runs one executeRaw with several statements and no parameters, as a script where the driver refuses it (SQLite)', async () => {
    const twoStatements = query('CREATE TABLE "TwoA" ("id" INTEGER); CREATE TABLE "TwoB" ("id" INTEGER)');
    if (kind === 'sqlite') {
      await expect((await adapter()).executeRaw(twoStatements)).rejects.toThrow(/more than one statement/);
    } else {
      // pg takes it as a simple query: no workaround is applied, and none is needed.
      const plain = await adapter();
      expect(acceptMultiStatementRaw(plain).executeRaw).toBe(plain.executeRaw);
      await plain.executeRaw(query('CREATE TABLE "TwoC" ("id" INTEGER); CREATE TABLE "TwoD" ("id" INTEGER)'));
    }
    const patched = acceptMultiStatementRaw(await adapter());
    await patched.executeRaw(twoStatements);
    const tables = await patched.queryRaw(
      query(
        kind === 'sqlite'
          ? `SELECT name FROM sqlite_master WHERE name IN ('TwoA', 'TwoB') ORDER BY name`
          : `SELECT tablename AS name FROM pg_tables WHERE tablename IN ('TwoA', 'TwoB') ORDER BY tablename`,
      ),
    );
    expect(tables.rows).toEqual([['TwoA'], ['TwoB']]);
    // A statement with parameters is never run as a script.
    await expect(
      patched.executeRaw({ ...twoStatements, args: [1], argTypes: [{ scalarType: 'int', arity: 'scalar' }] }),
    ).rejects.toBeDefined();
  });

  it('loads the WASM schema engine through its wasm-bindgen glue', async () => {
    const engine = await loadSchemaEngineModule();
    expect(typeof engine.SchemaEngine.new).toBe('function');
  });
});

describe('the better-sqlite3 adapter', () => {
  let empty: EmptyDatabase;
  const adapters: SqlDriverAdapter[] = [];
  beforeAll(async () => {
    empty = await createEmptyDatabase('sqlite');
  });
  afterAll(async () => {
    await Promise.allSettled(adapters.map((connected) => connected.dispose()));
    await empty.drop();
  });

  it('keeps its better-sqlite3 connection in `client`, and compiles each SQL text once when its prepare is replaced', async () => {
    const connected = await connect(empty);
    adapters.push(connected);
    const connection = betterSqlite3ConnectionOf(connected);
    expect(connection).toBeInstanceOf(BetterSqlite3);
    const compiled: string[] = [];
    const compile = connection.prepare.bind(connection);
    connection.prepare = ((sql: string) => {
      compiled.push(sql);
      return compile(sql);
    }) as typeof connection.prepare;
    reuseCompiledStatements(connected);

    await connected.executeRaw(query('CREATE TABLE "Counted" ("id" INTEGER PRIMARY KEY, "note" TEXT)'));
    for (const note of ['one', 'two', 'three']) {
      await connected.executeRaw({
        sql: 'INSERT INTO "Counted" ("note") VALUES (?)',
        args: [note],
        argTypes: [{ scalarType: 'string', arity: 'scalar' }],
      });
    }
    const first = await connected.queryRaw(query('SELECT "note" FROM "Counted" ORDER BY "id"'));
    const second = await connected.queryRaw(query('SELECT "note" FROM "Counted" ORDER BY "id"'));

    expect(first).toEqual(second);
    expect(first.rows).toEqual([['one'], ['two'], ['three']]);
    expect(compiled.filter((sql) => sql.startsWith('INSERT'))).toHaveLength(1);
    expect(compiled.filter((sql) => sql.startsWith('SELECT'))).toHaveLength(1);
    expect(() => betterSqlite3ConnectionOf({} as SqlDriverAdapter)).toThrow(/no longer keeps its better-sqlite3 connection/);
  });

  it('begins its transactions with exactly BEGIN, which becomes BEGIN IMMEDIATE and takes the write lock at once', async () => {
    const connected = reuseCompiledStatements(await connect(empty));
    adapters.push(connected);
    const compiled: string[] = [];
    const connection = betterSqlite3ConnectionOf(connected);
    const prepare = connection.prepare.bind(connection);
    connection.prepare = ((sql: string) => {
      compiled.push(sql);
      return prepare(sql);
    }) as typeof connection.prepare;
    const other = new BetterSqlite3(empty.target.provider === 'sqlite' ? empty.target.filePath : '', { timeout: 0 });
    try {
      const transaction = await connected.startTransaction();
      expect(compiled).toEqual(['BEGIN']);
      // A deferred BEGIN would take no lock until the first write; the other connection could write.
      expect(() => other.exec('CREATE TABLE "Blocked" ("id" INTEGER)')).toThrow(/database is locked/);
      await transaction.executeRaw(query('ROLLBACK'));
      await transaction.rollback();
      other.exec('CREATE TABLE "Unblocked" ("id" INTEGER)');
    } finally {
      other.close();
    }
  });
});

describe.runIf(DATABASE_KINDS.includes('postgresql'))('the PostgreSQL adapter', () => {
  let empty: EmptyDatabase;
  const adapters: SqlDriverAdapter[] = [];
  const adapter = async () => {
    const connected = await connect(empty);
    adapters.push(connected);
    return connected;
  };
  beforeAll(async () => {
    empty = await createEmptyDatabase('postgresql');
  });
  afterAll(async () => {
    await Promise.allSettled(adapters.map((connected) => connected.dispose()));
    await empty.drop();
  });

  const CHAR_COLUMN = query(`SELECT relkind FROM pg_class WHERE relname = 'pg_class'`);

  it('still refuses "char" columns, and reads them as text once its private performIO relabels them', async () => {
    await expect((await adapter()).queryRaw(CHAR_COLUMN)).rejects.toBeDefined();
    const patched = await adapter();
    readCharColumnsAsText(patched);
    expect((await patched.queryRaw(CHAR_COLUMN)).rows).toEqual([['r']]);
    expect(() => readCharColumnsAsText({} as SqlDriverAdapter)).toThrow(/no longer has the private performIO/);
  });

  it('still splits scripts on every semicolon, and runs a function body whole through its pg pool', async () => {
    const script = `CREATE FUNCTION gatehouse_probe() RETURNS integer AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;`;
    await expect((await adapter()).executeScript(script)).rejects.toBeDefined();
    const patched = sendScriptsWhole(await adapter());
    await patched.executeScript(script);
    expect((await patched.queryRaw(query('SELECT gatehouse_probe() AS probe'))).rows).toEqual([[1]]);
  });
});
