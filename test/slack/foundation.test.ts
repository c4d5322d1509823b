import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startGatehouse } from '../../src/server.js';
import { APP_TOKEN, startTestApp, testAppConfig, type TestApp } from '../support/app.js';
import { createEmptyDatabase, DATABASE_KINDS } from '../support/databases.js';

const USER = { id: 'U0REQUESTER', name: 'rita', realName: 'Rita Requester', email: 'rita@example.com' };

describe.each(DATABASE_KINDS)('Gatehouse over HTTP on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(USER);
  });
  afterAll(async () => {
    await app.stop();
  });

  const textOf = (body: unknown) => JSON.stringify(body);

  it('answers /access help ephemerally with the commands', async () => {
    const response = await app.driver.slashCommand({ userId: USER.id, text: 'help' });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(response.json)).toContain('/access help');
    expect(app.emulator.violations).toEqual([]);
  });

  it('treats a bare /access as help', async () => {
    const bare = await app.driver.slashCommand({ userId: USER.id, text: '' });
    const help = await app.driver.slashCommand({ userId: USER.id, text: 'help' });
    expect(bare.json).toEqual(help.json);
  });

  it('answers an unknown subcommand with a clear error and the list, without interpreting the text', async () => {
    const response = await app.driver.slashCommand({ userId: USER.id, text: '<!channel> *frobnicate* now' });
    expect(response.status).toBe(200);
    const body = response.json as { response_type: string; text: string; blocks: Array<{ text?: { type: string; text: string } }> };
    expect(body.response_type).toBe('ephemeral');
    expect(body.blocks[0]?.text).toEqual({ type: 'plain_text', text: '"<!channel>" is not a Gatehouse command.', emoji: false });
    expect(textOf(body)).toContain('/access help');
    expect(app.emulator.violations).toEqual([]);
  });

  it('refuses a request with a bad signature with 401, and runs no handler', async () => {
    app.emulator.clear();
    const response = await app.driver.slashCommand({ userId: USER.id, text: 'help', signature: 'v0=0123456789abcdef' });
    expect(response.status).toBe(401);
    expect(response.body).toBe('');
    expect(app.emulator.calls).toEqual([]);
  });

  it('refuses a timestamp more than five minutes old with 401, and runs no handler', async () => {
    app.emulator.clear();
    const stale = Math.floor(Date.now() / 1000) - 5 * 60 - 5;
    const response = await app.driver.slashCommand({ userId: USER.id, text: 'help', timestamp: stale });
    expect(response.status).toBe(401);
    expect(response.body).toBe('');
    expect(app.emulator.calls).toEqual([]);
  });

  it('refuses a timestamp more than five minutes ahead with 401', async () => {
    const future = Math.floor(Date.now() / 1000) + 5 * 60 + 5;
    const response = await app.driver.slashCommand({ userId: USER.id, text: 'help', timestamp: future });
    expect(response.status).toBe(401);
  });

  it('accepts a timestamp inside the window', async () => {
    const recent = Math.floor(Date.now() / 1000) - 4 * 60;
    const response = await app.driver.slashCommand({ userId: USER.id, text: 'help', timestamp: recent });
    expect(response.status).toBe(200);
  });

  it('publishes the App Home tab when it is opened', async () => {
    const response = await app.driver.event({ event: { type: 'app_home_opened', user: USER.id, channel: 'D0RITA', tab: 'home' } });
    expect(response.status).toBe(200);
    const [publish] = await app.emulator.waitForCalls('views.publish', 1, 10_000);
    expect(publish?.args).toMatchObject({ user_id: USER.id, view: expect.objectContaining({ type: 'home' }) });
    expect(JSON.stringify(app.emulator.homeView(USER.id))).toContain('/access help');
    expect(app.emulator.violations).toEqual([]);
  });

  it('says it is alive and ready, as JSON', async () => {
    const health = await fetch(`${app.gatehouse.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toContain('application/json');
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${app.gatehouse.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
    expect((await fetch(`${app.gatehouse.url}/nowhere`)).status).toBe(404);
  });

  // An SQLite file cannot stop answering while the process holds it open.
  it.runIf(kind === 'postgresql')('reports not ready, as JSON, when the database stops answering', async () => {
    await app.db.drop();
    const ready = await fetch(`${app.gatehouse.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    expect((await fetch(`${app.gatehouse.url}/healthz`)).status).toBe(200);
  });
});

describe('starting on PostgreSQL', () => {
  it('refuses to start on a database that has not been migrated, and says how to fix it', async () => {
    const empty = await createEmptyDatabase('postgresql');
    try {
      await expect(
        startGatehouse(testAppConfig({ DATABASE_URL: empty.url, SLACK_API_URL: 'http://127.0.0.1:9/api/' }), {
          host: '127.0.0.1',
          logger: createLogger('silent'),
          scheduleJobs: false,
        }),
      ).rejects.toThrow(/npm run db:migrate/);
    } finally {
      await empty.drop();
    }
  });
});

describe('Gatehouse in Socket Mode', () => {
  it('connects with the app token and answers /access help over the socket', async () => {
    const app = await startTestApp('sqlite', { SLACK_APP_TOKEN: APP_TOKEN });
    try {
      await app.socket!.connected();
      const [open] = app.emulator.callsTo('apps.connections.open');
      expect(open?.token).toBe(APP_TOKEN);
      const ack = await app.socket!.slashCommand({
        team_id: 'T0SANDBOX01',
        user_id: USER.id,
        channel_id: 'D0RITA',
        command: '/access',
        text: 'help',
        trigger_id: '1.2.3',
        response_url: 'http://127.0.0.1:9/response',
        api_app_id: 'A0GATEHOUSE',
      });
      expect(ack.payload).toMatchObject({ response_type: 'ephemeral' });
      expect(JSON.stringify(ack.payload)).toContain('/access help');
      // Slack's requests come over the socket, so the HTTP endpoint serves only the probes.
      expect((await fetch(`${app.gatehouse.url}/slack/events`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${app.gatehouse.url}/readyz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
