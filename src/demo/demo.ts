/**
 * `npm run demo` in one process: the Slack emulator as the demo's Slack, the real Gatehouse (the
 * same `startGatehouse` that `npm start` runs) on a fresh SQLite file, and the web server that
 * shows the emulated Slack in a browser. The demo owns a clock it can move forward, so the jobs
 * that watch end dates and waiting requests can be seen doing their work.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { addDays } from 'date-fns';
import pino from 'pino';
import type { AppConfig } from '../config/env.js';
import { PROJECT_ROOT } from '../db/paths.js';
import { JOBS, jobSettingsOf, jobTickOf, runJobForTick, type JobContext } from '../jobs/jobs.js';
import { createLogger, type Logger } from '../logger.js';
import { createSlackDriver, type SlackDriver } from '../sandbox/slack-driver.js';
import { startSlackEmulator, type SlackEmulator } from '../sandbox/slack-emulator.js';
import { startGatehouse, type RunningGatehouse } from '../server.js';
import { dueOutboxCount, organizationCount } from '../services/inspection.js';
import type { DemoClockAnswer, DemoClockState } from './protocol.js';
import { DEFAULT_PORTS } from './ports.js';
import { DEMO_CHANNELS, DEMO_TEAM, OPERATOR_ID, seedStory, seedWorkspace } from './seed.js';
import { startDemoWebServer, type DemoWebServer } from './web-server.js';

export { DEFAULT_PORTS };

/** Signs the emulator's requests to Gatehouse; nothing outside this process ever sees it. */
const DEMO_SIGNING_SECRET = 'gatehouse-demo-signing-secret';

export interface DemoOptions {
  /** The web client's port; 0 lets the OS choose. */
  port?: number;
  slackPort?: number;
  appPort?: number;
  /** Keep the database of the last run instead of starting the story afresh. */
  keep?: boolean;
  /** Where the database and the log go; default `<project>/data/demo`. */
  dataDir?: string;
  /** The compiled web client; default `<project>/dist/demo-client/client`, which `npm run build` writes. */
  compiledClientDir?: string;
}

export interface RunningDemo {
  /** The web client, e.g. http://127.0.0.1:3100 */
  url: string;
  /** The emulated Slack's Web API base. */
  slackUrl: string;
  /** Gatehouse's own HTTP server. */
  appUrl: string;
  emulator: SlackEmulator;
  gatehouse: RunningGatehouse;
  clock: DemoClock;
  stop(): Promise<void>;
}

/** Real time plus the days the demo has been moved forward. */
export class DemoClock {
  offsetDays = 0;
  readonly now = (): Date => addDays(new Date(), this.offsetDays);
  state(): DemoClockState {
    return { now: this.now().toISOString(), offsetDays: this.offsetDays };
  }
}

/** What the web server asks of the demo beyond the emulator: the clock, the jobs and the database. */
export interface DemoBackend {
  emulator: SlackEmulator;
  driver: SlackDriver;
  gatehouse: RunningGatehouse;
  clock: DemoClock;
  logger: Logger;
  /** Moves the clock, runs every job once for the new moment, and waits for the outbox to deliver. */
  moveClock(days: number): Promise<DemoClockAnswer>;
}

