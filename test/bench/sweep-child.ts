// One full time-limit sweep, measured in a process of its own:
// `sweep-child.ts <database url> <connections>` prints the figures as one JSON line.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { sweepTimeLimits } from '../../src/services/lifecycle.js';

/** The moment every sweep runs at, so the benchmark's data is due then whatever the real date. */
export const SWEEP_AT = new Date('2030-06-15T12:00:00.000Z');

export interface SweepFigures {
  connections: number;
  expired: number;
  milliseconds: number;
  peakRssMb: number;
}

async function measure(url: string, connections: number): Promise<SweepFigures> {
  const { prisma, close } = await openDatabase(parseDatabaseUrl(url));
  try {
    const started = performance.now();
    const counts = await sweepTimeLimits(prisma, { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS }, SWEEP_AT);
    const milliseconds = Math.round(performance.now() - started);
    return { connections, expired: counts.expired, milliseconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    await close();
  }
}

if (/sweep-child\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [url, connections] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await measure(url!, Number(connections)))}\n`);
}
