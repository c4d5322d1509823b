// The emulator as a Slack a person watches (the demo): a fixed port, a change notification, and
// the state queries the demo's web client is drawn from.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import type { types } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackDriver, type SlackDriver } from '../../src/sandbox/slack-driver.js';
import { startSlackEmulator, type EmulatorChange, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';
import { silentWebApiLogger } from '../support/silent-web-api-logger.js';

const TOKEN = 'xoxb-test-token';
const SIGNING_SECRET = 'test-signing-secret';
const ADA = { id: 'U0ADA000001', name: 'ada', realName: 'Ada Lovelace', email: 'ada@example.com', tz: 'America/Los_Angeles' };
const GRACE = { id: 'U0GRACE0001', name: 'grace', realName: 'Grace Hopper', email: 'grace@example.com', tz: 'America/New_York' };
const CHANNEL = 'C0ADMINS001';

const form = (title: string): types.ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: 'Send' },
  blocks: [
    {
      type: 'input',
      block_id: 'reason',
      label: { type: 'plain_text', text: 'Reason' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
});

/** An app that answers every request with the next scripted reply. */
async function startScriptedApp(reply: () => { status?: number; body?: unknown }): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { status = 200, body } = reply();
      if (body === undefined) return void response.writeHead(status).end();
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, server };
}

