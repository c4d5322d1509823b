import {
  ColumnTypeEnum,
  type ArgType,
  type ColumnType,
  type SqlDriverAdapter,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db, Tx } from './client.js';
import { prismaProviderOf, transactionEndsWithStatement } from './prisma-internals.js';
import { queryBuilderFor, type QueryBuilder, type SqlProvider } from './query-builder.js';

export type { SqlProvider } from './query-builder.js';

/**
 * Hand-written SQL, run either through Prisma (inside a Prisma transaction) or straight on the
 * driver adapter Prisma itself uses. Statements are built with Kysely from the types prisma-kysely
 * generates from the schema, so a wrong table, column or enum value does not compile; values are
 * always bound as parameters, and rows come back typed the same way on both paths: dates as Date,
 * JSON parsed, 64-bit integers as bigint.
 */
export interface Sql {
  /** Which database runs the statements, for the few that differ between the two. */
  readonly provider: SqlProvider;
  /** Builds statements in this database's dialect; they run through `rows` and `execute`. */
  readonly build: QueryBuilder;
  rows<Row>(statement: Compilable<Row>): Promise<Row[]>;
  /** Runs a statement for its effect; resolves to the number of rows it changed. */
  execute(statement: Compilable<unknown>): Promise<number>;
}

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
  if (!('$queryRawUnsafe' in target)) return target;
  const provider = prismaProviderOf(target);
  return {
    provider,
    build: queryBuilderFor(provider),
    rows: <Row>(statement: Compilable<Row>) => {
      const { sql, parameters } = statement.compile();
      return target.$queryRawUnsafe<Row[]>(sql, ...parameters);
    },
    execute: (statement) => {
      const { sql, parameters } = statement.compile();
      return target.$executeRawUnsafe(sql, ...parameters);
    },
  };
}

function argumentOf(value: unknown): { value: unknown; type: ArgType } {
  const scalar = (scalarType: ArgType['scalarType'], bound: unknown = value) => ({
    value: bound,
    type: { scalarType, arity: 'scalar' as const },
  });
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
  readonly build: QueryBuilder;

  constructor(private readonly queryable: SqlQueryable) {
    this.provider = queryable.provider === 'postgres' ? 'postgres' : 'sqlite';
    this.build = queryBuilderFor(this.provider);
  }

  async rows<Row>(statement: Compilable<Row>): Promise<Row[]> {
    return decodeRows<Row>(await this.queryable.queryRaw(driverQuery(statement.compile())));
  }

  execute(statement: Compilable<unknown>): Promise<number> {
    return this.queryable.executeRaw(driverQuery(statement.compile()));
  }
}

/** A compiled statement as the driver adapter takes it: each value with the type it binds as. */
function driverQuery(compiled: CompiledQuery<unknown>): SqlQuery {
  const args: unknown[] = [];
  const argTypes: ArgType[] = [];
  for (const value of compiled.parameters) {
    const argument = argumentOf(value);
    args.push(argument.value);
    argTypes.push(argument.type);
  }
  return { sql: compiled.sql, args, argTypes };
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
        if (transactionEndsWithStatement(transaction)) await transaction.executeRaw(ROLLBACK);
      } finally {
        await transaction.rollback();
      }
      throw error;
    }
    try {
      if (transactionEndsWithStatement(transaction)) await transaction.executeRaw(COMMIT);
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

/** Stands for one argument of a prepared statement while it is built. */
class Placeholder {
  constructor(readonly name: string) {}
}

type BoundParameter = { argument: string } | { constant: unknown };

/**
 * A statement whose shape never changes, built and compiled once per database; each run binds its
 * own values. Building a wide statement with Kysely costs more than running it (a join of four
 * tables took ~100 µs to build against ~10 µs to run), and the busy paths run the same few shapes.
 *
 * `build` is called once with placeholders for `args`: use each argument only as a value in the
 * statement, never to decide its shape (no `if`, `$if` or list built from an argument); a shape
 * that depends on an argument needs a statement of its own.
 */
export function preparedStatement<Args extends object, Row>(
  build: (builder: QueryBuilder, args: Args) => Compilable<Row>,
): (sql: Sql, args: Args) => Compilable<Row> {
  const prepared = new Map<SqlProvider, { compiled: CompiledQuery<Row>; bindings: BoundParameter[] }>();
  const prepare = (provider: SqlProvider) => {
    const used = new Set<string>();
    const placeholders = new Proxy({} as Args, {
      get: (_target, name) => {
        if (typeof name !== 'string') throw new Error('A prepared statement takes its arguments by name.');
        used.add(name);
        return new Placeholder(name);
      },
    });
    const compiled = build(queryBuilderFor(provider), placeholders).compile();
    const bindings = compiled.parameters.map((value): BoundParameter =>
      value instanceof Placeholder ? { argument: value.name } : { constant: value },
    );
    const bound = new Set(bindings.flatMap((binding) => ('argument' in binding ? [binding.argument] : [])));
    for (const name of used) {
      if (!bound.has(name)) throw new Error(`The prepared statement uses its argument "${name}" other than as a value.`);
    }
    return { compiled, bindings };
  };
  return (sql, args) => {
    let statement = prepared.get(sql.provider);
    if (!statement) {
      statement = prepare(sql.provider);
      prepared.set(sql.provider, statement);
    }
    const { compiled, bindings } = statement;
    const values = args as Record<string, unknown>;
    const parameters = bindings.map((binding) => ('argument' in binding ? values[binding.argument] : binding.constant));
    return { compile: () => ({ ...compiled, parameters }) };
  };
}
