/**
 * `/access users`: one page of an organization's members and pending invitations, with search,
 * filters, sort, paging, each row's ⋯ menu and the selection. The modal and App Home's members
 * section draw the same blocks; both carry the query in private_metadata.
 */
import type { ActionsBlock, HomeView, InputBlock, KnownBlock, ModalView, Overflow, PlainTextOption, StaticSelect } from '@slack/types';
import {
  ENDS_WITHIN_DAYS,
  MEMBER_SORTS,
  MEMBER_STATUS_FILTERS,
  type MemberListModel,
  type MemberListQuery,
  type MemberMark,
  type MemberRow,
  type MemberSort,
  type MemberStatusFilter,
} from '../../domain/member-management.js';
import { PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import { SLASH_COMMAND } from '../commands.js';
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
  utcDateTime,
} from './format.js';
import { ACTION, CALLBACK, USERS_LIST_BLOCK } from './ids.js';
import { rowKeyValue, rowValue, type RowVerb } from './member-values.js';
import { encodeMetadata, memberListMetadata, type MemberListMetadata } from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Each row's section is `users_row:m:<connection id>` or `users_row:i:<invitation id>`. */
export const ROW_BLOCK_PREFIX = 'users_row:';

/** The value of each filter's first option, "Any …", which means no filter. */
export const ANY = 'any';

/** The longest search and tag the list's boxes take: what its private_metadata can carry. */
export const LIST_TEXT_LIMIT = { search: 100, tag: 50 } as const;

/** Each row's parts are cut so a row stays far inside a section's 3,000 characters. */
const SHOWN = { name: 80, email: 100, permissions: 900, tags: 600 } as const;

const STATUS_LABEL: Record<MemberStatusFilter, string> = {
  active: 'Active',
  pending: 'Pending invitation',
  expired: 'Expired',
  disabled: 'Disabled',
};

const SORT_LABEL: Record<MemberSort, string> = {
  name: 'Sort by name',
  connected: 'Sort by date connected',
  ends: 'Sort by end date',
};

const MENU_LABEL: Record<RowVerb, string> = {
  select: 'Select',
  edit: 'Edit',
  disconnect: 'Disconnect',
  restore: 'Restore',
  resend: 'Resend invitation',
  revoke: 'Revoke invitation',
};

/** "1,234", the way people read counts. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** The list's query as its private_metadata; the query is the whole state of the list. */
export function listMetadataOf(query: MemberListQuery): MemberListMetadata {
  return {
    organizationId: query.organizationId,
    search: query.search,
    tag: query.tag,
    permission: query.permission,
    status: query.status,
    endsWithinDays: query.endsWithinDays,
    sort: query.sort,
    page: query.page,
  };
}

function markText(row: MemberRow): string {
  const marks: Record<MemberMark, string> = {
    ACTIVE: ':large_green_circle: Active',
    PENDING_INVITATION: ':envelope: Pending invitation',
    EXPIRED: row.restorableUntil
      ? `:hourglass: Expired (restorable until ${slackDate(row.restorableUntil, '{date_short}', utcDateTime(row.restorableUntil))})`
      : ':hourglass: Expired',
    DISABLED: ':no_entry: Disabled',
  };
  return marks[row.mark];
}

function whoText(row: MemberRow): string {
  const email = row.email ? escapeMrkdwn(truncate(oneLine(row.email), SHOWN.email)) : null;
  if (!row.person) return `*${email ?? 'Unknown address'}*`;
  const name = escapeMrkdwn(truncate(oneLine(row.person.displayName), SHOWN.name));
  return [`${mention(row.person)} *${name}*`, email].filter(Boolean).join('  ·  ');
}

function datesText(row: MemberRow): string {
  const starts = row.startsOn ? `starts ${escapeMrkdwn(calendarDateLabel(row.startsOn))}` : 'no start date';
  const ends = row.endsOn ? `ends ${escapeMrkdwn(calendarDateLabel(row.endsOn))}` : 'no end date';
  return `${starts}  ·  ${ends}`;
}

/** One row as mrkdwn: who, the mark, what they hold, tags and dates. */
export function rowText(row: MemberRow): string {
  const permissions = escapeMrkdwn(truncate(permissionNames(row.permissions, 'no permissions'), SHOWN.permissions));
  const tags = row.tags.length > 0 ? `Tags: ${escapeMrkdwn(truncate(row.tags.map(oneLine).join(', '), SHOWN.tags))}` : 'No tags';
  const lines = [whoText(row), `${markText(row)}  ·  ${permissions}`, `${tags}  ·  ${datesText(row)}`];
  if (row.selected) lines.push(':white_check_mark: Selected');
  return lines.join('\n');
}

