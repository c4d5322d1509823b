/**
 * `/access log`: one page of an organization's permissions log, newest first, with its filters,
 * paging, each entry's Details, and the button that exports the log as filtered. The whole state of
 * the view (query and expanded entries) is its private_metadata; every control redraws it.
 */
import type { ActionsBlock, Datepicker, KnownBlock, ModalView, PlainTextOption, StaticSelect, UsersSelect } from '@slack/types';
import type { LogFilters } from '../../domain/log-query.js';
import type { LogEntryModel, LoggedTerms, LogPageModel } from '../../domain/log-view.js';
import { PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import { ACTOR, LOG_ACTION, type LogAction } from '../../domain/permissions-log.js';
import type { PersonSummary } from '../../domain/read-models.js';
import {
  actions,
  button,
  calendarDateLabel,
  context,
  header,
  LIMIT,
  mention,
  mrkdwn,
  oneLine,
  organizationLabel,
  organizationOption,
  permissionNames,
  plain,
  section,
  slackDate,
} from './format.js';
import { ACTION, CALLBACK, LOG_VIEW_BLOCK } from './ids.js';
import { encodeMetadata, logViewMetadata } from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Each entry's section is `log_entry:<id>`; its details, when expanded, `log_details:<id>`. */
export const ENTRY_BLOCK_PREFIX = 'log_entry:';
export const DETAILS_BLOCK_PREFIX = 'log_details:';

/** The value of the action filter's first option, "Any action". */
export const ANY_ACTION = 'any';

/** An entry's parts are cut so its details stay far inside a section's 3,000 characters. */
const SHOWN = { name: 80, email: 100, note: 1500, permissions: 500 } as const;

/** Every action of the log in words, as the entry shows it and the action filter offers it. */
export const LOG_ACTION_LABEL: Record<LogAction, string> = {
  [LOG_ACTION.organizationCreated]: 'Created the organization',
  [LOG_ACTION.organizationChannelsChanged]: "Changed the organization's channels",
  [LOG_ACTION.connectionCreated]: 'Connected',
  [LOG_ACTION.permissionsChanged]: 'Changed permissions',
  [LOG_ACTION.requestSubmitted]: 'Asked for access',
  [LOG_ACTION.requestApproved]: 'Approved a request',
  [LOG_ACTION.requestDenied]: 'Denied a request',
  [LOG_ACTION.requestWithdrawn]: 'Withdrew a request',
  [LOG_ACTION.requestRouted]: 'Sent a request to another organization',
  [LOG_ACTION.requestExpired]: 'A request expired',
  [LOG_ACTION.invitationSent]: 'Invited',
  [LOG_ACTION.invitationReplaced]: 'Replaced an invitation',
  [LOG_ACTION.invitationResent]: 'Resent an invitation',
  [LOG_ACTION.invitationEdited]: 'Edited an invitation',
  [LOG_ACTION.invitationRevoked]: 'Revoked an invitation',
  [LOG_ACTION.invitationAccepted]: 'Accepted an invitation',
  [LOG_ACTION.invitationRefusedWrongAccount]: 'Refused an invitation to another account',
  [LOG_ACTION.invitationExpired]: 'An invitation expired',
  [LOG_ACTION.connectionExpired]: 'Access expired',
  [LOG_ACTION.connectionRemoved]: 'Access was removed',
  [LOG_ACTION.endDateChanged]: 'Changed the end date',
  [LOG_ACTION.memberEdited]: 'Edited access',
  [LOG_ACTION.memberDisconnected]: 'Disconnected',
  [LOG_ACTION.memberRestored]: 'Restored access',
  [LOG_ACTION.callerChanged]: 'Changed authorized-caller status',
  [LOG_ACTION.memberLeft]: 'Left the organization',
  [LOG_ACTION.exported]: 'Exported a CSV',
};

function actionLabel(action: string): string {
  return Object.hasOwn(LOG_ACTION_LABEL, action) ? LOG_ACTION_LABEL[action as LogAction] : action;
}

/** "2026-11-25 10:15 America/Los_Angeles": the instant on the organization's clock, its zone named. */
export function organizationDateTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${timeZone}`;
}

function personText(person: PersonSummary): string {
  return `${mention(person)} ${escapeMrkdwn(truncate(oneLine(person.displayName), SHOWN.name))}`;
}

function whoText(entry: LogEntryModel): string {
  if (entry.actor) return personText(entry.actor);
  if (entry.actorLabel === ACTOR.system) return 'Gatehouse';
  if (entry.actorLabel === ACTOR.operator) return "Gatehouse's operators";
  return entry.actorLabel ? escapeMrkdwn(truncate(oneLine(entry.actorLabel), SHOWN.name)) : 'Someone unknown';
}

function whomText(entry: LogEntryModel): string | null {
  if (entry.subject) return personText(entry.subject);
  return entry.subjectEmail ? escapeMrkdwn(truncate(oneLine(entry.subjectEmail), SHOWN.email)) : null;
}

/** Who, what, to whom, and when: the entry's two lines. */
export function entryText(entry: LogEntryModel, timeZone: string): string {
  const whom = whomText(entry);
  const what = `*${escapeMrkdwn(actionLabel(entry.action))}*`;
  const when = slackDate(entry.at, '{date_short_pretty} at {time}', organizationDateTime(entry.at, timeZone));
  const sequence = entry.sequence === null ? '' : `  ·  #${entry.sequence}`;
  return `${whoText(entry)}  ·  ${what}${whom ? `  ·  ${whom}` : ''}\n${when}${sequence}`;
}

