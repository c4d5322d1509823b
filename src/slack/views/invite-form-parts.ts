/**
 * Pieces the `/access invite` steps and the invitation management forms share: the modal frame,
 * inputs, and how addresses and organizations are shown. Everything here is pure. Addresses,
 * entries and organization names are user input, so they go into plain_text objects or through
 * escapeMrkdwn.
 */
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { INVITATION_TEXT_LIMIT, isAuthorizedCallerInvitation, PREMIUM_CALLER_LEVELS } from '../../domain/invitations.js';
import { tagsTextLimit } from '../../domain/text-limits.js';
import {
  INVITATION_LANGUAGES,
  type CallerSettings,
  type InvitationLanguage,
  type InvitationSummary,
  type InviteDraftModel,
  type OrganizationSummary,
  type PermissionInfo,
} from '../../domain/read-models.js';
import {
  context,
  LIMIT,
  mention,
  mrkdwn,
  oneLine,
  onDateTime,
  organizationLabel,
  permissionGroup,
  plain,
  section,
  splitPermissions,
} from './format.js';
import { INPUT_ACTION } from './ids.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Modal title, submit and close labels (shared/notes/slack-platform.md §2). */
export const MODAL_LABEL = 24;
export const MODAL_BLOCKS = 100;

/** Longest address or entry shown whole; longer ones are cut for display only. */
export const ENTRY_SHOWN = 120;
/** How much of an organization name a one-line mention of it shows. */
export const ORGANIZATION_SHOWN = 120;

export const LANGUAGE_NAMES: Record<InvitationLanguage, string> = { en: 'English', es: 'Español', fr: 'Français' };
export const SUPPORT_LEVEL_NAMES: Record<CallerSettings['supportLevel'], string> = {
  STANDARD: 'Standard support',
  PREMIUM: 'Premium support',
};
export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function modal(options: {
  callbackId?: string;
  title: string;
  submit?: string;
  close: string;
  privateMetadata?: string;
  notifyOnClose?: boolean;
  blocks: KnownBlock[];
}): ModalView {
  return {
    type: 'modal',
    ...(options.callbackId ? { callback_id: options.callbackId } : {}),
    title: plain(options.title, MODAL_LABEL),
    ...(options.submit ? { submit: plain(options.submit, MODAL_LABEL) } : {}),
    close: plain(options.close, MODAL_LABEL),
    ...(options.privateMetadata !== undefined ? { private_metadata: options.privateMetadata } : {}),
    ...(options.notifyOnClose ? { notify_on_close: true } : {}),
    // A last resort: each view budgets its own blocks (the preview goes last and takes what is left).
    blocks: options.blocks.slice(0, MODAL_BLOCKS),
  };
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** An address or entry inside mrkdwn: one line, cut for display, inert. */
export function shownEntry(entry: string): string {
  return escapeMrkdwn(truncate(oneLine(entry), ENTRY_SHOWN));
}

export function organizationName(organization: OrganizationSummary): string {
  return escapeMrkdwn(organizationLabel(organization, ORGANIZATION_SHOWN));
}

/**
 * A bulleted list of the first `shown` items, then "…and N more". Lines stop early rather than
 * let the text pass `budget`, and the count of the rest says so.
 */
export function sampleList(items: readonly string[], shown: number, budget: number): string {
  const lines: string[] = [];
  let length = 0;
  for (const item of items.slice(0, shown)) {
    const line = `• ${shownEntry(item)}`;
    if (length + line.length + 1 > budget) break;
    lines.push(line);
    length += line.length + 1;
  }
  const rest = items.length - lines.length;
  if (rest > 0) lines.push(`…and ${rest} more`);
  return lines.join('\n');
}

export function textInput(options: {
  blockId: string;
  label: string;
  maxLength: number;
  multiline?: boolean;
  initial?: string | null;
  hint?: string;
  placeholder?: string;
  optional?: boolean;
}): InputBlock {
  // Slack rejects an initial value longer than max_length, or an empty one.
  const initial = options.initial ? truncate(options.initial, options.maxLength) : '';
  return {
    type: 'input',
    block_id: options.blockId,
    optional: options.optional ?? true,
    label: plain(options.label),
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      max_length: options.maxLength,
      ...(options.multiline ? { multiline: true } : {}),
      ...(initial ? { initial_value: initial } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder, LIMIT.placeholder) } : {}),
    },
    ...(options.hint ? { hint: plain(options.hint) } : {}),
  };
}

