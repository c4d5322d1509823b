/**
 * The demo's web server, on 127.0.0.1 only: the web client's files, and the API of
 * src/demo/protocol.ts. Everything a person does in the page reaches Gatehouse the way Slack
 * would send it, signed, through the sandbox's driver.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../db/paths.js';
import type { EmulatedView } from '../sandbox/slack-emulator.js';
import { latestOutboxMessages, latestPermissionLogEntries } from '../services/inspection.js';
import type { DemoBackend } from './demo.js';
import type {
  DemoAction,
  DemoActionRequest,
  DemoClockRequest,
  DemoCloseRequest,
  DemoCommandRequest,
  DemoHomeOpenedRequest,
  DemoLogRow,
  DemoOk,
  DemoOutboxRow,
  DemoRefusal,
  DemoSource,
  DemoStateValues,
  DemoSubmitAnswer,
  DemoSubmitRequest,
  DemoSuggestAnswer,
  DemoSuggestRequest,
} from './protocol.js';
import { conversationsOf, demoPeople, snapshotFor } from './snapshot.js';
import { demoPerson } from './seed.js';

export const CLIENT_DIR = path.join(PROJECT_ROOT, 'src', 'demo', 'client');
export const COMPILED_CLIENT_DIR = path.join(PROJECT_ROOT, 'dist', 'demo-client', 'client');
export const ONLY_ACCESS = "This demo's Slack only has /access installed.";

const PING_MS = 15_000;
const BODY_LIMIT = 1_000_000;
const LIST_LIMIT = 200;

// ---- request bodies ----------------------------------------------------------------------------

const slackId = z.string().min(1).max(64);
const stateValues = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))) satisfies z.ZodType<DemoStateValues>;
const option = z.object({ text: z.object({ type: z.literal('plain_text'), text: z.string().max(2000) }), value: z.string().max(2000) });
const action = z.strictObject({
  action_id: z.string().min(1).max(255),
  block_id: z.string().max(255),
  type: z.string().min(1).max(64),
  value: z.string().max(2000).optional(),
  selected_option: option.optional(),
  selected_options: z.array(option).max(100).optional(),
  selected_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  selected_user: slackId.optional(),
  selected_users: z.array(slackId).max(100).optional(),
}) satisfies z.ZodType<DemoAction>;
const source = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('message'), channel: slackId, ts: z.string().regex(/^\d+\.\d+$/) }),
  z.strictObject({ kind: z.literal('view'), viewId: slackId }),
]) satisfies z.ZodType<DemoSource>;

const commandRequest = z.strictObject({
  as: slackId,
  channel: slackId,
  text: z.string().trim().min(1).max(4000),
}) satisfies z.ZodType<DemoCommandRequest>;
const actionRequest = z.strictObject({ as: slackId, source, action, state: stateValues.optional() }) satisfies z.ZodType<DemoActionRequest>;
const suggestRequest = z.strictObject({
  as: slackId,
  viewId: slackId,
  action_id: z.string().min(1).max(255),
  block_id: z.string().max(255),
  value: z.string().max(2000),
}) satisfies z.ZodType<DemoSuggestRequest>;
const submitRequest = z.strictObject({ as: slackId, viewId: slackId, state: stateValues }) satisfies z.ZodType<DemoSubmitRequest>;
const closeRequest = z.strictObject({ as: slackId, viewId: slackId, all: z.boolean() }) satisfies z.ZodType<DemoCloseRequest>;
const homeOpenedRequest = z.strictObject({ as: slackId }) satisfies z.ZodType<DemoHomeOpenedRequest>;
const clockRequest = z.strictObject({ days: z.number().int().min(1).max(365) }) satisfies z.ZodType<DemoClockRequest>;

/** A request the demo refuses: answered 400 (or the given status) with `{ ok: false, error }`, changing nothing. */
class Refusal extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new Refusal(`Bad request: ${problems.join('; ')}`);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > BODY_LIMIT) throw new Refusal('Bad request: the body is too large', 413);
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new Refusal('Bad request: the body is not JSON');
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// ---- the server ------------------------------------------------------------------------------

