// The permissions log benchmark: one organization of 100,000 members whose log holds 1,000,000
// entries, on SQLite and then PostgreSQL. An Administrator runs `/access log` with a filter; the figure is the time from
// the command until views.open reached Slack. The database is built here; the measuring runs in a
// fresh process (this file, compiled, with the database's url), against the compiled server.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { insertRows } from '../../src/db/bulk-insert.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { derivedColumns } from '../../src/db/permission-log.js';
import { chainOf } from '../../src/domain/log-chain.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { createSlackDriver, startSlackEmulator, type SlackEmulator } from '../../src/sandbox/index.js';
import { startPostgres } from '../../src/sandbox/postgres-server.js';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { openBenchOrganization } from './bench-organization.js';
import { seedMembers } from '../support/members.js';
import { compiledEntry, startServerProcess } from './processes.js';

const ADMIN = 'UADMINLOG';
const CUSTOMER_NUMBER = '900004';
const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const WARM_UP_RUNS = 5;
const RUNS = 30;
const WAIT_MS = 30_000;
/** Entries per statement batch handed to insertRows. */
const BATCH = 10_000;

const ACTIONS = [LOG_ACTION.memberEdited, LOG_ACTION.permissionsChanged, LOG_ACTION.endDateChanged, LOG_ACTION.invitationAccepted];

export interface LogViewFigures {
  /** The filter typed after `/access log`, and what it measures. */
  filter: string;
  label: string;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  /** Why this filter's runs stopped early, or null; the other filters are still measured. */
  failure: string | null;
}

export interface LogViewBenchResult {
  database: 'sqlite' | 'postgresql';
  members: number;
  entries: number;
  seedMilliseconds: number;
  failure: string | null;
  figures: LogViewFigures[];
}

/**
 * The organization, its members and its log. Entries are about member i mod 100,000, by the
 * Administrator, a day apart in sequence order; the chain's hashes are stand-ins (the view reads
 * none of them, and `log verify` has a benchmark of its own).
 */
export async function buildLogDatabase(url: string, members: number, entries: number): Promise<number> {
  const { database, organization, admin } = await openBenchOrganization(url, {
    name: 'Log County',
    customerNumber: CUSTOMER_NUMBER,
    timeZone: 'UTC',
    adminSlackUserId: ADMIN,
  });
  try {
    const started = performance.now();
    const seeded = await seedMembers(database.sql, { organizationId: organization.id, timeZone: 'UTC', members, now: new Date() });
    const chain = chainOf(organization.id);
    const [head] = await database.sql.rows(
      database.sql.build
        .selectFrom('PermissionLogEntry')
        .select((eb) => eb.fn.max('sequence').as('sequence'))
        .where('chain', '=', chain),
    );
    const first = Number(head?.sequence ?? 0) + 1;
    const startAt = Date.UTC(2020, 0, 1);
    await database.sql.transaction(async (sql) => {
      for (let start = 0; start < entries; start += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, entries - start) }, (_, offset) => {
          const index = start + offset;
          const member = seeded.members[index % seeded.members.length]!;
          const action = ACTIONS[index % ACTIONS.length]!;
          const before = { status: 'ACTIVE', permissions: member.permissions, tags: [], startsOn: null, endsOn: null };
          const after = { ...before, permissions: [...member.permissions, PERMISSION.downloadSoftware].sort() };
          const sequence = first + index;
          return {
            organizationId: organization.id,
            actorId: admin.id,
            subjectMemberId: member.memberId,
            action,
            before: JSON.stringify(before),
            after: JSON.stringify(after),
            note: index % 10 === 0 ? `Benchmark note ${index}` : null,
            createdAt: new Date(startAt + index * 60_000),
            chain,
            sequence,
            previousHash: (sequence - 1).toString(16).padStart(64, '0'),
            hash: sequence.toString(16).padStart(64, '0'),
            ...derivedColumns(action, before, after),
          };
        });
        await insertRows(sql, 'PermissionLogEntry', rows);
      }
    });
    return Math.round(performance.now() - started);
  } finally {
    await database.close();
  }
}

