import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { logUnhandledRejection } from '../../src/server.js';
import { FAILURE_TEXT } from '../../src/slack/failed-requests.js';
import { ACTION, CALLBACK, REQUEST_FORM_BLOCK } from '../../src/slack/views/ids.js';
import { APP_TOKEN, SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { openRequestForm, person, postsIn, requestAccess, seedOrganization, settle, submitRequestForm } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Requester');
const MALLORY = person('U0MALLORY', 'Mallory Outsider');
const TEAM = 'T0SANDBOX01';

interface RawResponse {
  status: number;
  body: string;
}

/**
 * POSTs `body` on a connection of its own (no agent, so no keep-alive): a request can never go out
 * on a socket the server is closing and fail without an answer for a reason that has nothing to do
 * with the app. Gives up after `timeoutMs`.
 */
function post(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(body.length) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Sends `body` to the app signed as Slack signs it (over the raw bytes), and waits at most `timeoutMs` for an answer. */
async function sendSigned(app: TestApp, body: string | Buffer, contentType: string, timeoutMs = 8_000): Promise<RawResponse> {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  const timestamp = Math.floor(Date.now() / 1000);
  const hmac = createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:`).update(raw).digest('hex');
  return post(
    `${app.gatehouse.url}/slack/events`,
    { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hmac}` },
    raw,
    timeoutMs,
  );
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

function sendPayloadText(app: TestApp, payloadText: string): Promise<RawResponse> {
  return sendSigned(app, new URLSearchParams({ payload: payloadText }).toString(), FORM);
}

function commandFields(app: TestApp, userId: string, text: string): Record<string, string> {
  return {
    token: 'verification-token',
    team_id: TEAM,
    team_domain: 'gatehouse-sandbox',
    channel_id: app.emulator.dmChannelFor(userId),
    channel_name: 'directmessage',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/access',
    text,
    api_app_id: 'A0GATEHOUSE',
    is_enterprise_install: 'false',
    response_url: app.emulator.newResponseUrl({ userId, channelId: app.emulator.dmChannelFor(userId), source: '/access' }),
    trigger_id: app.emulator.issueTriggerId(userId),
  };
}

/** The server is up and Gatehouse still answers a real command. */
async function expectHelpStillAnswered(app: TestApp): Promise<void> {
  const help = await app.driver.slashCommand({ userId: MALLORY.id, text: 'help' });
  expect(help.status).toBe(200);
  expect(JSON.stringify(help.json)).toContain('/access help');
}

// ---------------------------------------------------------------------------------------------
// The known causes, one by one
// ---------------------------------------------------------------------------------------------

describe.each(DATABASE_KINDS)('malformed Slack requests on %s', (kind) => {
  let app: TestApp;
  let organizationId: number;

  beforeAll(async () => {
    app = await startTestApp(kind);
    for (const someone of [RITA, MALLORY]) app.emulator.addUser(someone);
    organizationId = (await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA])).id;
  });
  afterAll(async () => {
    await app.stop();
  });

  /** A block_actions payload Slack could have sent Mallory, to be broken one field at a time. */
  function blockActions(): Record<string, unknown> {
    return {
      type: 'block_actions',
      user: { id: MALLORY.id, team_id: TEAM, username: 'mallory', name: 'mallory' },
      team: { id: TEAM, domain: 'gatehouse-sandbox' },
      api_app_id: 'A0GATEHOUSE',
      trigger_id: app.emulator.issueTriggerId(MALLORY.id),
      container: { type: 'message', channel_id: 'D0NOWHERE', message_ts: '1.000100' },
      channel: { id: 'D0NOWHERE', name: 'directmessage' },
      actions: [{ type: 'button', action_id: ACTION.withdraw, block_id: 'b1', value: '1', action_ts: '1.2' }],
    };
  }

  function viewSubmission(): Record<string, unknown> {
    return {
      type: 'view_submission',
      user: { id: MALLORY.id, team_id: TEAM },
      team: { id: TEAM, domain: 'gatehouse-sandbox' },
      api_app_id: 'A0GATEHOUSE',
      trigger_id: app.emulator.issueTriggerId(MALLORY.id),
      view: {
        id: 'V0FUZZ',
        type: 'modal',
        callback_id: CALLBACK.approveForm,
        hash: '1.x',
        private_metadata: '{}',
        blocks: [],
        state: { values: {} },
      },
    };
  }

  it('answers a signed body of payload=null with 400 and keeps serving', async () => {
    const response = await sendSigned(app, 'payload=null', FORM);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'malformed_request', reason: expect.any(String) });
    await expectHelpStillAnswered(app);
  });

  it('answers a signed JSON body of null with 400 and keeps serving', async () => {
    for (const body of ['null', '[]', '"text"', '7', '{']) {
      expect((await sendSigned(app, body, JSON_TYPE)).status, body).toBe(400);
    }
    await expectHelpStillAnswered(app);
  });

  it('still refuses unsigned junk with 401 before reading it', async () => {
    const response = await fetch(`${app.gatehouse.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'payload=null',
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('');
  });

  it("still answers Slack's url_verification and ssl_check", async () => {
    const verification = await app.driver.urlVerification('challenge-123');
    expect(verification.status).toBe(200);
    expect(verification.json).toEqual({ challenge: 'challenge-123' });
    const sslCheck = await fetch(`${app.gatehouse.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'ssl_check=1&token=x',
    });
    expect(sslCheck.status).toBe(200);
    // An unsigned ssl_check carries nothing further to Bolt, not even a payload smuggled beside it.
    app.emulator.clear();
    const smuggled = new URLSearchParams({ ssl_check: '1', payload: JSON.stringify(blockActions()) }).toString();
    const answer = await fetch(`${app.gatehouse.url}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: smuggled });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.emulator.calls).toEqual([]);
  });

  it('tells the user a command over 4,000 characters is too long instead of failing', async () => {
    const response = await app.driver.slashCommand({ userId: MALLORY.id, text: `request ${'x'.repeat(4_100)}` });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/too long/) });
  });

  it('answers a submission with field errors and no view.blocks with those errors', async () => {
    await requestAccess(app, MALLORY, { organizationId, accessPermissions: [PERMISSION.esriAccess] });
    // Mallory's request for this organization is waiting, so asking again is a field error.
    const opened = await openRequestForm(app, MALLORY.id);
    const first = await submitRequestForm(app, MALLORY.id, opened, { organizationId, accessPermissions: [PERMISSION.esriAccess] });
    expect(first.json).toMatchObject({ response_action: 'errors' });
    const payload = structuredClone(app.driver.lastPayload()!) as { view: Record<string, unknown> };
    delete payload.view.blocks;
    const response = await sendPayloadText(app, JSON.stringify(payload));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      response_action: 'errors',
      errors: { [REQUEST_FORM_BLOCK.organization]: expect.stringMatching(/already/) },
    });
  });

  it.each([
    ['a number', 12345],
    ['an object', { $gt: '' }],
    ['null', null],
    ['an array', ['U0MALLORY']],
  ])('refuses a user.id that is %s with 400, before it reaches the database', async (_what, id) => {
    const payload = blockActions();
    payload.user = { id, team_id: TEAM };
    const response = await sendPayloadText(app, JSON.stringify(payload));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).reason).toMatch(/user\.id/);
  });

  it.each([
    ['null', null],
    ['empty', []],
    ['[null]', [null]],
    ['a string', 'request_withdraw'],
  ])('refuses actions that is %s with 400', async (_what, actions) => {
    const payload = blockActions();
    payload.actions = actions;
    const response = await sendPayloadText(app, JSON.stringify(payload));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).reason).toMatch(/actions/);
  });

  it('refuses a view submission without a view, and interactions without a user, with 400', async () => {
    const noView = viewSubmission();
    delete noView.view;
    expect((await sendPayloadText(app, JSON.stringify(noView))).status).toBe(400);
    for (const payload of [viewSubmission(), blockActions()]) {
      delete payload.user;
      const response = await sendPayloadText(app, JSON.stringify(payload));
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).reason).toMatch(/user/);
    }
  });

  it('refuses a callback_id or action_id that is not a string with 400', async () => {
    for (const callbackId of [7, null, { id: 1 }, ['x']]) {
      const payload = viewSubmission();
      (payload.view as Record<string, unknown>).callback_id = callbackId;
      expect((await sendPayloadText(app, JSON.stringify(payload))).status, JSON.stringify(callbackId)).toBe(400);
    }
    for (const actionId of [7, null, { id: 1 }]) {
      const payload = blockActions();
      payload.actions = [{ type: 'button', action_id: actionId, block_id: 'b1', value: '1' }];
      expect((await sendPayloadText(app, JSON.stringify(payload))).status, JSON.stringify(actionId)).toBe(400);
    }
    await expectHelpStillAnswered(app);
  });

  it('refuses an event that is not an object with 400', async () => {
    for (const event of [null, 'app_home_opened', [], { type: 'app_home_opened', user: 5, tab: 'home' }, { type: 'x', item: null }]) {
      const body = { type: 'event_callback', team_id: TEAM, api_app_id: 'A0GATEHOUSE', event_id: 'Ev1', event };
      expect((await sendSigned(app, JSON.stringify(body), JSON_TYPE)).status, JSON.stringify(event)).toBe(400);
    }
    await expectHelpStillAnswered(app);
  });
});

// ---------------------------------------------------------------------------------------------
// Listener failures
// ---------------------------------------------------------------------------------------------

describe.each(DATABASE_KINDS)('a listener that fails on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    await app.stop();
  });

  it('is answered with 200 and tells the user, for a command that fails before its ack', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(MALLORY);
    // `/access me` starts from the person's member record; without the table the read throws inside the listener.
    await app.db.database.prisma.$executeRawUnsafe(kind === 'postgresql' ? 'DROP TABLE "Member" CASCADE' : 'DROP TABLE "Member"');
    const response = await app.driver.slashCommand({ userId: MALLORY.id, text: 'me' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ response_type: 'ephemeral', text: FAILURE_TEXT });
    await expectHelpStillAnswered(app);
  });

  it('tells the user through the response_url when the listener fails after its ack', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const { id: organizationId } = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await requestAccess(app, RITA, { organizationId, accessPermissions: [PERMISSION.esriAccess] });
    const confirmation = postsIn(app, RITA.id).at(-1)!;
    // Withdrawing logs the change; without the log the service throws after the click was acked.
    await app.db.database.prisma.$executeRawUnsafe(
      kind === 'postgresql' ? 'DROP TABLE "PermissionLogEntry" CASCADE' : 'DROP TABLE "PermissionLogEntry"',
    );
    const click = await app.driver.clickButton({ userId: RITA.id, actionId: ACTION.withdraw, message: confirmation });
    expect(click.status).toBe(200);
    await app.emulator.waitForResponses(1, 10_000);
    expect(app.emulator.responses.at(-1)?.body).toMatchObject({ response_type: 'ephemeral', text: FAILURE_TEXT });
  });
});

describe('an unhandled rejection', () => {
  it('is logged, not fatal', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const handler = logUnhandledRejection(createLogger('info', destination));
    handler(new Error('nobody awaited this'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', err: { message: 'nobody awaited this' } });
  });
});

describe('Socket Mode', () => {
  it('checks payloads the same way: a malformed command is acked with nothing, and a real one still answered', async () => {
    const app = await startTestApp('sqlite', { SLACK_APP_TOKEN: APP_TOKEN });
    try {
      await app.socket!.connected();
      const command = {
        team_id: TEAM,
        user_id: MALLORY.id,
        channel_id: 'D0MALLORY',
        command: '/access',
        text: 'help',
        trigger_id: '1.2.3',
        response_url: 'http://127.0.0.1:9/response',
        api_app_id: 'A0GATEHOUSE',
      };
      const malformed = await app.socket!.slashCommand({ ...command, user_id: 'not a user id' });
      // Acked with an empty payload: no reply, where the listener would have answered.
      expect(malformed.payload ?? {}).toEqual({});
      const real = await app.socket!.slashCommand(command);
      expect(JSON.stringify(real.payload)).toContain('/access help');
    } finally {
      await app.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The fuzz
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so a failing run can be replayed exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A real request of the suite's, as the driver sent it: form fields, or a JSON document. */
type Seed = { kind: 'form'; fields: Record<string, string> } | { kind: 'payload'; payload: Json } | { kind: 'json'; body: Json };

interface FuzzCase {
  body: Buffer;
  contentType: string;
}

/** Every path to a value inside `value`, the root excluded. */
function pathsIn(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsIn(item, [...prefix, index])]);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsIn(item, [...prefix, key])]);
  return [];
}

function parentOf(root: Json, path: Array<string | number>): { parent: Json[] | Record<string, Json>; key: string | number } | undefined {
  let node: Json = root;
  for (const step of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, Json>)[step as string] ?? null;
  }
  if (node === null || typeof node !== 'object') return undefined;
  return { parent: node, key: path.at(-1)! };
}

function makeFuzzer(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const unknownId = () =>
    `${pick(['U', 'W', 'T', 'C', 'D', 'V'])}0${Math.floor(random() * 1e9)
      .toString(36)
      .toUpperCase()}`;
  const replacements: Array<() => Json> = [
    () => null,
    () => 0,
    () => -1,
    () => Math.floor(random() * 2 ** 31),
    () => 1e308,
    () => true,
    () => false,
    () => '',
    () => ' ',
    () => [],
    () => [null],
    () => [{}],
    () => ({}),
    () => ({ id: null }),
    () => [[[[]]]],
    () => '__proto__',
    () => 'constructor',
    () => unknownId(),
    () => String(Math.floor(random() * 1e6)),
    () => 'x'.repeat(4_000 + Math.floor(random() * 20_000)),
    () => '<!channel> *bold* <@U0ADA> &amp; <http://x|y>',
    () => '\u0000\uFFFF\uD800',
    () => '{"broken": ',
    () => 'https://evil.example/response',
  ];

  function mutateJson(original: Json): Json {
    const root = structuredClone(original);
    const times = 1 + Math.floor(random() * 3);
    for (let i = 0; i < times; i += 1) {
      const paths = pathsIn(root);
      if (paths.length === 0) break;
      const target = parentOf(root, pick(paths));
      if (!target) continue;
      const { parent, key } = target;
      const roll = random();
      if (roll < 0.2) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key as string];
      } else if (roll < 0.3 && !Array.isArray(parent)) {
        // An array where an object was, or an object where an array was.
        const current = parent[key as string];
        parent[key as string] = Array.isArray(current) ? { ...current } : [current ?? null];
      } else {
        const value = pick(replacements)();
        if (Array.isArray(parent)) parent[Number(key)] = value;
        else parent[key as string] = value;
      }
    }
    return root;
  }

  function mutateFields(fields: Record<string, string>): string {
    const params = new URLSearchParams(fields);
    const keys = Object.keys(fields);
    const roll = random();
    if (roll < 0.25) params.delete(pick(keys));
    else if (roll < 0.4) params.append(pick(keys), 'again');
    else {
      const value = pick(replacements)();
      params.set(pick(keys), typeof value === 'string' ? value : JSON.stringify(value));
    }
    return params.toString();
  }

  /** Breakage of the body itself rather than of its fields. */
  const brokenBodies: Array<() => FuzzCase> = [
    () => ({ body: Buffer.from('payload=null'), contentType: FORM }),
    () => ({ body: Buffer.from('payload=%7B'), contentType: FORM }),
    () => ({ body: Buffer.from('payload=%E0%A4%A'), contentType: FORM }),
    () => ({ body: Buffer.from('payload=[]&payload=[]'), contentType: FORM }),
    () => ({ body: Buffer.from(`payload=${encodeURIComponent(JSON.stringify(pick(replacements)()))}`), contentType: FORM }),
    () => ({ body: Buffer.from(''), contentType: FORM }),
    () => ({ body: Buffer.from(''), contentType: JSON_TYPE }),
    () => ({
      body: Buffer.from(pick(['null', '[]', '{', '"x"', '1', 'true', '{"type":null}', '{"event":null}', '{"event":"x"}'])),
      contentType: JSON_TYPE,
    }),
    () => ({ body: Buffer.from([0x70, 0x61, 0x79, 0x6c, 0x6f, 0x61, 0x64, 0x3d, 0xc3, 0x28, 0xff, 0xfe]), contentType: FORM }),
    () => ({ body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), contentType: JSON_TYPE }),
    () => ({
      body: Buffer.from('command=%2Faccess&text=help'),
      contentType: pick(['text/plain', 'application/x-www-form-urlencoded; charset=utf-8', 'multipart/form-data']),
    }),
  ];

  function next(seeds: readonly Seed[]): FuzzCase {
    if (random() < 0.12) return pick(brokenBodies)();
    const seedCase = pick(seeds);
    if (seedCase.kind === 'form') {
      return { body: Buffer.from(mutateFields(seedCase.fields)), contentType: random() < 0.05 ? JSON_TYPE : FORM };
    }
    if (seedCase.kind === 'payload') {
      const text = JSON.stringify(mutateJson(seedCase.payload));
      const cut = random() < 0.05 ? text.slice(0, Math.floor(random() * text.length)) : text;
      return { body: Buffer.from(new URLSearchParams({ payload: cut }).toString()), contentType: FORM };
    }
    const text = JSON.stringify(mutateJson(seedCase.body));
    return {
      body: Buffer.from(random() < 0.05 ? text.slice(0, Math.floor(random() * text.length)) : text),
      contentType: random() < 0.05 ? FORM : JSON_TYPE,
    };
  }

  return { next };
}

/** Every row of every table, so a run can show that nothing changed. */
async function snapshot(app: TestApp): Promise<Record<string, unknown[]>> {
  const prisma = app.db.database.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return {
    organization: await prisma.organization.findMany(byId),
    // Mallory may refresh her own profile from Slack (every /access request does): its time may move, nothing else.
    member: (await prisma.member.findMany(byId)).map((member) =>
      member.slackUserId === MALLORY.id ? { ...member, updatedAt: 'hers to refresh' } : member,
    ),
    connection: await prisma.connection.findMany(byId),
    connectionPermission: await prisma.connectionPermission.findMany({ orderBy: [{ connectionId: 'asc' }, { permissionKey: 'asc' }] }),
    permission: await prisma.permission.findMany({ orderBy: { key: 'asc' } }),
    accessRequest: await prisma.accessRequest.findMany(byId),
    requestMessage: await prisma.requestMessage.findMany(byId),
    invitation: await prisma.invitation.findMany(byId),
    inviteDraft: await prisma.inviteDraft.findMany(byId),
    invitationCodeAttempt: await prisma.invitationCodeAttempt.findMany(byId),
    permissionLogEntry: await prisma.permissionLogEntry.findMany(byId),
    outboxMessage: await prisma.outboxMessage.findMany(byId),
    jobRun: await prisma.jobRun.findMany(byId),
  };
}

const FUZZ_SEED = 0x6a7e_4005;
const FUZZ_CASES = 5_000;
const BATCH = 50;

describe.each(DATABASE_KINDS)('a seeded fuzz of signed malformed requests on %s', (kind) => {
  let app: TestApp;
  afterAll(async () => {
    await app.stop();
  });

  it(`answers ${FUZZ_CASES} of them without a 5xx, a hang or a change to the database`, { timeout: 240_000 }, async () => {
    app = await startTestApp(kind);
    for (const someone of [RITA, MALLORY]) app.emulator.addUser(someone);
    const { id: organizationId } = await seedOrganization(
      app,
      { name: 'City of Redlands', customerNumber: '100200', adminChannelId: 'C0ADMINS' },
      [ADA],
    );
    // Rita's request puts a card in front of Ada; Mallory's own waiting request means she cannot ask again.
    await requestAccess(app, RITA, { organizationId, accessPermissions: [PERMISSION.esriAccess] });
    await requestAccess(app, MALLORY, { organizationId, accessPermissions: [PERMISSION.esriAccess] });
    const card = postsIn(app, ADA.id).at(-1)!;
    const ritasConfirmation = postsIn(app, RITA.id).at(-1)!;

    // The seeds: real requests of the suite's flows, every one of them Mallory's, who may do nothing here.
    const seeds: Seed[] = [];
    const takePayload = () => seeds.push({ kind: 'payload', payload: structuredClone(app.driver.lastPayload()!) as Json });
    for (const text of ['help', 'me', 'request', 'invite', 'invitations', 'accept NOT-A-CODE', 'frobnicate', '']) {
      seeds.push({ kind: 'form', fields: commandFields(app, MALLORY.id, text) });
    }
    await app.driver.clickButton({ userId: MALLORY.id, actionId: ACTION.approve, message: card });
    takePayload();
    await app.driver.clickButton({ userId: MALLORY.id, actionId: ACTION.deny, message: card });
    takePayload();
    await app.driver.clickButton({ userId: MALLORY.id, actionId: ACTION.withdraw, message: ritasConfirmation });
    takePayload();
    const form = await openRequestForm(app, MALLORY.id);
    await app.driver.interact({ userId: MALLORY.id, actionId: ACTION.pickOrganization, view: form, value: String(organizationId) });
    takePayload();
    await app.driver.blockSuggestion({ userId: MALLORY.id, actionId: ACTION.pickOrganization, view: form, value: 'Red' });
    takePayload();
    await submitRequestForm(app, MALLORY.id, form, { organizationId, accessPermissions: [PERMISSION.esriAccess] });
    takePayload();
    // Ada's Approve form, submitted as if by Mallory.
    const opensBefore = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.approve, message: card });
    const approveForm = (await app.emulator.waitForCalls('views.open', opensBefore + 1, 10_000))[opensBefore]!;
    await app.driver.submitView(approveForm, {}, MALLORY.id, { allowMissingRequired: true });
    takePayload();
    await app.driver.viewClosed({ view: form, userId: MALLORY.id });
    takePayload();
    const home = await app.driver.event({ event: { type: 'app_home_opened', user: MALLORY.id, channel: 'D0MALLORY', tab: 'home' } });
    expect(home.status).toBe(200);
    seeds.push(
      {
        kind: 'json',
        body: {
          token: 'verification-token',
          team_id: TEAM,
          api_app_id: 'A0GATEHOUSE',
          type: 'event_callback',
          event_id: 'Ev0FUZZ',
          event_time: 1,
          event: { type: 'app_home_opened', user: MALLORY.id, channel: 'D0MALLORY', tab: 'home' },
          authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: 'U0GATEHOUSE', is_bot: true, is_enterprise_install: false }],
        },
      },
      { kind: 'json', body: { token: 'verification-token', challenge: 'c', type: 'url_verification' } },
    );
    await settle(app);
    const before = await snapshot(app);

    const fuzzer = makeFuzzer(FUZZ_SEED);
    const cases = Array.from({ length: FUZZ_CASES }, () => fuzzer.next(seeds));
    const failures: string[] = [];
    for (let start = 0; start < cases.length; start += BATCH) {
      await Promise.all(
        cases.slice(start, start + BATCH).map(async (fuzzCase, offset) => {
          const label = `case ${start + offset} (${fuzzCase.contentType}) ${fuzzCase.body.toString('utf8', 0, 300)}`;
          try {
            const response = await sendSigned(app, fuzzCase.body, fuzzCase.contentType, 10_000);
            if (response.status >= 500) failures.push(`${label}: HTTP ${response.status}`);
          } catch (error) {
            failures.push(`${label}: no answer (${String(error)}, ${String((error as Error).cause)})`);
          }
        }),
      );
    }
    expect(failures.slice(0, 20)).toEqual([]);

    await expectHelpStillAnswered(app);
    await settle(app);
    expect(await snapshot(app)).toEqual(before);
  });
});
