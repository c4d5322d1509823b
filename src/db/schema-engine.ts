import { readFile } from 'node:fs/promises';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as SchemaEngineExports from '@prisma/schema-engine-wasm';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type { Pool } from 'pg';

type SchemaEngineModule = typeof SchemaEngineExports;

// Node has WebAssembly at run time, but the ES library types this project compiles against do not.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loading: Promise<SchemaEngineModule> | undefined;

/**
 * Node 20 cannot import the package's `.wasm` entry, so the module is instantiated by hand:
 * the JS glue is imported by its own export path and handed the compiled instance.
 */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  loading ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import(glueUrl)) as SchemaEngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loading;
}

/**
 * Records the connections the engine opens. The engine never closes them itself, and an open
 * SQLite connection keeps the exclusive lock the engine takes while migrating.
 */
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = acceptMultiStatementRaw(sendScriptsWhole(await connecting));
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(factory.connect()),
    connectToShadowDb: () => track(factory.connectToShadowDb()),
  };
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((adapter) => adapter.dispose()));
  };
  return { tracked, disposeAll };
}

/**
 * The PostgreSQL adapter splits a migration script on every `;`, which breaks function bodies.
 * PostgreSQL's simple query protocol takes the whole script at once (in one implicit transaction),
 * as `prisma migrate deploy` sends it.
 */
function sendScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (adapter.provider !== 'postgres' || !hasPgPool(adapter)) return adapter;
  const pool = adapter.underlyingDriver();
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  readCharColumnsAsText(adapter);
  return adapter;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * The catalog queries the engine runs to describe a PostgreSQL schema return `"char"` columns
 * (relkind, contype, …), a type the adapter does not map. pg already hands their values over as
 * strings, so they are labelled as text before the adapter maps the columns.
 */
function readCharColumnsAsText(adapter: SqlDriverAdapter): void {
  const queryable = adapter as unknown as { performIO?: (query: unknown) => Promise<{ fields: Array<{ dataTypeID: number }> }> };
  const performIO = queryable.performIO?.bind(adapter);
  if (!performIO) return;
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
}

/** Drivers refuse several statements in one prepared query; those errors say so. */
const MULTI_STATEMENT_REFUSAL = /more than one statement|cannot insert multiple commands into a prepared statement/i;

/**
 * The schema engine replays a migration into the shadow database as one `executeRaw` call, which
 * both drivers refuse when the migration has several statements. Such a call has no parameters,
 * so it is safe to run as a script instead.
 */
function acceptMultiStatementRaw(adapter: SqlDriverAdapter): SqlDriverAdapter {
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

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) return JSON.stringify(error);
  return String(error);
}

function hasPgPool(adapter: SqlDriverAdapter): adapter is SqlDriverAdapter & { underlyingDriver(): Pool } {
  return 'underlyingDriver' in adapter && typeof adapter.underlyingDriver === 'function';
}

export interface SchemaEngineSession {
  engine: SchemaEngine;
  /** Messages the engine logged, useful when a command fails. */
  logs: string[];
  close(): Promise<void>;
}

export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  datamodels: Array<[path: string, content: string]> = [],
): Promise<SchemaEngineSession> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  const { tracked, disposeAll } = trackConnections(adapterFactory);
  const logs: string[] = [];
  const engine = await SchemaEngine.new(
    { datamodels: datamodels.length > 0 ? datamodels : undefined },
    (message: string) => logs.push(message),
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    logs,
    async close() {
      engine.free();
      await disposeAll();
    },
  };
}