function percentiles(samples: number[]): { runs: number; p50Ms: number; p99Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted.length === 0 ? 0 : Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(1));
  return { runs: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** The filters timed: a member (the common case), an action, a permission key, and a date range. */
const FILTERS: Array<{ filter: string; label: string }> = [
  { filter: '<@USEED4242>', label: 'a member' },
  { filter: `by <@${ADMIN}> ${LOG_ACTION.endDateChanged}`, label: 'an actor and an action' },
  { filter: PERMISSION.viewTransactions, label: 'a permission' },
  { filter: 'since 2020-06-01 until 2020-06-30', label: 'a month' },
];

/** `/access log <filter>` until views.open, warm-up runs first; stops at the first run that fails. */
async function timedRuns(
  driver: ReturnType<typeof createSlackDriver>,
  emulator: SlackEmulator,
  filter: string,
  samples: number[],
): Promise<void> {
  for (let run = 0; run < WARM_UP_RUNS + RUNS; run += 1) {
    const before = emulator.callsTo('views.open').length;
    const started = performance.now();
    const response = await driver.slashCommand({ userId: ADMIN, text: `log ${filter}` });
    if (response.status !== 200) throw new Error(`The app answered ${response.status}: ${response.body.slice(0, 300)}`);
    const [opened] = (await emulator.waitForCalls('views.open', before + 1, WAIT_MS)).slice(before);
    if (!(opened?.response as { ok?: boolean } | undefined)?.ok) throw new Error(`views.open failed: ${JSON.stringify(opened?.response)}`);
    if (run >= WARM_UP_RUNS) samples.push(performance.now() - started);
    for (const modal of emulator.openModals(ADMIN)) await driver.dismissView(modal, ADMIN);
  }
}

/** In the child: the compiled server against the built database, each filter timed in turn. */
async function measure(url: string): Promise<LogViewFigures[]> {
  const emulator = await startSlackEmulator({ token: BOT_TOKEN, triggerLifetimeMs: 60_000, checkBlockKit: false });
  emulator.addUser({ id: ADMIN, name: 'admin', realName: 'Admin', email: 'admin@example.com' });
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.url,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
  };
  const server = await startServerProcess('src/server.ts', env, 3907, '/healthz');
  try {
    const driver = createSlackDriver({ appUrl: `${server.url}/slack/events`, signingSecret: SIGNING_SECRET, emulator });
    const figures: LogViewFigures[] = [];
    for (const { filter, label } of FILTERS) {
      const samples: number[] = [];
      let failure: string | null = null;
      try {
        await timedRuns(driver, emulator, filter, samples);
      } catch (error) {
        failure = error instanceof Error ? error.message.slice(0, 200) : String(error);
      }
      figures.push({ filter, label, ...percentiles(samples), failure });
    }
    return figures;
  } finally {
    await server.stop();
    await emulator.close();
  }
}

async function inChild(url: string): Promise<LogViewFigures[]> {
  const child = spawn(process.execPath, ['--enable-source-maps', compiledEntry('test/bench/log-view.ts'), url], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  await once(child, 'exit');
  const answer = JSON.parse(line) as { figures: LogViewFigures[] } | { failure: string };
  if ('failure' in answer) throw new Error(answer.failure);
  return answer.figures;
}

async function measureOn(
  database: LogViewBenchResult['database'],
  url: string,
  options: { members: number; entries: number },
): Promise<LogViewBenchResult> {
  const seedMilliseconds = await buildLogDatabase(url, options.members, options.entries);
  if (database === 'postgresql') {
    // What autovacuum would have done after a million inserts; SQLite keeps no statistics unless asked.
    const analyzed = await openDatabase(parseDatabaseUrl(url));
    await analyzed.prisma.$executeRawUnsafe('ANALYZE');
    await analyzed.close();
  }
  try {
    return { database, ...options, seedMilliseconds, failure: null, figures: await inChild(url) };
  } catch (error) {
    return { database, ...options, seedMilliseconds, failure: error instanceof Error ? error.message : String(error), figures: [] };
  }
}

/** The benchmark on each database, one after the other, each built fresh and removed after. */
export async function measureLogView(options: { members: number; entries: number }): Promise<LogViewBenchResult[]> {
  const results: LogViewBenchResult[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-log-'));
  try {
    results.push(await measureOn('sqlite', `file:${path.join(dataDir, 'gatehouse.db')}`, options));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const postgres = await startPostgres({ durable: true });
  try {
    results.push(await measureOn('postgresql', await postgres.createDatabase('gatehouse_log_bench'), options));
  } finally {
    await postgres.stop();
  }
  return results;
}

if (/log-view\.js$/.test(process.argv[1] ?? '')) {
  const [url] = process.argv.slice(2);
  try {
    process.stdout.write(`${JSON.stringify({ figures: await measure(url!) })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ failure: error instanceof Error ? error.message : String(error) })}\n`);
  }
}