/** The ⋯ menu offers only what the policy lets this viewer do to the row; none at all means no menu. */
function rowMenu(row: MemberRow): Overflow | null {
  const verbs: RowVerb[] = [];
  if (row.can.select) verbs.push('select');
  if (row.can.edit) verbs.push('edit');
  if (row.can.disconnect) verbs.push('disconnect');
  if (row.can.restore) verbs.push('restore');
  if (row.can.resend) verbs.push('resend');
  if (row.can.revoke) verbs.push('revoke');
  if (verbs.length === 0) return null;
  const option = (verb: RowVerb): PlainTextOption => ({
    text: plain(verb === 'select' && row.selected ? 'Deselect' : MENU_LABEL[verb], LIMIT.optionText),
    value: rowValue(verb, row.key),
  });
  // Slack shows five options at most; a row offers four at most (select, edit and two of the rest).
  return { type: 'overflow', action_id: ACTION.usersManageRow, options: verbs.slice(0, 5).map(option) };
}

function rowBlock(row: MemberRow): KnownBlock {
  const menu = rowMenu(row);
  // The row's own block id, so its ⋯ menu can be told apart from the others'.
  return section(mrkdwn(rowText(row)), { block_id: `${ROW_BLOCK_PREFIX}${rowKeyValue(row.key)}`, ...(menu ? { accessory: menu } : {}) });
}

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMIT.optionText), value };
}

/** A select whose first option, "Any …", means no filter; the current choice is shown as chosen. */
function filterSelect(actionId: string, placeholder: string, choices: PlainTextOption[], current: string | null): StaticSelect {
  const options = [option(placeholder, ANY), ...choices];
  const initial = options.find((candidate) => candidate.value === (current ?? ANY)) ?? options[0]!;
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: plain(placeholder, LIMIT.placeholder),
    options,
    initial_option: initial,
  };
}

function textBox(blockId: string, actionId: string, label: string, hint: string, value: string | null, limit: number): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    dispatch_action: true,
    label: plain(label, LIMIT.header),
    hint: plain(hint, LIMIT.placeholder),
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      max_length: limit,
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      ...(value ? { initial_value: value } : {}),
    },
  };
}

function filterBlocks(query: MemberListQuery): KnownBlock[] {
  const statuses = MEMBER_STATUS_FILTERS.map((status) => option(STATUS_LABEL[status], status));
  const permissions = PERMISSION_CATALOG.map((permission) => option(permission.name, permission.key));
  const endsWithin = ENDS_WITHIN_DAYS.map((days) => option(`Ends within ${days} days`, String(days)));
  const sorts = MEMBER_SORTS.map((sort) => option(SORT_LABEL[sort], sort));
  return [
    textBox(
      USERS_LIST_BLOCK.search,
      ACTION.usersSearch,
      'Search',
      'The start of a name or an email; press Enter.',
      query.search,
      LIST_TEXT_LIMIT.search,
    ),
    actions(USERS_LIST_BLOCK.filters, [
      filterSelect(ACTION.usersFilterStatus, 'Any status', statuses, query.status),
      filterSelect(ACTION.usersFilterPermission, 'Any permission', permissions, query.permission),
      filterSelect(
        ACTION.usersFilterEndsWithin,
        'Any end date',
        endsWithin,
        query.endsWithinDays === null ? null : String(query.endsWithinDays),
      ),
      // Sorting always has a choice; "Any" would mean nothing, so its select starts at the sorts.
      {
        type: 'static_select',
        action_id: ACTION.usersSort,
        placeholder: plain('Sort', LIMIT.placeholder),
        options: sorts,
        initial_option: sorts.find((candidate) => candidate.value === query.sort) ?? sorts[0]!,
      },
    ]),
    textBox(
      USERS_LIST_BLOCK.tag,
      ACTION.usersFilterTag,
      'Tag',
      'Only people with this exact tag; press Enter. Empty: any tag.',
      query.tag,
      LIST_TEXT_LIMIT.tag,
    ),
  ];
}

function pickerBlock(model: MemberListModel): KnownBlock[] {
  if (model.organizations.length < 2) return [];
  // A static select holds 100 options; an admin of more organizations picks among the first hundred by name.
  const options = model.organizations.slice(0, LIMIT.staticSelectOptions).map((organization) => organizationOption(organization));
  const current = options.find((candidate) => candidate.value === String(model.organization.id));
  const picker: StaticSelect = {
    type: 'static_select',
    action_id: ACTION.usersPickOrganization,
    placeholder: plain('Organization', LIMIT.placeholder),
    options,
    ...(current ? { initial_option: current } : {}),
  };
  return [actions(USERS_LIST_BLOCK.organization, [picker])];
}

