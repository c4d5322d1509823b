/**
 * The selection's two forms: review it (take people out, choose the action and what it needs),
 * then confirm it with one note for the whole batch.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { BULK_ACTIONS, type BulkAction, type BulkActionKind, type MemberRow } from '../../domain/member-management.js';
import type { AdminRoles } from '../../domain/policy.js';
import type { OrganizationSummary, PermissionInfo } from '../../domain/read-models.js';
import { calendarDateLabel, context, LIMIT, mention, mrkdwn, oneLine, permissionOption, plain, section } from './format.js';
import { ACTION, BULK_CONFIRM_BLOCK, BULK_REVIEW_BLOCK, CALLBACK, INPUT_ACTION } from './ids.js';
import { modal, noteInput, organizationName, plural } from './invite-form-parts.js';
import { rowKeyValue } from './member-values.js';
import { bulkFormMetadata, encodeMetadata, type BulkFormMetadata } from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Lines are gathered into sections this long, clear of Slack's 3,000 characters. */
const SECTION_BUDGET = 2800;
/** A reason a person is left out, as the confirm form shows it. */
const REASON_SHOWN = 160;
/** How long one tag may be in a bulk action: what the form's metadata carries. */
export const BULK_TAG_LIMIT = 50;

export const BULK_ACTION_LABEL: Record<BulkActionKind, string> = {
  add_tag: 'Add a tag',
  remove_tag: 'Remove a tag',
  set_end_date: 'Set an end date',
  clear_end_date: 'Remove the end date',
  add_permission: 'Add a permission',
  remove_permission: 'Remove a permission',
  resend: 'Resend invitations',
  disconnect: 'Disconnect',
};

/** The actions someone with these roles may choose; the policy still decides each person on the server. */
export function bulkActionsFor(roles: AdminRoles): BulkActionKind[] {
  // Training admins act on the e-Learning-only people; the permission choices are what they may grant.
  return roles.administrator || roles.trainingAdmin ? [...BULK_ACTIONS] : [];
}

function personLine(row: MemberRow): string {
  const who = row.person ? mention(row.person) : `*${escapeMrkdwn(truncate(oneLine(row.email ?? 'Unknown address'), 80))}*`;
  const email = row.person && row.email ? `  ${escapeMrkdwn(truncate(oneLine(row.email), 80))}` : '';
  const pending = row.mark === 'PENDING_INVITATION' ? '  _(invitation)_' : '';
  return `• ${who}${email}${pending}`;
}

/** Lines packed into as few sections as fit, each under the budget. */
function packedSections(lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const shown = truncate(line, SECTION_BUDGET);
    if (current && current.length + 1 + shown.length > SECTION_BUDGET) {
      blocks.push(section(mrkdwn(current)));
      current = '';
    }
    current = current ? `${current}\n${shown}` : shown;
  }
  if (current) blocks.push(section(mrkdwn(current)));
  return blocks;
}

/** The menu's text for one person: plain text, so names need no escaping. */
function personOption(row: MemberRow): PlainTextOption {
  const name = row.person ? oneLine(row.person.displayName) : null;
  const email = row.email ? oneLine(row.email) : null;
  const text = [name, email].filter(Boolean).join(' · ') || 'Unknown address';
  return { text: plain(text, LIMIT.optionText), value: rowKeyValue(row.key) };
}

export interface BulkReviewModel {
  organization: OrganizationSummary;
  rows: MemberRow[];
  roles: AdminRoles;
  /** The permissions this admin may add or remove. */
  grantable: PermissionInfo[];
}

function actionInput(kinds: readonly BulkActionKind[]): InputBlock {
  const options = kinds.map((kind) => ({ text: plain(BULK_ACTION_LABEL[kind], LIMIT.optionText), value: kind }));
  return {
    type: 'input',
    block_id: BULK_REVIEW_BLOCK.action,
    label: plain('What to do'),
    element: { type: 'static_select', action_id: INPUT_ACTION, placeholder: plain('Choose an action', LIMIT.placeholder), options },
  };
}

function detailInputs(grantable: readonly PermissionInfo[]): KnownBlock[] {
  const tag: InputBlock = {
    type: 'input',
    block_id: BULK_REVIEW_BLOCK.tag,
    optional: true,
    label: plain('Tag'),
    hint: plain('For adding or removing a tag.'),
    element: { type: 'plain_text_input', action_id: INPUT_ACTION, max_length: BULK_TAG_LIMIT },
  };
  const endsOn: InputBlock = {
    type: 'input',
    block_id: BULK_REVIEW_BLOCK.endsOn,
    optional: true,
    label: plain('End date'),
    hint: plain('For setting an end date: access lasts through the end of this day in the organization’s time zone.'),
    element: { type: 'datepicker', action_id: INPUT_ACTION, placeholder: plain('Choose a day', LIMIT.placeholder) },
  };
  const blocks: KnownBlock[] = [tag, endsOn];
  if (grantable.length > 0) {
    blocks.push({
      type: 'input',
      block_id: BULK_REVIEW_BLOCK.permission,
      optional: true,
      label: plain('Permission'),
      hint: plain('For adding or removing a permission.'),
      element: {
        type: 'static_select',
        action_id: INPUT_ACTION,
        placeholder: plain('Choose a permission', LIMIT.placeholder),
        options: grantable.slice(0, LIMIT.staticSelectOptions).map((permission) => permissionOption(permission)),
      },
    });
  }
  return blocks;
}

