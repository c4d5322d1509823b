/**
 * A local, stateful stand-in for the Slack Web API, for integration tests and the no-workspace
 * demo. Point Bolt at it with `clientOptions: { slackApiUrl: emulator.url }`.
 *
 * It is strict on purpose: calls that real Slack would reject (bad token, missing arguments,
 * Block Kit limits, stale trigger ids, unknown channels) are rejected here too, and malformed
 * payloads are also collected in `violations` so a test can assert there were none.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  broadcastMentionsIn,
  describeProblem,
  inspectMessage,
  inspectView,
  slackStyleMessage,
  type BlockKitReport,
  type MessagePayload,
} from './block-kit-limits.js';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export type SlackArgs = Record<string, unknown>;

/** The JSON body of a Web API answer. */
export interface SlackApiBody {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

export interface RecordedCall {
  method: string;
  /** The parsed request body (JSON-valued form fields such as `blocks` and `view` are parsed), without `token`. */
  args: SlackArgs;
  /** From the `Authorization: Bearer` header, else the `token` argument. */
  token: string | undefined;
  /** What the emulator answered: the JSON body, or the raw text of a scripted HTTP error. */
  response: unknown;
  status: number;
  at: Date;
  /** True when the answer came from `failNext`, `setFault` or an outage instead of the emulated method. */
  faulted: boolean;
}

/** Something the app sent that Slack would reject as malformed. A clean test run has none. */
export interface Violation {
  /** A Web API method, `response_url`, or an app reply such as `ack:view_submission`. */
  source: string;
  error: string;
  problems: string[];
  at: Date;
}

export interface ResponseUrlContext {
  userId?: string;
  channelId?: string;
  /** The message the interaction came from; `replace_original`/`delete_original` act on it. */
  messageTs?: string;
  /** Free text for debugging, e.g. `/access` or `block_actions`. */
  source?: string;
}

export interface ResponseUrlBody {
  text?: string;
  blocks?: unknown;
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
  thread_ts?: string;
  [field: string]: unknown;
}

export interface RecordedResponseUrlPost {
  responseUrl: string;
  context: ResponseUrlContext;
  body: ResponseUrlBody;
  /** 200 when accepted; 4xx with `error` when Slack would have refused it. */
  status: number;
  error: string | undefined;
  at: Date;
}

export interface RecordedUpload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  at: Date;
}

/** A file files.completeUploadExternal shared into a conversation, with the message that carries it. */
export interface SharedFile {
  fileId: string;
  filename: string;
  title: string;
  channel: string;
  /** The message's ts. */
  ts: string;
  /** The message's text: the upload's initial_comment. */
  comment: string;
  bytes: Buffer;
  at: Date;
}

/**
 * A scripted failure: an HTTP status (429 gets `Retry-After`, default 1 s), or a Slack platform
 * error answered as HTTP 200 `{ ok: false, error }`.
 */
export type EmulatorFault = { status: number; retryAfter?: number; body?: string } | { error: string };

export type FaultHook = (call: { method: string; args: SlackArgs; token: string | undefined }) => EmulatorFault | undefined;

export type MethodHandler = (args: SlackArgs, call: { token: string; method: string }) => SlackApiBody;

export interface SlackUserInput {
  id: string;
  name: string;
  teamId?: string;
  realName?: string;
  email?: string;
  /** IANA zone, e.g. `Europe/Berlin`. Defaults to `UTC`. */
  tz?: string;
  isBot?: boolean;
  deleted?: boolean;
  isAdmin?: boolean;
}

export interface EmulatedUser {
  id: string;
  name: string;
  teamId: string;
  realName: string;
  email: string | undefined;
  tz: string;
  isBot: boolean;
  deleted: boolean;
  isAdmin: boolean;
}

export interface EmulatedChannel {
  id: string;
  name: string;
  botIsMember: boolean;
  /** For DMs: the other member. */
  userId?: string;
  kind: 'channel' | 'im' | 'mpim';
}

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
  attachments?: unknown;
  thread_ts?: string;
  files?: unknown[];
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  edited?: { user: string; ts: string };
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown;
  /** `command_reply`: the body a slash command's HTTP answer carried, which Slack shows to the invoker only. */
  via: 'chat.postEphemeral' | 'response_url' | 'command_reply';
  /** Set once a response_url post with `replace_original` has replaced it. */
  edited?: boolean;
}

/** What changed in the emulator's state, for a watcher such as the demo's web client. */
export interface EmulatorChange {
  kind:
    | 'message.posted'
    | 'message.updated'
    | 'message.deleted'
    | 'ephemeral.posted'
    | 'ephemeral.updated'
    | 'ephemeral.deleted'
    | 'view.opened'
    | 'view.pushed'
    | 'view.updated'
    | 'view.closed'
    | 'view.errors'
    | 'home.published'
    | 'file.uploaded';
  /** The channel of a message change; the user of a view or ephemeral. */
  channel?: string;
  userId?: string;
}

export type EmulatorChangeListener = (change: EmulatorChange) => void;

export interface EmulatedView {
  id: string;
  type: 'modal' | 'home';
  userId: string;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  externalId: string | undefined;
  /** The view as the app sent it, with block ids filled in the way Slack fills them. */
  definition: SlackArgs;
  /** Position in its modal stack (1 = root); 0 for Home tabs. */
  depth: number;
}

interface IssuedTrigger {
  userId: string;
  issuedAt: number;
  used: boolean;
  viewId: string | undefined;
}

interface ResponseUrlGrant {
  context: ResponseUrlContext;
  issuedAt: number;
  uses: number;
}

interface PendingFile {
  id: string;
  filename: string;
  length: number;
  title: string;
  upload: RecordedUpload | undefined;
  /** Set once files.completeUploadExternal has completed it; Slack completes a file once. */
  completed: boolean;
}

export interface SlackEmulatorOptions {
  /** The bot token every call must carry. Default `xoxb-sandbox-token`. */
  token?: string;
  /** The app-level token that `apps.*` methods (Socket Mode) must carry. Default `xapp-sandbox-token`. */
  appToken?: string;
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  appId?: string;
  /** Clock in epoch milliseconds; inject one to test trigger and response_url expiry. */
  now?: () => number;
  /** How long a trigger_id stays usable; Slack's is 3 s. Load tests that issue triggers ahead of time lengthen it. */
  triggerLifetimeMs?: number;
  /**
   * Check every message and view against Block Kit's limits (the default). A benchmark turns it
   * off: Slack does that work on its own machines, not on the one being measured.
   */
  checkBlockKit?: boolean;
  users?: SlackUserInput[];
  /** Channel ids the bot is a member of. */
  channels?: string[];
}

export interface StartSlackEmulatorOptions extends SlackEmulatorOptions {
  /** Default 0: a port the OS picks, as tests want; the demo listens on a fixed one. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

// ---------------------------------------------------------------------------------------------
// Slack's rules
// ---------------------------------------------------------------------------------------------

/**
 * Required arguments, from test/fixtures/slack/web-api.openapi.json (parameters with `required: true`;
 * `token` is checked separately). Where that 2020 spec is looser than @slack/web-api 8's request
 * types (views.update `view`, users.info `user`), the newer types win; the files.*External methods
 * are missing from the spec, so theirs come from web-api's FilesGetUploadURLExternalArguments and
 * FilesCompleteUploadExternalArguments.
 */
export const REQUIRED_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  'auth.test': [],
  'chat.postMessage': ['channel'],
  'chat.postEphemeral': ['channel', 'user'],
  'chat.update': ['channel', 'ts'],
  'views.open': ['trigger_id', 'view'],
  'views.push': ['trigger_id', 'view'],
  'views.update': ['view'],
  'views.publish': ['user_id', 'view'],
  'conversations.open': [],
  'users.info': ['user'],
  'users.lookupByEmail': ['email'],
  'files.getUploadURLExternal': ['filename', 'length'],
  'files.completeUploadExternal': ['files'],
};

