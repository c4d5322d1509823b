/**
 * The Approve and Deny modals an Administrator (or, for Deny, an operator in triage) fills in.
 * Both open with a short summary of the request so the decision is made looking at it.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { ApproveFormModel, CallerSettings, PermissionInfo, RequestCardModel } from '../../domain/read-models.js';
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import { callerInputs } from './invite-form-parts.js';
import {
  context,
  DIVIDER,
  endDate,
  LIMIT,
  mention,
  mrkdwn,
  organizationLabel,
  permissionBullets,
  permissionGroup,
  plain,
  requestedOrganizationLabel,
  section,
  splitPermissions,
} from './format.js';
import { tagsTextLimit, TEXT_LIMIT } from '../../domain/text-limits.js';
import { APPROVE_FORM_BLOCK, CALLBACK, DENY_FORM_BLOCK, INPUT_ACTION } from './ids.js';
import { decisionFormMetadata, encodeMetadata, type DecisionFormMetadata } from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { organizationBlock, purposeBlocks, requestedBlock } from './request-card.js';

const NOTIFY_VALUE = 'notify';
/** The summary's purpose is a reminder; the card above the button holds the whole text. */
const SUMMARY_PURPOSE = 600;

function summaryBlocks(request: RequestCardModel): KnownBlock[] {
  return [
    section(mrkdwn(`${mention(request.requester)} is asking for access  ·  request #${request.requestId}`)),
    organizationBlock(request),
    requestedBlock(request),
    ...purposeBlocks(truncate(request.purpose, SUMMARY_PURPOSE)),
  ];
}

function notifyInput(blockId: string, description: string): InputBlock {
  const option: PlainTextOption = {
    text: plain('Tell the requester'),
    value: NOTIFY_VALUE,
    description: plain(description, LIMIT.optionDescription),
  };
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain('Notification'),
    element: { type: 'checkboxes', action_id: INPUT_ACTION, options: [option], initial_options: [option] },
  };
}

/** Says plainly that approving replaces, not adds to, what the requester holds now. */
function replacementWarning(request: RequestCardModel): KnownBlock[] {
  const connection = request.currentConnection;
  if (!connection) return [];
  const where = escapeMrkdwn(organizationLabel(connection.organization));
  const held = connection.permissions.length > 0 ? permissionBullets(connection.permissions) : '_No permissions_';
  const ends = endDate(connection.endsAt, connection.endsOn);
  return [
    DIVIDER,
    section(
      mrkdwn(
        `:warning: *${mention(request.requester)} is already connected to ${where}* and holds:\n${held}` +
          (ends ? `\nTheir access ends ${ends}.` : ''),
      ),
    ),
    context(
      mrkdwn(
        '*Approving replaces their current permissions with exactly what is checked below.* What they hold now starts ticked; ' +
          'untick anything they should lose. ' +
          (connection.status === 'ACTIVE'
            ? 'Their start date, end date and tags start filled in as they are now, and approving keeps them unless you change them.'
            : 'Their start date and tags start filled in as they are now; their access has ended, so approving restores it until ' +
              'the end date you set, if any.'),
      ),
    ),
  ];
}

/** What the date and tag fields start with: the member's current terms, so a plain Approve keeps them. */
function currentTerms(request: RequestCardModel): { startsOn: string | null; endsOn: string | null; tags: string } {
  const connection = request.currentConnection;
  if (!connection) return { startsOn: null, endsOn: null, tags: '' };
  return {
    startsOn: connection.startsOn,
    // An end date already passed cannot be chosen again; approving an expired member sets a new one.
    endsOn: connection.status === 'ACTIVE' ? connection.endsOn : null,
    tags: connection.tags.join(', '),
  };
}

/** What the approving admin has ticked and chosen so far, when the form is redrawn. */
export interface ApproveChoices {
  permissions: readonly string[];
  caller: CallerSettings | null;
}

/** Approving replaces what they hold, so what they hold starts ticked: a plain Approve only adds. */
function initialGrant(model: ApproveFormModel): string[] {
  const held = model.request.currentConnection?.permissions ?? [];
  return [...held, ...model.request.requested].map((permission) => permission.key);
}

