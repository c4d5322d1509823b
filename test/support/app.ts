import type { AppConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/logger.js';
import {
  createSlackDriver,
  startSlackEmulator,
  startSocketModeServer,
  type SlackDriver,
  type SlackEmulator,
  type SocketModeServer,
} from '../../src/sandbox/index.js';
import { startGatehouse, type RunningGatehouse } from '../../src/server.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const APP_TOKEN = 'xapp-test-app-token';

export interface TestApp {
  gatehouse: RunningGatehouse;
  emulator: SlackEmulator;
  driver: SlackDriver;
  db: TestDatabase;
  /** Slack's Socket Mode side, when the app was started with an app token. */
  socket?: SocketModeServer;
  stop(): Promise<void>;
}

/** The configuration tests start Gatehouse with: the defaults, quiet, on a port the OS picks. */
export function testAppConfig(overrides: Partial<AppConfig> & Pick<AppConfig, 'DATABASE_URL'>): AppConfig {
  return {
    PORT: 0,
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: undefined,
    SLACK_APP_TOKEN: undefined,
    TRIAGE_CHANNEL_ID: undefined,
    OPERATOR_USER_IDS: [],
    JOB_INTERVAL_MINUTES: 5,
    EXPIRY_WARNING_DAYS: [14, 7, 1],
    REQUEST_REMINDER_DAYS: 3,
    REQUEST_EXPIRY_DAYS: 30,
    OUTBOX_RETRY_HOURS: 24,
    ...overrides,
  };
}

/** Gatehouse on a fresh database of the given kind, talking to an emulated Slack. */
export async function startTestApp(kind: DatabaseKind, overrides: Partial<AppConfig> = {}, options: { now?: () => Date } = {}): Promise<TestApp> {
  const db = await createTestDatabase(kind);
  const emulator = await startSlackEmulator({ token: BOT_TOKEN, appToken: APP_TOKEN });
  const socket = overrides.SLACK_APP_TOKEN ? await startSocketModeServer(emulator) : undefined;
  const gatehouse = await startGatehouse(
    testAppConfig({ DATABASE_URL: db.url, SLACK_API_URL: emulator.url, ...overrides }),
    // Tests run jobs by hand, at the moments they choose.
    { host: '127.0.0.1', logger: createLogger('silent'), scheduleJobs: false, ...(options.now ? { now: options.now } : {}) },
  );
  const driver = createSlackDriver({ appUrl: `${gatehouse.url}/slack/events`, signingSecret: SIGNING_SECRET, emulator });
  return {
    gatehouse,
    emulator,
    driver,
    db,
    socket,
    async stop() {
      await gatehouse.stop();
      await socket?.close();
      await emulator.close();
      await db.drop();
    },
  };
}
