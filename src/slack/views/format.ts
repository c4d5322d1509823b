/**
 * Small pieces the Gatehouse views share: text objects that respect Block Kit's limits, mentions
 * that cannot be forged, Slack date tokens, and the ways organizations and permissions are named.
 * Everything here is pure; user text goes into plain_text objects, or through escapeMrkdwn when it
 * has to sit inside mrkdwn.
 */
import type {
  ActionsBlock,
  Button,
  Checkboxes,
  InputBlock,
  MultiStaticSelect,
  ConfirmationDialog,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { ADMIN_ROLE_PERMISSIONS } from '../../domain/permission-catalog.js';
import type {
  ConnectionStatus,
  OrganizationSummary,
  PermissionInfo,
  PersonSummary,
  UnlistedOrganization,
} from '../../domain/read-models.js';
import { INPUT_ACTION } from './ids.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Block Kit limits the views cut text to (shared/notes/slack-platform.md §2). */
export const LIMIT = {
  sectionText: 3000,
  field: 2000,
  header: 150,
  optionText: 75,
  /** A static select holds at most this many options; beyond it a select must search. */
  staticSelectOptions: 100,
  optionDescription: 75,
  buttonText: 75,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** A message's fallback `text` may be far longer, but it shows in notifications, so it stays short. */
  fallbackText: 300,
} as const;

// ---------------------------------------------------------------------------------------------
// Text objects and blocks
// ---------------------------------------------------------------------------------------------

/** Slack rejects empty text objects, so an empty value shows as a dash. */
function nonEmpty(text: string): string {
  return text.trim() === '' ? '—' : text;
}

/** A plain_text object: Slack shows it literally, so it is where user text belongs. */
export function plain(text: string, limit: number = LIMIT.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(nonEmpty(text), limit) };
}

/**
 * A mrkdwn object for text Gatehouse composed, with user parts already escaped. `verbatim` stops
 * Slack from auto-linking bare URLs and channel names inside it; explicit `<@U…>` and `<!date…>`
 * tokens still work. Callers keep the pieces short, so the cut is only a last resort.
 */
export function mrkdwn(text: string, limit: number = LIMIT.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(nonEmpty(text), limit), verbatim: true };
}

export function section(text: MrkdwnElement | PlainTextElement, extra: Partial<SectionBlock> = {}): SectionBlock {
  return { type: 'section', text, ...extra };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, LIMIT.header) };
}

export function context(...elements: Array<MrkdwnElement | PlainTextElement>): ContextBlock {
  return { type: 'context', elements: elements.slice(0, 10) };
}

export const DIVIDER: KnownBlock = { type: 'divider' };

export function actions(blockId: string, elements: ActionsBlock['elements']): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

