import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A throwaway PostgreSQL server on 127.0.0.1, for tests, benchmarks and the schema tools. */
export interface PostgresServer {
  port: number;
  /** The URL of a database on this server. */
  urlFor(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Trade durability for speed: right for tests, wrong for a benchmark of production settings. */
  durable?: boolean;
  maxConnections?: number;
}

const SUPERUSER = 'postgres';

function shellLookup(name: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${name}`])
        .toString()
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

function findBinary(name: string): string {
  const onPath = [shellLookup(name)].filter((found): found is string => Boolean(found));
  const debianDirs = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .sort()
        .reverse()
        .map((version) => path.join('/usr/lib/postgresql', version, 'bin', name))
    : [];
  const found = [...onPath, ...debianDirs].find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`PostgreSQL's ${name} was not found on PATH or under /usr/lib/postgresql`);
  return found;
}

/** PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user. */
function asServerUser(binary: string, args: string[]): [string, string[]] {
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', binary, ...args]];
  return [binary, args];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-pg-'));
  const dataDir = path.join(baseDir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(baseDir, uid, gid);
  }
  const [initdb, initdbArgs] = asServerUser(findBinary('initdb'), [
    '-D',
    dataDir,
    '-U',
    SUPERUSER,
    '--auth=trust',
    '--encoding=UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  await run(initdb, initdbArgs);

  const port = await freePort();
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${baseDir}`,
    `-c max_connections=${options.maxConnections ?? 200}`,
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  const [pgCtl, startArgs] = asServerUser(findBinary('pg_ctl'), [
    'start',
    '-w',
    '-D',
    dataDir,
    '-l',
    path.join(baseDir, 'server.log'),
    '-o',
    settings,
  ]);
  await run(pgCtl, startArgs);

  const urlFor = (database: string) => `postgresql://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: urlFor('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  let stopped = false;
  return {
    port,
    urlFor,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      return urlFor(name);
    },
    async dropDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const [stopCmd, stopArgs] = asServerUser(findBinary('pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w']);
      await run(stopCmd, stopArgs).catch(() => undefined);
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}
