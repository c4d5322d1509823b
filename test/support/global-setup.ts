import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServer } from '../../src/sandbox/postgres-server.js';
import { clearBlockCorpus } from './block-corpus.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the PostgreSQL 15 server the whole run shares; each test file makes its own databases. */
    postgresPort: number;
  }
}

let server: PostgresServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  // The corpus describes this run only: what an earlier run's tests showed may no longer be sent.
  clearBlockCorpus();
  server = await startPostgres();
  project.provide('postgresPort', server.port);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