export function demoAppConfig(options: { appPort: number; databaseFile: string; slackApiUrl: string; botToken: string }): AppConfig {
  return {
    PORT: options.appPort,
    LOG_LEVEL: 'warn',
    DATABASE_URL: `file:${options.databaseFile}`,
    SLACK_BOT_TOKEN: options.botToken,
    SLACK_SIGNING_SECRET: DEMO_SIGNING_SECRET,
    SLACK_APP_TOKEN: undefined,
    SLACK_API_URL: options.slackApiUrl,
    TRIAGE_CHANNEL_ID: DEMO_CHANNELS.triage.id,
    OPERATOR_USER_IDS: [OPERATOR_ID],
    JOB_INTERVAL_MINUTES: 5,
    EXPIRY_WARNING_DAYS: [14, 7, 1],
    REQUEST_REMINDER_DAYS: 3,
    REQUEST_EXPIRY_DAYS: 30,
    OUTBOX_RETRY_HOURS: 24,
    SMTP_URL: undefined,
    SMTP_FROM: undefined,
  };
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** Waits until every outbox row that is due has been delivered (or given up on); rows waiting for a retry later are left. */
async function drainOutbox(gatehouse: RunningGatehouse, clock: DemoClock, logger: Logger, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    gatehouse.dispatcher.wake();
    const due = await dueOutboxCount(gatehouse.database.prisma, clock.now());
    if (due === 0) return;
    if (Date.now() > deadline) {
      logger.warn({ due }, 'the outbox still has messages to deliver; the demo carries on');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const dataDir = options.dataDir ?? path.join(PROJECT_ROOT, 'data', 'demo');
  mkdirSync(dataDir, { recursive: true });
  const databaseFile = path.join(dataDir, 'gatehouse.db');
  if (!options.keep) removeDatabase(databaseFile);
  const logDestination = pino.destination({ dest: path.join(dataDir, 'gatehouse.log'), sync: true });
  const logger = createLogger('warn', logDestination);
  const clock = new DemoClock();
  const stack: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop();
    logDestination.flushSync();
    logDestination.end();
  };
  try {
    const emulator = await startSlackEmulator({
      port: options.slackPort ?? DEFAULT_PORTS.slack,
      host: '127.0.0.1',
      teamId: DEMO_TEAM.id,
      teamName: DEMO_TEAM.name,
      teamDomain: DEMO_TEAM.domain,
      botName: 'Gatehouse',
      now: () => clock.now().getTime(),
    });
    stack.push(() => emulator.close());
    seedWorkspace(emulator);
    const config = demoAppConfig({
      appPort: options.appPort ?? DEFAULT_PORTS.app,
      databaseFile,
      slackApiUrl: emulator.url,
      botToken: emulator.token,
    });
    const gatehouse = await startGatehouse(config, { logger, host: '127.0.0.1', now: clock.now, scheduleJobs: true });
    stack.push(() => gatehouse.stop());
    const driver = createSlackDriver({ appUrl: `${gatehouse.url}/slack/events`, signingSecret: DEMO_SIGNING_SECRET, emulator });
    const jobContext = (): JobContext => ({ prisma: gatehouse.database.prisma, now: clock.now(), ...jobSettingsOf(config) });
    const drain = () => drainOutbox(gatehouse, clock, logger);
    const settings = { triageChannelId: config.TRIAGE_CHANNEL_ID, operatorUserIds: config.OPERATOR_USER_IDS };

    if ((await organizationCount(gatehouse.database.prisma)) === 0) {
      await seedStory({
        emulator,
        gatehouse,
        settings,
        signingSecret: DEMO_SIGNING_SECRET,
        jobContext,
        now: clock.now,
        drainOutbox: drain,
      });
    }

    const backend: DemoBackend = {
      emulator,
      driver,
      gatehouse,
      clock,
      logger,
      async moveClock(days) {
        clock.offsetDays += days;
        web.announce();
        const context = jobContext();
        const jobs: Record<string, Record<string, number>> = {};
        for (const job of JOBS) {
          // Daily jobs (the log's anchor) run once per simulated day, as the scheduler runs them.
          const tick = jobTickOf(job, context.now, config.JOB_INTERVAL_MINUTES);
          const outcome = await runJobForTick(job, tick, context);
          gatehouse.metrics.recordJobRun(
            job.name,
            outcome.status,
            outcome.status === 'skipped' ? 0 : outcome.durationMs,
            outcome.status === 'succeeded' ? outcome.counts : {},
          );
          if (outcome.status === 'failed') logger.error({ job: job.name, tick, error: outcome.error }, 'job failed');
          jobs[job.name] = outcome.status === 'succeeded' ? outcome.counts : {};
        }
        await drain();
        return { ok: true, clock: clock.state(), jobs };
      },
    };
    const web: DemoWebServer = await startDemoWebServer(backend, {
      port: options.port ?? DEFAULT_PORTS.web,
      ...(options.compiledClientDir ? { compiledClientDir: options.compiledClientDir } : {}),
    });
    stack.push(() => web.close());

    let stopping: Promise<void> | undefined;
    return {
      url: web.url,
      slackUrl: emulator.url,
      appUrl: gatehouse.url,
      emulator,
      gatehouse,
      clock,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
