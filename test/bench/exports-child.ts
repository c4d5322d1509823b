// One CSV export, measured in a process of its own: `exports-child.ts <database url> <grid|report|log>`
// makes the file as the outbox dispatcher does (the rows read in keyset batches, csv-stringify into
// a temp file) and prints the figures as one JSON line. The upload to Slack is left out: it streams
// the file from disk, so it adds time on the network but no memory.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { exportRequestSchema } from '../../src/domain/log-query.js';
import { exportToDeliver } from '../../src/services/exports/request-export.js';
import { writeExportFile } from '../../src/slack/csv/export-files.js';

export const EXPORTS_BENCH_ADMIN = 'UADMINEXPORTS';
export const EXPORTS_BENCH_CUSTOMER_NUMBER = '900004';

export interface ExportFigures {
  kind: string;
  rows: number;
  megabytes: number;
  milliseconds: number;
  /** CPU time the export took in this process: on a busy machine, steadier than the wall clock. */
  cpuMilliseconds: number;
  peakRssMb: number;
  /** The process's peak RSS before the export began: Node, Prisma's client and the open database. */
  baselineRssMb: number;
}

async function measure(url: string, kind: string): Promise<ExportFigures> {
  const { prisma, sql, close } = await openDatabase(parseDatabaseUrl(url));
  const directory = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-export-'));
  try {
    const organization = await prisma.organization.findUniqueOrThrow({ where: { customerNumber: EXPORTS_BENCH_CUSTOMER_NUMBER } });
    const request = exportRequestSchema.parse(kind === 'log' ? { kind, filters: {} } : { kind });
    const baselineRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const now = new Date();
    const source = await exportToDeliver(sql, { organizationId: organization.id, userId: EXPORTS_BENCH_ADMIN, request }, now);
    if (!source) throw new Error('The benchmark admin may not export');
    const file = await writeExportFile(sql, source, {
      path: path.join(directory, 'export.csv'),
      upToSequence: Number.MAX_SAFE_INTEGER,
      now,
    });
    const milliseconds = Math.round(performance.now() - started);
    const cpu = process.cpuUsage(cpuBefore);
    return {
      kind,
      rows: file.rows,
      megabytes: Math.round((file.bytes / 1024 / 1024) * 10) / 10,
      milliseconds,
      cpuMilliseconds: Math.round((cpu.user + cpu.system) / 1000),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      baselineRssMb,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await close();
  }
}

if (/exports-child\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [url, kind] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await measure(url!, kind!))}\n`);
}
