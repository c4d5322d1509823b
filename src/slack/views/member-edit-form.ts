/**
 * The Edit form of a member, opened from their row in `/access users`: invitation step 2's fields,
 * tags, a note for the log, whether to tell the member, and a preview of what they would be told.
 * Pure: the listener reads the form back and redraws it from what it read.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import type { MemberMark, MemberRow } from '../../domain/member-management.js';
import { PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import type { AdminRoles } from '../../domain/policy.js';
import type {
  AccessChangeNotice,
  AccessSnapshot,
  CallerSettings,
  OrganizationSummary,
  PermissionInfo,
  PersonSummary,
} from '../../domain/read-models.js';
import { accessChangedMessage } from './access-change-messages.js';
import { actions, button, context, DIVIDER, mention, mrkdwn, permissionNames, personName, plain, section } from './format.js';
import { ACTION, CALLBACK, INPUT_ACTION, MEMBER_EDIT_BLOCK } from './ids.js';
import {
  callerInputs,
  endsOnInput,
  modal,
  noteInput,
  organizationName,
  permissionInputs,
  shownEntry,
  startsOnInput,
  tagsInput,
} from './invite-form-parts.js';
import { encodeMetadata, memberFormMetadata, type MemberFormMetadata } from './metadata.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** What the Edit form shows: the member's row and what this admin may grant (helper A's MemberEditModel). */
export interface MemberEditFormModel {
  organization: OrganizationSummary;
  row: MemberRow;
  grantable: PermissionInfo[];
  roles: AdminRoles;
}

/** The form's current state: what saving would leave the member with. */
export interface MemberEditDraft {
  /** Every permission they would hold, including ones outside the editor's role, which stay. */
  permissions: string[];
  tags: string[];
  startsOn: string | null;
  endsOn: string | null;
  caller: CallerSettings | null;
  note: string | null;
  notifyMember: boolean;
}

/** The block that starts the preview: the form is redrawn with it while it shows. */
export const PREVIEW_SHOWN_BLOCK = 'member_edit_preview_shown';

/** The value of the notify checkbox's only option. */
export const NOTIFY_VALUE = 'notify';

const STATUS_OF_MARK: Record<MemberMark, string> = {
  ACTIVE: 'ACTIVE',
  EXPIRED: 'EXPIRED',
  DISABLED: 'SUSPENDED',
  PENDING_INVITATION: 'PENDING',
};

const MARK_LABEL: Record<MemberMark, string> = {
  ACTIVE: 'Active',
  EXPIRED: 'Expired',
  DISABLED: 'Disabled',
  PENDING_INVITATION: 'Pending invitation',
};

/** The form as it first opens: the member's access as it stands, nobody told. */
export function draftOf(row: MemberRow): MemberEditDraft {
  return {
    permissions: row.permissions.map((permission) => permission.key),
    tags: [...row.tags],
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    caller: row.caller,
    note: null,
    notifyMember: false,
  };
}

/** Held permissions this admin may not grant or take away: they stay whatever the form says. */
export function permissionsBeyondRole(row: MemberRow, grantable: readonly PermissionInfo[]): PermissionInfo[] {
  const grantableKeys = new Set(grantable.map((permission) => permission.key));
  return row.permissions.filter((permission) => !grantableKeys.has(permission.key));
}

function catalogInfo(keys: readonly string[]): PermissionInfo[] {
  return PERMISSION_CATALOG.filter((definition) => keys.includes(definition.key)).map(({ key, name, description, adminScope }) => ({
    key,
    name,
    description,
    adminScope,
  }));
}

/** The member in mrkdwn: a mention, or their escaped address when Gatehouse has no Slack account for them. */
export function memberShown(row: Pick<MemberRow, 'person' | 'email'>): string {
  if (row.person) return mention(row.person);
  return row.email ? shownEntry(row.email) : 'this person';
}

/** The member as plain words, for labels. */
export function memberWords(row: Pick<MemberRow, 'person' | 'email'>): string {
  if (row.person) return personName(row.person);
  return row.email ?? 'this person';
}

/** "@Rita · rita@… · Active · City of Redlands", the heading every row form starts with. */
export function memberHeading(organization: OrganizationSummary, row: MemberRow): KnownBlock[] {
  const email = row.email && row.person ? `  ·  ${shownEntry(row.email)}` : '';
  return [
    section(mrkdwn(`${memberShown(row)}${email} in *${organizationName(organization)}*`)),
    context(
      mrkdwn(
        `${MARK_LABEL[row.mark]}  ·  holds ${escapeMrkdwn(permissionNames(row.permissions))}` +
          (row.tags.length > 0 ? `  ·  tags ${escapeMrkdwn(row.tags.join(', '))}` : ''),
      ),
    ),
  ];
}

function snapshotOf(row: MemberRow): AccessSnapshot {
  return {
    status: STATUS_OF_MARK[row.mark],
    permissions: row.permissions,
    tags: row.tags,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    caller: row.caller,
  };
}