function dayText(day: string | null): string {
  return day ? escapeMrkdwn(calendarDateLabel(day)) : 'none';
}

function change(label: string, before: string | null, after: string | null): string | null {
  return before === after ? null : `*${label}:* ${before ?? 'none'} → ${after ?? 'none'}`;
}

function termsChanges(before: LoggedTerms | null, after: LoggedTerms | null): string[] {
  const of = (terms: LoggedTerms | null, key: keyof LoggedTerms) => terms?.[key] ?? null;
  const status = (terms: LoggedTerms | null) => {
    const value = of(terms, 'status');
    return value === null ? null : escapeMrkdwn(value.charAt(0) + value.slice(1).toLowerCase());
  };
  return [
    change('Status', status(before), status(after)),
    change('Starts', before ? dayText(of(before, 'startsOn')) : null, after ? dayText(of(after, 'startsOn')) : null),
    change('Ends', before ? dayText(of(before, 'endsOn')) : null, after ? dayText(of(after, 'endsOn')) : null),
  ].filter((line): line is string => line !== null);
}

/** What an expanded entry adds: permissions added and removed, the dates before and after, the note. */
export function detailsText(entry: LogEntryModel, timeZone: string): string {
  const names = (permissions: LogEntryModel['added']) => escapeMrkdwn(truncate(permissionNames(permissions, 'none'), SHOWN.permissions));
  const lines = [
    `*Permissions added:* ${names(entry.added)}`,
    `*Permissions removed:* ${names(entry.removed)}`,
    ...termsChanges(entry.before, entry.after),
    entry.note ? `*Note:* ${escapeMrkdwn(truncate(entry.note.trim(), SHOWN.note))}` : '*Note:* none',
    `_Logged ${escapeMrkdwn(organizationDateTime(entry.at, timeZone))}_`,
  ];
  return lines.join('\n');
}

function entryBlocks(entry: LogEntryModel, model: LogPageModel): KnownBlock[] {
  const open = model.expanded.includes(entry.id);
  const timeZone = model.organization.timeZone;
  const blocks: KnownBlock[] = [
    section(mrkdwn(entryText(entry, timeZone)), {
      block_id: `${ENTRY_BLOCK_PREFIX}${entry.id}`,
      accessory: button({ text: open ? 'Hide details' : 'Details', actionId: ACTION.logDetails, value: String(entry.id) }),
    }),
  ];
  if (open) blocks.push(section(mrkdwn(detailsText(entry, timeZone)), { block_id: `${DETAILS_BLOCK_PREFIX}${entry.id}` }));
  return blocks;
}

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMIT.optionText), value };
}

function staticSelect(actionId: string, placeholder: string, choices: PlainTextOption[], current: string | null): StaticSelect {
  const options = [option(placeholder, ANY_ACTION), ...choices];
  const initial = options.find((candidate) => candidate.value === (current ?? ANY_ACTION)) ?? options[0]!;
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: plain(placeholder, LIMIT.placeholder),
    options,
    initial_option: initial,
  };
}

function userSelect(actionId: string, placeholder: string, current: PersonSummary | null): UsersSelect {
  return {
    type: 'users_select',
    action_id: actionId,
    placeholder: plain(placeholder, LIMIT.placeholder),
    ...(current ? { initial_user: current.slackUserId } : {}),
  };
}

function datePicker(actionId: string, placeholder: string, current: string | null): Datepicker {
  return {
    type: 'datepicker',
    action_id: actionId,
    placeholder: plain(placeholder, LIMIT.placeholder),
    ...(current ? { initial_date: current } : {}),
  };
}

export function hasLogFilters(filters: LogFilters): boolean {
  return Object.values(filters).some((value) => value !== null);
}

