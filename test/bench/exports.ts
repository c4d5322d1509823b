// The exports benchmark: one organization of 100,000 members on SQLite, with 100,000 entries in
// its permissions log, and a CSV export of each kind: the grid (a row per member), the report (a
// row per holder of each permission) and the log (a row per entry). Each export runs in a fresh
// process (the compiled exports-child.ts), so its time and peak RSS are the export's own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { appendLogEntries } from '../../src/db/permission-log.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { openBenchOrganization } from './bench-organization.js';
import { seedMembers } from '../support/members.js';
import { EXPORTS_BENCH_ADMIN, EXPORTS_BENCH_CUSTOMER_NUMBER, type ExportFigures } from './exports-child.js';
import { compiledEntry } from './processes.js';

export interface ExportsBenchResult {
  members: number;
  logEntries: number;
  seedMilliseconds: number;
  exports: ExportFigures[];
}

const LOG_BATCH = 10_000;

export async function buildDatabase(url: string, members: number, logEntries: number): Promise<number> {
  const { database, organization, admin } = await openBenchOrganization(url, {
    name: 'Benchmark County',
    customerNumber: EXPORTS_BENCH_CUSTOMER_NUMBER,
    timeZone: 'America/Los_Angeles',
    adminSlackUserId: EXPORTS_BENCH_ADMIN,
  });
  try {
    const started = performance.now();
    const now = new Date();
    const seeded = await seedMembers(database.sql, { organizationId: organization.id, timeZone: 'America/Los_Angeles', members, now });
    const snapshot = (permissions: string[]) => ({ status: 'ACTIVE', permissions, tags: ['field'], startsOn: null, endsOn: '2031-01-31' });
    for (let start = 0; start < logEntries; start += LOG_BATCH) {
      const entries = Array.from({ length: Math.min(LOG_BATCH, logEntries - start) }, (_, offset) => {
        const index = start + offset;
        return {
          organizationId: organization.id,
          actorId: admin.id,
          subjectMemberId: seeded.members[index % seeded.members.length]!.memberId,
          action: LOG_ACTION.memberEdited,
          before: snapshot([PERMISSION.esriAccess]),
          after: snapshot([PERMISSION.esriAccess, PERMISSION.eLearning]),
          note: index % 10 === 0 ? `Benchmark note ${index}, with a comma` : null,
          createdAt: new Date(now.getTime() - (logEntries - index) * 60_000),
        };
      });
      await database.sql.transaction((sql) => appendLogEntries(sql, entries));
    }
    return Math.round(performance.now() - started);
  } finally {
    await database.close();
  }
}

async function inChild(url: string, kind: string): Promise<ExportFigures> {
  const child = spawn(process.execPath, ['--enable-source-maps', compiledEntry('test/bench/exports-child.ts'), url, kind], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  await once(child, 'exit');
  return JSON.parse(line) as ExportFigures;
}

export async function measureExports(options: { members: number; logEntries: number }): Promise<ExportsBenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-exports-'));
  const url = `file:${path.join(dataDir, 'gatehouse.db')}`;
  try {
    const seedMilliseconds = await buildDatabase(url, options.members, options.logEntries);
    const exports: ExportFigures[] = [];
    for (const kind of ['grid', 'report', 'log']) exports.push(await inChild(url, kind));
    return { ...options, seedMilliseconds, exports };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
