/**
 * Plays Slack's side of the conversation with the app: signed slash commands, interactivity
 * payloads and Events API envelopes, shaped and encoded the way Slack sends them. Trigger ids and
 * response URLs come from the emulator, so what the app does with them is checked there.
 *
 * The driver also does what the Slack client would do with the app's HTTP replies (close or
 * update a submitted modal, check `ack()` bodies), and refuses to send what a real user could not
 * produce, such as a submission that skips a required input. Such refusals throw: they are test bugs.
 */
import { createHmac } from 'node:crypto';
import { checkOptionsResponse, inspectMessage, describeProblem } from './block-kit-limits.js';
import type { EmulatedView, RecordedCall, RecordedResponseUrlPost, SlackArgs, SlackEmulator, StoredMessage } from './slack-emulator.js';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface SlackDriverOptions {
  /** Where Slack would POST, e.g. `http://127.0.0.1:3000/slack/events`. */
  appUrl: string;
  signingSecret: string;
  emulator: SlackEmulator;
  /** Defaults to the emulator's team. */
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The deprecated verification token Slack still includes in payloads. */
  verificationToken?: string;
}

/** Per-request overrides, mostly for testing the app's request verification and retry handling. */
export interface DeliveryOptions {
  /** Unix seconds to sign with and send; e.g. `now - 600` for a stale request. */
  timestamp?: number;
  /** Sent instead of the correct `X-Slack-Signature`. */
  signature?: string;
  /** `X-Slack-Retry-Num`. */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`, e.g. `http_timeout`. */
  retryReason?: string;
  headers?: Record<string, string>;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  durationMs: number;
}

/** Which message an interaction happened on: looked up in the emulator by channel and ts. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** A view: its id, an emulator view, a Slack view object (`{ id }`), or the recorded views.* call that opened it. */
export type ViewRef = string | EmulatedView | { id: string } | RecordedCall;

/**
 * What the user entered into one element. Strings and string arrays are turned into the element's
 * state shape (a select's option is looked up by value); an object is taken as the state as is.
 */
export type ElementInput = string | readonly string[] | null | Record<string, unknown>;

/** `{ [block_id]: { [action_id]: input } }`, as in `view.state.values`. */
export type ValuesInput = Record<string, Record<string, ElementInput>>;

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

export interface BlockActionInput {
  action_id: string;
  block_id?: string;
  type?: string;
  value?: string;
  [field: string]: unknown;
}

export interface SlashCommandParams extends DeliveryOptions {
  userId: string;
  /** Default `/access`. */
  command?: string;
  text?: string;
  /** Default: the user's DM with the bot. */
  channelId?: string;
  channelName?: string;
  responseUrl?: string;
  triggerId?: string;
}

export interface BlockActionsParams extends DeliveryOptions {
  userId: string;
  actions: BlockActionInput[];
  message?: MessageRef | StoredMessage;
  view?: ViewRef;
  /** Overrides the container derived from `message`/`view`. */
  container?: Record<string, unknown>;
  /** A channel for interactions outside a message (e.g. on an ephemeral message). */
  channel?: string;
  responseUrl?: string;
  triggerId?: string;
  /** What the view's inputs hold at the time of the click (for actions in modals). */
  values?: ValuesInput;
}

export interface InteractParams extends DeliveryOptions {
  userId: string;
  actionId: string;
  blockId?: string;
  message?: MessageRef | StoredMessage;
  view?: ViewRef;
  /** The choice for selects, date pickers, etc.; buttons send their own value. */
  value?: ElementInput;
  values?: ValuesInput;
}

export interface ViewSubmissionParams extends DeliveryOptions {
  view: ViewRef;
  /** Default: the user the view was opened for. */
  userId?: string;
  values?: ValuesInput;
  /** Use these `state.values` verbatim instead of building them from `values`. */
  stateValues?: StateValues;
  /** Send even if a required input is empty (the Slack client would not). */
  allowMissingRequired?: boolean;
}

export interface ViewClosedParams extends DeliveryOptions {
  view: ViewRef;
  userId?: string;
  isCleared?: boolean;
  /** What the view's inputs held when it was closed; Slack sends that state with view_closed. */
  values?: ValuesInput;
}

export interface BlockSuggestionParams extends DeliveryOptions {
  userId: string;
  actionId: string;
  blockId?: string;
  /** What the user typed. */
  value: string;
  view?: ViewRef;
  message?: MessageRef | StoredMessage;
}

export interface EventParams extends DeliveryOptions {
  /** The inner event, e.g. `{ type: 'app_home_opened', user: 'U…', tab: 'home' }`. */
  event: Record<string, unknown>;
  /** Reuse one to send a retry of the same delivery. */
  eventId?: string;
  eventTime?: number;
}

export interface SlackDriver {
  slashCommand(params: SlashCommandParams): Promise<AppResponse & { responseUrl: string; triggerId: string }>;
  blockActions(params: BlockActionsParams): Promise<AppResponse & { responseUrl: string | undefined; triggerId: string }>;
  /** Acts on an element found in a message or view by action_id, as a user clicking/choosing would. */
  interact(params: InteractParams): Promise<AppResponse & { responseUrl: string | undefined; triggerId: string }>;
  clickButton(params: Omit<InteractParams, 'value'>): Promise<AppResponse & { responseUrl: string | undefined; triggerId: string }>;
  viewSubmission(params: ViewSubmissionParams): Promise<AppResponse & { viewId: string }>;
  /** Fills in an opened view and submits it. */
  submitView(
    openedView: ViewRef,
    values?: ValuesInput,
    userId?: string,
    options?: Omit<ViewSubmissionParams, 'view' | 'values' | 'userId'>,
  ): Promise<AppResponse & { viewId: string }>;
  /** Sends view_closed (whether or not the view asked for notify_on_close) and closes it in the emulator. */
  viewClosed(params: ViewClosedParams): Promise<AppResponse>;
  /** The user closing a modal: closes it and sends view_closed only if the view set notify_on_close. */
  dismissView(view: ViewRef, userId?: string): Promise<AppResponse | undefined>;
  blockSuggestion(
    params: BlockSuggestionParams,
  ): Promise<AppResponse & { options: unknown[] | undefined; optionGroups: unknown[] | undefined }>;
  event(params: EventParams): Promise<AppResponse & { eventId: string }>;
  urlVerification(challenge: string, options?: DeliveryOptions): Promise<AppResponse>;
  /** The latest post the app made to any response_url. */
  lastResponse(): RecordedResponseUrlPost | undefined;
  /** The last interaction payload sent, so a test can deliver it again as Slack's retry would. */
  lastPayload(): Record<string, unknown> | undefined;
  /** Signs and sends an interaction payload as given: a replay, or one forged by hand. */
  sendPayload(payload: Record<string, unknown>, delivery?: DeliveryOptions): Promise<AppResponse>;
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`, Slack's request signature. */
export function signSlackRequest(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers for Block Kit structures
// ---------------------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function blocksOf(container: unknown): Record<string, unknown>[] {
  return isRecord(container) && Array.isArray(container.blocks) ? container.blocks.filter(isRecord) : [];
}

interface LocatedElement {
  blockId: string;
  block: Record<string, unknown>;
  element: Record<string, unknown>;
}

/** Every interactive element in a list of blocks, with the block it sits in. */
function elementsIn(blocks: Record<string, unknown>[]): LocatedElement[] {
  const found: LocatedElement[] = [];
  for (const block of blocks) {
    const blockId = String(block.block_id ?? '');
    const candidates = [block.accessory, block.element, ...(Array.isArray(block.elements) ? block.elements : [])];
    for (const element of candidates) {
      if (isRecord(element) && typeof element.action_id === 'string') found.push({ blockId, block, element });
    }
  }
  return found;
}

function findElement(blocks: Record<string, unknown>[], actionId: string, blockId: string | undefined, where: string): LocatedElement {
  const match = elementsIn(blocks).find(
    (located) => located.element.action_id === actionId && (blockId === undefined || located.blockId === blockId),
  );
  if (match) return match;
  const available = elementsIn(blocks).map((located) => `${located.blockId}/${String(located.element.action_id)}`);
  throw new Error(
    `No element with action_id "${actionId}"${blockId ? ` in block "${blockId}"` : ''} in ${where}; it has: ` +
      `${available.join(', ') || 'none'}`,
  );
}

function optionsOf(element: Record<string, unknown>): Record<string, unknown>[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((group: unknown) => (isRecord(group) && Array.isArray(group.options) ? group.options : []))
    : [];
  return [...direct, ...grouped].filter(isRecord);
}

/** Finds the option a user picks by value; external selects get an option made up from the value. */
function optionFor(element: Record<string, unknown>, value: string): Record<string, unknown> {
  const type = String(element.type);
  if (type.includes('external_select')) return { text: { type: 'plain_text', text: value }, value };
  const option = optionsOf(element).find((candidate) => candidate.value === value);
  if (option) return option;
  const offered = optionsOf(element).map((candidate) => String(candidate.value));
  throw new Error(`${type} "${String(element.action_id)}" has no option with value "${value}"; it offers: ${offered.join(', ')}`);
}

function asList(input: ElementInput | undefined): string[] {
  if (input === null || input === undefined) return [];
  return typeof input === 'string' ? [input] : [...(input as readonly string[])];
}

function asSingle(input: ElementInput | undefined): string | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string') return input;
  return (input as readonly string[])[0] ?? null;
}

