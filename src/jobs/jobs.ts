import { hostname } from 'node:os';
import type { JobConfig } from '../config/env.js';
import type { Db } from '../db/client.js';
import { sweepRequests, sweepTimeLimits } from '../services/lifecycle.js';
import { queueLogAnchors } from '../services/log-anchor.js';

/** What a job needs to run: the database, the clock and its settings. */
export interface JobContext {
  prisma: Db;
  now: Date;
  warningLeadDays: readonly number[];
  requestReminderDays: number;
  requestExpiryDays: number;
  /** Gatehouse's operators, told when an organization is about to be left without an Administrator. */
  operatorUserIds: readonly string[];
}

export type JobSettings = Omit<JobContext, 'prisma' | 'now'>;

/** The jobs' settings as configured, the same for a scheduled run and one started by hand. */
export function jobSettingsOf(config: JobConfig): JobSettings {
  return {
    warningLeadDays: config.EXPIRY_WARNING_DAYS,
    requestReminderDays: config.REQUEST_REMINDER_DAYS,
    requestExpiryDays: config.REQUEST_EXPIRY_DAYS,
    operatorUserIds: config.OPERATOR_USER_IDS,
  };
}

export interface JobDefinition {
  name: string;
  summary: string;
  /** Runs once a day (the first tick of each UTC day) rather than every tick. */
  daily?: boolean;
  run(context: JobContext): Promise<Record<string, number>>;
}

export const JOBS: readonly JobDefinition[] = [
  {
    name: 'time-limits',
    summary: 'Warns before access ends, expires it at the end, removes people 30 days later, and deletes invitations 6 weeks old.',
    run: async ({ prisma, now, warningLeadDays, operatorUserIds }) => ({
      ...(await sweepTimeLimits(prisma, { warningLeadDays, operatorUserIds }, now)),
    }),
  },
  {
    name: 'requests',
    summary: 'Reminds admins of requests waiting too long, and expires requests left undecided.',
    run: async ({ prisma, now, requestReminderDays, requestExpiryDays }) => ({
      ...(await sweepRequests(prisma, { reminderAfterDays: requestReminderDays, expiryAfterDays: requestExpiryDays }, now)),
    }),
  },
  {
    name: 'log-anchor',
    summary: "Posts each organization's permissions log head (sequence:hash) to its audit channel, once a day.",
    daily: true,
    run: async ({ prisma, now }) => ({ ...(await queueLogAnchors(prisma, now)) }),
  },
];

export function jobNamed(name: string): JobDefinition | undefined {
  return JOBS.find((job) => job.name === name);
}

export type JobOutcome =
  | { status: 'succeeded'; counts: Record<string, number>; durationMs: number }
  | { status: 'failed'; error: string; durationMs: number }
  | { status: 'skipped' };

/** Identifies this process in JobRun rows, so `jobs status` says which replica ran what. */
export const RUNNER = `${hostname()}:${process.pid}`;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}

/**
 * Runs a job for one tick, once across every replica: the first to insert the (job, tick) row
 * runs it, the others find the row and skip. The row then records how it went.
 */
export async function runJobForTick(job: JobDefinition, tick: string, context: JobContext): Promise<JobOutcome> {
  const { prisma } = context;
  let runId: number;
  try {
    runId = (await prisma.jobRun.create({ data: { job: job.name, tick, runner: RUNNER, startedAt: context.now } })).id;
  } catch (error) {
    if (isUniqueViolation(error)) return { status: 'skipped' };
    throw error;
  }
  const started = performance.now();
  try {
    const counts = await job.run(context);
    const durationMs = Math.round(performance.now() - started);
    await prisma.jobRun.update({ where: { id: runId }, data: { status: 'SUCCEEDED', finishedAt: new Date(), durationMs, counts } });
    return { status: 'succeeded', counts, durationMs };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    const message = error instanceof Error ? error.message : String(error);
    await prisma.jobRun.update({
      where: { id: runId },
      data: { status: 'FAILED', finishedAt: new Date(), durationMs, error: message.slice(0, 2000) },
    });
    return { status: 'failed', error: message, durationMs };
  }
}

/** The tick a moment falls in, for a schedule that fires every `intervalMinutes`. */
export function tickOf(now: Date, intervalMinutes: number): string {
  const period = intervalMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / period) * period).toISOString();
}

/**
 * The tick a job claims at this moment: a daily job's is its UTC day, so that of every tick that
 * day (and every replica) only the first runs it.
 */
export function jobTickOf(job: JobDefinition, now: Date, intervalMinutes: number): string {
  return job.daily ? `day:${now.toISOString().slice(0, 10)}` : tickOf(now, intervalMinutes);
}

export interface JobStatus {
  job: string;
  summary: string;
  lastRun: {
    tick: string;
    status: string;
    runner: string;
    startedAt: Date;
    durationMs: number | null;
    counts: unknown;
    error: string | null;
  } | null;
  failedRuns: number;
}

/** Each job's last run, and the outbox messages parked as failed. */
export async function jobsStatus(prisma: Db): Promise<{ jobs: JobStatus[]; parkedMessages: number; pendingMessages: number }> {
  const jobs = await Promise.all(
    JOBS.map(async (job) => {
      const last = await prisma.jobRun.findFirst({ where: { job: job.name }, orderBy: { startedAt: 'desc' } });
      const failedRuns = await prisma.jobRun.count({ where: { job: job.name, status: 'FAILED' } });
      return {
        job: job.name,
        summary: job.summary,
        lastRun: last
          ? {
              tick: last.tick,
              status: last.status,
              runner: last.runner,
              startedAt: last.startedAt,
              durationMs: last.durationMs,
              counts: last.counts,
              error: last.error,
            }
          : null,
        failedRuns,
      };
    }),
  );
  const [parkedMessages, pendingMessages] = await Promise.all([
    prisma.outboxMessage.count({ where: { status: 'FAILED' } }),
    prisma.outboxMessage.count({ where: { status: 'PENDING' } }),
  ]);
  return { jobs, parkedMessages, pendingMessages };
}