export function noteInput(blockId: string, initial: string | null, hint: string): InputBlock {
  return textInput({
    blockId,
    label: 'Note for the permissions log',
    maxLength: INVITATION_TEXT_LIMIT.note,
    multiline: true,
    initial,
    hint,
  });
}

export function tagsInput(blockId: string, tags: readonly string[], whenApplied = 'People get them when they accept.'): InputBlock {
  return textInput({
    blockId,
    label: 'Tags',
    // Room for the most tags, each as long as allowed, with ", " between them.
    maxLength: tagsTextLimit(INVITATION_TEXT_LIMIT),
    initial: tags.join(', '),
    placeholder: 'e.g. planning, contractor',
    hint: `Separate tags with commas (up to ${INVITATION_TEXT_LIMIT.tags}). ${whenApplied}`,
  });
}

export function languageInput(blockId: string, language: InvitationLanguage): InputBlock {
  const options: PlainTextOption[] = INVITATION_LANGUAGES.map((code) => ({ text: plain(LANGUAGE_NAMES[code]), value: code }));
  const initial = options.find((option) => option.value === language);
  return {
    type: 'input',
    block_id: blockId,
    label: plain('Language of the invitation'),
    element: {
      type: 'static_select',
      action_id: INPUT_ACTION,
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

export function personalMessageInput(blockId: string, initial: string | null, hint: string): InputBlock {
  return textInput({
    blockId,
    label: 'Personal message',
    maxLength: INVITATION_TEXT_LIMIT.personalMessage,
    multiline: true,
    initial,
    placeholder: 'e.g. Welcome to the planning team!',
    hint,
  });
}

/** How the start date reads: for an invitation it is about accepting; for a member, about the access they already have. */
const STARTS_ON_WORDING = {
  invitation: {
    placeholder: 'When they accept',
    hint: 'Optional. Before this day (in the organization’s time zone) they look not connected, even once they accept.',
  },
  member: {
    placeholder: 'No start date',
    hint: 'Optional. Before this day (in the organization’s time zone) they look not connected.',
  },
} as const;

export function startsOnInput(
  blockId: string,
  startsOn: string | null,
  wording: keyof typeof STARTS_ON_WORDING = 'invitation',
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain('Access starts on'),
    element: {
      type: 'datepicker',
      action_id: INPUT_ACTION,
      placeholder: plain(STARTS_ON_WORDING[wording].placeholder, LIMIT.placeholder),
      ...(startsOn && CALENDAR_DATE.test(startsOn) ? { initial_date: startsOn } : {}),
    },
    hint: plain(STARTS_ON_WORDING[wording].hint),
  };
}

export function endsOnInput(blockId: string, endsOn: string | null): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain('Access ends on'),
    element: {
      type: 'datepicker',
      action_id: INPUT_ACTION,
      placeholder: plain('No end date', LIMIT.placeholder),
      ...(endsOn && CALENDAR_DATE.test(endsOn) ? { initial_date: endsOn } : {}),
    },
    hint: plain(
      'Optional. Access lasts through the end of this day in the organization’s time zone; leave it empty to keep access open-ended.',
    ),
  };
}

/**
 * The permission groups of step 2 and the Edit form. Both dispatch a block action when ticked, so
 * the listener can redraw the form with caller fields once both support permissions are ticked.
 */