function filterBlocks(model: LogPageModel): KnownBlock[] {
  const { filters } = model.query;
  const actionChoices = (Object.keys(LOG_ACTION_LABEL) as LogAction[]).map((action) => option(LOG_ACTION_LABEL[action], action));
  const permissionChoices = PERMISSION_CATALOG.map((permission) => option(permission.name, permission.key));
  const dates: ActionsBlock['elements'] = [
    datePicker(ACTION.logFilterFrom, 'From (first day)', filters.from),
    datePicker(ACTION.logFilterTo, 'To (last day)', filters.to),
  ];
  if (hasLogFilters(filters)) dates.push(button({ text: 'Clear filters', actionId: ACTION.logClearFilters, value: 'clear' }));
  return [
    actions(LOG_VIEW_BLOCK.people, [
      userSelect(ACTION.logFilterMember, 'About a member', model.filterPeople.member),
      userSelect(ACTION.logFilterActor, 'Made by', model.filterPeople.actor),
    ]),
    actions(LOG_VIEW_BLOCK.filters, [
      staticSelect(ACTION.logFilterAction, 'Any action', actionChoices, filters.action),
      staticSelect(ACTION.logFilterPermission, 'Any permission', permissionChoices, filters.permission),
    ]),
    actions(LOG_VIEW_BLOCK.dates, dates),
  ];
}

function pickerBlock(model: LogPageModel): KnownBlock[] {
  if (model.organizations.length < 2) return [];
  const options = model.organizations.slice(0, LIMIT.staticSelectOptions).map((organization) => organizationOption(organization));
  const current = options.find((candidate) => candidate.value === String(model.organization.id));
  const picker: StaticSelect = {
    type: 'static_select',
    action_id: ACTION.logPickOrganization,
    placeholder: plain('Organization', LIMIT.placeholder),
    options,
    ...(current ? { initial_option: current } : {}),
  };
  return [actions(LOG_VIEW_BLOCK.organization, [picker])];
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** "42 entries match, newest first · page 2 of 3". */
export function summaryText(model: LogPageModel): string {
  const matched = model.totalCapped
    ? `More than ${count(model.total)} entries match`
    : model.total === 1
      ? '1 entry matches'
      : `${count(model.total)} entries match`;
  const pages = Math.ceil(model.total / model.pageSize);
  const page = pages > 1 ? `  ·  page ${count(model.query.page + 1)} of ${model.totalCapped ? 'more than ' : ''}${count(pages)}` : '';
  return `*${matched}*${hasLogFilters(model.query.filters) ? ' the filters' : ''}, newest first${page}`;
}

function scopeBlocks(model: LogPageModel): KnownBlock[] {
  if (model.scope.all) return [];
  const parts = [
    ...(model.scope.eLearning ? ['the entries about e-Learning users'] : []),
    ...(model.scope.callers ? ['the entries about authorized callers'] : []),
  ];
  const seen = parts.length > 0 ? parts.join(' and ') : 'no entries';
  return [context(mrkdwn(`As a limited administrator you see ${seen}; Administrators see the whole log.`))];
}

function emptyBlocks(model: LogPageModel): KnownBlock[] {
  const how = hasLogFilters(model.query.filters)
    ? 'No entry matches these filters. Choose *Clear filters* to see every entry.'
    : 'The log has no entries you can see yet.';
  return [section(mrkdwn(how))];
}

/** The export button's value: the log's filters as the export asks for them (src/domain/log-query.ts exportRequestSchema). */
export function logExportValue(filters: LogFilters): string {
  return JSON.stringify({ kind: 'log', filters });
}

function pagingBlock(model: LogPageModel): KnownBlock[] {
  const elements: ActionsBlock['elements'] = [];
  const page = model.query.page;
  if (page > 0) elements.push(button({ text: 'Previous', actionId: ACTION.logPreviousPage, value: String(page - 1) }));
  if ((page + 1) * model.pageSize < model.total) {
    elements.push(button({ text: 'Next', actionId: ACTION.logNextPage, value: String(page + 1) }));
  }
  if (model.total > 0) {
    elements.push(button({ text: 'Export CSV', actionId: ACTION.logExport, value: logExportValue(model.query.filters) }));
  }
  return elements.length > 0 ? [actions(LOG_VIEW_BLOCK.paging, elements)] : [];
}

export function permissionsLogBlocks(model: LogPageModel): KnownBlock[] {
  const entries = model.entries.flatMap((entry) => entryBlocks(entry, model));
  return [
    header(`Log of ${organizationLabel(model.organization, LIMIT.header - 7)}`),
    ...pickerBlock(model),
    ...filterBlocks(model),
    section(mrkdwn(summaryText(model))),
    ...scopeBlocks(model),
    ...(entries.length > 0 ? entries : emptyBlocks(model)),
    ...pagingBlock(model),
    context(mrkdwn(`Times are shown in your time zone; details give them in ${escapeMrkdwn(model.organization.timeZone)}.`)),
  ];
}

export function permissionsLogModal(model: LogPageModel): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.permissionsLog,
    title: plain('Permissions log', 24),
    close: plain('Close', 24),
    private_metadata: encodeMetadata(logViewMetadata, { query: model.query, expanded: model.expanded }),
    blocks: permissionsLogBlocks(model),
  };
}