export interface DemoWebServer {
  url: string;
  /** Tells every event stream that something changed (the emulator reports its own changes). */
  announce(): void;
  close(): Promise<void>;
}

export interface DemoWebServerOptions {
  port: number;
  /** Where the compiled client is; the browser tests compile it afresh instead of needing `npm run build`. */
  compiledClientDir?: string;
}

export async function startDemoWebServer(backend: DemoBackend, options: DemoWebServerOptions): Promise<DemoWebServer> {
  const { emulator, driver, gatehouse, clock, logger } = backend;
  let version = 0;
  const streams = new Set<ServerResponse>();
  const announce = () => {
    version += 1;
    for (const stream of streams) stream.write(`event: change\ndata: ${JSON.stringify({ version })}\n\n`);
  };
  const unsubscribe = emulator.onChange(announce);
  const ping = setInterval(() => {
    for (const stream of streams) stream.write(': ping\n\n');
  }, PING_MS);

  function viewer(userId: string): string {
    if (!demoPerson(userId)) throw new Refusal(`Unknown viewer ${userId}: choose one of the demo's people.`);
    return userId;
  }

  function modalOf(userId: string, viewId: string): EmulatedView {
    const view = emulator.modalStackOf(userId).find((candidate) => candidate.id === viewId);
    if (!view) throw new Refusal(`View ${viewId} is not open for ${userId}.`);
    return view;
  }

  function viewOf(userId: string, viewId: string): EmulatedView {
    const home = emulator.homeView(userId);
    return home?.id === viewId ? home : modalOf(userId, viewId);
  }

  function requireConversation(userId: string, channel: string): void {
    if (!conversationsOf(emulator, userId).some((conversation) => conversation.id === channel)) {
      throw new Refusal(`${userId} is not in conversation ${channel}.`);
    }
  }

  /** Driver errors are what the Slack client would refuse to send: the request was bad, nothing was sent. */
  async function throughDriver<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof Refusal) throw error;
      if (error instanceof Error && !(error instanceof TypeError)) throw new Refusal(error.message);
      throw error;
    }
  }

  function answeredOk(status: number): void {
    if (status < 200 || status >= 300) throw new Refusal(`Gatehouse answered HTTP ${status}.`, 502);
  }

  async function command(body: unknown): Promise<DemoOk> {
    const input = parseBody(commandRequest, body);
    const userId = viewer(input.as);
    requireConversation(userId, input.channel);
    const [word = '', ...rest] = input.text.split(/\s+/);
    if (word !== '/access') throw new Refusal(ONLY_ACCESS);
    const isDm = input.channel === emulator.dmChannelFor(userId);
    const response = await driver.slashCommand({ userId, text: rest.join(' '), ...(isDm ? {} : { channelId: input.channel }) });
    answeredOk(response.status);
    return { ok: true };
  }

  async function blockAction(body: unknown) {
    const input = parseBody(actionRequest, body);
    const userId = viewer(input.as);
    const actions = [{ ...input.action }];
    if (input.source.kind === 'view') {
      const view = viewOf(userId, input.source.viewId);
      const response = await throughDriver(() =>
        driver.blockActions({ userId, actions, view: view.id, ...(input.state ? { values: input.state } : {}) }),
      );
      answeredOk(response.status);
      return { ok: true as const };
    }
    const { channel, ts } = input.source;
    requireConversation(userId, channel);
    if (emulator.findMessage(channel, ts)) {
      const response = await throughDriver(() => driver.blockActions({ userId, actions, message: { channel, ts } }));
      answeredOk(response.status);
      return { ok: true as const };
    }
    if (!emulator.ephemeralsFor(userId, channel).some((message) => message.ts === ts))
      throw new Refusal(`There is no message ${ts} in ${channel}.`);
    const response = await throughDriver(() =>
      driver.blockActions({
        userId,
        actions,
        channel,
        container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: true },
        responseUrl: emulator.newResponseUrl({ userId, channelId: channel, messageTs: ts, source: 'block_actions' }),
      }),
    );
    answeredOk(response.status);
    return { ok: true as const };
  }

  async function suggest(body: unknown): Promise<DemoSuggestAnswer> {
    const input = parseBody(suggestRequest, body);
    const userId = viewer(input.as);
    const view = viewOf(userId, input.viewId);
    const answer = await throughDriver(() =>
      driver.blockSuggestion({ userId, actionId: input.action_id, blockId: input.block_id, value: input.value, view: view.id }),
    );
    answeredOk(answer.status);
    return { ok: true, options: answer.options ?? [], ...(answer.optionGroups ? { option_groups: answer.optionGroups } : {}) };
  }

  async function submit(body: unknown): Promise<DemoSubmitAnswer> {
    const input = parseBody(submitRequest, body);
    const userId = viewer(input.as);
    const view = modalOf(userId, input.viewId);
    const response = await throughDriver(() => driver.viewSubmission({ view: view.id, userId, stateValues: input.state }));
    answeredOk(response.status);
    return { ok: true, errors: emulator.viewErrors(view.id) };
  }

  async function close(body: unknown) {
    const input = parseBody(closeRequest, body);
    const userId = viewer(input.as);
    const view = modalOf(userId, input.viewId);
    if (view.definition.notify_on_close === true) {
      await throughDriver(() => driver.viewClosed({ view: view.id, userId, isCleared: input.all }));
    } else {
      emulator.closeView(view.id, { cleared: input.all });
    }
    return { ok: true as const };
  }

  async function homeOpened(body: unknown) {
    const input = parseBody(homeOpenedRequest, body);
    const userId = viewer(input.as);
    const response = await driver.event({
      event: { type: 'app_home_opened', user: userId, channel: emulator.dmChannelFor(userId), tab: 'home' },
    });
    answeredOk(response.status);
    return { ok: true as const };
  }

  async function moveClock(body: unknown) {
    const input = parseBody(clockRequest, body);
    const answer = await backend.moveClock(input.days);
    return answer;
  }

  async function outbox(): Promise<DemoOutboxRow[]> {
    const rows = await latestOutboxMessages(gatehouse.database.prisma, LIST_LIMIT);
    return rows.map((row) => {
      const payload = parsePayload(row.payload);
      return {
        id: row.id,
        kind: typeof payload.kind === 'string' ? payload.kind : row.kind,
        status: row.status,
        attempts: row.attempts,
        createdAt: row.createdAt.toISOString(),
        deliveredAt: row.sentAt?.toISOString() ?? null,
        target: targetOf(payload),
        lastError: row.lastError,
      };
    });
  }

  async function permissionsLog(): Promise<DemoLogRow[]> {
    const rows = await latestPermissionLogEntries(gatehouse.database.prisma, LIST_LIMIT);
    return rows.map((row) => ({
      id: row.id,
      at: row.createdAt.toISOString(),
      action: row.action,
      actorName: row.actor?.displayName ?? (row.actorLabel === 'system' ? 'Gatehouse' : (row.actorLabel ?? 'Gatehouse')),
      subjectName: row.subjectMember?.displayName ?? row.subjectEmail ?? null,
      organization: row.organization?.name ?? null,
      summary: summaryOf(row),
    }));
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    if (method === 'GET') {
      switch (url.pathname) {
        case '/api/snapshot': {
          const userId = viewer(url.searchParams.get('as') ?? '');
          return sendJson(response, 200, snapshotFor(emulator, clock, userId, version));
        }
        case '/api/events':
          return openStream(response);
        case '/api/outbox':
          return sendJson(response, 200, await outbox());
        case '/api/log':
          return sendJson(response, 200, await permissionsLog());
        case '/api/people':
          return sendJson(response, 200, demoPeople());
        default:
          return serveFile(url.pathname, response, options.compiledClientDir ?? COMPILED_CLIENT_DIR);
      }
    }
    if (method !== 'POST' || !url.pathname.startsWith('/api/'))
      throw new Refusal(`${method} ${url.pathname} is not something the demo serves.`, 404);
    const handlers: Record<string, (body: unknown) => Promise<unknown>> = {
      '/api/command': command,
      '/api/action': blockAction,
      '/api/suggest': suggest,
      '/api/submit': submit,
      '/api/close': close,
      '/api/home-opened': homeOpened,
      '/api/clock': moveClock,
    };
    const handler = handlers[url.pathname];
    if (!handler) throw new Refusal(`POST ${url.pathname} is not part of the demo's API.`, 404);
    return sendJson(response, 200, await handler(await readJson(request)));
  }

  function openStream(response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write(`event: change\ndata: ${JSON.stringify({ version })}\n\n`);
    streams.add(response);
    response.on('close', () => streams.delete(response));
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      const refusal: DemoRefusal = {
        ok: false,
        error: error instanceof Refusal ? error.message : 'The demo failed to do that; see data/demo/gatehouse.log.',
      };
      if (!(error instanceof Refusal)) logger.error({ err: error, url: request.url }, 'the demo web server failed a request');
      if (response.headersSent) return void response.end();
      sendJson(response, error instanceof Refusal ? error.status : 500, refusal);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    announce,
    async close() {
      unsubscribe();
      clearInterval(ping);
      for (const stream of streams) stream.end();
      streams.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

// ---- files -------------------------------------------------------------------------------------

async function serveFile(pathname: string, response: ServerResponse, compiledClientDir: string): Promise<void> {
  const page = pathname === '/' ? 'index.html' : /^\/([a-z0-9][a-z0-9-]*\.(?:html|css))$/i.exec(pathname)?.[1];
  if (page !== undefined) {
    // Only names that are in the folder, so nothing outside it can be asked for.
    const names = existsSync(CLIENT_DIR) ? readdirSync(CLIENT_DIR) : [];
    if (!names.includes(page)) throw new Refusal(`There is no ${page} in src/demo/client/.`, 404);
    return sendFile(path.join(CLIENT_DIR, page), response);
  }
  const script = /^\/js\/((?:[a-z0-9_-]+\/)*[a-z0-9_.-]+\.js(?:\.map)?)$/i.exec(pathname)?.[1];
  if (script !== undefined && !script.split('/').some((segment) => segment.startsWith('.'))) {
    const file = path.join(compiledClientDir, script);
    if (!existsSync(file))
      throw new Refusal(`The web client is not compiled (no dist/demo-client/client/${script}): run \`npm run build\`.`, 404);
    return sendFile(file, response);
  }
  throw new Refusal(`GET ${pathname} is not something the demo serves.`, 404);
}

async function sendFile(file: string, response: ServerResponse): Promise<void> {
  const content = await readFile(file);
  response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  response.end(content);
}

// ---- readings for the panels -------------------------------------------------------------------

function parsePayload(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function targetOf(payload: Record<string, unknown>): string {
  for (const field of ['channel', 'userId', 'email']) {
    const value = payload[field];
    if (typeof value === 'string') return value;
  }
  return '';
}

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A short reading of a log entry: what changed in status, permissions and end date, and its note. */
function summaryOf(row: { before: unknown; after: unknown; note: string | null }): string {
  const before = recordOf(row.before);
  const after = recordOf(row.after);
  const parts: string[] = [];
  if (after.status !== undefined && after.status !== before.status)
    parts.push(before.status ? `${String(before.status)} → ${String(after.status)}` : `status ${String(after.status)}`);
  if (Array.isArray(after.permissions)) parts.push(`permissions: ${after.permissions.join(', ') || 'none'}`);
  if (after.endsOn !== undefined && after.endsOn !== before.endsOn)
    parts.push(`ends ${after.endsOn === null ? 'never' : String(after.endsOn)}`);
  if (row.note) parts.push(row.note);
  return parts.join('; ');
}