/** Methods that need at least one of a group of arguments, and the error Slack gives without any. */
const ONE_OF_ARGUMENTS: Readonly<Record<string, { names: readonly string[]; error: string }>> = {
  'views.update': { names: ['view_id', 'external_id'], error: 'invalid_arguments' },
  'conversations.open': { names: ['channel', 'users'], error: 'users_list_not_supplied' },
};

/** Form fields that carry JSON; Slack parses them, so the recorded args do too. */
const JSON_FIELDS: ReadonlySet<string> = new Set(['blocks', 'attachments', 'view', 'files', 'metadata', 'unfurls']);

const TRIGGER_LIFETIME_MS = 3_000;
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
const RESPONSE_URL_MAX_USES = 5;
const MODAL_STACK_LIMIT = 3;
const MPIM_MAX_USERS = 8;
/** files.completeUploadExternal completes at most this many files at once. */
const MAX_FILES_PER_COMPLETION = 10;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function fail(error: string, extra: Record<string, unknown> = {}): SlackApiBody {
  return { ok: false, error, ...extra };
}

/**
 * Answers that mean the request itself was malformed, with the problems to report. Kept apart
 * from the error code because some codes (channel_not_found) also describe plain state.
 */
const malformedAnswers = new WeakMap<SlackApiBody, string[]>();

/** Marks an answer as a rejection of a malformed request, so it is also recorded in `violations`. Use it in `setHandler` methods. */
export function malformed(answer: SlackApiBody, problems: string[]): SlackApiBody {
  malformedAnswers.set(answer, problems);
  return answer;
}

