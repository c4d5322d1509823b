import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { App, HTTPReceiver, LogLevel as BoltLogLevel, type types } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { createSlackDriver, type SlackDriver } from '../../src/sandbox/slack-driver.js';
import { REQUIRED_ARGUMENTS, startSlackEmulator, type SlackEmulator, type StoredMessage } from '../../src/sandbox/slack-emulator.js';
import { silentWebApiLogger } from '../support/silent-web-api-logger.js';

const TOKEN = 'xoxb-test-token';
const SIGNING_SECRET = 'test-signing-secret';
const ADA = { id: 'U0ADA000001', name: 'ada', realName: 'Ada Lovelace', email: 'ada@example.com', tz: 'Europe/London' };
const GRACE = { id: 'U0GRACE0001', name: 'grace', realName: 'Grace Hopper', email: 'Grace@Example.com', tz: 'America/New_York' };

function clientFor(emulator: SlackEmulator, token: string | undefined): WebClient {
  return new WebClient(token, { slackApiUrl: emulator.url, retryConfig: { retries: 0 }, logger: silentWebApiLogger });
}

/** The Slack error code of a rejected Web API call. */
async function slackError(call: Promise<unknown>): Promise<string> {
  const error = (await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (failure: unknown) => failure,
  )) as WebAPICallError;
  if (error.code !== ErrorCode.PlatformError) throw error;
  return error.data.error ?? '';
}

/** Block literals in tests are loosely typed (some are invalid on purpose); the emulator judges them. */
const modal = (title: string, blocks: unknown[] = [], extra: Record<string, unknown> = {}): types.ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  blocks: blocks as types.KnownBlock[],
  ...extra,
});

/** A settable clock, so expiry can be tested without waiting. */
function fakeClock(start = 1_700_000_000_000) {
  let current = start;
  return { now: () => current, advance: (ms: number) => void (current += ms) };
}