function grantChoices(model: ApproveFormModel, ticked: readonly string[], callerChoice: CallerSettings | null): KnownBlock[] {
  const { adminRoles, access } = splitPermissions(model.catalog);
  const requested = model.request.requested;
  const heldKeys = new Set(model.request.currentConnection?.permissions.map((permission) => permission.key) ?? []);
  const requestedKeys = new Set(requested.map((permission) => permission.key));
  const initial = model.catalog.filter((permission) => ticked.includes(permission.key));
  const describe = (permission: PermissionInfo) =>
    heldKeys.has(permission.key) && !requestedKeys.has(permission.key)
      ? 'They hold this now. Untick it and approving takes it away.'
      : permission.description;
  const heading = heldKeys.size > 0 ? 'Ticked: what they hold now and what they asked for.' : 'Ticked: what they asked for.';
  const blocks: KnownBlock[] = [section(mrkdwn(`*Grant*  ${heading} Change it as you see fit.`))];
  if (adminRoles.length > 0) {
    blocks.push({
      ...permissionGroup({
        blockId: APPROVE_FORM_BLOCK.adminPermissions,
        label: 'Admin roles',
        permissions: adminRoles,
        initial,
        describe,
      }),
      // Ticking redraws the form, to ask for caller settings once both support permissions are ticked.
      dispatch_action: true,
    });
  }
  if (access.length > 0) {
    blocks.push({
      ...permissionGroup({ blockId: APPROVE_FORM_BLOCK.accessPermissions, label: 'Access', permissions: access, initial, describe }),
      dispatch_action: true,
    });
  }
  if (isAuthorizedCallerInvitation(ticked)) blocks.push(...callerInputs(APPROVE_FORM_BLOCK, callerChoice));
  return blocks;
}

function approvalDetails(request: RequestCardModel): InputBlock[] {
  const terms = currentTerms(request);
  return [
    {
      type: 'input',
      block_id: APPROVE_FORM_BLOCK.startsOn,
      optional: true,
      label: plain('Access starts on'),
      element: {
        type: 'datepicker',
        action_id: INPUT_ACTION,
        placeholder: plain('Right away', LIMIT.placeholder),
        ...(terms.startsOn ? { initial_date: terms.startsOn } : {}),
      },
      hint: plain('Optional. Before this day (in the organization’s time zone) the person looks not connected.'),
    },
    {
      type: 'input',
      block_id: APPROVE_FORM_BLOCK.endsOn,
      optional: true,
      label: plain('Access ends on'),
      element: {
        type: 'datepicker',
        action_id: INPUT_ACTION,
        placeholder: plain('No end date', LIMIT.placeholder),
        ...(terms.endsOn ? { initial_date: terms.endsOn } : {}),
      },
      hint: plain(
        'Optional. Access lasts through the end of this day in the organization’s time zone; leave it empty to keep access open-ended.',
      ),
    },
    {
      type: 'input',
      block_id: APPROVE_FORM_BLOCK.tags,
      optional: true,
      label: plain('Tags'),
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        max_length: tagsTextLimit(TEXT_LIMIT),
        placeholder: plain('e.g. planning, contractor', LIMIT.placeholder),
        ...(terms.tags ? { initial_value: terms.tags } : {}),
      },
      hint: plain(`Separate tags with commas (up to ${TEXT_LIMIT.tags}).`),
    },
    {
      type: 'input',
      block_id: APPROVE_FORM_BLOCK.note,
      optional: true,
      label: plain('Note for the permissions log'),
      element: { type: 'plain_text_input', action_id: INPUT_ACTION, multiline: true, max_length: TEXT_LIMIT.note },
      hint: plain('The requester sees it too if you tell them.'),
    },
  ];
}

/** The Approve form; `choices` redraws it with what the admin has ticked and chosen so far. */
export function approveFormView(model: ApproveFormModel, metadata: DecisionFormMetadata, choices?: ApproveChoices): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.approveForm,
    title: plain('Approve request', 24),
    submit: plain('Approve', 24),
    close: plain('Cancel', 24),
    private_metadata: encodeMetadata(decisionFormMetadata, metadata),
    blocks: [
      ...summaryBlocks(model.request),
      ...replacementWarning(model.request),
      DIVIDER,
      ...grantChoices(model, choices?.permissions ?? initialGrant(model), choices?.caller ?? null),
      ...approvalDetails(model.request),
      notifyInput(APPROVE_FORM_BLOCK.notify, 'A direct message with what you granted and your note.'),
    ],
  };
}

export function denyFormView(model: RequestCardModel, metadata: DecisionFormMetadata): ModalView {
  const where = requestedOrganizationLabel(model);
  const unchanged = model.currentConnection
    ? [context(plain(`They are already connected to ${where}. Their current access stays as it is.`))]
    : [];
  return {
    type: 'modal',
    callback_id: CALLBACK.denyForm,
    title: plain('Deny request', 24),
    submit: plain('Deny', 24),
    close: plain('Cancel', 24),
    private_metadata: encodeMetadata(decisionFormMetadata, metadata),
    blocks: [
      ...summaryBlocks(model),
      ...unchanged,
      DIVIDER,
      {
        type: 'input',
        block_id: DENY_FORM_BLOCK.reason,
        label: plain('Reason'),
        element: {
          type: 'plain_text_input',
          action_id: INPUT_ACTION,
          multiline: true,
          max_length: TEXT_LIMIT.reason,
          placeholder: plain('e.g. Licensing is handled by the central GIS team.', LIMIT.placeholder),
        },
        hint: plain('Kept in the permissions log, and sent to the requester if you tell them.'),
      },
      notifyInput(DENY_FORM_BLOCK.notify, 'A direct message with your reason.'),
    ],
  };
}
