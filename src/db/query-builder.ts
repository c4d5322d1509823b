import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
} from 'kysely';
import type { DB } from './generated/kysely/types.js';

export type SqlProvider = 'sqlite' | 'postgres';

/**
 * Kysely for building statements only. Its tables, columns and enums are prisma-kysely's types of
 * prisma/schema.prisma, so a statement that names something the schema lacks does not compile.
 * Statements run through src/db/sql.ts on Prisma's own driver adapter (or a Prisma transaction),
 * which keeps Prisma's connection and transaction rules and skips a second pool.
 */
export type QueryBuilder = Kysely<DB>;

export type { DB } from './generated/kysely/types.js';

const NOT_HERE =
  'Gatehouse builds statements with Kysely but runs them with sql.rows or sql.execute (src/db/sql.ts), ' +
  'on the connection Prisma uses; a built statement cannot run by itself.';

/** A driver that refuses to connect, so a statement run by Kysely itself fails loudly instead of returning nothing. */
class BuildOnlyDriver implements Driver {
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.reject(new Error(NOT_HERE));
  }
  beginTransaction(): Promise<void> {
    return Promise.reject(new Error(NOT_HERE));
  }
  commitTransaction(): Promise<void> {
    return Promise.reject(new Error(NOT_HERE));
  }
  rollbackTransaction(): Promise<void> {
    return Promise.reject(new Error(NOT_HERE));
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

const DIALECTS: Record<SqlProvider, Dialect> = {
  sqlite: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new BuildOnlyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
  postgres: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new BuildOnlyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
};

const builders = new Map<SqlProvider, QueryBuilder>();

/**
 * A part of statements that never changes (the tables, joins and columns of a read), built once
 * per database. Kysely's builders are immutable, so each statement adds its conditions to the
 * shared part without changing it; building a wide select anew each time cost more than running it.
 */
export function builtOnce<Part>(build: (builder: QueryBuilder) => Part): (builder: QueryBuilder) => Part {
  const parts = new Map<QueryBuilder, Part>();
  return (builder) => {
    let part = parts.get(builder);
    if (part === undefined) {
      part = build(builder);
      parts.set(builder, part);
    }
    return part;
  };
}

/** The query builder for a database; one per dialect, shared, since building keeps no state. */
export function queryBuilderFor(provider: SqlProvider): QueryBuilder {
  let builder = builders.get(provider);
  if (!builder) {
    builder = new Kysely<DB>({ dialect: DIALECTS[provider] });
    builders.set(provider, builder);
  }
  return builder;
}