export function permissionInputs(
  blocks: { adminPermissions: string; accessPermissions: string },
  grantable: readonly PermissionInfo[],
  chosenKeys: readonly string[],
): KnownBlock[] {
  const { adminRoles, access } = splitPermissions(grantable);
  if (adminRoles.length === 0 && access.length === 0) {
    return [section(plain('Your administrator role does not let you grant any permissions in this organization.'))];
  }
  const initial = grantable.filter((permission) => chosenKeys.includes(permission.key));
  const hint = 'Tick both support permissions to invite an authorized caller.';
  const offersCallers = isAuthorizedCallerInvitation(grantable.map((permission) => permission.key));
  const result: KnownBlock[] = [section(mrkdwn('*Permissions*  Tick at least one.'))];
  if (adminRoles.length > 0) {
    result.push({
      ...permissionGroup({ blockId: blocks.adminPermissions, label: 'Admin roles', permissions: adminRoles, initial }),
      dispatch_action: true,
    });
  }
  if (access.length > 0) {
    result.push({
      ...permissionGroup({
        blockId: blocks.accessPermissions,
        label: 'Access',
        permissions: access,
        initial,
        ...(offersCallers ? { hint } : {}),
      }),
      dispatch_action: true,
    });
  }
  return result;
}

/** Support level and caller level of an authorized caller, preselected from what was chosen. */
export function callerInputs(blocks: { supportLevel: string; callerLevel: string }, caller: CallerSettings | null): KnownBlock[] {
  const supportOptions: PlainTextOption[] = (['STANDARD', 'PREMIUM'] as const).map((level) => ({
    text: plain(SUPPORT_LEVEL_NAMES[level]),
    value: level,
  }));
  const levelOptions: PlainTextOption[] = PREMIUM_CALLER_LEVELS.map((level) => ({ text: plain(level), value: level }));
  const initialSupport = supportOptions.find((option) => option.value === caller?.supportLevel);
  const initialLevel = levelOptions.find((option) => option.value === caller?.callerLevel);
  return [
    context(
      mrkdwn(
        ':telephone_receiver: Both support permissions are ticked, so this is an *authorized-caller invitation*: it goes to one ' +
          'person only, who may then call technical support for the organization.',
      ),
    ),
    {
      type: 'input',
      block_id: blocks.supportLevel,
      label: plain('Support level'),
      element: {
        type: 'radio_buttons',
        action_id: INPUT_ACTION,
        options: supportOptions,
        ...(initialSupport ? { initial_option: initialSupport } : {}),
      },
    },
    {
      type: 'input',
      block_id: blocks.callerLevel,
      optional: true,
      label: plain('Caller level'),
      element: {
        type: 'static_select',
        action_id: INPUT_ACTION,
        placeholder: plain('Choose a caller level', LIMIT.placeholder),
        options: levelOptions,
        ...(initialLevel ? { initial_option: initialLevel } : {}),
      },
      hint: plain('Required for Premium support; Standard support has no caller level.'),
    },
  ];
}

export function callerDescription(caller: CallerSettings): string {
  const level = caller.supportLevel === 'PREMIUM' && caller.callerLevel ? `, caller level ${oneLine(caller.callerLevel)}` : '';
  return `${SUPPORT_LEVEL_NAMES[caller.supportLevel]}${level}`;
}

export function peopleCount(draft: InviteDraftModel): number {
  return draft.fresh.length + draft.connected.length + draft.pending.length;
}

/** "12 people: 10 new, 1 active user, 1 pending"; groups with nobody in them are left out. */
export function inviteesLine(draft: InviteDraftModel): string {
  const groups = [
    draft.fresh.length > 0 ? `${draft.fresh.length} new` : null,
    draft.connected.length > 0 ? plural(draft.connected.length, 'active user', 'active users') : null,
    draft.pending.length > 0 ? `${draft.pending.length} pending` : null,
  ].filter((group): group is string => group !== null);
  const people = plural(peopleCount(draft), 'person', 'people');
  return groups.length > 0 ? `${people}: ${groups.join(', ')}` : people;
}

export function invitationHeading(invitation: InvitationSummary): KnownBlock[] {
  return [
    section(mrkdwn(`Invitation to *${shownEntry(invitation.email)}* for *${organizationName(invitation.organization)}*`)),
    context(
      mrkdwn(
        `Invited by ${mention(invitation.invitedBy)} on ${onDateTime(invitation.issuedAt)}` +
          `  ·  expires ${onDateTime(invitation.expiresAt)}` +
          (invitation.resendCount > 0 ? `  ·  resent ${plural(invitation.resendCount, 'time', 'times')}` : ''),
      ),
    ),
  ];
}
