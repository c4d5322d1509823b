import { expect } from 'vitest';
import type { AppConfig } from '../../src/config/env.js';
import { createLogger, type Logger } from '../../src/logger.js';
import {
  createSlackDriver,
  startSlackEmulator,
  startSocketModeServer,
  type SlackDriver,
  type SlackEmulator,
  type SocketModeServer,
} from '../../src/sandbox/index.js';
import { startGatehouse, type RunningGatehouse } from '../../src/server.js';
import { SLASH_COMMAND } from '../../src/slack/commands.js';
import { BlockCorpusFile, currentTestFile, surfacesShown, type AppAck } from './block-corpus.js';
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

/** Where this test file's surfaces go; one per test file, as vitest loads this module afresh for each. */
const blockCorpus = new BlockCorpusFile();

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
export async function startTestApp(
  kind: DatabaseKind,
  overrides: Partial<AppConfig> = {},
  options: { now?: () => Date; logger?: Logger } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(kind);
  const emulator = await startSlackEmulator({ token: BOT_TOKEN, appToken: APP_TOKEN });
  const socket = overrides.SLACK_APP_TOKEN ? await startSocketModeServer(emulator) : undefined;
  const gatehouse = await startGatehouse(
    testAppConfig({ DATABASE_URL: db.url, SLACK_API_URL: emulator.url, ...overrides }),
    // Tests run jobs by hand, at the moments they choose.
    {
      host: '127.0.0.1',
      logger: options.logger ?? createLogger('silent'),
      scheduleJobs: false,
      ...(options.now ? { now: options.now } : {}),
    },
  );
  const driver = createSlackDriver({ appUrl: `${gatehouse.url}/slack/events`, signingSecret: SIGNING_SECRET, emulator });
  const recordSurfaces = recordSurfacesForCorpus(emulator, driver);
  return {
    gatehouse,
    emulator,
    driver,
    db,
    socket,
    async stop() {
      await gatehouse.stop();
      await socket?.close();
      recordSurfaces();
      await emulator.close();
      await db.drop();
    },
  };
}

/**
 * Returns what adds every surface the app made Slack show to the block corpus: the emulator's
 * recordings, and what the app answered Slack's requests with (a command's reply, a view
 * submission's next view), which the driver sees and the emulator does not record. It runs when the
 * app stops, and before a test clears the recordings, so what was shown before the clear counts too.
 */
function recordSurfacesForCorpus(emulator: SlackEmulator, driver: SlackDriver): () => void {
  const testFile = currentTestFile(expect.getState().testPath);
  const acks: AppAck[] = [];
  const record = () => {
    blockCorpus.append(surfacesShown(testFile, { calls: emulator.calls, responses: emulator.responses, acks }));
    acks.length = 0;
  };
  const clearRecordings = emulator.clear.bind(emulator);
  emulator.clear = () => {
    record();
    clearRecordings();
  };
  // Each public way in is wrapped; the driver's own helpers call its inner functions, never these.
  const { slashCommand, blockActions, interact, clickButton, viewSubmission, submitView } = driver;
  driver.slashCommand = async (params) => keep(params.command ?? SLASH_COMMAND, await slashCommand(params));
  driver.blockActions = async (params) => keep('block_actions', await blockActions(params));
  driver.interact = async (params) => keep('block_actions', await interact(params));
  driver.clickButton = async (params) => keep('block_actions', await clickButton(params));
  driver.viewSubmission = async (params) => keep('view_submission', await viewSubmission(params));
  driver.submitView = async (...args) => keep('view_submission', await submitView(...args));
  function keep<Response extends { json: unknown }>(request: string, response: Response): Response {
    acks.push({ request, body: response.json });
    return response;
  }
  return record;
}
