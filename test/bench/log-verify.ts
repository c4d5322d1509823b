// The log verify benchmark: 10^6 chained permissions log entries on SQLite across 10 organizations,
// then `gatehouse log verify` over all of them, run as operators run it: the compiled command in a
// process of its own, so its time includes starting up and its peak RSS is its own. The verify
// alone is timed too, in this process, to tell the two apart.
import { spawn } from 'node:child_process';
import type { Insertable } from 'kysely';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { insertRows } from '../../src/db/bulk-insert.js';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { verifyLogChains } from '../../src/db/log-verify.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import type { DB } from '../../src/db/query-builder.js';
import { derivedColumns } from '../../src/db/permission-log.js';
import { canonicalJson, entryHash, GENESIS_HASH } from '../../src/domain/log-chain.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { ensurePermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import { compiledEntry } from './processes.js';

const ORGANIZATIONS = 10;
/** Rows per seeding transaction: large enough to be quick, small enough to keep the seeding's memory down. */
const ROWS_PER_TRANSACTION = 20_000;

export interface LogVerifyBenchResult {
  entries: number;
  seedMilliseconds: number;
  /** `gatehouse log verify`, start to exit, in its own process. */
  commandMilliseconds: number;
  /** The command's CPU time (user and system): what it costs on a machine it does not share. */
  commandCpuMilliseconds: number;
  commandPeakRssMb: number;
  commandOutput: string;
  /** verifyLogChains alone, in this process, on an open database. */
  verifyMilliseconds: number;
}

/** `entries` entries, spread over the organizations' chains in turn, each chained as appendLogEntries chains it. */
export async function buildDatabase(url: string, entries: number): Promise<void> {
  const target = parseDatabaseUrl(url);
  await applyPendingMigrations(target);
  const { prisma, sql, close } = await openDatabase(target);
  try {
    await ensurePermissionCatalog(prisma);
    const heads = new Map<number, { sequence: number; hash: string }>();
    for (let n = 0; n < ORGANIZATIONS; n += 1) {
      const organization = await createOrganization(prisma, {
        name: `Verify County ${n}`,
        customerNumber: `95${String(n).padStart(4, '0')}`,
      });
      const head = await prisma.permissionLogEntry.findFirstOrThrow({ where: { chain: organization.id }, orderBy: { sequence: 'desc' } });
      heads.set(organization.id, { sequence: head.sequence!, hash: head.hash! });
    }
    const chains = [...heads.keys()];
    const start = Date.UTC(2026, 0, 1);
    let made = ORGANIZATIONS;
    while (made < entries) {
      const rows: Array<Insertable<DB['PermissionLogEntry']>> = [];
      for (let n = 0; n < ROWS_PER_TRANSACTION && made < entries; n += 1, made += 1) {
        const chain = chains[made % chains.length]!;
        const head = heads.get(chain)!;
        const before =
          made % 3 === 0 ? null : { connectionId: made, status: 'ACTIVE', permissions: ['esri_access'], tags: [], endsOn: null };
        const after = {
          connectionId: made,
          status: 'ACTIVE',
          permissions: ['esri_access', 'e_learning'],
          tags: ['bench'],
          endsOn: '2027-06-30',
        };
        const content = {
          chain,
          sequence: head.sequence + 1,
          previousHash: head.hash ?? GENESIS_HASH,
          organizationId: chain,
          actorId: null,
          actorLabel: 'system',
          subjectMemberId: null,
          subjectEmail: `person${made}@example.com`,
          action: LOG_ACTION.memberEdited,
          before,
          after,
          note: made % 5 === 0 ? `bulk change ${made}` : null,
          createdAt: new Date(start + made * 1000),
        };
        const hash = entryHash(content);
        rows.push({
          ...content,
          // Stored as appendLogEntries stores snapshots: canonical JSON.
          before: before === null ? null : canonicalJson(before),
          after: canonicalJson(after),
          hash,
          ...derivedColumns(content.action, before, after),
        });
        heads.set(chain, { sequence: content.sequence, hash });
      }
      await sql.transaction((tx) => insertRows(tx, 'PermissionLogEntry', rows));
    }
  } finally {
    await close();
  }
}

async function verifyInProcess(url: string): Promise<number> {
  const { sql, close } = await openDatabase(parseDatabaseUrl(url));
  try {
    const started = performance.now();
    const verification = await verifyLogChains(sql);
    if (verification.broken) throw new Error(`the seeded log is broken: ${JSON.stringify(verification.broken)}`);
    return Math.round(performance.now() - started);
  } finally {
    await close();
  }
}

/** Runs `gatehouse log verify` compiled, in a child, and reads its wall time and its peak RSS as the child reports it. */
async function verifyCommand(url: string): Promise<{ milliseconds: number; cpuMilliseconds: number; peakRssMb: number; output: string }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '--eval',
      // The command runs in this process; the wrapper reports its peak RSS once it is done.
      `await import(${JSON.stringify(compiledEntry('src/cli/gatehouse.ts'))});` +
        `process.on('exit', () => { const usage = process.resourceUsage(); ` +
        `process.stderr.write('maxrss=' + usage.maxRSS + ' cpu=' + Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) + '\\n'); });`,
      // With --eval, the arguments start at argv[1]; this one stands where the script's path would.
      'gatehouse',
      'log',
      'verify',
    ],
    { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const milliseconds = Math.round(performance.now() - started);
  if (code !== 0) throw new Error(`gatehouse log verify exited ${code}: ${err.trim()}`);
  const maxRssKb = Number(/maxrss=(\d+)/.exec(err)?.[1] ?? 0);
  const cpuMilliseconds = Number(/cpu=(\d+)/.exec(err)?.[1] ?? 0);
  return { milliseconds, cpuMilliseconds, peakRssMb: Math.round(maxRssKb / 1024), output: out.trim() };
}

export async function measureLogVerify(options: { entries: number }): Promise<LogVerifyBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-log-'));
  const url = `file:${path.join(dataDir, 'gatehouse.db')}`;
  try {
    const seedStarted = performance.now();
    await buildDatabase(url, options.entries);
    const seedMilliseconds = Math.round(performance.now() - seedStarted);
    const command = await verifyCommand(url);
    const verifyMilliseconds = await verifyInProcess(url);
    return {
      entries: options.entries,
      seedMilliseconds,
      commandMilliseconds: command.milliseconds,
      commandCpuMilliseconds: command.cpuMilliseconds,
      commandPeakRssMb: command.peakRssMb,
      commandOutput: command.output,
      verifyMilliseconds,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
