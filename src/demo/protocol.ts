// What the demo's web client and the demo process say to each other over HTTP. Types only, with
// no imports, so the browser code (compiled on its own, with the DOM library) can share them.
// The demo process checks every request body against zod schemas that satisfy these types.

/** Slack's `view.state.values`: `{ [block_id]: { [action_id]: element state } }`. */
export type DemoStateValues = Record<string, Record<string, Record<string, unknown>>>;

export interface DemoPerson {
  /** Slack user id in the emulated workspace. */
  id: string;
  /** Display name, as a mention shows it. */
  name: string;
  realName: string;
  /** What the person is in the seeded story, e.g. "Administrator", "Training admin", "Member". */
  role: string;
  /** IANA time zone, for Slack date tokens. */
  tz: string;
}

export interface DemoConversation {
  id: string;
  kind: 'im' | 'channel';
  /** `#gatehouse-admins` for a channel; "Gatehouse" for the viewer's DM with the app. */
  name: string;
  /** What the channel is for in the story: shown under its name. */
  purpose: string;
}

export interface DemoMessage {
  channel: string;
  ts: string;
  /** Slack user id of the author (the bot's user id for Gatehouse). */
  user: string;
  authorName: string;
  text: string;
  /** Block Kit blocks as Gatehouse sent them; absent for a plain-text message. */
  blocks?: unknown[];
  /** True once chat.update or a response_url post has replaced the message. */
  edited: boolean;
  /** Ephemerals are only ever sent to their one viewer. */
  ephemeral: boolean;
  /** Files shared with the message (a CSV export), each with where the local Slack serves it. */
  files?: DemoFile[];
}

export interface DemoFile {
  name: string;
  title: string;
  size: number;
  url: string;
}

export interface DemoView {
  id: string;
  type: 'modal' | 'home';
  /** The view object as the app sent it: title, submit, close, blocks, private_metadata, notify_on_close… */
  definition: Record<string, unknown>;
  /** Field errors from the last `response_action: "errors"`, by block_id. */
  errors: Record<string, string>;
}

export interface DemoSnapshot {
  /** Goes up with every change anywhere; the client refetches when an event names a newer one. */
  version: number;
  me: DemoPerson;
  people: DemoPerson[];
  /** The viewer's DM with Gatehouse first, then the channels the viewer is in. */
  conversations: { conversation: DemoConversation; messages: DemoMessage[] }[];
  /** The viewer's Home tab, once Gatehouse has published one. */
  home: DemoView | null;
  /** The viewer's open modals, bottom of the stack first; the last is the one shown. */
  modals: DemoView[];
  clock: DemoClockState;
  bot: { userId: string; name: string };
  /** For mentions: every user id Gatehouse may mention, with the name Slack would show. */
  userNames: Record<string, string>;
  /** For channel mentions: channel id to name without `#`. */
  channelNames: Record<string, string>;
}

export interface DemoClockState {
  /** The app's clock, ISO 8601. */
  now: string;
  /** Days the demo clock has been moved forward. */
  offsetDays: number;
}

/** The kind of thing an interaction happened on. */
export type DemoSource = { kind: 'message'; channel: string; ts: string } | { kind: 'view'; viewId: string };

/** One block action, in the shape Slack puts in `actions[]` (snake_case fields). */
export interface DemoAction {
  action_id: string;
  block_id: string;
  type: string;
  value?: string;
  selected_option?: { text: { type: 'plain_text'; text: string }; value: string };
  selected_options?: { text: { type: 'plain_text'; text: string }; value: string }[];
  selected_date?: string;
  selected_user?: string;
  selected_users?: string[];
}

// Request bodies. `as` is the viewer's user id; every request acts as that person.
export interface DemoCommandRequest {
  as: string;
  channel: string;
  text: string;
}
export interface DemoActionRequest {
  as: string;
  source: DemoSource;
  action: DemoAction;
  state?: DemoStateValues;
}
export interface DemoSuggestRequest {
  as: string;
  viewId: string;
  action_id: string;
  block_id: string;
  value: string;
}
export interface DemoSubmitRequest {
  as: string;
  viewId: string;
  state: DemoStateValues;
}
/** `all` is the X in the modal's corner (closes the whole stack); otherwise the Cancel button (closes the top view). */
export interface DemoCloseRequest {
  as: string;
  viewId: string;
  all: boolean;
}
export interface DemoHomeOpenedRequest {
  as: string;
}
export interface DemoClockRequest {
  days: number;
}

// Answers.
/** Also the answer to a command: its direct reply, if any, reaches the viewer as an ephemeral in the next snapshot. */
export interface DemoOk {
  ok: true;
}
export interface DemoRefusal {
  ok: false;
  error: string;
}
export interface DemoSuggestAnswer {
  ok: true;
  options: unknown[];
  option_groups?: unknown[];
}
export interface DemoSubmitAnswer {
  ok: true;
  /** Field errors by block_id: the modal stays open and shows them. */ errors: Record<string, string>;
}
export interface DemoClockAnswer {
  ok: true;
  clock: DemoClockState;
  /** What each job did, e.g. { "time-limits": { warned: 1 } } */ jobs: Record<string, Record<string, number>>;
}

export interface DemoOutboxRow {
  id: number;
  kind: string;
  status: string;
  attempts: number;
  createdAt: string;
  deliveredAt: string | null;
  /** Who or where it goes, e.g. a channel or user id. */
  target: string;
  lastError: string | null;
}

export interface DemoLogRow {
  id: number;
  at: string;
  action: string;
  actorName: string;
  subjectName: string | null;
  organization: string | null;
  /** A short human reading of the entry's detail. */
  summary: string;
}