/** The change the form would make, as the notice the member would be sent once it is saved. */
export function editNotice(model: MemberEditFormModel, draft: MemberEditDraft, actor: PersonSummary, at: Date): AccessChangeNotice {
  const before = snapshotOf(model.row);
  const permissions = catalogInfo(draft.permissions);
  return {
    // Nothing is logged yet: the preview is of a change not made.
    logEntryId: 0,
    organization: model.organization,
    subject: model.row.person,
    subjectEmail: model.row.email,
    actor,
    action: 'edited',
    before,
    after: {
      status: before.status,
      permissions,
      tags: draft.tags,
      startsOn: draft.startsOn,
      endsOn: draft.endsOn,
      caller: isAuthorizedCallerInvitation(draft.permissions) ? draft.caller : null,
    },
    note: draft.note,
    at,
  };
}

function notifyInput(row: MemberRow, notify: boolean): InputBlock {
  const option: PlainTextOption = {
    text: plain(`Send ${memberWords(row)} a message about this change`, 75),
    value: NOTIFY_VALUE,
  };
  return {
    type: 'input',
    block_id: MEMBER_EDIT_BLOCK.notify,
    optional: true,
    label: plain('Tell the member'),
    element: { type: 'checkboxes', action_id: INPUT_ACTION, options: [option], ...(notify ? { initial_options: [option] } : {}) },
    hint: plain('The organization’s Administrators are always told. A new end date is always told to the member too.'),
  };
}

/** The member's message as it would be sent, drawn under the Preview button. */
function previewBlocks(notice: AccessChangeNotice, row: MemberRow, notify: boolean): KnownBlock[] {
  const message = accessChangedMessage(notice, 'member');
  const intro = notify
    ? `*What ${escapeMrkdwn(memberWords(row))} would be sent:*`
    : `*What ${escapeMrkdwn(memberWords(row))} would be sent with the box above ticked* (it is not ticked: they are told nothing, ` +
      `unless the end date changes):`;
  return [DIVIDER, section(mrkdwn(intro), { block_id: PREVIEW_SHOWN_BLOCK }), ...message.blocks];
}

/** The caller settings, said of a member rather than of an invitation. */
function memberCallerInputs(caller: CallerSettings | null): KnownBlock[] {
  return [
    context(
      mrkdwn(':telephone_receiver: Both support permissions are ticked, so they are an *authorized caller*: choose their support level.'),
    ),
    ...callerInputs(MEMBER_EDIT_BLOCK, caller).filter((block) => block.type === 'input'),
  ];
}

export interface MemberEditViewOptions {
  metadata: MemberFormMetadata;
  /** Who is editing, as the preview names them. */
  actor: PersonSummary;
  /** Show the member's message as it would be sent. */
  preview: boolean;
  now: Date;
}

export function memberEditView(model: MemberEditFormModel, draft: MemberEditDraft, options: MemberEditViewOptions): ModalView {
  const { row, grantable } = model;
  const beyondRole = permissionsBeyondRole(row, grantable);
  const showCallerFields = isAuthorizedCallerInvitation(draft.permissions);
  const blocks: KnownBlock[] = [
    ...memberHeading(model.organization, row),
    ...(beyondRole.length > 0
      ? [
          section(
            mrkdwn(
              `:warning: They also hold ${escapeMrkdwn(permissionNames(beyondRole))}, which your role does not cover: ` +
                `${beyondRole.length === 1 ? 'it stays' : 'they stay'} as ${beyondRole.length === 1 ? 'it is' : 'they are'}.`,
            ),
          ),
        ]
      : []),
    ...permissionInputs(MEMBER_EDIT_BLOCK, grantable, draft.permissions),
    startsOnInput(MEMBER_EDIT_BLOCK.startsOn, draft.startsOn, 'member'),
    endsOnInput(MEMBER_EDIT_BLOCK.endsOn, draft.endsOn),
    ...(showCallerFields ? memberCallerInputs(draft.caller) : []),
    tagsInput(MEMBER_EDIT_BLOCK.tags, draft.tags, 'Admins filter the members list by them.'),
    noteInput(
      MEMBER_EDIT_BLOCK.note,
      draft.note,
      'Kept in the permissions log and shown to the Administrators; the member does not see it.',
    ),
    notifyInput(row, draft.notifyMember),
    actions(MEMBER_EDIT_BLOCK.preview, [button({ text: 'Preview the message', actionId: ACTION.memberEditPreview, value: 'preview' })]),
    ...(options.preview ? previewBlocks(editNotice(model, draft, options.actor, options.now), row, draft.notifyMember) : []),
  ];
  return modal({
    callbackId: CALLBACK.memberEdit,
    title: 'Edit member',
    submit: 'Save',
    close: 'Cancel',
    privateMetadata: encodeMetadata(memberFormMetadata, options.metadata),
    blocks,
  });
}