function invalidArguments(problem: string): SlackApiBody {
  return malformed(fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] ${problem}`] } }), [problem]);
}

function rejectionFor(report: BlockKitReport): SlackApiBody {
  const messages = report.problems.map(slackStyleMessage);
  // chat.* answers list the problems under `errors` too; the client logs response_metadata.messages.
  const answer = fail(report.error ?? 'invalid_arguments', { errors: messages, response_metadata: { messages } });
  return malformed(answer, report.problems.map(describeProblem));
}

function timeZoneDetails(tz: string, atMs: number): { offsetSeconds: number; label: string } {
  const zoneName = (style: 'longOffset' | 'long') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(new Date(atMs))
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(zoneName('longOffset'));
  const offsetSeconds = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 3600 + Number(offset[3]) * 60) : 0;
  return { offsetSeconds, label: zoneName('long') };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function parseJsonFields(fields: Iterable<[string, string]>): SlackArgs {
  const args: SlackArgs = {};
  for (const [name, value] of fields) {
    if (!JSON_FIELDS.has(name)) {
      args[name] = value;
      continue;
    }
    try {
      args[name] = JSON.parse(value) as unknown;
    } catch {
      // Keep the raw text: the method answers invalid_blocks_format / invalid_arguments for it.
      args[name] = value;
    }
  }
  return args;
}

/** Node's fetch implementation already parses multipart bodies; no need for a dependency. */
function parseMultipart(contentType: string, body: Buffer): Promise<FormData> {
  // Copied into a plain Uint8Array because the DOM typings of BodyInit do not accept Buffer.
  return new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
}

type ParsedRequest = { args: SlackArgs } | { error: 'invalid_json' | 'json_not_object' | 'invalid_form_data' };

async function parseApiArguments(contentType: string, body: Buffer, query: URLSearchParams): Promise<ParsedRequest> {
  const fromQuery = parseJsonFields(query.entries());
  if (body.length === 0) return { args: fromQuery };
  if (contentType.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { error: 'invalid_json' };
    }
    return isRecord(parsed) ? { args: { ...fromQuery, ...parsed } } : { error: 'json_not_object' };
  }
  if (contentType.includes('multipart/form-data')) {
    try {
      const form = await parseMultipart(contentType, body);
      const textFields: [string, string][] = [];
      for (const [name, value] of form.entries()) {
        textFields.push([name, typeof value === 'string' ? value : `<file ${value.name}>`]);
      }
      return { args: { ...fromQuery, ...parseJsonFields(textFields) } };
    } catch {
      return { error: 'invalid_form_data' };
    }
  }
  return { args: { ...fromQuery, ...parseJsonFields(new URLSearchParams(body.toString('utf8')).entries()) } };
}

/** The file bytes of an upload, whether it came raw or (as @slack/web-api sends it) as multipart. */
async function uploadedBytes(contentType: string, body: Buffer): Promise<Buffer> {
  if (!contentType.includes('multipart/form-data')) return body;
  const form = await parseMultipart(contentType, body);
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return body;
}

/** A stored message as Slack returns it in API answers: the channel is a sibling field, not part of it. */
function messagePayload(message: StoredMessage): SlackArgs {
  const payload: SlackArgs = { ...message };
  delete payload.channel;
  return payload;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

// ---------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------

export class SlackEmulator {
  /** Base for `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly appToken: string;
  private readonly triggerLifetimeMs: number;
  private readonly checkBlockKit: boolean;
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly appId: string;

  readonly calls: RecordedCall[] = [];
  readonly violations: Violation[] = [];
  readonly responses: RecordedResponseUrlPost[] = [];
  readonly uploads: RecordedUpload[] = [];
  private readonly shared: SharedFile[] = [];
  readonly ephemeralMessages: EphemeralMessage[] = [];

  private readonly now: () => number;
  private readonly server: Server;
  private readonly events = new EventEmitter();
  private readonly handlers = new Map<string, MethodHandler>();

  private readonly users = new Map<string, EmulatedUser>();
  private readonly channels = new Map<string, EmulatedChannel>();
  private readonly dmByUser = new Map<string, string>();
  private readonly mpimByMembers = new Map<string, string>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly views = new Map<string, EmulatedView>();
  /** Open modal stacks, root view id → view ids bottom to top; insertion order = opening order. */
  private readonly modalStacks = new Map<string, string[]>();
  private readonly homeViewByUser = new Map<string, string>();
  private readonly triggers = new Map<string, IssuedTrigger>();
  private readonly responseUrls = new Map<string, ResponseUrlGrant>();
  private readonly files = new Map<string, PendingFile>();

  private scriptedFaults: { method: string; fault: EmulatorFault; remaining: number }[] = [];
  private faultHook: FaultHook | undefined;
  private outage: { fault: EmulatorFault; except: ReadonlySet<string> } | undefined;
  private idCounter = 0;
  private lastTsMicros = 0;
  /** Field errors of the last `response_action: "errors"`, by view id; gone with the next submit or update. */
  private readonly fieldErrors = new Map<string, Record<string, string>>();

  /** Use `startSlackEmulator`; the constructor needs an already listening server. */
  constructor(server: Server, options: SlackEmulatorOptions) {
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.origin = `http://127.0.0.1:${this.port}`;
    this.url = `${this.origin}/api/`;
    this.now = options.now ?? Date.now;
    this.token = options.token ?? 'xoxb-sandbox-token';
    this.appToken = options.appToken ?? 'xapp-sandbox-token';
    this.triggerLifetimeMs = options.triggerLifetimeMs ?? TRIGGER_LIFETIME_MS;
    this.checkBlockKit = options.checkBlockKit ?? true;
    this.teamId = options.teamId ?? 'T0SANDBOX01';
    this.teamName = options.teamName ?? 'Gatehouse Sandbox';
    this.teamDomain = options.teamDomain ?? 'gatehouse-sandbox';
    this.botUserId = options.botUserId ?? 'U0GATEHOUSE';
    this.botId = options.botId ?? 'B0GATEHOUSE';
    this.botName = options.botName ?? 'gatehouse';
    this.appId = options.appId ?? 'A0GATEHOUSE';
    this.addUser({ id: this.botUserId, name: this.botName, realName: 'Gatehouse', isBot: true });
    for (const user of options.users ?? []) this.addUser(user);
    for (const channel of options.channels ?? []) this.addChannel(channel);
    this.registerBuiltInMethods();
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.route(request, response).catch((error: unknown) => this.answerInternalError(response, error));
    });
  }

  // ---- recordings ---------------------------------------------------------------------------

  /** Recorded calls to one method (`'*'` for all). */
  callsTo(method: string): RecordedCall[] {
    return method === '*' ? [...this.calls] : this.calls.filter((call) => call.method === method);
  }

  /** Resolves once `count` calls to `method` (`'*'` for any) were recorded; rejects after `timeoutMs`. */
  waitForCalls(method: string, count = 1, timeoutMs = 2_000): Promise<RecordedCall[]> {
    return this.waitFor(
      () => {
        const matching = this.callsTo(method);
        return matching.length >= count ? matching : undefined;
      },
      timeoutMs,
      () => `${count} call(s) to ${method}; recorded: ${this.calls.map((call) => call.method).join(', ') || 'none'}`,
    );
  }

  /** Resolves once `count` response_url posts were recorded (accepted or not). */
  waitForResponses(count = 1, timeoutMs = 2_000): Promise<RecordedResponseUrlPost[]> {
    return this.waitFor(
      () => (this.responses.length >= count ? [...this.responses] : undefined),
      timeoutMs,
      () => `${count} response_url post(s); recorded ${this.responses.length}`,
    );
  }

  /**
   * Forgets recorded calls, violations, response_url posts, uploads and scripted faults. State
   * (users, channels, messages, views) stays.
   */
  /** Files shared into conversations, oldest first; in one conversation when `channelId` is given. */
  sharedFiles(channelId?: string): SharedFile[] {
    return this.shared.filter((file) => channelId === undefined || file.channel === channelId);
  }

  clear(): void {
    this.calls.length = 0;
    this.violations.length = 0;
    this.responses.length = 0;
    this.uploads.length = 0;
    this.scriptedFaults = [];
    this.faultHook = undefined;
    this.outage = undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // fetch keeps connections alive; without this close() would wait for them to time out.
      this.server.closeAllConnections();
    });
  }

  /** Calls `listener` after every change a person looking at Slack would see; returns the unsubscribe. */
  onChange(listener: EmulatorChangeListener): () => void {
    this.events.on('change', listener);
    return () => {
      this.events.off('change', listener);
    };
  }

  private changed(change: EmulatorChange): void {
    this.events.emit('change', change);
  }

  /** Adds a problem found outside the Web API (e.g. by the driver in an app's HTTP reply). */
  recordViolation(source: string, error: string, problems: string[]): void {
    this.violations.push({ source, error, problems, at: new Date(this.now()) });
  }

  // ---- fault injection ----------------------------------------------------------------------

  /** The next `count` calls to `method` (`'*'` for any) fail with `fault`. Scripts queue up in order. */
  failNext(method: string, fault: EmulatorFault, count = 1): void {
    this.scriptedFaults.push({ method, fault, remaining: count });
  }

  /** Consulted for every call that no `failNext` script claimed; return undefined to let it through. */
  setFault(hook: FaultHook | undefined): void {
    this.faultHook = hook;
  }

  /**
   * Starts an outage: from now on every call except those to the `except` methods fails with
   * `fault`, however many there are, until `endOutage`. Scripts from `failNext` still come first.
   */
  startOutage(fault: EmulatorFault, options: { except?: readonly string[] } = {}): void {
    this.outage = { fault, except: new Set(options.except ?? []) };
  }

  endOutage(): void {
    this.outage = undefined;
  }

  // ---- extension ----------------------------------------------------------------------------

  /** Adds or replaces a Web API method. Token checks, recording and faults still apply. */
  setHandler(method: string, handler: MethodHandler): void {
    this.handlers.set(method, handler);
  }

  // ---- state: users and channels ------------------------------------------------------------

  addUser(input: SlackUserInput): EmulatedUser {
    const tz = input.tz ?? 'UTC';
    timeZoneDetails(tz, this.now()); // throws RangeError for an unknown zone, at setup rather than mid-test
    const user: EmulatedUser = {
      id: input.id,
      name: input.name,
      teamId: input.teamId ?? this.teamId,
      realName: input.realName ?? input.name,
      email: input.email,
      tz,
      isBot: input.isBot ?? false,
      deleted: input.deleted ?? false,
      isAdmin: input.isAdmin ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  getUser(userId: string): EmulatedUser | undefined {
    return this.users.get(userId);
  }

  /** Makes a channel known; by default the bot is a member (posting to it works). */
  addChannel(id: string, options: { name?: string; botIsMember?: boolean } = {}): EmulatedChannel {
    const channel: EmulatedChannel = {
      id,
      name: options.name ?? id.toLowerCase(),
      botIsMember: options.botIsMember ?? true,
      kind: 'channel',
    };
    this.channels.set(id, channel);
    return channel;
  }

  getChannel(channelId: string): EmulatedChannel | undefined {
    return this.channels.get(channelId);
  }

  /** The bot's DM channel with a user (a stable `D…` id), opened on first use. */
  dmChannelFor(userId: string): string {
    const existing = this.dmByUser.get(userId);
    if (existing !== undefined) return existing;
    const id = this.newId('D');
    this.channels.set(id, { id, name: userId, botIsMember: true, userId, kind: 'im' });
    this.dmByUser.set(userId, id);
    return id;
  }

  /** Messages the bot has in a channel, oldest first. */
  messagesIn(channelId: string): StoredMessage[] {
    return [...(this.messages.get(channelId) ?? [])];
  }

  findMessage(channelId: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channelId)?.find((message) => message.ts === ts);
  }

  /** Everything the emulator keeps, read-only, for assertions and the demo UI. */
  get state() {
    return {
      users: this.users as ReadonlyMap<string, EmulatedUser>,
      channels: this.channels as ReadonlyMap<string, EmulatedChannel>,
      messages: this.messages as ReadonlyMap<string, readonly StoredMessage[]>,
      views: this.views as ReadonlyMap<string, EmulatedView>,
      modalStacks: this.modalStacks as ReadonlyMap<string, readonly string[]>,
      homeViews: this.homeViewByUser as ReadonlyMap<string, string>,
    };
  }

  // ---- state: views -------------------------------------------------------------------------

  getView(viewId: string): EmulatedView | undefined {
    return this.views.get(viewId);
  }

  /** Modals currently open, optionally only one user's, in opening order. */
  openModals(userId?: string): EmulatedView[] {
    const open: EmulatedView[] = [];
    for (const stack of this.modalStacks.values()) {
      for (const viewId of stack) {
        const view = this.views.get(viewId);
        if (view && (userId === undefined || view.userId === userId)) open.push(view);
      }
    }
    return open;
  }

  /** The view on top of the user's most recently opened modal stack. */
  currentModal(userId: string): EmulatedView | undefined {
    const stacks = [...this.modalStacks.values()].reverse();
    for (const stack of stacks) {
      const top = this.views.get(stack[stack.length - 1] ?? '');
      if (top?.userId === userId) return top;
    }
    return undefined;
  }

  homeView(userId: string): EmulatedView | undefined {
    const viewId = this.homeViewByUser.get(userId);
    return viewId === undefined ? undefined : this.views.get(viewId);
  }

  /** The user's most recently opened modal stack, bottom first (Slack shows one stack at a time). */
  modalStackOf(userId: string): EmulatedView[] {
    const stacks = [...this.modalStacks.values()].reverse();
    for (const stack of stacks) {
      const views = stack.map((viewId) => this.views.get(viewId)).filter((view): view is EmulatedView => view !== undefined);
      if (views[0]?.userId === userId) return views;
    }
    return [];
  }

  /** Ephemerals shown to one user, optionally in one channel, oldest first. */
  ephemeralsFor(userId: string, channelId?: string): EphemeralMessage[] {
    return this.ephemeralMessages.filter(
      (message) => message.user === userId && (channelId === undefined || message.channel === channelId),
    );
  }

  /** The field errors Slack shows under a view's inputs, from the app's last `response_action: "errors"`. */
  viewErrors(viewId: string): Record<string, string> {
    return { ...(this.fieldErrors.get(viewId) ?? {}) };
  }

  /**
   * What Slack does with the body of a slash command's HTTP answer: shows it to the invoker alone,
   * as an ephemeral in the channel the command was typed in.
   */
  addCommandReply(reply: { channel: string; user: string; text: string; blocks?: unknown }): EphemeralMessage {
    const message: EphemeralMessage = {
      channel: reply.channel,
      user: reply.user,
      ts: this.nextTs(),
      text: reply.text,
      blocks: reply.blocks,
      via: 'command_reply',
    };
    this.ephemeralMessages.push(message);
    this.changed({ kind: 'ephemeral.posted', channel: reply.channel, userId: reply.user });
    return message;
  }

  /** A view as Slack puts it in API answers and interaction payloads (`id`, `hash`, `state`, …). */
  viewPayload(view: EmulatedView, stateValues: Record<string, unknown> = {}): SlackArgs {
    const definition = view.definition;
    const common = {
      id: view.id,
      team_id: this.teamId,
      type: view.type,
      blocks: definition.blocks ?? [],
      private_metadata: definition.private_metadata ?? '',
      callback_id: definition.callback_id ?? '',
      state: { values: stateValues },
      hash: view.hash,
      external_id: view.externalId ?? '',
      app_id: this.appId,
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
      root_view_id: view.rootViewId,
      previous_view_id: view.previousViewId,
    };
    if (view.type === 'home') return { ...common, title: definition.title ?? null };
    return {
      ...common,
      title: definition.title,
      close: definition.close ?? null,
      submit: definition.submit ?? null,
      clear_on_close: definition.clear_on_close ?? false,
      notify_on_close: definition.notify_on_close ?? false,
      submit_disabled: definition.submit_disabled ?? false,
    };
  }

  /**
   * Applies what an app answered to a view_submission (Slack acts on it, not the Web API):
   * empty → close the submitted view, `clear` → close the stack, `update`/`push` → change it,
   * `errors` → stay open. Malformed answers are recorded as violations.
   */
  applyViewSubmissionResponse(viewId: string, reply: unknown): void {
    const source = 'ack:view_submission';
    const view = this.views.get(viewId);
    if (view === undefined) return;
    if (this.fieldErrors.delete(viewId)) this.changed({ kind: 'view.errors', userId: view.userId });
    if (!isRecord(reply) || reply.response_action === undefined) {
      this.closeView(viewId);
      return;
    }
    this.checkBroadcasts(source, { view: reply.view });
    switch (reply.response_action) {
      case 'clear':
        this.closeView(viewId, { cleared: true });
        return;
      case 'errors':
        this.checkSubmissionErrors(view, reply.errors, source);
        if (isRecord(reply.errors)) {
          this.fieldErrors.set(
            viewId,
            Object.fromEntries(Object.entries(reply.errors).map(([blockId, error]) => [blockId, String(error)])),
          );
          this.changed({ kind: 'view.errors', userId: view.userId });
        }
        return;
      case 'update': {
        const report = this.inspectViewIfChecking(reply.view, 'modal');
        if (report.error) return this.recordReport(source, report);
        this.replaceDefinition(view, reply.view as SlackArgs);
        return;
      }
      case 'push': {
        const report = this.inspectViewIfChecking(reply.view, 'modal');
        if (report.error) return this.recordReport(source, report);
        const stack = this.modalStacks.get(view.rootViewId) ?? [];
        if (stack.length >= MODAL_STACK_LIMIT) {
          this.recordViolation(source, 'push_limit_reached', [`the modal stack is already ${MODAL_STACK_LIMIT} deep`]);
          return;
        }
        this.pushModal(view.userId, reply.view as SlackArgs, view.rootViewId);
        this.changed({ kind: 'view.pushed', userId: view.userId });
        return;
      }
      default:
        this.recordViolation(source, 'invalid_response_action', [`unknown response_action ${JSON.stringify(reply.response_action)}`]);
    }
  }

  /** What Slack does when the user dismisses a modal: pop it (and anything above), or the whole stack. */
  closeView(viewId: string, options: { cleared?: boolean } = {}): void {
    const view = this.views.get(viewId);
    if (view === undefined || view.type !== 'modal') return;
    const stack = this.modalStacks.get(view.rootViewId);
    if (stack === undefined) return;
    const keep = options.cleared ? 0 : Math.max(0, stack.indexOf(viewId));
    const closing = stack.splice(keep);
    for (const closed of closing) {
      this.views.delete(closed);
      this.fieldErrors.delete(closed);
    }
    if (stack.length === 0) this.modalStacks.delete(view.rootViewId);
    if (closing.length > 0) this.changed({ kind: 'view.closed', userId: view.userId });
  }

  // ---- interactions: trigger ids and response URLs -----------------------------------------

  /** A trigger id as Slack puts in interaction payloads: valid for 3 s, usable once. */
  issueTriggerId(userId: string, options: { viewId?: string } = {}): string {
    const id = `${Math.floor(this.now() / 1000)}.${++this.idCounter}.${randomHex(16)}`;
    this.triggers.set(id, { userId, issuedAt: this.now(), used: false, viewId: options.viewId });
    return id;
  }

  /** A response_url served by this emulator: up to 5 posts within 30 minutes. */
  newResponseUrl(context: ResponseUrlContext = {}): string {
    const id = `${this.teamId}/${++this.idCounter}/${randomHex(12)}`;
    this.responseUrls.set(id, { context, issuedAt: this.now(), uses: 0 });
    return `${this.origin}/response/${id}`;
  }

  // ---- HTTP routing ---------------------------------------------------------------------------

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const body = await readBody(request);
    const contentType = request.headers['content-type'] ?? '';
    if (url.pathname.startsWith('/api/')) {
      await this.answerApiCall(decodeURIComponent(url.pathname.slice('/api/'.length)), request, url, body, response);
    } else if (url.pathname.startsWith('/response/') && request.method === 'POST') {
      this.answerResponseUrl(url.pathname.slice('/response/'.length), contentType, body, response);
    } else if (url.pathname.startsWith('/upload/') && request.method === 'POST') {
      await this.answerUpload(url.pathname.slice('/upload/'.length), contentType, body, response);
    } else if (url.pathname.startsWith('/files/') && request.method === 'GET') {
      this.answerDownload(url.pathname.slice('/files/'.length).split('/')[0] ?? '', response);
    } else {
      sendText(response, 404, 'not_found');
    }
  }

  private answerInternalError(response: ServerResponse, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.recordViolation('emulator', 'emulator_error', [message]);
    if (!response.headersSent) sendText(response, 500, `emulator error: ${message}`);
    else response.end();
  }

  private async answerApiCall(method: string, request: IncomingMessage, url: URL, body: Buffer, response: ServerResponse): Promise<void> {
    const parsed = await parseApiArguments(request.headers['content-type'] ?? '', body, url.searchParams);
    const args = 'args' in parsed ? parsed.args : {};
    const token = this.tokenOf(request, args);
    delete args.token;
    const record = (status: number, answer: unknown, faulted: boolean) => {
      this.calls.push({ method, args, token, response: answer, status, at: new Date(this.now()), faulted });
      this.events.emit('call');
    };

    const fault = this.takeFault(method, args, token);
    if (fault !== undefined) {
      const { status, body: faultBody, headers } = this.faultAnswer(fault);
      record(status, faultBody, true);
      if (typeof faultBody === 'string') {
        response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
        response.end(faultBody);
      } else {
        sendJson(response, status, faultBody, headers);
      }
      return;
    }

    this.checkBroadcasts(method, { text: args.text ?? args.initial_comment, blocks: args.blocks, view: args.view });
    const answer =
      'error' in parsed
        ? malformed(fail(parsed.error), [`the request body could not be parsed (${parsed.error})`])
        : this.runMethod(method, args, token);
    const problems = malformedAnswers.get(answer);
    if (problems !== undefined) this.recordViolation(method, answer.error ?? 'malformed', problems);
    record(200, answer, false);
    sendJson(response, 200, answer);
  }

  private tokenOf(request: IncomingMessage, args: SlackArgs): string | undefined {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
    return bearer?.[1]?.trim() ?? optionalString(args.token);
  }

  private runMethod(method: string, args: SlackArgs, token: string | undefined): SlackApiBody {
    if (isBlank(token)) return fail('not_authed');
    const expectedToken = method.startsWith('apps.') ? this.appToken : this.token;
    if (token !== expectedToken) return fail('invalid_auth');
    const handler = this.handlers.get(method);
    if (handler === undefined) {
      const problem = `the emulator does not implement ${method}; add it with setHandler()`;
      return malformed(fail('unknown_method', { response_metadata: { messages: [`[ERROR] ${problem}`] } }), [problem]);
    }
    const missing = this.missingArguments(method, args);
    if (missing !== undefined) return missing;
    return handler(args, { token: expectedToken, method });
  }

  private missingArguments(method: string, args: SlackArgs): SlackApiBody | undefined {
    if (method.startsWith('views.') && isBlank(args.trigger_id) && !isBlank(args.interactivity_pointer)) {
      args.trigger_id = args.interactivity_pointer; // Slack accepts either name for the same pointer
    }
    for (const name of REQUIRED_ARGUMENTS[method] ?? []) {
      if (!isBlank(args[name])) continue;
      const problem = `missing required field: ${name}`;
      // chat.* report a missing channel the way they report an unknown one.
      return name === 'channel' && method.startsWith('chat.') ? malformed(fail('channel_not_found'), [problem]) : invalidArguments(problem);
    }
    const oneOf = ONE_OF_ARGUMENTS[method];
    if (oneOf && oneOf.names.every((name) => isBlank(args[name]))) {
      const problem = `one of ${oneOf.names.join(', ')} is required`;
      return malformed(fail(oneOf.error, { response_metadata: { messages: [`[ERROR] ${problem}`] } }), [problem]);
    }
    return undefined;
  }

  private takeFault(method: string, args: SlackArgs, token: string | undefined): EmulatorFault | undefined {
    const script = this.scriptedFaults.find((entry) => entry.method === method || entry.method === '*');
    if (script !== undefined) {
      script.remaining -= 1;
      if (script.remaining <= 0) this.scriptedFaults.splice(this.scriptedFaults.indexOf(script), 1);
      return script.fault;
    }
    if (this.outage && !this.outage.except.has(method)) return this.outage.fault;
    return this.faultHook?.({ method, args, token });
  }

  private faultAnswer(fault: EmulatorFault): { status: number; body: unknown; headers: Record<string, string> } {
    if ('error' in fault) return { status: 200, body: fail(fault.error), headers: {} };
    if (fault.status === 429) {
      const retryAfter = String(fault.retryAfter ?? 1);
      return { status: 429, body: fail('ratelimited'), headers: { 'retry-after': retryAfter } };
    }
    return { status: fault.status, body: fault.body ?? STATUS_CODES[fault.status] ?? 'error', headers: {} };
  }

  // ---- Web API methods ----------------------------------------------------------------------

  private registerBuiltInMethods(): void {
    const methods: Record<string, MethodHandler> = {
      'auth.test': () => this.authTest(),
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'chat.update': (args) => this.updateMessage(args),
      'views.open': (args) => this.openView(args),
      'views.push': (args) => this.pushView(args),
      'views.update': (args) => this.updateView(args),
      'views.publish': (args) => this.publishView(args),
      'conversations.open': (args) => this.openConversation(args),
      'users.info': (args) => this.userInfo(args),
      'users.lookupByEmail': (args) => this.lookupUserByEmail(args),
      'files.getUploadURLExternal': (args) => this.getUploadUrl(args),
      'files.completeUploadExternal': (args) => this.completeUpload(args),
    };
    for (const [method, handler] of Object.entries(methods)) this.handlers.set(method, handler);
  }

  private authTest(): SlackApiBody {
    return {
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: this.botName,
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    };
  }

  /** Checks text/blocks the way chat.* do; returns the rejection, if any. */
  private rejectMessageContent(args: SlackArgs): SlackApiBody | undefined {
    if (typeof args.blocks === 'string' || typeof args.attachments === 'string') {
      return malformed(fail('invalid_blocks_format'), ['blocks/attachments are not valid JSON']);
    }
    const hasBlocks = Array.isArray(args.blocks) ? args.blocks.length > 0 : args.blocks !== undefined;
    if (isBlank(args.text) && !hasBlocks && args.attachments === undefined) {
      return malformed(fail('no_text'), ['a message needs text, blocks or attachments']);
    }
    const report = this.inspectMessageIfChecking({ text: args.text, blocks: args.blocks });
    return report.error ? rejectionFor(report) : undefined;
  }

  private postMessage(args: SlackArgs): SlackApiBody {
    const rejected = this.rejectMessageContent(args);
    if (rejected) return rejected;
    const channel = this.resolvePostingChannel(String(args.channel));
    if ('error' in channel) return fail(channel.error);
    const message: StoredMessage = {
      type: 'message',
      channel: channel.id,
      ts: this.nextTs(),
      text: optionalString(args.text) ?? '',
      user: this.botUserId,
      bot_id: this.botId,
      app_id: this.appId,
      team: this.teamId,
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
      ...(optionalString(args.thread_ts) ? { thread_ts: String(args.thread_ts) } : {}),
    };
    this.storeMessage(message);
    return { ok: true, channel: channel.id, ts: message.ts, message: messagePayload(message) };
  }

  private postEphemeral(args: SlackArgs): SlackApiBody {
    const rejected = this.rejectMessageContent(args);
    if (rejected) return rejected;
    const channel = this.resolvePostingChannel(String(args.channel));
    if ('error' in channel) return fail(channel.error);
    const user = this.users.get(String(args.user));
    if (user === undefined || user.deleted) return fail('user_not_in_channel');
    const ts = this.nextTs();
    this.ephemeralMessages.push({
      channel: channel.id,
      user: user.id,
      ts,
      text: optionalString(args.text) ?? '',
      blocks: args.blocks,
      via: 'chat.postEphemeral',
    });
    this.changed({ kind: 'ephemeral.posted', channel: channel.id, userId: user.id });
    return { ok: true, message_ts: ts };
  }

  private updateMessage(args: SlackArgs): SlackApiBody {
    const rejected = this.rejectMessageContent(args);
    if (rejected) return rejected;
    const channel = this.resolvePostingChannel(String(args.channel));
    if ('error' in channel) return fail(channel.error);
    const message = this.findMessage(channel.id, String(args.ts));
    if (message === undefined) return fail('message_not_found');
    if (args.text !== undefined) message.text = optionalString(args.text) ?? '';
    if (args.blocks !== undefined) message.blocks = args.blocks;
    if (args.attachments !== undefined) message.attachments = args.attachments;
    message.edited = { user: this.botUserId, ts: this.nextTs() };
    this.changed({ kind: 'message.updated', channel: channel.id });
    return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: messagePayload(message) };
  }

  /** Where a chat.* call lands: a known channel, a DM the bot opened, or a user id (Slack then uses the DM). */
  private resolvePostingChannel(requested: string): { id: string } | { error: string } {
    const byId = this.channels.get(requested);
    if (byId !== undefined) return byId.botIsMember ? { id: byId.id } : { error: 'not_in_channel' };
    if (requested.startsWith('#')) {
      const byName = [...this.channels.values()].find((channel) => channel.name === requested.slice(1));
      if (byName !== undefined) return byName.botIsMember ? { id: byName.id } : { error: 'not_in_channel' };
    }
    const user = this.users.get(requested);
    if (user !== undefined && !user.deleted && !user.isBot) return { id: this.dmChannelFor(user.id) };
    return { error: 'channel_not_found' };
  }

  private openView(args: SlackArgs): SlackApiBody {
    const report = this.inspectViewIfChecking(args.view, 'modal');
    if (report.error) return rejectionFor(report);
    const trigger = this.redeemTrigger(String(args.trigger_id));
    if ('error' in trigger) return fail(trigger.error);
    const duplicate = this.duplicateExternalId(args.view);
    if (duplicate) return duplicate;
    const view = this.pushModal(trigger.userId, args.view as SlackArgs, undefined);
    this.changed({ kind: 'view.opened', userId: view.userId });
    return { ok: true, view: this.viewPayload(view) };
  }

  private pushView(args: SlackArgs): SlackApiBody {
    const report = this.inspectViewIfChecking(args.view, 'modal');
    if (report.error) return rejectionFor(report);
    const trigger = this.redeemTrigger(String(args.trigger_id));
    if ('error' in trigger) return fail(trigger.error);
    const below = trigger.viewId !== undefined ? this.views.get(trigger.viewId) : this.currentModal(trigger.userId);
    if (below === undefined || below.type !== 'modal') {
      return fail('not_found', { response_metadata: { messages: ['[ERROR] no open modal to push onto'] } });
    }
    const stack = this.modalStacks.get(below.rootViewId) ?? [];
    if (stack.length >= MODAL_STACK_LIMIT) return fail('push_limit_reached');
    const duplicate = this.duplicateExternalId(args.view);
    if (duplicate) return duplicate;
    const view = this.pushModal(trigger.userId, args.view as SlackArgs, below.rootViewId);
    this.changed({ kind: 'view.pushed', userId: view.userId });
    return { ok: true, view: this.viewPayload(view) };
  }

  private updateView(args: SlackArgs): SlackApiBody {
    const view = this.findViewForUpdate(args);
    if (view === undefined) return fail('not_found');
    const report = this.inspectViewIfChecking(args.view, view.type);
    if (report.error) return rejectionFor(report);
    if (!isBlank(args.hash) && args.hash !== view.hash) return fail('hash_conflict');
    this.replaceDefinition(view, args.view as SlackArgs);
    return { ok: true, view: this.viewPayload(view) };
  }

  private publishView(args: SlackArgs): SlackApiBody {
    const report = this.inspectViewIfChecking(args.view, 'home');
    if (report.error) return rejectionFor(report);
    const userId = String(args.user_id);
    const user = this.users.get(userId);
    if (user === undefined || user.deleted) return fail('user_not_found');
    const existing = this.homeView(userId);
    if (existing !== undefined) {
      if (!isBlank(args.hash) && args.hash !== existing.hash) return fail('hash_conflict');
      this.replaceDefinition(existing, args.view as SlackArgs);
      return { ok: true, view: this.viewPayload(existing) };
    }
    const id = this.newId('V');
    const view: EmulatedView = {
      id,
      type: 'home',
      userId,
      hash: this.newHash(),
      rootViewId: id,
      previousViewId: null,
      externalId: optionalString((args.view as SlackArgs).external_id),
      definition: this.withBlockIds(args.view as SlackArgs),
      depth: 0,
    };
    this.views.set(id, view);
    this.homeViewByUser.set(userId, id);
    this.changed({ kind: 'home.published', userId });
    return { ok: true, view: this.viewPayload(view) };
  }

  private openConversation(args: SlackArgs): SlackApiBody {
    if (!isBlank(args.channel)) {
      const channel = this.channels.get(String(args.channel));
      if (channel === undefined) return fail('channel_not_found');
      return { ok: true, no_op: true, already_open: true, channel: { id: channel.id } };
    }
    const userIds = String(args.users)
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (userIds.length === 0) return fail('users_list_not_supplied');
    if (userIds.length > MPIM_MAX_USERS) return fail('too_many_users');
    for (const userId of userIds) {
      const user = this.users.get(userId);
      if (user === undefined) return fail('user_not_found');
      if (user.deleted) return fail('user_disabled');
    }
    const [onlyUser] = userIds;
    if (userIds.length === 1 && onlyUser !== undefined) {
      const alreadyOpen = this.dmByUser.has(onlyUser);
      const id = this.dmChannelFor(onlyUser);
      const channel =
        args.return_im === 'true' || args.return_im === true
          ? {
              id,
              created: Math.floor(this.now() / 1000),
              is_im: true,
              is_org_shared: false,
              user: onlyUser,
              is_open: true,
              last_read: '0000000000.000000',
            }
          : { id };
      return { ok: true, ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel };
    }
    const key = [...userIds].sort().join(',');
    let id = this.mpimByMembers.get(key);
    const alreadyOpen = id !== undefined;
    if (id === undefined) {
      id = this.newId('G');
      this.mpimByMembers.set(key, id);
      this.channels.set(id, { id, name: `mpdm-${key}`, botIsMember: true, kind: 'mpim' });
    }
    return { ok: true, ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id } };
  }

  private userInfo(args: SlackArgs): SlackApiBody {
    const user = this.users.get(String(args.user));
    return user === undefined ? fail('user_not_found') : { ok: true, user: this.userPayload(user) };
  }

  private lookupUserByEmail(args: SlackArgs): SlackApiBody {
    const email = String(args.email).toLowerCase();
    const user = [...this.users.values()].find((candidate) => candidate.email?.toLowerCase() === email);
    return user === undefined ? fail('users_not_found') : { ok: true, user: this.userPayload(user) };
  }

  private getUploadUrl(args: SlackArgs): SlackApiBody {
    const length = Number(args.length);
    if (!Number.isInteger(length) || length <= 0) return invalidArguments('length must be a positive integer');
    const id = this.newId('F');
    const filename = String(args.filename);
    this.files.set(id, { id, filename, length, title: filename, upload: undefined, completed: false });
    return { ok: true, upload_url: `${this.origin}/upload/${id}`, file_id: id };
  }

  private completeUpload(args: SlackArgs): SlackApiBody {
    if (!Array.isArray(args.files) || args.files.length === 0) return invalidArguments('files must be a non-empty JSON array');
    if (args.files.length > MAX_FILES_PER_COMPLETION) return invalidArguments(`files holds at most ${MAX_FILES_PER_COMPLETION} files`);
    if (!isBlank(args.channel_id) && !isBlank(args.channels)) return invalidArguments('give channel_id or channels, not both');
    const completed: PendingFile[] = [];
    for (const entry of args.files as unknown[]) {
      if (!isRecord(entry) || typeof entry.id !== 'string') return invalidArguments('each file needs an id');
      const file = this.files.get(entry.id);
      // A file whose bytes never arrived, or one already completed, is not there to complete.
      if (file === undefined || file.upload === undefined || file.completed) return fail('file_not_found');
      completed.push(file);
    }
    for (const [index, file] of completed.entries()) {
      const entry = (args.files as Array<Record<string, unknown>>)[index]!;
      if (typeof entry.title === 'string') file.title = entry.title;
    }
    const filePayloads = completed.map((file) => ({
      id: file.id,
      name: file.filename,
      title: file.title,
      size: file.upload?.bytes.length ?? 0,
      created: Math.floor(this.now() / 1000),
      user: this.botUserId,
      url_private_download: `${this.origin}/files/${file.id}/${encodeURIComponent(file.filename)}`,
    }));
    if (!isBlank(args.channel_id)) {
      const blocksReport = this.inspectMessageIfChecking({ text: args.initial_comment, blocks: args.blocks });
      if (blocksReport.error) return rejectionFor(blocksReport);
      const channel = this.resolvePostingChannel(String(args.channel_id));
      if ('error' in channel) return fail(channel.error);
      const ts = this.nextTs();
      const comment = optionalString(args.initial_comment) ?? '';
      for (const file of completed) {
        this.shared.push({
          fileId: file.id,
          filename: file.filename,
          title: file.title,
          channel: channel.id,
          ts,
          comment,
          bytes: file.upload!.bytes,
          at: new Date(this.now()),
        });
      }
      this.storeMessage({
        type: 'message',
        channel: channel.id,
        ts,
        text: optionalString(args.initial_comment) ?? '',
        files: filePayloads,
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.appId,
        team: this.teamId,
        ...(optionalString(args.thread_ts) ? { thread_ts: String(args.thread_ts) } : {}),
      });
    }
    for (const file of completed) file.completed = true;
    return { ok: true, files: filePayloads.map(({ id, title }) => ({ id, title })) };
  }

  // ---- response URLs and uploads ------------------------------------------------------------

  private answerResponseUrl(id: string, contentType: string, rawBody: Buffer, response: ServerResponse): void {
    const responseUrl = `${this.origin}/response/${id}`;
    const grant = this.responseUrls.get(id);
    const body = this.parseResponseUrlBody(contentType, rawBody);
    const record = (status: number, error: string | undefined) => {
      this.responses.push({ responseUrl, context: grant?.context ?? {}, body: body ?? {}, status, error, at: new Date(this.now()) });
      this.events.emit('response');
      sendText(response, status, error ?? 'ok');
    };
    if (grant === undefined) return record(404, 'invalid_url');
    if (this.now() - grant.issuedAt > RESPONSE_URL_LIFETIME_MS) return record(404, 'expired_url');
    if (grant.uses >= RESPONSE_URL_MAX_USES) return record(404, 'used_url');
    if (body === undefined) {
      this.recordViolation('response_url', 'invalid_payload', ['the body is not a JSON object']);
      return record(400, 'invalid_payload');
    }
    this.checkBroadcasts('response_url', { text: body.text, blocks: body.blocks });
    const report = this.inspectMessageIfChecking({ text: body.text, blocks: body.blocks });
    if (report.error) {
      this.recordViolation('response_url', report.error, report.problems.map(describeProblem));
      return record(400, report.error); // webhooks answer 400 with the bare error code (java-slack-sdk#1017)
    }
    grant.uses += 1;
    this.applyResponseUrlPost(grant.context, body);
    return record(200, undefined);
  }

  private parseResponseUrlBody(contentType: string, rawBody: Buffer): ResponseUrlBody | undefined {
    let text = rawBody.toString('utf8');
    if (contentType.includes('application/x-www-form-urlencoded')) {
      text = new URLSearchParams(text).get('payload') ?? '';
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? (parsed as ResponseUrlBody) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Mirrors the effect of a response_url post on the conversation. */
  private applyResponseUrlPost(context: ResponseUrlContext, body: ResponseUrlBody): void {
    const original =
      context.channelId !== undefined && context.messageTs !== undefined
        ? this.findMessage(context.channelId, context.messageTs)
        : undefined;
    // A click on an ephemeral gets a response_url that replaces or deletes that ephemeral, for its one viewer.
    const ephemeral =
      original === undefined && context.messageTs !== undefined
        ? this.ephemeralMessages.find(
            (message) => message.channel === context.channelId && message.ts === context.messageTs && message.user === context.userId,
          )
        : undefined;
    if (ephemeral !== undefined && (body.delete_original === true || body.replace_original === true)) {
      if (body.delete_original === true) {
        this.ephemeralMessages.splice(this.ephemeralMessages.indexOf(ephemeral), 1);
      } else {
        ephemeral.text = body.text ?? '';
        ephemeral.blocks = body.blocks;
        ephemeral.edited = true;
      }
      this.changed({
        kind: body.delete_original === true ? 'ephemeral.deleted' : 'ephemeral.updated',
        channel: ephemeral.channel,
        userId: ephemeral.user,
      });
      return;
    }
    if (body.delete_original === true) {
      if (original !== undefined) {
        const list = this.messages.get(original.channel) ?? [];
        list.splice(list.indexOf(original), 1);
        this.changed({ kind: 'message.deleted', channel: original.channel });
      }
      return;
    }
    if (body.replace_original === true && original !== undefined) {
      original.text = body.text ?? '';
      if (body.blocks !== undefined) original.blocks = body.blocks;
      else delete original.blocks;
      original.edited = { user: this.botUserId, ts: this.nextTs() };
      this.changed({ kind: 'message.updated', channel: original.channel });
      return;
    }
    if (context.channelId === undefined) return;
    if (body.response_type === 'in_channel') {
      this.storeMessage({
        type: 'message',
        channel: context.channelId,
        ts: this.nextTs(),
        text: body.text ?? '',
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.appId,
        team: this.teamId,
        ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
        ...(body.thread_ts !== undefined ? { thread_ts: body.thread_ts } : {}),
      });
    } else if (context.userId !== undefined) {
      this.ephemeralMessages.push({
        channel: context.channelId,
        user: context.userId,
        ts: this.nextTs(),
        text: body.text ?? '',
        blocks: body.blocks,
        via: 'response_url',
      });
      this.changed({ kind: 'ephemeral.posted', channel: context.channelId, userId: context.userId });
    }
  }

  private async answerUpload(fileId: string, contentType: string, body: Buffer, response: ServerResponse): Promise<void> {
    const file = this.files.get(fileId);
    if (file === undefined || file.completed) return sendText(response, 404, 'file_not_found');
    const bytes = await uploadedBytes(contentType, body);
    // Slack takes the bytes files.getUploadURLExternal was told of, no more and no fewer.
    if (bytes.length !== file.length) {
      this.recordViolation('upload', 'invalid_length', [`${bytes.length} bytes uploaded for a file of declared length ${file.length}`]);
      return sendText(response, 400, 'invalid_length');
    }
    const upload: RecordedUpload = { fileId, filename: file.filename, bytes, at: new Date(this.now()) };
    file.upload = upload;
    this.uploads.push(upload);
    this.changed({ kind: 'file.uploaded' });
    sendText(response, 200, `OK - ${upload.bytes.length}`);
  }

  /** A shared file's bytes, as its url_private_download gives them (the demo's file card links there). */
  private answerDownload(fileId: string, response: ServerResponse): void {
    const file = this.shared.find((candidate) => candidate.fileId === fileId);
    if (file === undefined) return sendText(response, 404, 'file_not_found');
    response.writeHead(200, {
      'content-type': file.filename.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream',
      'content-disposition': `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`,
    });
    response.end(file.bytes);
  }

  // ---- internals ----------------------------------------------------------------------------

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const settleIfReady = (): boolean => {
        const result = probe();
        if (result === undefined) return false;
        stop();
        resolve(result);
        return true;
      };
      const onChange = () => void settleIfReady();
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const stop = () => {
        clearTimeout(timer);
        this.events.off('call', onChange);
        this.events.off('response', onChange);
      };
      this.events.on('call', onChange);
      this.events.on('response', onChange);
      settleIfReady();
    });
  }

  /**
   * Gatehouse never broadcasts, so a `<!channel>`, `<!here>`, `<!everyone>` or user-group mention
   * in anything it sends came from user data that reached mrkdwn unescaped. Slack would notify the
   * whole channel; here it is a violation, so every test that checks violations checks this too.
   */
  checkBroadcasts(source: string, payload: unknown): void {
    const mentions = broadcastMentionsIn(payload);
    if (mentions.length > 0)
      this.recordViolation(
        source,
        'broadcast_mention',
        mentions.map((mention) => `the app sent the live mention ${mention}`),
      );
  }

  private recordReport(source: string, report: BlockKitReport): void {
    this.recordViolation(source, report.error ?? 'invalid_arguments', report.problems.map(describeProblem));
  }

  private checkSubmissionErrors(view: EmulatedView, errors: unknown, source: string): void {
    if (!isRecord(errors) || Object.keys(errors).length === 0) {
      this.recordViolation(source, 'invalid_arguments', ['response_action "errors" needs a non-empty errors object']);
      return;
    }
    const blocks = Array.isArray(view.definition.blocks) ? (view.definition.blocks as unknown[]) : [];
    const inputBlockIds = new Set(
      blocks.filter((block): block is SlackArgs => isRecord(block) && block.type === 'input').map((block) => String(block.block_id)),
    );
    const problems = Object.keys(errors)
      .filter((blockId) => !inputBlockIds.has(blockId))
      .map((blockId) => `errors names block_id "${blockId}", which is not an input block of view ${view.id}`);
    if (problems.length > 0) this.recordViolation(source, 'invalid_arguments', problems);
  }

  private inspectViewIfChecking(view: unknown, expectedType?: 'modal' | 'home'): BlockKitReport {
    return this.checkBlockKit ? inspectView(view, expectedType) : { error: undefined, problems: [] };
  }

  private inspectMessageIfChecking(message: MessagePayload): BlockKitReport {
    return this.checkBlockKit ? inspectMessage(message) : { error: undefined, problems: [] };
  }

  private redeemTrigger(triggerId: string): { userId: string; viewId: string | undefined } | { error: string } {
    const trigger = this.triggers.get(triggerId);
    if (trigger === undefined) return { error: 'invalid_trigger_id' };
    if (trigger.used) return { error: 'exchanged_trigger_id' };
    if (this.now() - trigger.issuedAt > this.triggerLifetimeMs) return { error: 'expired_trigger_id' };
    trigger.used = true;
    return { userId: trigger.userId, viewId: trigger.viewId };
  }

  private duplicateExternalId(view: unknown): SlackApiBody | undefined {
    const externalId = isRecord(view) ? optionalString(view.external_id) : undefined;
    if (!externalId) return undefined;
    const taken = [...this.views.values()].some((existing) => existing.externalId === externalId);
    return taken ? fail('duplicate_external_id') : undefined;
  }

  private findViewForUpdate(args: SlackArgs): EmulatedView | undefined {
    if (!isBlank(args.view_id)) return this.views.get(String(args.view_id));
    const externalId = String(args.external_id);
    return [...this.views.values()].find((view) => view.externalId === externalId);
  }

  private pushModal(userId: string, definition: SlackArgs, rootViewId: string | undefined): EmulatedView {
    const id = this.newId('V');
    const stack = rootViewId === undefined ? [] : (this.modalStacks.get(rootViewId) ?? []);
    const root = rootViewId ?? id;
    const view: EmulatedView = {
      id,
      type: 'modal',
      userId,
      hash: this.newHash(),
      rootViewId: root,
      previousViewId: stack[stack.length - 1] ?? null,
      externalId: optionalString(definition.external_id),
      definition: this.withBlockIds(definition),
      depth: stack.length + 1,
    };
    stack.push(id);
    this.modalStacks.set(root, stack);
    this.views.set(id, view);
    return view;
  }

  private replaceDefinition(view: EmulatedView, definition: SlackArgs): void {
    view.definition = this.withBlockIds(definition);
    view.externalId = optionalString(definition.external_id) ?? view.externalId;
    view.hash = this.newHash();
    this.fieldErrors.delete(view.id);
    this.changed(view.type === 'home' ? { kind: 'home.published', userId: view.userId } : { kind: 'view.updated', userId: view.userId });
  }

  /** Slack gives blocks without a block_id a random one; apps see those in payloads. */
  private withBlockIds(definition: SlackArgs): SlackArgs {
    if (!Array.isArray(definition.blocks)) return { ...definition };
    const blocks = (definition.blocks as unknown[]).map((block) =>
      isRecord(block) && block.block_id === undefined ? { ...block, block_id: randomBytes(3).toString('base64url') } : block,
    );
    return { ...definition, blocks };
  }

  private storeMessage(message: StoredMessage): void {
    const list = this.messages.get(message.channel) ?? [];
    list.push(message);
    this.messages.set(message.channel, list);
    this.changed({ kind: 'message.posted', channel: message.channel });
  }

  private userPayload(user: EmulatedUser): SlackArgs {
    const zone = timeZoneDetails(user.tz, this.now());
    return {
      id: user.id,
      team_id: user.teamId,
      name: user.name,
      deleted: user.deleted,
      real_name: user.realName,
      tz: user.tz,
      tz_label: zone.label,
      tz_offset: zone.offsetSeconds,
      is_admin: user.isAdmin,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
      profile: {
        real_name: user.realName,
        real_name_normalized: user.realName,
        display_name: user.name,
        display_name_normalized: user.name,
        ...(user.email !== undefined ? { email: user.email } : {}),
        team: user.teamId,
        status_text: '',
        status_emoji: '',
        ...(user.isBot ? { bot_id: this.botId, api_app_id: this.appId } : {}),
      },
    };
  }

  /** Slack-looking ids: a type letter and ten upper-case base-36 characters, unique per emulator. */
  private newId(prefix: 'D' | 'G' | 'V' | 'F'): string {
    return `${prefix}${(++this.idCounter).toString(36).toUpperCase().padStart(10, '0')}`;
  }

  private newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomHex(4)}`;
  }

  /** Message timestamps: the clock in microseconds, nudged forward so every ts is unique and increasing. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(Math.floor(this.now() * 1000), this.lastTsMicros + 1);
    const seconds = Math.floor(this.lastTsMicros / 1_000_000);
    const micros = this.lastTsMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, '0')}`;
  }
}

/** Starts an emulator, by default on 127.0.0.1 with an ephemeral port. Remember to `close()` it. */
export async function startSlackEmulator(options: StartSlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const { port = 0, host = '127.0.0.1', ...emulatorOptions } = options;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new SlackEmulator(server, emulatorOptions);
}
