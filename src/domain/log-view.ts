/**
 * `/access log` as the service hands it to the view: one page of an organization's permissions log
 * with what each entry changed; and the small grammar of the text typed after the command, which
 * pre-fills the modal's filters.
 */
import { z } from 'zod';
import { isCalendarDate } from './dates.js';
import type { LogQuery } from './log-query.js';
import type { LogScope } from './member-policy.js';
import { PERMISSION_CATALOG } from './permission-catalog.js';
import { LOG_ACTION, type LogAction } from './permissions-log.js';
import type { OrganizationSummary, PermissionInfo, PersonSummary } from './read-models.js';

/** A connection's terms as an entry's before or after snapshot holds them (absent fields are null). */
export interface LoggedTerms {
  status: string | null;
  startsOn: string | null;
  endsOn: string | null;
}

export interface LogEntryModel {
  id: number;
  sequence: number | null;
  action: string;
  at: Date;
  /** The member who acted, or null when no member did (`actorLabel` says who: system, operator). */
  actor: PersonSummary | null;
  actorLabel: string | null;
  /** The member it is about, or null (an invitation to an address, or an organization's settings). */
  subject: PersonSummary | null;
  subjectEmail: string | null;
  added: PermissionInfo[];
  removed: PermissionInfo[];
  before: LoggedTerms | null;
  after: LoggedTerms | null;
  note: string | null;
}

export interface LogPageModel {
  organization: OrganizationSummary;
  /** Every organization the viewer administers, for the picker. */
  organizations: OrganizationSummary[];
  query: LogQuery;
  /** Entries of this page shown with their details. */
  expanded: number[];
  /** The people the member and actor filters name, for the selects to show. */
  filterPeople: { member: PersonSummary | null; actor: PersonSummary | null };
  entries: LogEntryModel[];
  /** Entries that match, counted up to LOG_COUNT_LIMIT; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  pageSize: number;
  /** What of the log this viewer sees: a limited admin is told it is their part only. */
  scope: LogScope;
}

/**
 * Matching entries are counted up to this many: past it the view says "more than", and a dense
 * filter over a long log is not counted to its end on every redraw.
 */
export const LOG_COUNT_LIMIT = 10_000;

/** Someone named after `/access log`: a Slack mention, or `@name` as typed. */
export type PersonReference = { slackUserId: string } | { name: string };

export interface LogCommandFilters {
  member: PersonReference | null;
  actor: PersonReference | null;
  action: LogAction | null;
  permission: string | null;
  from: string | null;
  to: string | null;
}

export const LOG_COMMAND_USAGE =
  '`/access log [@member] [by @person] [permission] [action] [since YYYY-MM-DD] [until YYYY-MM-DD]`, ' +
  'e.g. `/access log @ada esri_access since 2026-11-01`';

const ACTIONS = new Set<string>(Object.values(LOG_ACTION));
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const AT_NAME = /^@([^\s<>@]{1,80})$/;
// Quoted text stays one word: a permission's name has spaces.
const WORDS = /<[^>]*>|"[^"]*"|\S+/g;

/** Permission names as words, longest first, so "Access e-Learning" is not read as something shorter. */
const PERMISSION_NAMES = PERMISSION_CATALOG.map((permission) => ({
  key: permission.key,
  words: permission.name.toLowerCase().split(/\s+/),
})).sort((a, b) => b.words.length - a.words.length);

function personOf(word: string): PersonReference | null {
  const mention = MENTION.exec(word);
  if (mention) return { slackUserId: mention[1]! };
  const named = AT_NAME.exec(word);
  return named ? { name: named[1]! } : null;
}

function permissionAt(words: readonly string[], at: number): { key: string; length: number } | null {
  const word = words[at]!;
  const unquoted = word.startsWith('"') && word.endsWith('"') && word.length >= 2 ? word.slice(1, -1).trim().toLowerCase() : null;
  for (const permission of PERMISSION_CATALOG) {
    if (permission.key === word.toLowerCase()) return { key: permission.key, length: 1 };
    if (unquoted !== null && permission.name.toLowerCase() === unquoted) return { key: permission.key, length: 1 };
  }
  if (unquoted !== null) return null;
  const lowered = words.slice(at).map((part) => part.toLowerCase());
  const match = PERMISSION_NAMES.find((permission) => permission.words.every((part, index) => lowered[index] === part));
  return match ? { key: match.key, length: match.words.length } : null;
}

class Unreadable extends Error {}

function parseWords(words: readonly string[]): LogCommandFilters {
  const filters: LogCommandFilters = { member: null, actor: null, action: null, permission: null, from: null, to: null };
  const once = <K extends keyof LogCommandFilters>(key: K, value: LogCommandFilters[K], word: string) => {
    if (filters[key] !== null) throw new Unreadable(`\`${word}\` is a second ${key === 'from' ? 'since' : key === 'to' ? 'until' : key}`);
    filters[key] = value;
  };
  for (let at = 0; at < words.length;) {
    const word = words[at]!;
    const lowered = word.toLowerCase();
    if (lowered === 'since' || lowered === 'until') {
      const day = words[at + 1];
      if (day === undefined || !isCalendarDate(day)) throw new Unreadable(`\`${lowered}\` needs a date like 2026-11-01`);
      once(lowered === 'since' ? 'from' : 'to', day, word);
      at += 2;
      continue;
    }
    if (lowered === 'by') {
      const person = words[at + 1] === undefined ? null : personOf(words[at + 1]!);
      if (!person) throw new Unreadable('`by` needs a person, like `by @ada`');
      once('actor', person, word);
      at += 2;
      continue;
    }
    const person = personOf(word);
    if (person) {
      once('member', person, word);
      at += 1;
      continue;
    }
    if (ACTIONS.has(lowered)) {
      once('action', lowered as LogAction, word);
      at += 1;
      continue;
    }
    const permission = permissionAt(words, at);
    if (permission) {
      once('permission', permission.key, word);
      at += permission.length;
      continue;
    }
    throw new Unreadable(`Gatehouse doesn't know \`${word.slice(0, 80)}\` here`);
  }
  if (filters.from && filters.to && filters.from > filters.to) throw new Unreadable('`since` is after `until`');
  return filters;
}

/** The typed text, read as the filters it names; what it cannot read is the parse's issue, worded for the person. */
export const logCommandText = z
  .string()
  .max(1000)
  .transform((text, context) => {
    try {
      return parseWords(text.match(WORDS) ?? []);
    } catch (error) {
      if (!(error instanceof Unreadable)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });

/** The filters `/access log TEXT` names, or what is wrong with the text and how to write it. */
export function parseLogCommand(text: string): { ok: true; filters: LogCommandFilters } | { ok: false; message: string } {
  const parsed = logCommandText.safeParse(text);
  if (parsed.success) return { ok: true, filters: parsed.data };
  const why = parsed.error.issues[0]?.message ?? 'That is too long';
  return { ok: false, message: `${why}. Write ${LOG_COMMAND_USAGE}. Nothing was opened.` };
}
