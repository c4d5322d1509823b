import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import { JOBS, jobTickOf, runJobForTick, type JobContext } from './jobs.js';

/** What the schedule does each time it fires: every job, for the tick this moment falls in (its day, for a daily job). */
export async function fireTick(options: SchedulerOptions): Promise<void> {
  const context = options.context();
  await Promise.all(
    JOBS.map(async (job) => {
      const tick = jobTickOf(job, context.now, options.intervalMinutes);
      try {
        const outcome = await runJobForTick(job, tick, context);
        options.onRun?.(job.name, outcome);
        if (outcome.status === 'failed') options.logger.error({ job: job.name, tick, error: outcome.error }, 'job failed');
        else if (outcome.status === 'succeeded') options.logger.info({ job: job.name, tick, ...outcome }, 'job ran');
      } catch (error) {
        options.logger.error({ err: error, job: job.name, tick }, 'job could not start');
      }
    }),
  );
}

export interface SchedulerOptions {
  intervalMinutes: number;
  context: () => JobContext;
  logger: Logger;
  /** Told how each run went, for metrics. */
  onRun?: (job: string, outcome: Awaited<ReturnType<typeof runJobForTick>>) => void;
}

/**
 * Fires every job every few minutes on every replica; the (job, tick) claim in the database lets
 * one run per tick and the others skip. Jobs work from the database's state, so a missed tick
 * (downtime, a slow run) is caught up by the next one.
 */
export function startScheduler(options: SchedulerOptions): { stop(): Promise<void> } {
  const running = new Set<Promise<void>>();
  const fire = () => {
    const run = fireTick(options);
    running.add(run);
    void run.finally(() => running.delete(run));
  };
  const task: ScheduledTask = cron.schedule(`*/${options.intervalMinutes} * * * *`, fire);
  return {
    async stop() {
      await task.stop();
      await Promise.all(running);
    },
  };
}