/** The state field name Slack uses for each element type that holds a plain id or date. */
const SINGLE_VALUE_FIELDS: Readonly<Record<string, string>> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};

const MULTI_VALUE_FIELDS: Readonly<Record<string, string>> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};

const SINGLE_OPTION_TYPES: ReadonlySet<string> = new Set(['static_select', 'external_select', 'radio_buttons', 'overflow']);
const MULTI_OPTION_TYPES: ReadonlySet<string> = new Set(['multi_static_select', 'multi_external_select', 'checkboxes']);

/** The element's state (without `type`) for what the user entered; `undefined` input = untouched. */
function selectionFor(element: Record<string, unknown>, input: ElementInput | undefined): Record<string, unknown> {
  const type = String(element.type);
  if (isRecord(input)) return withoutKey(input, 'type'); // the caller adds the element's own type
  const untouched = input === undefined;
  if (SINGLE_OPTION_TYPES.has(type)) {
    const chosen = asSingle(input);
    return { selected_option: untouched ? (element.initial_option ?? null) : chosen === null ? null : optionFor(element, chosen) };
  }
  if (MULTI_OPTION_TYPES.has(type)) {
    return { selected_options: untouched ? (element.initial_options ?? []) : asList(input).map((value) => optionFor(element, value)) };
  }
  const singleField = SINGLE_VALUE_FIELDS[type];
  if (singleField !== undefined) {
    const initialField = singleField.replace('selected_', 'initial_');
    return { [singleField]: untouched ? (element[initialField] ?? null) : asSingle(input) };
  }
  const multiField = MULTI_VALUE_FIELDS[type];
  if (multiField !== undefined) {
    const initialField = multiField.replace('selected_', 'initial_');
    return { [multiField]: untouched ? (element[initialField] ?? []) : asList(input) };
  }
  // plain_text_input and anything newer that holds a single text value
  return { value: untouched ? (element.initial_value ?? null) : asSingle(input) };
}

