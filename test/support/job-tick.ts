// Fires one job for one tick, as a replica's scheduler does, in a process of its own:
// `job-tick.ts <job> <tick> <ISO now>` with DATABASE_URL set; prints the outcome as JSON.
import { loadJobConfig } from '../../src/config/env.js';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { jobNamed, jobSettingsOf, runJobForTick } from '../../src/jobs/jobs.js';

const [name, tick, now] = process.argv.slice(2);
const job = jobNamed(name ?? '');
if (!job || !tick || !now) throw new Error('usage: job-tick.ts JOB TICK ISO_NOW');
const config = loadJobConfig();
const { prisma, close } = await openDatabase(parseDatabaseUrl(config.DATABASE_URL));
try {
  const outcome = await runJobForTick(job, tick, { prisma, now: new Date(now), ...jobSettingsOf(config) });
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
} finally {
  await close();
}