describe('the emulator as a watched Slack', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  let changes: EmulatorChange[];
  let unsubscribe: () => void;

  beforeEach(async () => {
    emulator = await startSlackEmulator({ token: TOKEN, users: [ADA, GRACE], channels: [CHANNEL] });
    client = new WebClient(TOKEN, { slackApiUrl: emulator.url, retryConfig: { retries: 0 }, logger: silentWebApiLogger });
    changes = [];
    unsubscribe = emulator.onChange((change) => changes.push(change));
  });

  afterEach(async () => {
    unsubscribe();
    await emulator.close();
  });

  it('listens on the port it is given, and frees it on close', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const fixed = await startSlackEmulator({ token: TOKEN, port, host: '127.0.0.1' });
    expect(fixed.port).toBe(port);
    expect(fixed.url).toBe(`http://127.0.0.1:${port}/api/`);
    const answer = (await (
      await fetch(`${fixed.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { ok: boolean };
    expect(answer.ok).toBe(true);
    await fixed.close();
    await expect(fetch(`${fixed.url}auth.test`, { method: 'POST' })).rejects.toThrow();
  });

  it('reports posts, edits, response_url replacements and deletions, and marks edited messages', async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'Ada wants access' });
    await client.chat.update({ channel: CHANNEL, ts: posted.ts ?? '', text: 'Approved' });
    const [message] = emulator.messagesIn(CHANNEL);
    expect(message).toMatchObject({ text: 'Approved', edited: { user: emulator.botUserId } });

    const second = await client.chat.postMessage({ channel: CHANNEL, text: 'Grace wants access' });
    const replaceUrl = emulator.newResponseUrl({ userId: ADA.id, channelId: CHANNEL, messageTs: second.ts ?? '' });
    await fetch(replaceUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Denied' }),
    });
    const deleteUrl = emulator.newResponseUrl({ userId: ADA.id, channelId: CHANNEL, messageTs: posted.ts ?? '' });
    await fetch(deleteUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ delete_original: true }),
    });

    expect(emulator.messagesIn(CHANNEL)).toEqual([expect.objectContaining({ text: 'Denied', edited: expect.any(Object) })]);
    expect(changes).toEqual([
      { kind: 'message.posted', channel: CHANNEL },
      { kind: 'message.updated', channel: CHANNEL },
      { kind: 'message.posted', channel: CHANNEL },
      { kind: 'message.updated', channel: CHANNEL },
      { kind: 'message.deleted', channel: CHANNEL },
    ]);
  });

  it('keeps ephemerals per viewer, from chat.postEphemeral and response URLs, and reports each', async () => {
    await client.chat.postEphemeral({ channel: CHANNEL, user: ADA.id, text: 'for Ada' });
    const url = emulator.newResponseUrl({ userId: GRACE.id, channelId: CHANNEL });
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'for Grace' }) });
    expect(emulator.ephemeralsFor(ADA.id).map((message) => message.text)).toEqual(['for Ada']);
    expect(emulator.ephemeralsFor(GRACE.id, CHANNEL).map((message) => message.text)).toEqual(['for Grace']);
    expect(emulator.ephemeralsFor(GRACE.id, 'C0OTHER0001')).toEqual([]);
    expect(changes).toEqual([
      { kind: 'ephemeral.posted', channel: CHANNEL, userId: ADA.id },
      { kind: 'ephemeral.posted', channel: CHANNEL, userId: GRACE.id },
    ]);
  });

  it('replaces or deletes an ephemeral from a click on it, for its viewer only, as Slack does', async () => {
    await client.chat.postEphemeral({ channel: CHANNEL, user: ADA.id, text: 'pick one' });
    await client.chat.postEphemeral({ channel: CHANNEL, user: GRACE.id, text: 'pick one' });
    const [adas] = emulator.ephemeralsFor(ADA.id, CHANNEL);
    const post = (url: string, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    changes.length = 0;
    await post(emulator.newResponseUrl({ userId: ADA.id, channelId: CHANNEL, messageTs: adas!.ts }), {
      replace_original: true,
      text: 'picked',
    });
    expect(emulator.ephemeralsFor(ADA.id, CHANNEL).map((message) => [message.text, message.edited])).toEqual([['picked', true]]);
    expect(emulator.ephemeralsFor(GRACE.id, CHANNEL).map((message) => message.text)).toEqual(['pick one']);
    // Another viewer's response URL cannot touch Ada's ephemeral: it gets one of its own.
    await post(emulator.newResponseUrl({ userId: GRACE.id, channelId: CHANNEL, messageTs: adas!.ts }), { delete_original: true });
    expect(emulator.ephemeralsFor(ADA.id, CHANNEL)).toHaveLength(1);
    await post(emulator.newResponseUrl({ userId: ADA.id, channelId: CHANNEL, messageTs: adas!.ts }), { delete_original: true });
    expect(emulator.ephemeralsFor(ADA.id, CHANNEL)).toEqual([]);
    expect(changes).toEqual([
      { kind: 'ephemeral.updated', channel: CHANNEL, userId: ADA.id },
      { kind: 'ephemeral.deleted', channel: CHANNEL, userId: ADA.id },
    ]);
  });

  it("gives a user's modal stack bottom first, and reports opening, pushing, updating and closing", async () => {
    const root = await client.views.open({ trigger_id: emulator.issueTriggerId(ADA.id), view: form('First') });
    await client.views.push({ trigger_id: emulator.issueTriggerId(ADA.id, { viewId: root.view?.id ?? '' }), view: form('Second') });
    const stack = emulator.modalStackOf(ADA.id);
    expect(stack.map((view) => view.definition.title)).toEqual([
      { type: 'plain_text', text: 'First' },
      { type: 'plain_text', text: 'Second' },
    ]);
    expect(emulator.modalStackOf(GRACE.id)).toEqual([]);
    await client.views.update({ view_id: stack[1]!.id, view: form('Second, again') });
    emulator.closeView(stack[1]!.id);
    expect(emulator.modalStackOf(ADA.id).map((view) => view.id)).toEqual([root.view?.id]);
    emulator.closeView(root.view?.id ?? '', { cleared: true });
    expect(emulator.modalStackOf(ADA.id)).toEqual([]);
    expect(changes.map((change) => change.kind)).toEqual(['view.opened', 'view.pushed', 'view.updated', 'view.closed', 'view.closed']);
  });

  it('reports Home tabs as published, per user, and uploads', async () => {
    const home: types.HomeView = { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your access' } }] };
    await client.views.publish({ user_id: ADA.id, view: home });
    await client.views.publish({ user_id: ADA.id, view: home });
    expect(emulator.homeView(ADA.id)?.type).toBe('home');
    expect(emulator.homeView(GRACE.id)).toBeUndefined();
    await client.files.uploadV2({ channel_id: CHANNEL, filename: 'access.csv', file: Buffer.from('a,b\n') });
    expect(changes.map((change) => change.kind)).toEqual(['home.published', 'home.published', 'file.uploaded', 'message.posted']);
  });

  it('stops telling a listener once it unsubscribed', async () => {
    unsubscribe();
    await client.chat.postMessage({ channel: CHANNEL, text: 'quiet' });
    expect(changes).toEqual([]);
  });
});

describe('the driver as a watched Slack client', () => {
  let emulator: SlackEmulator;
  let app: Awaited<ReturnType<typeof startScriptedApp>>;
  let driver: SlackDriver;
  let nextReply: () => { status?: number; body?: unknown };

  beforeEach(async () => {
    emulator = await startSlackEmulator({ token: TOKEN, users: [ADA], channels: [CHANNEL] });
    nextReply = () => ({});
    app = await startScriptedApp(() => nextReply());
    driver = createSlackDriver({ appUrl: app.url, signingSecret: SIGNING_SECRET, emulator });
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => app.server.close(() => resolve()));
    await emulator.close();
  });

  it("shows a slash command's direct reply to the invoker only, as Slack does", async () => {
    nextReply = () => ({ body: { text: 'Try `/access request`.' } });
    await driver.slashCommand({ userId: ADA.id, text: 'nonsense', channelId: CHANNEL });
    nextReply = () => ({ body: 'Plain text reply' });
    await driver.slashCommand({ userId: ADA.id, text: 'again' });
    nextReply = () => ({});
    await driver.slashCommand({ userId: ADA.id, text: 'silent' });
    expect(emulator.ephemeralsFor(ADA.id).map(({ channel, text, via }) => ({ channel, text, via }))).toEqual([
      { channel: CHANNEL, text: 'Try `/access request`.', via: 'command_reply' },
      { channel: emulator.dmChannelFor(ADA.id), text: 'Plain text reply', via: 'command_reply' },
    ]);
    expect(emulator.messagesIn(CHANNEL)).toEqual([]);
  });

  it('keeps the field errors of the last response_action errors until the next submission', async () => {
    await new WebClient(TOKEN, { slackApiUrl: emulator.url, logger: silentWebApiLogger }).views.open({
      trigger_id: emulator.issueTriggerId(ADA.id),
      view: form('Request'),
    });
    const view = emulator.currentModal(ADA.id)!;
    const changes: EmulatorChange[] = [];
    emulator.onChange((change) => changes.push(change));
    nextReply = () => ({ body: { response_action: 'errors', errors: { reason: 'Say why' } } });
    await driver.submitView(view, { reason: { value: 'x' } });
    expect(emulator.viewErrors(view.id)).toEqual({ reason: 'Say why' });
    expect(changes).toEqual([{ kind: 'view.errors', userId: ADA.id }]);

    nextReply = () => ({ body: { response_action: 'update', view: form('Request, again') } });
    await driver.submitView(view, { reason: { value: 'because' } });
    expect(emulator.viewErrors(view.id)).toEqual({});
    expect(emulator.currentModal(ADA.id)?.id).toBe(view.id);
  });
});