function isEmptySelection(selection: Record<string, unknown>): boolean {
  return Object.values(selection).every((value) => value === null || value === '' || (Array.isArray(value) && value.length === 0));
}

/** What the Slack client itself enforces before it lets a user submit. */
function clientSideProblems(
  block: Record<string, unknown>,
  element: Record<string, unknown>,
  selection: Record<string, unknown>,
): string[] {
  const blockId = String(block.block_id);
  if (isEmptySelection(selection)) return block.optional === true ? [] : [`required input "${blockId}" is empty`];
  const text = selection.value;
  if (element.type !== 'plain_text_input' || typeof text !== 'string') return [];
  const problems: string[] = [];
  if (typeof element.min_length === 'number' && text.length < element.min_length) {
    problems.push(`input "${blockId}" needs at least ${element.min_length} characters`);
  }
  if (typeof element.max_length === 'number' && text.length > element.max_length) {
    problems.push(`input "${blockId}" allows at most ${element.max_length} characters`);
  }
  return problems;
}

/**
 * `state.values` for a view as the Slack client would send it: every input block appears, with
 * what the user entered (`values`) or the element's initial value.
 */
export function buildViewStateValues(
  view: SlackArgs,
  values: ValuesInput = {},
  options: { allowMissingRequired?: boolean } = {},
): StateValues {
  const state: StateValues = {};
  const problems: string[] = [];
  const unused = new Set(
    Object.entries(values).flatMap(([blockId, byAction]) => Object.keys(byAction).map((actionId) => `${blockId}/${actionId}`)),
  );
  for (const block of blocksOf(view)) {
    if (block.type !== 'input' || !isRecord(block.element)) continue;
    const element = block.element;
    const blockId = String(block.block_id);
    const actionId = String(element.action_id ?? '');
    unused.delete(`${blockId}/${actionId}`);
    const selection = selectionFor(element, values[blockId]?.[actionId]);
    problems.push(...clientSideProblems(block, element, selection));
    state[blockId] = { [actionId]: { type: element.type, ...selection } };
  }
  if (unused.size > 0) {
    throw new Error(`values name inputs the view does not have: ${[...unused].join(', ')}`);
  }
  if (problems.length > 0 && !options.allowMissingRequired) {
    throw new Error(`The Slack client would not submit this view: ${problems.join('; ')}`);
  }
  return state;
}