function hasFilters(query: MemberListQuery): boolean {
  return query.search !== null || query.tag !== null || query.permission !== null || query.status !== null || query.endsWithinDays !== null;
}

/** "Showing 21–40 of 1,234", and how many are selected. */
function summaryText(model: MemberListModel): string {
  const first = model.query.page * model.pageSize + 1;
  const last = model.query.page * model.pageSize + model.rows.length;
  const shown = model.total === 0 ? 'No one matches' : `Showing ${count(first)}–${count(last)} of ${count(model.total)}`;
  const selected = model.selectedCount > 0 ? `  ·  ${count(model.selectedCount)} selected` : '';
  return `${shown}${hasFilters(model.query) ? ' (filtered)' : ''}${selected}`;
}

function emptyBlocks(model: MemberListModel): KnownBlock[] {
  const how = hasFilters(model.query)
    ? 'Nobody matches the search and filters. Empty the search and tag boxes and choose *Any* in each filter to see everyone.'
    : `Nobody is connected or invited yet. Invite people with \`${SLASH_COMMAND} invite\`.`;
  return [section(mrkdwn(how))];
}

function selectionBlock(model: MemberListModel): KnownBlock[] {
  const elements: ActionsBlock['elements'] = [];
  if (model.rows.some((row) => row.can.select && !row.selected)) {
    elements.push(button({ text: 'Select this page', actionId: ACTION.usersSelectPage, value: String(model.query.page) }));
  }
  if (model.selectedCount > 0) {
    elements.push(
      button({
        text: `Review selection (${count(model.selectedCount)})`,
        actionId: ACTION.usersReviewSelection,
        value: String(model.organization.id),
        style: 'primary',
      }),
      button({ text: 'Clear selection', actionId: ACTION.usersClearSelection, value: String(model.organization.id) }),
    );
  }
  return elements.length > 0 ? [actions(USERS_LIST_BLOCK.selection, elements)] : [];
}

function pagingBlock(model: MemberListModel): KnownBlock[] {
  const elements: ActionsBlock['elements'] = [];
  const page = model.query.page;
  if (page > 0) elements.push(button({ text: 'Previous', actionId: ACTION.usersPreviousPage, value: String(page - 1) }));
  if ((page + 1) * model.pageSize < model.total) {
    elements.push(button({ text: 'Next', actionId: ACTION.usersNextPage, value: String(page + 1) }));
  }
  return elements.length > 0 ? [actions(USERS_LIST_BLOCK.paging, elements)] : [];
}

/** The list's blocks, the same in the modal and in App Home. */
export function usersListBlocks(model: MemberListModel): KnownBlock[] {
  const rows = model.rows.map(rowBlock);
  return [
    header(`Members of ${organizationLabel(model.organization, LIMIT.header - 11)}`),
    ...pickerBlock(model),
    ...filterBlocks(model.query),
    section(mrkdwn(summaryText(model))),
    ...(rows.length > 0 ? rows : emptyBlocks(model)),
    ...selectionBlock(model),
    ...pagingBlock(model),
    context(mrkdwn('Use the ⋯ menu on a row to select, edit, disconnect or restore someone, or to resend or revoke an invitation.')),
  ];
}

/**
 * `/access users`: the list as a modal. Every control acts at once; Slack wants a submit button on
 * a modal with text boxes, so "Search" applies the search and tag boxes, as Enter in them does.
 */
export function usersListModal(model: MemberListModel): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.usersList,
    title: plain('Members', 24),
    submit: plain('Search', 24),
    close: plain('Close', 24),
    private_metadata: encodeMetadata(memberListMetadata, listMetadataOf(model.query)),
    blocks: usersListBlocks(model),
  };
}

/** The actions block of App Home's section buttons. */
export const HOME_SECTIONS_BLOCK = 'home_sections';

/** App Home's two sections, for people who manage an organization: their own access, or its members. */
export function homeSectionsBlock(current: 'access' | 'members', organizationId: number): ActionsBlock {
  return actions(HOME_SECTIONS_BLOCK, [
    button({
      text: 'Your access',
      actionId: ACTION.homeShowAccess,
      value: 'access',
      ...(current === 'access' ? { style: 'primary' as const } : {}),
    }),
    button({
      text: 'Manage members',
      actionId: ACTION.homeShowMembers,
      value: String(organizationId),
      ...(current === 'members' ? { style: 'primary' as const } : {}),
    }),
  ]);
}

/** App Home's members section: the section buttons above the same list the modal shows. */
export function usersListHome(model: MemberListModel): HomeView {
  return {
    type: 'home',
    private_metadata: encodeMetadata(memberListMetadata, listMetadataOf(model.query)),
    blocks: [homeSectionsBlock('members', model.organization.id), ...usersListBlocks(model)],
  };
}