/** Review the selection: who is in it, take people out, and choose what to do to them. */
export function bulkReviewModal(model: BulkReviewModel, metadata: BulkFormMetadata): ModalView {
  const kinds = bulkActionsFor(model.roles);
  const people = model.rows.length;
  const blocks: KnownBlock[] = [
    section(mrkdwn(`*${plural(people, 'person', 'people')} selected in ${organizationName(model.organization)}*`)),
    ...packedSections(model.rows.map(personLine)),
  ];
  if (people > 0) {
    blocks.push({
      type: 'actions',
      // Slack keeps a menu's choices across a redraw while its block id stays the same; a new id per
      // selection size shows the menu empty once the chosen people are out.
      block_id: `${BULK_REVIEW_BLOCK.unselect}:${people}`,
      elements: [
        {
          type: 'multi_static_select',
          action_id: ACTION.bulkUnselect,
          placeholder: plain('Take people out of the selection', LIMIT.placeholder),
          options: model.rows.slice(0, LIMIT.staticSelectOptions).map(personOption),
        },
      ],
    });
  }
  const canAct = people > 0 && kinds.length > 0;
  if (canAct) blocks.push(actionInput(kinds), ...detailInputs(model.grantable));
  else
    blocks.push(
      section(mrkdwn(people === 0 ? 'The selection is empty: select people in the list first.' : 'You cannot act on these people.')),
    );
  blocks.push(context(mrkdwn('Next shows who the action applies to, before anything changes.')));
  return modal({
    callbackId: CALLBACK.bulkReview,
    title: 'Selection',
    ...(canAct ? { submit: 'Next' } : {}),
    close: 'Back',
    privateMetadata: encodeMetadata(bulkFormMetadata, metadata),
    blocks,
  });
}

/** "Add the tag “x”", "Set the end date to December 31, 2026". */
export function bulkActionPhrase(action: BulkAction, permissionName: (key: string) => string): string {
  switch (action.kind) {
    case 'add_tag':
      return `Add the tag “${escapeMrkdwn(oneLine(action.tag))}” to`;
    case 'remove_tag':
      return `Remove the tag “${escapeMrkdwn(oneLine(action.tag))}” from`;
    case 'set_end_date':
      return `Set the end date to ${escapeMrkdwn(calendarDateLabel(action.endsOn))} for`;
    case 'clear_end_date':
      return 'Remove the end date of';
    case 'add_permission':
      return `Add ${escapeMrkdwn(permissionName(action.permission))} to`;
    case 'remove_permission':
      return `Remove ${escapeMrkdwn(permissionName(action.permission))} from`;
    case 'resend':
      return 'Resend the invitations of';
    case 'disconnect':
      return 'Disconnect, taking every permission in this organization away from,';
  }
}

export interface BulkConfirmModel {
  organization: OrganizationSummary;
  action: BulkAction;
  applicable: MemberRow[];
  skipped: Array<{ row: MemberRow; reason: string }>;
  permissionName: (key: string) => string;
}

function submitLabel(action: BulkAction, people: number): string {
  return action.kind === 'disconnect' ? `Disconnect ${people}` : `Apply to ${people}`;
}

/** One confirmation, one note and one notify choice for the whole batch. */
export function bulkConfirmModal(model: BulkConfirmModel, metadata: BulkFormMetadata): ModalView {
  const people = model.applicable.length;
  const skippedLines = model.skipped.map(
    ({ row, reason }) => `${personLine(row)}: ${escapeMrkdwn(truncate(oneLine(reason), REASON_SHOWN))}`,
  );
  const leftOut = model.skipped.length;
  const left = leftOut > 0 ? `; ${leftOut} ${leftOut === 1 ? 'is' : 'are'} left out:` : '.';
  const endDates = model.action.kind === 'set_end_date' || model.action.kind === 'clear_end_date';
  const blocks: KnownBlock[] = [
    section(
      mrkdwn(
        `${model.action.kind === 'disconnect' ? ':warning: ' : ''}*${bulkActionPhrase(model.action, model.permissionName)} ` +
          `${plural(people, 'person', 'people')}* in ${organizationName(model.organization)}${left}`,
      ),
    ),
    ...packedSections(skippedLines),
    noteInput(BULK_CONFIRM_BLOCK.note, null, 'One note for the whole batch; each person gets their own log entry with it.'),
    {
      type: 'input',
      block_id: BULK_CONFIRM_BLOCK.notify,
      optional: true,
      label: plain('Message'),
      element: {
        type: 'checkboxes',
        action_id: INPUT_ACTION,
        options: [
          {
            text: plain('Send each person a message'),
            value: 'notify',
            description: plain(
              endDates ? 'People are always told when their end date changes.' : 'Administrators get one summary either way.',
              LIMIT.optionDescription,
            ),
          },
        ],
      },
    },
  ];
  if (model.action.kind === 'disconnect') {
    blocks.push(context(mrkdwn('Their member records and history stay; they can be invited again.')));
  }
  return modal({
    callbackId: CALLBACK.bulkConfirm,
    title: model.action.kind === 'disconnect' ? 'Confirm disconnect' : 'Confirm',
    submit: submitLabel(model.action, people),
    close: 'Back',
    privateMetadata: encodeMetadata(bulkFormMetadata, metadata),
    blocks,
  });
}
