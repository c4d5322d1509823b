import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { acceptMultiStatementRaw, loadSchemaEngineModule, sendScriptsWhole } from './prisma-internals.js';

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
