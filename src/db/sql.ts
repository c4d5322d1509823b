import {
  ColumnTypeEnum,
  type ArgType,
  type ColumnType,
  type SqlDriverAdapter,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { Prisma } from './generated/sqlite/client.js';
import type { Db, Tx } from './client.js';

/**
 * Hand-written SQL, run either through Prisma (inside a Prisma transaction) or straight on the
 * driver adapter Prisma itself uses. Statements are `Prisma.sql` templates, so values are always
 * bound as parameters, and rows come back typed the same way on both paths: dates as Date, JSON
 * parsed, 64-bit integers as bigint.
 */
export interface Sql {
  /** Which database runs the statements, for the few that differ between the two. */
  readonly provider: SqlProvider;
  query<Row extends object>(statement: Prisma.Sql): Promise<Row[]>;
  /** Runs a statement that returns no rows; resolves to the number of rows it changed. */
  execute(statement: Prisma.Sql): Promise<number>;
}

export type SqlProvider = 'sqlite' | 'postgres';

/** The database as SQL: single statements, and transactions of several. */
export interface SqlDatabase extends Sql {
  /**
   * Runs `work` in one transaction, committed when it returns and rolled back when it throws. On
   * SQLite it shares Prisma's connection and lock, so it is serialized with Prisma's transactions.
   */
  transaction<Result>(work: (sql: Sql) => Promise<Result>): Promise<Result>;
}

/** Where hand-written SQL can run: a Prisma client, a Prisma transaction, or the driver directly. */
export type SqlTarget = Db | Tx | Sql;

export function sqlOf(target: SqlTarget): Sql {
  if (!('$queryRaw' in target)) return target;
  return {
    provider: prismaProviderOf(target),
    query: <Row extends object>(statement: Prisma.Sql) => target.$queryRaw<Row[]>(statement),
    execute: (statement) => target.$executeRaw(statement),
  };
}

/**
 * Which database a Prisma client or transaction talks to. The generated clients do not type it,
 * but every client (and the transaction clients made from it) carries its schema's provider.
 */
function prismaProviderOf(target: Db | Tx): SqlProvider {
  const { _activeProvider: provider } = target as unknown as { _activeProvider?: string };
  if (provider === 'sqlite') return 'sqlite';
  if (provider === 'postgresql') return 'postgres';
  throw new Error(`Gatehouse does not run on the database provider ${String(provider)}.`);
}

function argumentOf(value: unknown): { value: unknown; type: ArgType } {
  const scalar = (scalarType: ArgType['scalarType'], bound: unknown = value) => ({ value: bound, type: { scalarType, arity: 'scalar' as const } });
  if (value === null || value === undefined) return scalar('unknown', null);
  if (value instanceof Date) return scalar('datetime');
  switch (typeof value) {
    case 'string':
      return scalar('string');
    case 'number':
      return scalar(Number.isInteger(value) ? 'int' : 'float');
    case 'bigint':
      return scalar('bigint');
    case 'boolean':
      return scalar('boolean');
    default:
      // Objects go in as JSON text, which both databases accept for their JSON columns.
      return scalar('json', JSON.stringify(value));
  }
}

function decodeValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.Int64:
      return BigInt(value as string | number | bigint);
    case ColumnTypeEnum.Numeric:
      // Gatehouse stores no decimals; a numeric result is an aggregate such as PostgreSQL's SUM.
      return Number(value);
    case ColumnTypeEnum.Boolean:
      return typeof value === 'boolean' ? value : Boolean(Number(value));
    case ColumnTypeEnum.Date:
    case ColumnTypeEnum.DateTime:
      return value instanceof Date ? value : new Date(value as string | number);
    case ColumnTypeEnum.Json:
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

function decodeRows<Row>(result: SqlResultSet): Row[] {
  const { columnNames, columnTypes } = result;
  return result.rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let index = 0; index < columnNames.length; index += 1) row[columnNames[index]!] = decodeValue(values[index], columnTypes[index]!);
    return row as Row;
  });
}

class DriverSql implements Sql {
  readonly provider: SqlProvider;

  constructor(private readonly queryable: SqlQueryable) {
    this.provider = queryable.provider === 'postgres' ? 'postgres' : 'sqlite';
  }

  private toQuery(statement: Prisma.Sql): SqlQuery {
    const args: unknown[] = [];
    const argTypes: ArgType[] = [];
    for (const value of statement.values) {
      const argument = argumentOf(value);
      args.push(argument.value);
      argTypes.push(argument.type);
    }
    // PostgreSQL numbers its placeholders ($1); SQLite takes them in order (?).
    return { sql: this.provider === 'postgres' ? statement.text : statement.sql, args, argTypes };
  }

  async query<Row extends object>(statement: Prisma.Sql): Promise<Row[]> {
    return decodeRows<Row>(await this.queryable.queryRaw(this.toQuery(statement)));
  }

  execute(statement: Prisma.Sql): Promise<number> {
    return this.queryable.executeRaw(this.toQuery(statement));
  }
}

const COMMIT: SqlQuery = { sql: 'COMMIT', args: [], argTypes: [] };
const ROLLBACK: SqlQuery = { sql: 'ROLLBACK', args: [], argTypes: [] };

class DriverSqlDatabase extends DriverSql implements SqlDatabase {
  constructor(private readonly adapter: SqlDriverAdapter) {
    super(adapter);
  }

  async transaction<Result>(work: (sql: Sql) => Promise<Result>): Promise<Result> {
    // Starting a transaction takes the adapter's lock (SQLite) or a pooled connection (PostgreSQL)
    // and issues BEGIN; ending it is ours to say, as Prisma's own transaction manager does.
    const transaction = await this.adapter.startTransaction();
    let result: Result;
    try {
      result = await work(new DriverSql(transaction));
    } catch (error) {
      try {
        if (!transaction.options.usePhantomQuery) await transaction.executeRaw(ROLLBACK);
      } finally {
        await transaction.rollback();
      }
      throw error;
    }
    try {
      if (!transaction.options.usePhantomQuery) await transaction.executeRaw(COMMIT);
    } catch (error) {
      // A COMMIT that failed (SQLite busy, PostgreSQL serialization) leaves the transaction open.
      await transaction.executeRaw(ROLLBACK).catch(() => undefined);
      await transaction.rollback();
      throw error;
    }
    await transaction.commit();
    return result;
  }
}

export function driverSqlDatabase(adapter: SqlDriverAdapter): SqlDatabase {
  return new DriverSqlDatabase(adapter);
}