describe('Slack emulator via @slack/web-api', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  const clock = fakeClock();

  beforeEach(async () => {
    emulator = await startSlackEmulator({ token: TOKEN, users: [ADA, GRACE], channels: ['C0ACCESS001'], now: clock.now });
    client = clientFor(emulator, TOKEN);
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('answers auth.test and records the call with its token', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, team_id: emulator.teamId, user_id: emulator.botUserId, bot_id: emulator.botId });
    expect(emulator.calls).toEqual([
      expect.objectContaining({
        method: 'auth.test',
        token: TOKEN,
        status: 200,
        faulted: false,
        response: expect.objectContaining({ ok: true }),
      }),
    ]);
    expect(emulator.calls[0]?.at).toEqual(new Date(clock.now()));
  });

  it('rejects a missing token with not_authed and a wrong one with invalid_auth', async () => {
    expect(await slackError(clientFor(emulator, undefined).auth.test())).toBe('not_authed');
    expect(await slackError(clientFor(emulator, 'xoxb-wrong').chat.postMessage({ channel: 'C0ACCESS001', text: 'hi' }))).toBe(
      'invalid_auth',
    );
    expect(emulator.callsTo('chat.postMessage')[0]?.token).toBe('xoxb-wrong');
    expect(emulator.messagesIn('C0ACCESS001')).toEqual([]);
  });

  it('accepts the token as a form argument too', async () => {
    const response = await fetch(`${emulator.url}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}`,
    });
    expect(await response.json()).toMatchObject({ ok: true });
    expect(emulator.calls[0]).toMatchObject({ token: TOKEN, args: {} });
  });

  it('posts messages with unique, increasing ts and records parsed blocks', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Access* granted' } }];
    const first = await client.chat.postMessage({ channel: 'C0ACCESS001', text: 'Access granted', blocks });
    const second = await client.chat.postMessage({ channel: 'C0ACCESS001', text: 'again' });
    expect(first).toMatchObject({ ok: true, channel: 'C0ACCESS001', message: { text: 'Access granted', blocks, bot_id: emulator.botId } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(emulator.callsTo('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C0ACCESS001', blocks });
    expect(emulator.messagesIn('C0ACCESS001').map((message) => message.text)).toEqual(['Access granted', 'again']);
    expect(emulator.violations).toEqual([]);
  });

  it('accepts JSON bodies', async () => {
    const response = await fetch(`${emulator.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel: 'C0ACCESS001', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0ACCESS001' });
    expect(emulator.calls[0]?.args).toEqual({ channel: 'C0ACCESS001', text: 'json', blocks: [{ type: 'divider' }] });
  });

  it('answers like Slack when required arguments are missing, and records those as violations', async () => {
    expect(await slackError(client.apiCall('chat.postMessage', { text: 'no channel' }))).toBe('channel_not_found');
    expect(await slackError(client.chat.postMessage({ channel: 'C0ACCESS001' } as never))).toBe('no_text');
    expect(await slackError(client.apiCall('users.lookupByEmail', {}))).toBe('invalid_arguments');
    expect(await slackError(client.apiCall('views.update', { view: modal('Hi') }))).toBe('invalid_arguments');
    expect(await slackError(client.apiCall('conversations.open', {}))).toBe('users_list_not_supplied');
    expect(emulator.violations.map((violation) => [violation.source, violation.error])).toEqual([
      ['chat.postMessage', 'channel_not_found'],
      ['chat.postMessage', 'no_text'],
      ['users.lookupByEmail', 'invalid_arguments'],
      ['views.update', 'invalid_arguments'],
      ['conversations.open', 'users_list_not_supplied'],
    ]);
    expect(emulator.violations[2]?.problems).toEqual(['missing required field: email']);
  });

  it('knows only channels it was told about, opened DMs, and user ids', async () => {
    expect(await slackError(client.chat.postMessage({ channel: 'C0UNKNOWN01', text: 'hi' }))).toBe('channel_not_found');
    emulator.addChannel('C0OUTSIDE01', { botIsMember: false });
    expect(await slackError(client.chat.postMessage({ channel: 'C0OUTSIDE01', text: 'hi' }))).toBe('not_in_channel');

    const opened = await client.conversations.open({ users: ADA.id });
    const dm = opened.channel?.id;
    expect(dm).toMatch(/^D[A-Z0-9]{8,}$/);
    expect((await client.conversations.open({ users: ADA.id })).channel?.id).toBe(dm);
    expect((await client.chat.postMessage({ channel: ADA.id, text: 'to the user id' })).channel).toBe(dm);
    expect(emulator.messagesIn(dm ?? '')).toHaveLength(1);
    expect(await slackError(client.conversations.open({ users: 'U0NOBODY001' }))).toBe('user_not_found');
    expect(emulator.violations).toEqual([]);
  });

  it('updates existing messages and answers message_not_found for unknown ts', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0ACCESS001', text: 'pending' });
    const updated = await client.chat.update({
      channel: 'C0ACCESS001',
      ts: posted.ts ?? '',
      text: 'approved',
      blocks: [{ type: 'divider' }],
    });
    expect(updated).toMatchObject({ ok: true, channel: 'C0ACCESS001', ts: posted.ts, text: 'approved' });
    expect(emulator.findMessage('C0ACCESS001', posted.ts ?? '')).toMatchObject({ text: 'approved', blocks: [{ type: 'divider' }] });
    expect(await slackError(client.chat.update({ channel: 'C0ACCESS001', ts: '1234567890.000001', text: 'x' }))).toBe('message_not_found');
  });

  it('answers chat.postEphemeral with message_ts', async () => {
    const result = await client.chat.postEphemeral({ channel: 'C0ACCESS001', user: ADA.id, text: 'only you' });
    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(emulator.ephemeralMessages).toEqual([expect.objectContaining({ user: ADA.id, text: 'only you', via: 'chat.postEphemeral' })]);
  });

  it('rejects blocks over the limits with invalid_blocks and records the violation', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const failure = client.chat.postMessage({ channel: 'C0ACCESS001', text: 'too long', blocks });
    await expect(failure).rejects.toMatchObject({
      data: {
        ok: false,
        error: 'invalid_blocks',
        response_metadata: { messages: [expect.stringContaining('[json-pointer:/blocks/0/text/text]')] },
      },
    });
    expect(emulator.violations).toEqual([
      expect.objectContaining({
        source: 'chat.postMessage',
        error: 'invalid_blocks',
        problems: [expect.stringMatching(/^\/blocks\/0\/text\/text: .*3000/)],
      }),
    ]);
    expect(emulator.messagesIn('C0ACCESS001')).toEqual([]);
  });

  it('rejects the hidden total-text limit with msg_blocks_too_long and long text with msg_too_long', async () => {
    const blocks = Array.from({ length: 5 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3000) } }));
    expect(await slackError(client.chat.postMessage({ channel: 'C0ACCESS001', text: 'fallback', blocks }))).toBe('msg_blocks_too_long');
    expect(await slackError(client.chat.postMessage({ channel: 'C0ACCESS001', text: 'x'.repeat(40_001) }))).toBe('msg_too_long');
    expect(emulator.violations.map((violation) => violation.error)).toEqual(['msg_blocks_too_long', 'msg_too_long']);
  });

  it('answers users.info and users.lookupByEmail from the directory', async () => {
    const info = await client.users.info({ user: ADA.id });
    expect(info.user).toMatchObject({
      id: ADA.id,
      name: 'ada',
      real_name: 'Ada Lovelace',
      tz: 'Europe/London',
      deleted: false,
      profile: { email: ADA.email },
    });
    expect(typeof info.user?.tz_offset).toBe('number');
    expect(await slackError(client.users.info({ user: 'U0NOBODY001' }))).toBe('user_not_found');
    expect((await client.users.lookupByEmail({ email: 'grace@example.com' })).user?.id).toBe(GRACE.id);
    expect(await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).toBe('users_not_found');
  });

  it('scripts an outage: 503s, then a 429 with Retry-After, then OK, and records each', async () => {
    emulator.failNext('chat.postMessage', { status: 503 }, 2);
    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const post = () =>
      fetch(`${emulator.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=C0ACCESS001&text=hi',
      });

    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(503);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await post()).status).toBe(200);

    expect(emulator.callsTo('chat.postMessage').map((call) => [call.status, call.faulted])).toEqual([
      [503, true],
      [503, true],
      [429, true],
      [200, false],
    ]);
    expect(emulator.messagesIn('C0ACCESS001')).toHaveLength(1);
  });

  it('lets the Web API client see the 429 and its Retry-After', async () => {
    emulator.failNext('*', { status: 429, retryAfter: 12 });
    const strict = new WebClient(TOKEN, {
      slackApiUrl: emulator.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentWebApiLogger,
    });
    await expect(strict.chat.postMessage({ channel: 'C0ACCESS001', text: 'hi' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 12,
    });
  });

  it('lets a retrying client recover from a scripted outage', async () => {
    emulator.failNext('chat.postMessage', { status: 503 });
    emulator.failNext('chat.postMessage', { status: 429, retryAfter: 0 });
    const patient = new WebClient(TOKEN, {
      slackApiUrl: emulator.url,
      retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 1 },
      logger: silentWebApiLogger,
    });
    await expect(patient.chat.postMessage({ channel: 'C0ACCESS001', text: 'eventually' })).resolves.toMatchObject({ ok: true });
    expect(emulator.callsTo('chat.postMessage').map((call) => call.status)).toEqual([503, 429, 200]);
  });

  it('keeps an outage on until it is ended, sparing the methods it was told to', async () => {
    emulator.startOutage({ status: 503 }, { except: ['auth.test'] });
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await expect(client.chat.postMessage({ channel: 'C0ACCESS001', text: 'hi' })).rejects.toMatchObject({
        code: ErrorCode.HTTPError,
        statusCode: 503,
      });
    }
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    emulator.endOutage();
    await expect(client.chat.postMessage({ channel: 'C0ACCESS001', text: 'after' })).resolves.toMatchObject({ ok: true });
    expect(emulator.callsTo('chat.postMessage').filter((call) => call.faulted)).toHaveLength(20);
    expect(emulator.messagesIn('C0ACCESS001').map((message) => message.text)).toEqual(['after']);
  });

  it('consults a fault hook and can answer platform errors', async () => {
    emulator.setFault(({ method, args }) =>
      method === 'chat.postMessage' && args.channel === 'C0ACCESS001' ? { error: 'is_archived' } : undefined,
    );
    expect(await slackError(client.chat.postMessage({ channel: 'C0ACCESS001', text: 'hi' }))).toBe('is_archived');
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    emulator.setFault(undefined);
    await expect(client.chat.postMessage({ channel: 'C0ACCESS001', text: 'hi' })).resolves.toMatchObject({ ok: true });
  });

  it('accepts a trigger id once, within 3 seconds', async () => {
    const trigger = emulator.issueTriggerId(ADA.id);
    const opened = await client.views.open({ trigger_id: trigger, view: modal('Request access') });
    expect(opened.view).toMatchObject({ type: 'modal', root_view_id: opened.view?.id, previous_view_id: null, state: { values: {} } });
    expect(await slackError(client.views.open({ trigger_id: trigger, view: modal('Again') }))).toBe('exchanged_trigger_id');

    const late = emulator.issueTriggerId(ADA.id);
    clock.advance(3_001);
    expect(await slackError(client.views.open({ trigger_id: late, view: modal('Too late') }))).toBe('expired_trigger_id');
    expect(await slackError(client.views.open({ trigger_id: 'made.up.trigger', view: modal('Nope') }))).toBe('invalid_trigger_id');
    expect(emulator.openModals(ADA.id).map((view) => view.id)).toEqual([opened.view?.id]);
  });

  it('stacks at most 3 modals', async () => {
    const root = await client.views.open({ trigger_id: emulator.issueTriggerId(ADA.id), view: modal('One') });
    const second = await client.views.push({
      trigger_id: emulator.issueTriggerId(ADA.id, { viewId: root.view?.id ?? '' }),
      view: modal('Two'),
    });
    const third = await client.views.push({ trigger_id: emulator.issueTriggerId(ADA.id), view: modal('Three') });
    expect(second.view).toMatchObject({ root_view_id: root.view?.id, previous_view_id: root.view?.id });
    expect(emulator.currentModal(ADA.id)?.depth).toBe(3);
    expect(await slackError(client.views.push({ trigger_id: emulator.issueTriggerId(ADA.id), view: modal('Four') }))).toBe(
      'push_limit_reached',
    );
    expect(emulator.currentModal(ADA.id)?.id).toBe(third.view?.id);
  });

  it('updates views by id or external_id and detects stale hashes', async () => {
    const opened = await client.views.open({
      trigger_id: emulator.issueTriggerId(ADA.id),
      view: modal('Loading', [], { external_id: 'req-42' }),
    });
    const firstHash = opened.view?.hash ?? '';
    const updated = await client.views.update({ view_id: opened.view?.id ?? '', hash: firstHash, view: modal('Loaded') });
    expect(updated.view?.hash).not.toBe(firstHash);
    expect(await slackError(client.views.update({ view_id: opened.view?.id ?? '', hash: firstHash, view: modal('Stale') }))).toBe(
      'hash_conflict',
    );
    await expect(client.views.update({ external_id: 'req-42', view: modal('By external id') })).resolves.toMatchObject({ ok: true });
    expect(await slackError(client.views.update({ view_id: 'V0NOPE00001', view: modal('x') }))).toBe('not_found');
  });

  it('rejects bad views with invalid_arguments and records the violation', async () => {
    const trigger = emulator.issueTriggerId(ADA.id);
    const input = {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Reason' },
      element: { type: 'plain_text_input', action_id: 'value' },
    };
    const error = await slackError(client.views.open({ trigger_id: trigger, view: modal('A title longer than 24 chars', [input]) }));
    expect(error).toBe('invalid_arguments');
    expect(emulator.violations[0]?.problems).toEqual([
      expect.stringMatching(/^\/view\/title\/text: .*at most 24/),
      expect.stringMatching(/^\/view\/submit: .*needs a submit/),
    ]);
  });

  it('publishes Home tabs only with type home', async () => {
    const published = await client.views.publish({ user_id: ADA.id, view: { type: 'home', blocks: [{ type: 'divider' }] } });
    expect(published.view).toMatchObject({ type: 'home' });
    expect(emulator.homeView(ADA.id)?.id).toBe(published.view?.id);
    expect(await slackError(client.views.publish({ user_id: ADA.id, view: modal('Not home') as never }))).toBe('invalid_arguments');
  });

  it('keeps file uploads local', async () => {
    const result = await client.filesUploadV2({
      channel_id: 'C0ACCESS001',
      filename: 'audit.csv',
      content: 'user,permission\nada,deploy\n',
      initial_comment: 'Audit',
    });
    expect(result.ok).toBe(true);
    const [grant] = emulator.callsTo('files.getUploadURLExternal');
    expect((grant?.response as { upload_url: string }).upload_url.startsWith(emulator.origin)).toBe(true);
    expect(emulator.uploads.map((upload) => [upload.filename, upload.bytes.toString()])).toEqual([
      ['audit.csv', 'user,permission\nada,deploy\n'],
    ]);
    expect(emulator.messagesIn('C0ACCESS001')).toEqual([
      expect.objectContaining({ text: 'Audit', files: [expect.objectContaining({ name: 'audit.csv' })] }),
    ]);
  });

  it('records calls to methods it does not implement as violations', async () => {
    expect(await slackError(client.apiCall('reactions.add', { channel: 'C0ACCESS001', name: 'tada', timestamp: '1.2' }))).toBe(
      'unknown_method',
    );
    expect(emulator.violations).toEqual([expect.objectContaining({ source: 'reactions.add', error: 'unknown_method' })]);
  });

  it('waits for calls without sleeping, and times out with a useful message', async () => {
    const waiting = emulator.waitForCalls('chat.postMessage', 2, 1_000);
    void client.chat.postMessage({ channel: 'C0ACCESS001', text: 'one' });
    void client.chat.postMessage({ channel: 'C0ACCESS001', text: 'two' });
    expect((await waiting).map((call) => call.args.text)).toEqual(['one', 'two']);
    await expect(emulator.waitForCalls('views.open', 1, 50)).rejects.toThrow(
      /1 call\(s\) to views.open; recorded: chat.postMessage, chat.postMessage/,
    );
  });

  it('serves response URLs: 5 uses within 30 minutes', async () => {
    const responseUrl = emulator.newResponseUrl({ userId: ADA.id, channelId: 'C0ACCESS001' });
    expect(responseUrl.startsWith(`${emulator.origin}/response/`)).toBe(true);
    const post = (body: unknown) =>
      fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (let use = 1; use <= 5; use += 1) {
      const response = await post({ text: `reply ${use}`, response_type: 'ephemeral' });
      expect([response.status, await response.text()]).toEqual([200, 'ok']);
    }
    const sixth = await post({ text: 'one too many' });
    expect([sixth.status, await sixth.text()]).toEqual([404, 'used_url']);
    expect(emulator.responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 404]);
    expect(emulator.responses[0]).toMatchObject({ body: { text: 'reply 1', response_type: 'ephemeral' }, context: { userId: ADA.id } });

    const later = emulator.newResponseUrl({});
    clock.advance(30 * 60_000 + 1);
    const expired = await fetch(later, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"late"}' });
    expect([expired.status, await expired.text()]).toEqual([404, 'expired_url']);
  });

  it('applies replace_original from a response URL to the original message and checks its blocks', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0ACCESS001', text: 'Approve?' });
    const responseUrl = emulator.newResponseUrl({ channelId: 'C0ACCESS001', messageTs: posted.ts ?? '' });
    await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Approved' }),
    });
    expect(emulator.findMessage('C0ACCESS001', posted.ts ?? '')?.text).toBe('Approved');

    const bad = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }),
    });
    expect([bad.status, await bad.text()]).toEqual([400, 'invalid_blocks']);
    expect(emulator.violations).toEqual([expect.objectContaining({ source: 'response_url', error: 'invalid_blocks' })]);
  });

  it("matches the required arguments in Slack's OpenAPI spec", () => {
    const specPath = path.join(PROJECT_ROOT, 'test/fixtures/slack/web-api.openapi.json');
    interface Parameter {
      name: string;
      in: string;
      required?: boolean;
    }
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
    const newerThanSpec: string[] = [];
    for (const [method, ours] of Object.entries(REQUIRED_ARGUMENTS)) {
      const operations = spec.paths[`/${method}`];
      if (operations === undefined) {
        newerThanSpec.push(method);
        continue;
      }
      const specRequired = Object.values(operations)
        .flatMap((operation) => operation.parameters ?? [])
        .filter((parameter) => parameter.required === true && parameter.name !== 'token')
        .map((parameter) => parameter.name);
      expect(ours, method).toEqual(expect.arrayContaining(specRequired));
    }
    // The spec was last updated in 2020: only the upload methods behind files.uploadV2 are newer.
    expect(
      newerThanSpec.every((method) => /^files\..*External$/.test(method)),
      newerThanSpec.join(', '),
    ).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The driver, against a bare HTTP server that checks Slack's signature itself
// ---------------------------------------------------------------------------------------------

interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  rawBody: string;
  form: URLSearchParams;
  payload: Record<string, unknown> | undefined;
  json: Record<string, unknown> | undefined;
}

/** Verifies like Slack documents: HMAC over `v0:ts:body`, constant-time compare, 5-minute window both ways. */
function hasValidSignature(headers: IncomingMessage['headers'], rawBody: string): boolean {
  const timestamp = Number(headers['x-slack-request-timestamp']);
  if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const received = Buffer.from(String(headers['x-slack-signature'] ?? ''));
  return expected.length === received.length && timingSafeEqual(expected, received);
}

async function startFakeApp(reply: (request: ReceivedRequest) => { status?: number; body?: unknown } = () => ({})) {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (!hasValidSignature(request.headers, rawBody)) {
        response.writeHead(401).end('invalid signature');
        return;
      }
      const isForm = request.headers['content-type'] === 'application/x-www-form-urlencoded';
      const form = new URLSearchParams(isForm ? rawBody : '');
      const payloadText = form.get('payload');
      const entry: ReceivedRequest = {
        headers: request.headers,
        rawBody,
        form,
        payload: payloadText === null ? undefined : (JSON.parse(payloadText) as Record<string, unknown>),
        json: isForm ? undefined : (JSON.parse(rawBody) as Record<string, unknown>),
      };
      received.push(entry);
      const { status = 200, body } = reply(entry);
      if (body === undefined) response.writeHead(status).end();
      else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Slack driver', () => {
  let emulator: SlackEmulator;
  let app: Awaited<ReturnType<typeof startFakeApp>>;
  let driver: SlackDriver;
  let nextReply: (request: ReceivedRequest) => { status?: number; body?: unknown };

  const requestForm: types.ModalView = {
    type: 'modal',
    callback_id: 'request_access',
    private_metadata: '{"org":7}',
    title: { type: 'plain_text', text: 'Request access' },
    submit: { type: 'plain_text', text: 'Send' },
    blocks: [
      {
        type: 'input',
        block_id: 'permission',
        label: { type: 'plain_text', text: 'Permission' },
        element: {
          type: 'static_select',
          action_id: 'choice',
          options: [
            { text: { type: 'plain_text', text: 'Deploy' }, value: 'deploy' },
            { text: { type: 'plain_text', text: 'Read logs' }, value: 'logs' },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'value', max_length: 20 },
      },
      {
        type: 'input',
        block_id: 'until',
        optional: true,
        label: { type: 'plain_text', text: 'Until' },
        element: { type: 'datepicker', action_id: 'date' },
      },
    ],
  };

  beforeEach(async () => {
    emulator = await startSlackEmulator({ token: TOKEN, users: [ADA], channels: ['C0ACCESS001'] });
    nextReply = () => ({});
    app = await startFakeApp((request) => nextReply(request));
    driver = createSlackDriver({ appUrl: app.url, signingSecret: SIGNING_SECRET, emulator });
  });

  afterEach(async () => {
    await app.close();
    await emulator.close();
  });

  it('sends slash commands signed, form-encoded, with an emulator trigger id and response_url', async () => {
    const response = await driver.slashCommand({ userId: ADA.id, command: '/access', text: 'request deploy' });
    expect(response.status).toBe(200);
    const [request] = app.received;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request?.form ?? [])).toMatchObject({
      team_id: emulator.teamId,
      user_id: ADA.id,
      user_name: 'ada',
      command: '/access',
      text: 'request deploy',
      channel_id: emulator.dmChannelFor(ADA.id),
      channel_name: 'directmessage',
      api_app_id: emulator.appId,
      is_enterprise_install: 'false',
      response_url: response.responseUrl,
      trigger_id: response.triggerId,
    });

    // The trigger works once with the emulator, the response_url is served by it.
    await expect(
      clientFor(emulator, TOKEN).views.open({ trigger_id: response.triggerId, view: modal('Request access') }),
    ).resolves.toMatchObject({ ok: true });
    await fetch(response.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"Working on it"}',
    });
    expect(driver.lastResponse()?.body.text).toBe('Working on it');
  });

  it('can send a stale timestamp or a bad signature, which a verifying app refuses', async () => {
    const stale = await driver.slashCommand({ userId: ADA.id, text: '', timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect([stale.status, stale.body]).toEqual([401, 'invalid signature']);
    const forged = await driver.slashCommand({ userId: ADA.id, text: '', signature: 'v0=deadbeef' });
    expect(forged.status).toBe(401);
    expect(app.received).toHaveLength(0);
  });

  it('sends Events API envelopes as signed JSON, with retry headers when asked', async () => {
    const first = await driver.event({ event: { type: 'app_home_opened', user: ADA.id, tab: 'home' } });
    await driver.event({
      event: { type: 'app_home_opened', user: ADA.id, tab: 'home' },
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    const [original, retry] = app.received;
    expect(original?.json).toMatchObject({
      type: 'event_callback',
      team_id: emulator.teamId,
      api_app_id: emulator.appId,
      event_id: first.eventId,
      event: { type: 'app_home_opened', user: ADA.id, event_ts: expect.any(String) },
      authorizations: [{ team_id: emulator.teamId, user_id: emulator.botUserId, is_bot: true }],
    });
    expect(typeof original?.json?.event_time).toBe('number');
    expect(original?.headers['x-slack-retry-num']).toBeUndefined();
    expect(retry?.json?.event_id).toBe(first.eventId);
    expect([retry?.headers['x-slack-retry-num'], retry?.headers['x-slack-retry-reason']]).toEqual(['1', 'http_timeout']);
  });

  it('submits an opened view with values shaped like Slack state, and closes it on an empty ack', async () => {
    const trigger = emulator.issueTriggerId(ADA.id);
    await clientFor(emulator, TOKEN).views.open({ trigger_id: trigger, view: requestForm });
    const [openCall] = emulator.callsTo('views.open');

    const response = await driver.submitView(openCall!, { permission: { choice: 'deploy' }, reason: { value: 'on call' } });
    expect(response.status).toBe(200);
    const payload = app.received[0]?.payload;
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: ADA.id, username: 'ada' },
      team: { id: emulator.teamId },
      view: {
        id: response.viewId,
        type: 'modal',
        callback_id: 'request_access',
        private_metadata: '{"org":7}',
        hash: expect.any(String),
        root_view_id: response.viewId,
        app_id: emulator.appId,
        state: {
          values: {
            permission: {
              choice: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Deploy' }, value: 'deploy' } },
            },
            reason: { value: { type: 'plain_text_input', value: 'on call' } },
            until: { date: { type: 'datepicker', selected_date: null } },
          },
        },
      },
    });
    expect(emulator.openModals(ADA.id)).toEqual([]);
    expect(emulator.violations).toEqual([]);
  });

  it('keeps the view open on response_action errors and flags errors for blocks that are not inputs', async () => {
    await clientFor(emulator, TOKEN).views.open({ trigger_id: emulator.issueTriggerId(ADA.id), view: requestForm });
    const view = emulator.currentModal(ADA.id)!;
    nextReply = () => ({ body: { response_action: 'errors', errors: { reason: 'Say why', nonsense: 'x' } } });
    await driver.submitView(view, { permission: { choice: 'logs' }, reason: { value: 'audit' } });
    expect(emulator.currentModal(ADA.id)?.id).toBe(view.id);
    expect(emulator.violations).toEqual([
      expect.objectContaining({ source: 'ack:view_submission', problems: [expect.stringContaining('"nonsense"')] }),
    ]);
  });

  it('applies response_action update, checking the new view', async () => {
    await clientFor(emulator, TOKEN).views.open({ trigger_id: emulator.issueTriggerId(ADA.id), view: requestForm });
    const view = emulator.currentModal(ADA.id)!;
    nextReply = () => ({
      body: { response_action: 'update', view: modal('Sent', [{ type: 'section', text: { type: 'mrkdwn', text: 'Thanks' } }]) },
    });
    await driver.submitView(view, { permission: { choice: 'logs' }, reason: { value: 'audit' } });
    expect(emulator.currentModal(ADA.id)?.definition.title).toEqual({ type: 'plain_text', text: 'Sent' });
  });

  it('refuses submissions the Slack client would not send', async () => {
    await clientFor(emulator, TOKEN).views.open({ trigger_id: emulator.issueTriggerId(ADA.id), view: requestForm });
    const view = emulator.currentModal(ADA.id)!;
    await expect(driver.submitView(view, { reason: { value: 'x' } })).rejects.toThrow(/required input "permission" is empty/);
    await expect(driver.submitView(view, { permission: { choice: 'admin' }, reason: { value: 'x' } })).rejects.toThrow(
      /no option with value "admin"/,
    );
    await expect(driver.submitView(view, { permission: { choice: 'logs' }, reason: { value: 'x'.repeat(21) } })).rejects.toThrow(
      /at most 20 characters/,
    );
    await expect(driver.submitView(view, { permission: { choice: 'logs' }, reason: { value: 'x' }, typo: { value: 'x' } })).rejects.toThrow(
      /typo\/value/,
    );
    expect(app.received).toHaveLength(0);
  });

  it('clicks a button on a posted message like Slack does', async () => {
    const posted = await clientFor(emulator, TOKEN).chat.postMessage({
      channel: 'C0ACCESS001',
      text: 'Ada wants deploy',
      blocks: [
        {
          type: 'actions',
          block_id: 'decision',
          elements: [{ type: 'button', action_id: 'approve', value: 'req-9', text: { type: 'plain_text', text: 'Approve' } }],
        },
      ],
    });
    const click = await driver.clickButton({
      userId: ADA.id,
      actionId: 'approve',
      message: { channel: 'C0ACCESS001', ts: posted.ts ?? '' },
    });
    expect(app.received[0]?.payload).toMatchObject({
      type: 'block_actions',
      trigger_id: click.triggerId,
      response_url: click.responseUrl,
      container: { type: 'message', message_ts: posted.ts, channel_id: 'C0ACCESS001' },
      channel: { id: 'C0ACCESS001' },
      message: { ts: posted.ts, text: 'Ada wants deploy' },
      actions: [{ type: 'button', action_id: 'approve', block_id: 'decision', value: 'req-9', action_ts: expect.any(String) }],
    });
    await expect(
      driver.clickButton({ userId: ADA.id, actionId: 'reject', message: { channel: 'C0ACCESS001', ts: posted.ts ?? '' } }),
    ).rejects.toThrow(/No element with action_id "reject"/);

    // The response_url acts on the clicked message.
    await fetch(click.responseUrl ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Approved by ada' }),
    });
    expect(emulator.findMessage('C0ACCESS001', posted.ts ?? '')?.text).toBe('Approved by ada');
  });

  it('asks for external select options and checks the answer', async () => {
    nextReply = () => ({
      body: {
        options: Array.from({ length: 101 }, (_, index) => ({ text: { type: 'plain_text', text: `o${index}` }, value: `v${index}` })),
      },
    });
    const answer = await driver.blockSuggestion({ userId: ADA.id, actionId: 'org', blockId: 'org_block', value: 'acm' });
    expect(app.received[0]?.payload).toMatchObject({ type: 'block_suggestion', action_id: 'org', block_id: 'org_block', value: 'acm' });
    expect(answer.options).toHaveLength(101);
    expect(emulator.violations).toEqual([
      expect.objectContaining({ source: 'ack:block_suggestion', problems: ['/options: options must have at most 100 items (got 101)'] }),
    ]);
  });

  it('sends view_closed only when the view asked for it', async () => {
    await clientFor(emulator, TOKEN).views.open({
      trigger_id: emulator.issueTriggerId(ADA.id),
      view: { ...requestForm, notify_on_close: true },
    });
    await driver.dismissView(emulator.currentModal(ADA.id)!);
    expect(app.received[0]?.payload).toMatchObject({ type: 'view_closed', is_cleared: false, view: { callback_id: 'request_access' } });
    expect(emulator.openModals()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The whole harness with a real Bolt app
// ---------------------------------------------------------------------------------------------

describe('harness with Bolt', () => {
  it('runs a slash command → modal → submission → DM round trip', async () => {
    const emulator = await startSlackEmulator({ token: TOKEN, users: [ADA] });
    const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, logLevel: BoltLogLevel.ERROR });
    const bolt = new App({
      token: TOKEN,
      receiver,
      logLevel: BoltLogLevel.ERROR,
      clientOptions: { slackApiUrl: emulator.url, retryConfig: { retries: 0 } },
    });
    bolt.command('/access', async ({ ack, body, client, respond }) => {
      await ack();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: modal(
          'Request access',
          [
            {
              type: 'input',
              block_id: 'reason',
              label: { type: 'plain_text', text: 'Reason' },
              element: { type: 'plain_text_input', action_id: 'value' },
            },
          ],
          {
            callback_id: 'request_access',
            submit: { type: 'plain_text', text: 'Send' },
          },
        ),
      });
      await respond({ text: 'Opening the form…' });
    });
    bolt.view('request_access', async ({ ack, view, body, client }) => {
      await ack();
      await client.chat.postMessage({ channel: body.user.id, text: `Request received: ${view.state.values.reason?.value?.value ?? ''}` });
    });
    const server = createServer(receiver.requestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const driver = createSlackDriver({
      appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      emulator,
    });
    try {
      expect((await driver.slashCommand({ userId: ADA.id, text: '' })).status).toBe(200);
      const [opened] = await emulator.waitForCalls('views.open');
      await emulator.waitForResponses(1);
      expect(driver.lastResponse()?.body.text).toBe('Opening the form…');

      expect((await driver.submitView(opened!, { reason: { value: 'on call' } })).status).toBe(200);
      await emulator.waitForCalls('chat.postMessage');
      const dm = emulator.messagesIn(emulator.dmChannelFor(ADA.id));
      expect(dm.map((message: StoredMessage) => message.text)).toEqual(['Request received: on call']);
      expect(emulator.violations).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    }
  });
});
