import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config/env.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { createLogger } from '../../src/logger.js';
import { createSlackDriver, startSlackEmulator, type SlackEmulator } from '../../src/sandbox/index.js';
import { startGatehouse } from '../../src/server.js';
import { boltLoggerFrom } from '../../src/slack/bolt-logger.js';
import { BOT_TOKEN, SIGNING_SECRET, startTestApp, testAppConfig } from '../support/app.js';
import { createEmptyDatabase, type EmptyDatabase } from '../support/databases.js';

/** A local port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configFor(database: EmptyDatabase, slackApiUrl: string): AppConfig {
  return testAppConfig({ DATABASE_URL: database.url, SLACK_API_URL: slackApiUrl });
}

/** Runs `src/server.ts` as `npm start` would run it, and collects what it printed; killed if it outlives `limitMs`. */
async function runServer(env: Record<string, string>, limitMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/server.ts')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(killer);
  return { code, stdout, stderr };
}

describe('start-up against Slack', () => {
  let emulator: SlackEmulator | undefined;
  let database: EmptyDatabase | undefined;
  afterEach(async () => {
    await emulator?.close();
    await database?.drop();
    emulator = undefined;
    database = undefined;
  });

  it("refuses to start when Slack refuses the bot token, naming SLACK_BOT_TOKEN and Slack's error code", async () => {
    emulator = await startSlackEmulator({ token: 'xoxb-the-token-slack-knows' });
    database = await createEmptyDatabase('sqlite');
    await expect(
      startGatehouse(configFor(database, emulator.url), { host: '127.0.0.1', logger: createLogger('silent'), scheduleJobs: false }),
    ).rejects.toThrow(/^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
    expect(emulator.callsTo('auth.test')).toHaveLength(1);
  });

  it('refuses to start when Slack cannot be reached, naming the call and the URL', async () => {
    database = await createEmptyDatabase('sqlite');
    const url = `http://127.0.0.1:${await closedPort()}/api/`;
    await expect(
      startGatehouse(configFor(database, url), { host: '127.0.0.1', logger: createLogger('silent'), scheduleJobs: false }),
    ).rejects.toThrow(new RegExp(`^Could not reach Slack: auth\\.test at ${url.replace(/\./g, '\\.')}auth\\.test failed`));
  });

  it('refuses to start in Socket Mode when Slack refuses the app token, naming SLACK_APP_TOKEN, and lets its port go', async () => {
    emulator = await startSlackEmulator({ token: BOT_TOKEN, appToken: 'xapp-the-token-slack-knows' });
    database = await createEmptyDatabase('sqlite');
    const port = await closedPort();
    await expect(
      startGatehouse(
        { ...configFor(database, emulator.url), PORT: port, SLACK_APP_TOKEN: 'xapp-refused-token' },
        { host: '127.0.0.1', logger: createLogger('silent'), scheduleJobs: false },
      ),
    ).rejects.toThrow(/^Slack refused SLACK_APP_TOKEN \(invalid_auth\)/);
    expect(emulator.callsTo('apps.connections.open')).toHaveLength(1);
    // Nothing is left listening: the port can be taken again at once.
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it('names an unreachable PostgreSQL server by host and port instead of calling it unmigrated', async () => {
    emulator = await startSlackEmulator({ token: BOT_TOKEN });
    const port = await closedPort();
    const unreachable: EmptyDatabase = {
      url: `postgresql://gatehouse:secret@127.0.0.1:${port}/gatehouse`,
      target: { provider: 'postgresql', url: '' },
      drop: async () => undefined,
    };
    await expect(
      startGatehouse(configFor(unreachable, emulator.url), { host: '127.0.0.1', logger: createLogger('silent'), scheduleJobs: false }),
    ).rejects.toThrow(
      `cannot reach the PostgreSQL server at 127.0.0.1:${port}; check that it is running and that DATABASE_URL names the right host and port.`,
    );
    expect(emulator.calls).toEqual([]);
  });

  it('asks Slack about the token once, and Bolt does not ask again', async () => {
    const app = await startTestApp('sqlite');
    try {
      expect(app.emulator.callsTo('auth.test')).toHaveLength(1);
      const response = await app.driver.slashCommand({ userId: 'U0SOMEONE', text: 'help' });
      expect(response.status).toBe(200);
      expect(app.emulator.callsTo('auth.test')).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });

  it('exits 1 with one line saying Slack refused the token, and never says it is running', async () => {
    emulator = await startSlackEmulator({ token: 'xoxb-the-token-slack-knows' });
    database = await createEmptyDatabase('sqlite');
    const result = await runServer({
      DATABASE_URL: database.url,
      PORT: String(await closedPort()),
      SLACK_BOT_TOKEN: 'xoxb-refused-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.url,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Gatehouse could not start: Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/),
    ]);
    expect(result.stdout).not.toContain('Gatehouse is running');
    expect(result.stderr + result.stdout).not.toContain('xoxb-refused-token');
  }, 60_000);

  it('exits 1 with one line naming the call and the URL when Slack cannot be reached', async () => {
    database = await createEmptyDatabase('sqlite');
    const url = `http://127.0.0.1:${await closedPort()}/api/`;
    const result = await runServer({
      DATABASE_URL: database.url,
      PORT: String(await closedPort()),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: url,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `Gatehouse could not start: Could not reach Slack: auth.test at ${url}auth.test failed (connect ECONNREFUSED ${url.slice('http://'.length, -'/api/'.length)}).`,
    ]);
    expect(result.stdout).not.toContain('Gatehouse is running');
  }, 60_000);
});

describe('LOG_LEVEL and Bolt', () => {
  const captured = () => {
    const lines: Array<{ level: string; component?: string; msg: string }> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
        done();
      },
    });
    return { lines, destination };
  };

  it('keeps Bolt as quiet as the app when Bolt sets its own level', () => {
    const { lines, destination } = captured();
    const bolt = boltLoggerFrom(createLogger('error', destination));
    bolt.setLevel(LogLevel.INFO); // what Bolt's App does with a logger it is given and no logLevel
    bolt.info('an info line');
    bolt.warn('a warning');
    bolt.error('an error');
    expect(lines.map((line) => line.msg)).toEqual(['an error']);
  });

  it('lets Bolt log at debug level when LOG_LEVEL is debug', async () => {
    const { lines, destination } = captured();
    const emulator = await startSlackEmulator({ token: BOT_TOKEN });
    const database = await createEmptyDatabase('sqlite');
    const gatehouse = await startGatehouse(
      { ...configFor(database, emulator.url), LOG_LEVEL: 'debug' },
      { host: '127.0.0.1', logger: createLogger('debug', destination), scheduleJobs: false },
    );
    try {
      const driver = createSlackDriver({ appUrl: `${gatehouse.url}/slack/events`, signingSecret: SIGNING_SECRET, emulator });
      expect((await driver.slashCommand({ userId: 'U0SOMEONE', text: 'help' })).status).toBe(200);
      expect(lines.filter((line) => line.component === 'bolt' && line.level === 'debug').length).toBeGreaterThan(0);
    } finally {
      await gatehouse.stop();
      await emulator.close();
      await database.drop();
    }
  });
});