export function button(options: {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmationDialog;
}): Button {
  return {
    type: 'button',
    text: plain(options.text, LIMIT.buttonText),
    action_id: options.actionId,
    value: options.value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

export function confirmDialog(options: {
  title: string;
  text: string;
  confirm: string;
  deny: string;
  style?: 'primary' | 'danger';
}): ConfirmationDialog {
  return {
    title: plain(options.title, LIMIT.confirmTitle),
    text: plain(options.text, LIMIT.confirmText),
    confirm: plain(options.confirm, LIMIT.confirmButton),
    deny: plain(options.deny, LIMIT.confirmButton),
    ...(options.style ? { style: options.style } : {}),
  };
}

/** Collapses line breaks and runs of spaces, for user text shown inside a one-line summary. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A message's top-level `text`: Slack renders it as mrkdwn, so it is built from escaped parts. */
export function fallbackText(text: string): string {
  return truncate(nonEmpty(text), LIMIT.fallbackText);
}

/**
 * Characters Slack counts towards its hidden per-message total (`msg_blocks_too_long`): every
 * string under a `text` key anywhere in the blocks.
 */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item: unknown) => sum + blockTextLength(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const [key, child] of Object.entries(value)) {
    total += key === 'text' && typeof child === 'string' ? child.length : blockTextLength(child);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
const NAME_LIMIT = 80;

export function isSlackUserId(id: string): boolean {
  return SLACK_USER_ID.test(id);
}

/** A person's name as plain text. */
export function personName(person: PersonSummary): string {
  return truncate(oneLine(person.displayName) || person.slackUserId, NAME_LIMIT);
}

/**
 * A person inside mrkdwn: a real mention when the id is a Slack user id, so nothing else can be
 * smuggled into the `<@…>` token; otherwise their escaped name.
 */
export function mention(person: PersonSummary): string {
  return isSlackUserId(person.slackUserId) ? `<@${person.slackUserId}>` : escapeMrkdwn(personName(person));
}

/** Name and email, for plain text next to a mention (the mention alone may not resolve for everyone). */
export function personDetails(person: PersonSummary): string {
  const email = person.email ? truncate(oneLine(person.email), NAME_LIMIT) : null;
  return email ? `${personName(person)} · ${email}` : personName(person);
}

// ---------------------------------------------------------------------------------------------
// Organizations
// ---------------------------------------------------------------------------------------------

type Named = Pick<OrganizationSummary, 'name' | 'acronym'> | Pick<UnlistedOrganization, 'name' | 'acronym'>;

/** "City of Redlands (COR)", as plain text. */
export function organizationLabel(organization: Named, limit = 120): string {
  const name = oneLine(organization.name);
  const acronym = organization.acronym ? oneLine(organization.acronym) : '';
  return truncate(acronym ? `${name} (${acronym})` : name, limit);
}

/** Where a request is for: the listed organization, or what the requester typed. */
export function requestedOrganizationLabel(
  request: { organization: OrganizationSummary | null; unlisted: UnlistedOrganization | null },
  limit = 120,
): string {
  if (request.organization) return organizationLabel(request.organization, limit);
  if (request.unlisted) return organizationLabel(request.unlisted, limit);
  return 'an organization';
}

/** "Redlands, United States", or null when neither is known. */
export function placeLabel(organization: { city: string | null; country?: string | null }): string | null {
  const parts = [organization.city, organization.country ?? null].filter((part): part is string => Boolean(part?.trim()));
  return parts.length > 0 ? parts.map(oneLine).join(', ') : null;
}

/** An option naming an organization in a select; the value is its id. */
export function organizationOption(organization: OrganizationSummary, withCustomerNumber = false): PlainTextOption {
  const label = withCustomerNumber
    ? `${organizationLabel(organization, LIMIT.optionText)} · ${organization.customerNumber}`
    : organizationLabel(organization, LIMIT.optionText);
  return { text: plain(label, LIMIT.optionText), value: String(organization.id) };
}

// ---------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------

/** Admin roles and everything else, which forms show as two groups (ten checkboxes at most each). */
export function splitPermissions(permissions: readonly PermissionInfo[]): { adminRoles: PermissionInfo[]; access: PermissionInfo[] } {
  const isAdminRole = (permission: PermissionInfo) => ADMIN_ROLE_PERMISSIONS.includes(permission.key);
  return { adminRoles: permissions.filter(isAdminRole), access: permissions.filter((permission) => !isAdminRole(permission)) };
}

/** "Download software, Esri access" as plain text, or `none` when the list is empty. */
export function permissionNames(permissions: readonly PermissionInfo[], none = 'nothing'): string {
  return permissions.length > 0 ? permissions.map((permission) => oneLine(permission.name)).join(', ') : none;
}

/**
 * A bulleted mrkdwn list of permission names; `note` adds an italic remark after a name, e.g.
 * "added by your administrator".
 */
export function permissionBullets(permissions: readonly PermissionInfo[], note?: (permission: PermissionInfo) => string | null): string {
  return permissions
    .map((permission) => {
      const remark = note?.(permission);
      return `• ${escapeMrkdwn(oneLine(permission.name))}${remark ? `  _(${escapeMrkdwn(remark)})_` : ''}`;
    })
    .join('\n');
}

/** A checkbox option for a permission; the value is its key. */
export function permissionOption(permission: PermissionInfo, description: string = permission.description): PlainTextOption {
  const shown = oneLine(description);
  return {
    text: plain(oneLine(permission.name), LIMIT.optionText),
    value: permission.key,
    ...(shown ? { description: plain(shown, LIMIT.optionDescription) } : {}),
  };
}

/** Slack allows this many checkboxes in one element. */
const CHECKBOX_MAX = 10;

/**
 * One group of permissions to tick. Checkboxes show each permission's description; should the
 * catalog outgrow Slack's ten checkboxes, a multi-select keeps every permission on offer (the
 * listener reads both the same way).
 */
export function permissionGroup(options: {
  blockId: string;
  label: string;
  permissions: readonly PermissionInfo[];
  initial?: readonly PermissionInfo[];
  hint?: string;
  describe?: (permission: PermissionInfo) => string;
}): InputBlock {
  const choices = options.permissions.map((permission) => permissionOption(permission, options.describe?.(permission)));
  const initialKeys = new Set((options.initial ?? []).map((permission) => permission.key));
  const initialChoices = choices.filter((choice) => choice.value !== undefined && initialKeys.has(choice.value));
  // Slack rejects an empty initial_options, so it is left out when nothing starts ticked.
  const initial = initialChoices.length > 0 ? { initial_options: initialChoices } : {};
  const element: Checkboxes | MultiStaticSelect =
    choices.length <= CHECKBOX_MAX
      ? { type: 'checkboxes', action_id: INPUT_ACTION, options: choices, ...initial }
      : {
          type: 'multi_static_select',
          action_id: INPUT_ACTION,
          placeholder: plain('Choose permissions', LIMIT.placeholder),
          // Option descriptions belong to checkboxes; a menu shows names only.
          options: choices.map(({ text, value }) => ({ text, value })),
          ...(initialChoices.length > 0 ? { initial_options: initialChoices.map(({ text, value }) => ({ text, value })) } : {}),
        };
  return {
    type: 'input',
    block_id: options.blockId,
    optional: true,
    label: plain(options.label),
    element,
    ...(options.hint ? { hint: plain(options.hint) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A Slack date token: each reader sees `format` in their own time zone, and clients that cannot
 * render it show `fallback`.
 */
export function slackDate(instant: Date, format: string, fallback: string): string {
  const seconds = Math.floor(instant.getTime() / 1000);
  // `|` and `>` would end the token early; fallbacks are Gatehouse's own text, but stay safe.
  const safeFallback = escapeMrkdwn(fallback).replace(/\|/g, '/');
  return `<!date^${seconds}^${format}|${safeFallback}>`;
}

/** "2026-11-25 10:15 UTC": unambiguous wherever Slack cannot render the token. */
export function utcDateTime(instant: Date): string {
  return (
    `${instant.getUTCFullYear()}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())} ` +
    `${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())} UTC`
  );
}

/** "Nov 25, 2026 at 10:15 AM" in the reader's time zone; reads well after "on". */
export function onDateTime(instant: Date): string {
  return slackDate(instant, '{date_short} at {time}', utcDateTime(instant));
}

/** "today at 10:15 AM" or "Nov 25, 2026 at 10:15 AM"; reads well on its own. */
export function prettyDateTime(instant: Date): string {
  return slackDate(instant, '{date_short_pretty} at {time}', utcDateTime(instant));
}

/** "December 31, 2099" for a YYYY-MM-DD calendar date; anything else is shown as it is. */
export function calendarDateLabel(calendarDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(calendarDate);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) return calendarDate;
  return `${month} ${Number(match[3])}, ${match[1]}`;
}

/**
 * When access ends, as mrkdwn. `endsAt` is the first instant without access (midnight after the
 * last day, in the organization's time zone), so the token shows the second before it: readers
 * see the last day, at the time it ends for them, e.g. "Thursday, December 31st, 2099 at 11:59 PM".
 */
export function endDate(endsAt: Date | null, endsOn: string | null): string | null {
  if (endsAt) {
    const fallback = endsOn ? `${calendarDateLabel(endsOn)}, end of day` : utcDateTime(endsAt);
    return slackDate(new Date(endsAt.getTime() - 1000), '{date_long} at {time}', fallback);
  }
  return endsOn ? escapeMrkdwn(calendarDateLabel(endsOn)) : null;
}

const CONNECTION_STATUS_LABEL: Record<ConnectionStatus, string> = {
  ACTIVE: 'Active',
  EXPIRED: 'Expired',
  SUSPENDED: 'Suspended',
  REMOVED: 'Removed',
};

export function connectionStatusLabel(status: ConnectionStatus): string {
  return CONNECTION_STATUS_LABEL[status];
}