/**
 * `state.values` from a plain map, without a view to consult: strings become plain_text_input
 * values, objects are taken as they are.
 */
export function buildStateValues(values: Record<string, Record<string, string | Record<string, unknown>>>): StateValues {
  const state: StateValues = {};
  for (const [blockId, byAction] of Object.entries(values)) {
    state[blockId] = {};
    for (const [actionId, input] of Object.entries(byAction)) {
      state[blockId][actionId] = typeof input === 'string' ? { type: 'plain_text_input', value: input } : input;
    }
  }
  return state;
}

// ---------------------------------------------------------------------------------------------
// The driver
// ---------------------------------------------------------------------------------------------

const ACK_DEADLINE_MS = 3_000;

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const { emulator, signingSecret, appUrl } = options;
  const teamId = options.teamId ?? emulator.teamId;
  const teamDomain = options.teamDomain ?? emulator.teamDomain;
  const apiAppId = options.apiAppId ?? emulator.appId;
  const verificationToken = options.verificationToken ?? 'sandbox-verification-token';
  const team = { id: teamId, domain: teamDomain };

  function userRef(userId: string) {
    const user = emulator.getUser(userId);
    const name = user?.name ?? userId.toLowerCase();
    return { id: userId, username: name, name, team_id: user?.teamId ?? teamId };
  }

  async function deliver(rawBody: string, contentType: string, delivery: DeliveryOptions, source: string): Promise<AppResponse> {
    // Real time, not the emulator's clock: the app checks the stamp against its own wall clock.
    const timestamp = delivery.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': delivery.signature ?? signSlackRequest(signingSecret, timestamp, rawBody),
      ...(delivery.retryNum !== undefined ? { 'x-slack-retry-num': String(delivery.retryNum) } : {}),
      ...(delivery.retryReason !== undefined ? { 'x-slack-retry-reason': delivery.retryReason } : {}),
      ...delivery.headers,
    };
    const started = performance.now();
    const response = await fetch(appUrl, { method: 'POST', headers, body: rawBody });
    const body = await response.text();
    const durationMs = performance.now() - started;
    if (durationMs > ACK_DEADLINE_MS) {
      emulator.recordViolation(`ack:${source}`, 'ack_timeout', [
        `the app answered after ${Math.round(durationMs)} ms; Slack gives up after ${ACK_DEADLINE_MS} ms`,
      ]);
    }
    return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body, json: parseJson(body), durationMs };
  }

  let lastPayload: Record<string, unknown> | undefined;
  function deliverPayload(payload: Record<string, unknown>, delivery: DeliveryOptions): Promise<AppResponse> {
    lastPayload = payload;
    const rawBody = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return deliver(rawBody, 'application/x-www-form-urlencoded', delivery, String(payload.type));
  }

  /** An ack body that Slack turns into a message must obey the message limits too. */
  function checkMessageAck(source: string, response: AppResponse): void {
    if (!isRecord(response.json)) return;
    const report = inspectMessage({ text: response.json.text, blocks: response.json.blocks });
    if (report.error) emulator.recordViolation(`ack:${source}`, report.error, report.problems.map(describeProblem));
    emulator.checkBroadcasts(`ack:${source}`, { text: response.json.text, blocks: response.json.blocks });
  }

  /** Slack shows the body of a command's HTTP answer to the person who typed it, as an ephemeral. */
  function showCommandReply(userId: string, channelId: string, response: AppResponse): void {
    if (response.status < 200 || response.status >= 300 || response.body.trim() === '') return;
    if (isRecord(response.json)) {
      const text = typeof response.json.text === 'string' ? response.json.text : '';
      const blocks = Array.isArray(response.json.blocks) ? response.json.blocks : undefined;
      if (text === '' && blocks === undefined) return;
      if (response.json.response_type === 'in_channel') return; // not something Gatehouse sends; Slack would post it for all
      emulator.addCommandReply({ channel: channelId, user: userId, text, ...(blocks !== undefined ? { blocks } : {}) });
      return;
    }
    if (response.json === undefined) emulator.addCommandReply({ channel: channelId, user: userId, text: response.body });
  }

  function resolveView(ref: ViewRef): EmulatedView {
    const id = typeof ref === 'string' ? ref : 'method' in ref ? viewIdFromCall(ref) : ref.id;
    const view = id === undefined ? undefined : emulator.getView(id);
    if (view === undefined) throw new Error(`View ${String(id)} is not open in the emulator (never opened, or already closed)`);
    return view;
  }

  function resolveMessage(ref: MessageRef | StoredMessage): StoredMessage {
    const stored = emulator.findMessage(ref.channel, ref.ts);
    if (stored) return stored;
    if ('type' in ref) return ref;
    throw new Error(`No message ${ref.ts} in channel ${ref.channel}: the bot never posted it, or it was deleted`);
  }

  function messageContext(userId: string, messageRef: MessageRef | StoredMessage, responseUrl: string | undefined) {
    const message = resolveMessage(messageRef);
    const channel = emulator.getChannel(message.channel);
    const channelId = message.channel;
    const messageFields = withoutKey({ ...message }, 'channel');
    return {
      blocks: blocksOf(message),
      responseUrl: responseUrl ?? emulator.newResponseUrl({ userId, channelId, messageTs: message.ts, source: 'block_actions' }),
      fields: {
        container: { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false },
        channel: { id: channelId, name: channel?.name ?? channelId },
        message: messageFields,
        state: { values: {} },
      },
    };
  }

  function viewContext(view: EmulatedView, values: ValuesInput | undefined) {
    const stateValues = buildViewStateValues(view.definition, values ?? {}, { allowMissingRequired: true });
    return {
      blocks: blocksOf(view.definition),
      fields: { container: { type: 'view', view_id: view.id }, view: emulator.viewPayload(view, stateValues) },
    };
  }

  async function blockActions(params: BlockActionsParams) {
    const { userId } = params;
    const view = params.view === undefined ? undefined : resolveView(params.view);
    const triggerId = params.triggerId ?? emulator.issueTriggerId(userId, view ? { viewId: view.id } : {});
    let blocks: Record<string, unknown>[] = [];
    let responseUrl = params.responseUrl;
    let contextFields: Record<string, unknown> = {};
    if (params.message !== undefined) {
      const context = messageContext(userId, params.message, params.responseUrl);
      ({ blocks, responseUrl } = context);
      contextFields = context.fields;
    } else if (view !== undefined) {
      const context = viewContext(view, params.values);
      blocks = context.blocks;
      contextFields = context.fields;
    } else if (params.channel !== undefined) {
      responseUrl ??= emulator.newResponseUrl({ userId, channelId: params.channel, source: 'block_actions' });
      contextFields = { channel: { id: params.channel, name: emulator.getChannel(params.channel)?.name ?? params.channel } };
    }
    const actionTs = (Date.now() / 1000).toFixed(6);
    const actions = params.actions.map((action) => {
      const located = elementsIn(blocks).find((candidate) => candidate.element.action_id === action.action_id);
      return {
        block_id: located?.blockId ?? action.block_id ?? '',
        type: located?.element.type ?? 'button',
        action_ts: actionTs,
        ...action,
      };
    });
    const payload = {
      type: 'block_actions',
      user: userRef(userId),
      api_app_id: apiAppId,
      token: verificationToken,
      container: {},
      trigger_id: triggerId,
      team,
      enterprise: null,
      is_enterprise_install: false,
      ...contextFields,
      ...(params.container !== undefined ? { container: params.container } : {}),
      ...(responseUrl !== undefined ? { response_url: responseUrl } : {}),
      actions,
    };
    const response = await deliverPayload(payload, params);
    checkMessageAck('block_actions', response);
    return { ...response, responseUrl, triggerId };
  }

  async function interact(params: InteractParams) {
    const { userId, actionId, blockId, value, ...rest } = params;
    let blocks: Record<string, unknown>[];
    let where: string;
    if (params.message !== undefined) {
      const message = resolveMessage(params.message);
      blocks = blocksOf(message);
      where = `message ${message.ts}`;
    } else if (params.view !== undefined) {
      const view = resolveView(params.view);
      blocks = blocksOf(view.definition);
      where = `view ${view.id}`;
    } else {
      throw new Error('interact needs a message or a view to find the element in');
    }
    const { element, blockId: foundBlockId } = findElement(blocks, actionId, blockId, where);
    const action: BlockActionInput =
      element.type === 'button'
        ? {
            action_id: actionId,
            block_id: foundBlockId,
            type: 'button',
            text: element.text,
            ...(element.value !== undefined ? { value: String(element.value) } : {}),
            ...(element.style !== undefined ? { style: element.style } : {}),
          }
        : { action_id: actionId, block_id: foundBlockId, type: String(element.type), ...selectionFor(element, value ?? null) };
    return blockActions({ ...rest, userId, actions: [action] });
  }

  async function viewSubmission(params: ViewSubmissionParams) {
    const view = resolveView(params.view);
    const userId = params.userId ?? view.userId;
    const stateValues =
      params.stateValues ??
      buildViewStateValues(view.definition, params.values ?? {}, { allowMissingRequired: params.allowMissingRequired ?? false });
    const payload = {
      type: 'view_submission',
      team,
      user: userRef(userId),
      api_app_id: apiAppId,
      token: verificationToken,
      trigger_id: emulator.issueTriggerId(userId, { viewId: view.id }),
      view: emulator.viewPayload(view, stateValues),
      response_urls: [],
      enterprise: null,
      is_enterprise_install: false,
    };
    const response = await deliverPayload(payload, params);
    if (response.status >= 200 && response.status < 300) {
      if (response.body.trim() !== '' && response.json === undefined) {
        emulator.recordViolation('ack:view_submission', 'invalid_response', [`the ack body is not JSON: ${response.body.slice(0, 200)}`]);
      }
      emulator.applyViewSubmissionResponse(view.id, response.json);
    }
    return { ...response, viewId: view.id };
  }

  async function viewClosed(params: ViewClosedParams) {
    const view = resolveView(params.view);
    const userId = params.userId ?? view.userId;
    const payload = {
      type: 'view_closed',
      team,
      user: userRef(userId),
      api_app_id: apiAppId,
      token: verificationToken,
      view: emulator.viewPayload(view, buildViewStateValues(view.definition, params.values ?? {}, { allowMissingRequired: true })),
      is_cleared: params.isCleared ?? false,
      enterprise: null,
      is_enterprise_install: false,
    };
    emulator.closeView(view.id, { cleared: params.isCleared ?? false });
    return deliverPayload(payload, params);
  }

  async function dismissView(ref: ViewRef, userId?: string) {
    const view = resolveView(ref);
    if (view.definition.notify_on_close === true) return viewClosed({ view, ...(userId !== undefined ? { userId } : {}) });
    emulator.closeView(view.id);
    return undefined;
  }

  async function blockSuggestion(params: BlockSuggestionParams) {
    const { userId } = params;
    let blockId = params.blockId;
    let contextFields: Record<string, unknown> = {};
    if (params.view !== undefined) {
      const context = viewContext(resolveView(params.view), undefined);
      blockId ??= findElement(context.blocks, params.actionId, undefined, 'the view').blockId;
      contextFields = context.fields;
    } else if (params.message !== undefined) {
      const context = messageContext(userId, params.message, undefined);
      blockId ??= findElement(context.blocks, params.actionId, undefined, 'the message').blockId;
      contextFields = withoutKey(context.fields, 'state'); // suggestions carry no message state
    }
    const payload = {
      type: 'block_suggestion',
      user: userRef(userId),
      container: {},
      api_app_id: apiAppId,
      token: verificationToken,
      action_id: params.actionId,
      block_id: blockId ?? '',
      value: params.value,
      team,
      enterprise: null,
      is_enterprise_install: false,
      ...contextFields,
    };
    const response = await deliverPayload(payload, params);
    const answer = isRecord(response.json) ? response.json : undefined;
    if (response.status === 200 && answer !== undefined) {
      const problems = checkOptionsResponse(answer);
      if (problems.length > 0) emulator.recordViolation('ack:block_suggestion', 'invalid_options', problems);
    }
    return {
      ...response,
      options: Array.isArray(answer?.options) ? answer.options : undefined,
      optionGroups: Array.isArray(answer?.option_groups) ? answer.option_groups : undefined,
    };
  }

  async function event(params: EventParams) {
    const eventId = params.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const eventTime = params.eventTime ?? Math.floor(Date.now() / 1000);
    const envelope = {
      token: verificationToken,
      team_id: teamId,
      api_app_id: apiAppId,
      event: { event_ts: `${eventTime}.000100`, ...params.event },
      type: 'event_callback',
      event_id: eventId,
      event_time: eventTime,
      authorizations: [{ enterprise_id: null, team_id: teamId, user_id: emulator.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(`${teamId}:${eventId}`).toString('base64url')}`,
    };
    const response = await deliver(JSON.stringify(envelope), 'application/json', params, `event:${String(params.event.type)}`);
    return { ...response, eventId };
  }

  return {
    async slashCommand(params) {
      const { userId } = params;
      const channelId = params.channelId ?? emulator.dmChannelFor(userId);
      const channelName =
        params.channelName ?? (params.channelId === undefined ? 'directmessage' : (emulator.getChannel(channelId)?.name ?? channelId));
      const command = params.command ?? '/access';
      const responseUrl = params.responseUrl ?? emulator.newResponseUrl({ userId, channelId, source: command });
      const triggerId = params.triggerId ?? emulator.issueTriggerId(userId);
      const form = new URLSearchParams({
        token: verificationToken,
        team_id: teamId,
        team_domain: teamDomain,
        channel_id: channelId,
        channel_name: channelName,
        user_id: userId,
        user_name: userRef(userId).name,
        command,
        text: params.text ?? '',
        api_app_id: apiAppId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: triggerId,
      });
      const response = await deliver(form.toString(), 'application/x-www-form-urlencoded', params, command);
      checkMessageAck(command, response);
      showCommandReply(userId, channelId, response);
      return { ...response, responseUrl, triggerId };
    },
    blockActions,
    interact,
    clickButton: (params) => interact(params),
    viewSubmission,
    submitView: (openedView, values, userId, extra) =>
      viewSubmission({
        ...extra,
        view: openedView,
        ...(values !== undefined ? { values } : {}),
        ...(userId !== undefined ? { userId } : {}),
      }),
    viewClosed,
    dismissView,
    blockSuggestion,
    event,
    urlVerification: (challenge, delivery = {}) =>
      deliver(
        JSON.stringify({ token: verificationToken, challenge, type: 'url_verification' }),
        'application/json',
        delivery,
        'url_verification',
      ),
    lastResponse: () => emulator.responses.at(-1),
    lastPayload: () => lastPayload,
    sendPayload: (payload, delivery = {}) => deliverPayload(payload, delivery),
  };
}

function withoutKey<T extends Record<string, unknown>>(record: T, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record };
  delete copy[key];
  return copy;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function viewIdFromCall(call: RecordedCall): string | undefined {
  const answer = call.response;
  return isRecord(answer) && isRecord(answer.view) && typeof answer.view.id === 'string' ? answer.view.id : undefined;
}
