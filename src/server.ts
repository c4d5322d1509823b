import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadAppConfig, type AppConfig } from './config/env.js';
import { openDatabase, databaseAnswers, type Database } from './db/client.js';
import { DatabaseUnavailableError, withDatabaseCause } from './db/database-errors.js';
import { describeDatabase, parseDatabaseUrl } from './db/database-url.js';
import { applyPendingMigrations, assertMigrated } from './db/migrations.js';
import { createLogger, redactText, type Logger } from './logger.js';
import { createSlackApp, slackClientOptions } from './slack/app.js';
import { SlackUnavailableError, socketModeFailure, verifyBotToken } from './slack/bot-token.js';
import type { GatehouseContext } from './slack/context.js';
import { invitationSealingKey } from './domain/invitation-tokens.js';
import { createMailer } from './mail/mailer.js';
import { ensurePermissionCatalog } from './services/catalog.js';
import { OutboxDispatcher } from './slack/outbox-dispatcher.js';
import { createHttpServer } from './slack/http-server.js';
import { timeListeners } from './slack/listener-router.js';
import { createMetrics, type GatehouseMetrics } from './metrics.js';
import { jobSettingsOf } from './jobs/jobs.js';
import { startScheduler } from './jobs/scheduler.js';

export interface RunningGatehouse {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:3000 */
  url: string;
  database: Database;
  dispatcher: OutboxDispatcher;
  /** Served at `GET /metrics`; jobs report their runs through `recordJobRun`. */
  metrics: GatehouseMetrics;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Listen address; the default listens on every interface, as a server in a container must. */
  host?: string;
  /** The clock; tests move it to see what time-bound rules do. */
  now?: () => Date;
  /** Whether this process schedules the jobs; tests run them by hand instead. Default true. */
  scheduleJobs?: boolean;
}

export async function startGatehouse(config: AppConfig, options: StartOptions = {}): Promise<RunningGatehouse> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const target = parseDatabaseUrl(config.DATABASE_URL);
  const database = await withDatabaseCause(target, async () => {
    if (target.provider === 'sqlite') {
      // The embedded database is the app's own, so the app keeps it migrated; PostgreSQL is
      // migrated once per release with `npm run db:migrate`, not by every replica.
      const applied = await applyPendingMigrations(target);
      if (applied.length > 0) logger.info({ applied }, 'applied database migrations');
    } else {
      await assertMigrated(target);
    }
    const opened = await openDatabase(target);
    try {
      const catalog = await ensurePermissionCatalog(opened.prisma);
      if (catalog.created + catalog.updated > 0) logger.info(catalog, 'stored the permission catalog');
    } catch (error) {
      await opened.close();
      throw error;
    }
    return opened;
  });
  let bot;
  try {
    // Checked before Bolt is made: Bolt would otherwise call auth.test itself, with nobody awaiting it.
    bot = await verifyBotToken(config.SLACK_BOT_TOKEN, slackClientOptions(config, logger));
  } catch (error) {
    await database.close();
    throw error;
  }
  if (!config.TRIAGE_CHANNEL_ID && config.OPERATOR_USER_IDS.length === 0) {
    logger.warn(
      'Neither TRIAGE_CHANNEL_ID nor OPERATOR_USER_IDS is set: requests for unlisted organizations, or for organizations with no ' +
        'Administrator, reach nobody until one of them is',
    );
  }
  const now = options.now ?? (() => new Date());
  // Codes wait in the outbox sealed with a key only the app's configuration holds.
  const sealingKey = invitationSealingKey(config.SLACK_SIGNING_SECRET);
  const mailer = config.SMTP_URL && config.SMTP_FROM ? createMailer({ url: config.SMTP_URL, from: config.SMTP_FROM }) : null;
  const dispatcher = new OutboxDispatcher({
    prisma: database.prisma,
    sql: database.sql,
    token: config.SLACK_BOT_TOKEN,
    slackApiUrl: config.SLACK_API_URL,
    logger: logger.child({ component: 'outbox' }),
    now,
    invitations: { sealingKey, mailer },
    retryWindowMs: config.OUTBOX_RETRY_HOURS * 60 * 60 * 1000,
    operatorUserIds: config.OPERATOR_USER_IDS,
  });
  const context: GatehouseContext = {
    prisma: database.prisma,
    sql: database.sql,
    settings: { triageChannelId: config.TRIAGE_CHANNEL_ID, operatorUserIds: config.OPERATOR_USER_IDS },
    invitations: { sealingKey },
    logger,
    now,
    wakeOutbox: () => dispatcher.wake(),
  };
  const metrics = createMetrics({ prisma: database.prisma, now });
  const slack = createSlackApp(config, logger, context, bot);
  timeListeners(slack.app, metrics);
  const server = createHttpServer({
    slack: slack.httpReceiver && { receiver: slack.httpReceiver, signingSecret: config.SLACK_SIGNING_SECRET },
    isReady: () => databaseAnswers(database.prisma),
    metrics: metrics.registry,
    logger,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, options.host, () => resolve());
  });
  if (slack.socketReceiver) {
    try {
      await slack.app.start();
    } catch (error) {
      mailer?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
      throw socketModeFailure(error);
    }
  }
  dispatcher.start();
  const scheduler =
    options.scheduleJobs === false
      ? null
      : startScheduler({
          intervalMinutes: config.JOB_INTERVAL_MINUTES,
          context: () => ({ prisma: database.prisma, now: now(), ...jobSettingsOf(config) }),
          logger: logger.child({ component: 'jobs' }),
          onRun: (job, outcome) => {
            metrics.recordJobRun(
              job,
              outcome.status,
              outcome.status === 'skipped' ? 0 : outcome.durationMs,
              outcome.status === 'succeeded' ? outcome.counts : {},
            );
            if (outcome.status === 'succeeded') dispatcher.wake();
          },
        });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  logger.info({ port, database: describeDatabase(target), mode: slack.socketReceiver ? 'socket' : 'http' }, 'Gatehouse is running');
  let stopping: Promise<void> | undefined;
  return {
    url,
    database,
    dispatcher,
    metrics,
    stop() {
      stopping ??= (async () => {
        await scheduler?.stop();
        await dispatcher.stop();
        mailer?.close();
        if (slack.socketReceiver) await slack.app.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await database.close();
      })();
      return stopping;
    },
  };
}

/**
 * For `process.on('unhandledRejection')`: a promise nothing awaited failed, in Gatehouse's code or
 * a library's. One request's failure must not take the process down with every other request, so
 * it is logged and the process carries on.
 */
export function logUnhandledRejection(logger: Logger): (reason: unknown) => void {
  return (reason) => logger.error({ err: reason }, 'a promise failed and nothing handled it');
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  process.on('unhandledRejection', logUnhandledRejection(logger));
  const running = await startGatehouse(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    if (error instanceof SlackUnavailableError || error instanceof DatabaseUnavailableError) {
      // A cause the operator can fix: one line saying what it is, not a stack.
      console.error(redactText(`Gatehouse could not start: ${error.message}`));
      process.exit(1);
    }
    createLogger('error').fatal({ err: error }, 'Gatehouse failed to start');
    process.exit(1);
  });
}
