/**
 * The `/access invite` modal and the forms that manage pending invitations.
 *
 * Inviting takes three steps, each a modal view drawn from a fresh read model:
 *  1. `inviteAddressesView` (root view): addresses are pasted in rounds, because Slack caps one
 *     text box at 3000 characters (about 120 addresses). A submit with text adds it to the draft
 *     and redraws step 1 with `revision + 1`; a submit with an empty box moves on to step 2. Read
 *     the box from block `addressesBlockId(metadata.revision)`, action `INPUT_ACTION`.
 *  2. `inviteGrantView` (pushed): permissions, end date and, for authorized callers, caller
 *     settings. Ticking a permission dispatches `PERMISSION_TOGGLE_ACTION`, so the listener can
 *     redraw with `showCallerFields` once both support permissions are ticked.
 *  3. `inviteSendingView` (pushed): tags, personal message, language, log note, a preview and Send.
 * Then `inviteSentView` says what happened.
 *
 * Everything here is pure. Addresses, entries and organization names are user input, so they go
 * into plain_text objects or through escapeMrkdwn.
 */
import type { InputBlock, KnownBlock, ModalView, Overflow, PlainTextOption } from '@slack/types';
import {
  INVITATION_TEXT_LIMIT,
  isAuthorizedCallerInvitation,
  PREMIUM_CALLER_LEVELS,
} from '../../domain/invitations.js';
import { INVITATION_LIFETIME_WEEKS } from '../../domain/invitation-tokens.js';
import { MAX_ADDRESSES_PER_INVITATION } from '../../domain/email-addresses.js';
import { tagsTextLimit } from '../../domain/text-limits.js';
import {
  INVITATION_LANGUAGES,
  type AcceptedInvitation,
  type CallerSettings,
  type InvitationLanguage,
  type InvitationMessageModel,
  type InvitationSummary,
  type InviteDraftModel,
  type InviteStepModel,
  type OrganizationSummary,
  type PermissionInfo,
} from '../../domain/read-models.js';
import type { SentInvitations } from '../../services/invitations/send-invitations.js';
import { SLASH_COMMAND } from '../commands.js';
import {
  actions,
  blockTextLength,
  button,
  calendarDateLabel,
  context,
  DIVIDER,
  fallbackText,
  header,
  LIMIT,
  mention,
  mrkdwn,
  oneLine,
  onDateTime,
  organizationLabel,
  organizationOption,
  permissionGroup,
  permissionNames,
  plain,
  section,
  slackDate,
  splitPermissions,
  utcDateTime,
} from './format.js';
import {
  ACTION,
  CALLBACK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_RESEND_BLOCK,
  INVITATION_REVOKE_BLOCK,
  INVITE_ADDRESSES_BLOCK,
  INVITE_GRANT_BLOCK,
  INVITE_SENDING_BLOCK,
} from './ids.js';
import { invitationDirectMessage } from './invitation-messages.js';
import {
  encodeMetadata,
  invitationFormMetadata,
  inviteMetadata,
  type InvitationFormMetadata,
  type InviteMetadata,
} from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Modal title, submit and close labels (shared/notes/slack-platform.md §2). */
const MODAL_LABEL = 24;
const MODAL_BLOCKS = 100;
const MESSAGE_BLOCKS = 50;
/** Slack rejects a message whose block texts add up to more than about 13.2k characters; stay clear of it. */
const MESSAGE_TEXT_BUDGET = 12_000;
/** Slack caps one plain_text_input at this many characters. */
const TEXT_INPUT_MAX = 3000;

/** Addresses shown per group in step 1; the counts cover the rest. */
const ADDRESSES_SHOWN = 10;
/** Invalid entries listed one by one, each with its own Remove button. */
const INVALID_SHOWN = 15;
/**
 * Longest entry that gets its own Remove button. The button's value must be the entry exactly
 * (the listener removes the entry equal to it), and values are kept to the 75 characters of
 * Slack's strictest value limit.
 */
const REMOVABLE_ENTRY = 75;
/** Longest address or entry shown whole; longer ones are cut for display only. */
const ENTRY_SHOWN = 120;
/** How much of an organization name a one-line mention of it shows. */
const ORGANIZATION_SHOWN = 120;
/** In the invitations list, fields are cut harder so 25 invitations fit in one message. */
const LISTED = { email: 80, organization: 60, permissions: 160 } as const;

const LANGUAGE_NAMES: Record<InvitationLanguage, string> = { en: 'English', es: 'Español', fr: 'Français' };
const SUPPORT_LEVEL_NAMES: Record<CallerSettings['supportLevel'], string> = { STANDARD: 'Standard support', PREMIUM: 'Premium support' };
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The listener reads the pasted addresses from this block: its id changes with each revision, so every redraw shows an empty box. */
export function addressesBlockId(revision: number): string {
  return `${INVITE_ADDRESSES_BLOCK.addresses}_${revision}`;
}

/** Blocks whose permission checkboxes dispatch a block action (action id INPUT_ACTION) when ticked. */
export const PERMISSION_TOGGLE_BLOCK_IDS: readonly string[] = [
  INVITE_GRANT_BLOCK.adminPermissions,
  INVITE_GRANT_BLOCK.accessPermissions,
  INVITATION_EDIT_BLOCK.adminPermissions,
  INVITATION_EDIT_BLOCK.accessPermissions,
];

/**
 * Constraints for `app.action(PERMISSION_TOGGLE_ACTION, …)`: every input shares INPUT_ACTION, so the
 * block id is what singles out the permission groups of step 2 and the Edit form. The view's
 * callback_id tells which of the two was ticked.
 */
export const PERMISSION_TOGGLE_ACTION = {
  action_id: INPUT_ACTION,
  block_id: new RegExp(`^(${PERMISSION_TOGGLE_BLOCK_IDS.join('|')})$`),
} as const;

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

function modal(options: {
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

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** An address or entry inside mrkdwn: one line, cut for display, inert. */
function shownEntry(entry: string): string {
  return escapeMrkdwn(truncate(oneLine(entry), ENTRY_SHOWN));
}

function organizationName(organization: OrganizationSummary): string {
  return escapeMrkdwn(organizationLabel(organization, ORGANIZATION_SHOWN));
}

/**
 * A bulleted list of the first `shown` items, then "…and N more". Lines stop early rather than
 * let the text pass `budget`, and the count of the rest says so.
 */
function sampleList(items: readonly string[], shown: number, budget: number): string {
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

function textInput(options: {
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

function noteInput(blockId: string, initial: string | null, hint: string): InputBlock {
  return textInput({ blockId, label: 'Note for the permissions log', maxLength: INVITATION_TEXT_LIMIT.note, multiline: true, initial, hint });
}

function tagsInput(blockId: string, tags: readonly string[]): InputBlock {
  return textInput({
    blockId,
    label: 'Tags',
    // Room for the most tags, each as long as allowed, with ", " between them.
    maxLength: tagsTextLimit(INVITATION_TEXT_LIMIT),
    initial: tags.join(', '),
    placeholder: 'e.g. planning, contractor',
    hint: `Separate tags with commas (up to ${INVITATION_TEXT_LIMIT.tags}). People get them when they accept.`,
  });
}

function languageInput(blockId: string, language: InvitationLanguage): InputBlock {
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

function personalMessageInput(blockId: string, initial: string | null, hint: string): InputBlock {
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

function startsOnInput(blockId: string, startsOn: string | null): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain('Access starts on'),
    element: {
      type: 'datepicker',
      action_id: INPUT_ACTION,
      placeholder: plain('When they accept', LIMIT.placeholder),
      ...(startsOn && CALENDAR_DATE.test(startsOn) ? { initial_date: startsOn } : {}),
    },
    hint: plain('Optional. Before this day (in the organization’s time zone) they look not connected, even once they accept.'),
  };
}

function endsOnInput(blockId: string, endsOn: string | null): InputBlock {
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
    hint: plain('Optional. Access lasts through the end of this day in the organization’s time zone; leave it empty to keep access open-ended.'),
  };
}

/**
 * The permission groups of step 2 and the Edit form. Both dispatch a block action when ticked, so
 * the listener can redraw the form with caller fields once both support permissions are ticked.
 */
function permissionInputs(
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
    result.push({ ...permissionGroup({ blockId: blocks.adminPermissions, label: 'Admin roles', permissions: adminRoles, initial }), dispatch_action: true });
  }
  if (access.length > 0) {
    result.push({
      ...permissionGroup({ blockId: blocks.accessPermissions, label: 'Access', permissions: access, initial, ...(offersCallers ? { hint } : {}) }),
      dispatch_action: true,
    });
  }
  return result;
}

/** Support level and caller level of an authorized caller, preselected from what was chosen. */
function callerInputs(blocks: { supportLevel: string; callerLevel: string }, caller: CallerSettings | null): KnownBlock[] {
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
        ':telephone_receiver: Both support permissions are ticked, so this is an *authorized-caller invitation*: it goes to one person only, who may then call technical support for the organization.',
      ),
    ),
    {
      type: 'input',
      block_id: blocks.supportLevel,
      label: plain('Support level'),
      element: { type: 'radio_buttons', action_id: INPUT_ACTION, options: supportOptions, ...(initialSupport ? { initial_option: initialSupport } : {}) },
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

function callerDescription(caller: CallerSettings): string {
  const level = caller.supportLevel === 'PREMIUM' && caller.callerLevel ? `, caller level ${oneLine(caller.callerLevel)}` : '';
  return `${SUPPORT_LEVEL_NAMES[caller.supportLevel]}${level}`;
}

function peopleCount(draft: InviteDraftModel): number {
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

// ---------------------------------------------------------------------------------------------
// Step 1: addresses
// ---------------------------------------------------------------------------------------------

/**
 * Step 1's contents. The organization picker shows only when there is a choice to make; with one
 * organization, or once a draft exists, the organization is shown as text and the listener takes
 * it from `metadata.organizationId` (or the draft).
 */
export interface InviteAddressesModel {
  /** Organizations this admin can invite people to. */
  organizations: OrganizationSummary[];
  selectedOrganizationId: number | null;
  draft: InviteDraftModel | null;
  /** A problem with the last paste, e.g. more than 1000 addresses in all. */
  error?: string;
}

function organizationBlock(model: InviteAddressesModel): KnownBlock | null {
  // Once addresses are in a draft their standing depends on the organization, so it is fixed.
  const fixed = model.draft?.organization ?? (model.organizations.length === 1 ? model.organizations[0] : undefined);
  if (fixed) return section(mrkdwn(`*Organization:* ${organizationName(fixed)}`));
  if (model.organizations.length === 0) return null;
  const options = model.organizations.slice(0, LIMIT.staticSelectOptions).map((organization) => organizationOption(organization));
  // Slack rejects an initial_option that is not exactly one of the options.
  const initial = options.find((option) => option.value === String(model.selectedOrganizationId));
  return {
    type: 'input',
    block_id: INVITE_ADDRESSES_BLOCK.organization,
    label: plain('Organization'),
    element: {
      type: 'static_select',
      action_id: INPUT_ACTION,
      placeholder: plain('Choose the organization', LIMIT.placeholder),
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

function hasValidAddresses(draft: InviteDraftModel | null): boolean {
  return draft !== null && peopleCount(draft) > 0;
}

function addressesInput(model: InviteAddressesModel, revision: number): InputBlock {
  const started = model.draft !== null && peopleCount(model.draft) + model.draft.invalid.length > 0;
  return {
    type: 'input',
    block_id: addressesBlockId(revision),
    // With valid addresses in the draft, an empty box is how the admin says "go on to step 2".
    optional: hasValidAddresses(model.draft),
    label: plain(started ? 'Add more email addresses' : 'Email addresses'),
    element: {
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      multiline: true,
      max_length: TEXT_INPUT_MAX,
      placeholder: plain('ana@example.com, ben@example.com', LIMIT.placeholder),
    },
    hint: plain(
      `Paste addresses separated by new lines, commas, semicolons or spaces. Up to ${MAX_ADDRESSES_PER_INVITATION} in all; paste more, or leave this empty and press Next. ` +
        'One box holds about 120 addresses, so a long list goes in several rounds: each one adds to the list.',
    ),
  };
}

function groupSection(title: string, explanation: string, addresses: readonly string[]): KnownBlock[] {
  if (addresses.length === 0) return [];
  const heading = `*${title}: ${addresses.length}*${explanation ? `  ${explanation}` : ''}\n`;
  return [section(mrkdwn(heading + sampleList(addresses, ADDRESSES_SHOWN, LIMIT.sectionText - heading.length - 40)))];
}

function invalidBlocks(invalid: readonly string[]): KnownBlock[] {
  if (invalid.length === 0) return [];
  const blocks: KnownBlock[] = [
    section(
      mrkdwn(
        `:warning: *Not addresses: ${invalid.length}*  These must be removed before you can go on. Remove them here, then paste them again corrected if they were meant to be addresses.`,
      ),
    ),
  ];
  for (const entry of invalid.slice(0, INVALID_SHOWN)) {
    const removable = entry.length > 0 && entry.length <= REMOVABLE_ENTRY;
    blocks.push(
      section(mrkdwn(`• ${shownEntry(entry)}`), {
        ...(removable ? { accessory: button({ text: 'Remove', actionId: ACTION.inviteRemoveInvalid, value: entry }) } : {}),
      }),
    );
  }
  if (invalid.length > INVALID_SHOWN) blocks.push(context(plain(`…and ${invalid.length - INVALID_SHOWN} more`)));
  blocks.push(
    actions(INVITE_ADDRESSES_BLOCK.removeAllInvalid, [
      button({ text: invalid.length === 1 ? 'Remove invalid address' : `Remove invalid addresses (${invalid.length})`, actionId: ACTION.inviteRemoveAllInvalid, value: 'all', style: 'danger' }),
    ]),
  );
  return blocks;
}

function draftBlocks(draft: InviteDraftModel): KnownBlock[] {
  const total = peopleCount(draft) + draft.invalid.length;
  const summary = [
    `${draft.fresh.length} new`,
    plural(draft.connected.length, 'active user', 'active users'),
    plural(draft.pending.length, 'pending user', 'pending users'),
    ...(draft.invalid.length > 0 ? [`${draft.invalid.length} invalid`] : []),
  ].join('  ·  ');
  return [
    DIVIDER,
    section(mrkdwn(`*${plural(total, 'entry', 'entries')} so far* (up to ${MAX_ADDRESSES_PER_INVITATION})\n${summary}`)),
    ...(draft.duplicates > 0 ? [context(plain(`Duplicates folded: ${draft.duplicates}`))] : []),
    ...groupSection('Active users', 'Already connected: re-inviting changes their permissions only when they accept.', draft.connected),
    ...groupSection('Pending users', 'Their unaccepted invitation will be replaced by this one.', draft.pending),
    ...groupSection('New', '', draft.fresh),
    ...invalidBlocks(draft.invalid),
  ];
}

export function inviteAddressesView(model: InviteAddressesModel, metadata: InviteMetadata): ModalView {
  const draft = model.draft;
  const organization = organizationBlock(model);
  const ready = hasValidAddresses(draft) && draft !== null && draft.invalid.length === 0;
  const blocks: KnownBlock[] = [
    section(mrkdwn('Invite people by email address. They get an invitation to accept, and nothing changes until they do.')),
    ...(organization ? [organization] : []),
    ...(model.error ? [section(mrkdwn(`:warning: ${escapeMrkdwn(model.error)}`))] : []),
    addressesInput(model, metadata.revision),
    ...(draft ? draftBlocks(draft) : []),
  ];
  return modal({
    callbackId: CALLBACK.inviteAddresses,
    title: 'Invite people',
    submit: ready ? 'Next' : 'Check addresses',
    close: 'Cancel',
    privateMetadata: encodeMetadata(inviteMetadata, metadata),
    // The listener discards the draft when the admin closes the modal.
    notifyOnClose: true,
    blocks,
  });
}

// ---------------------------------------------------------------------------------------------
// Step 2: permissions
// ---------------------------------------------------------------------------------------------

export function inviteGrantView(model: { step: InviteStepModel; showCallerFields: boolean }, metadata: InviteMetadata): ModalView {
  const { draft, grantable, choices } = model.step;
  const people = peopleCount(draft);
  const blocks: KnownBlock[] = [
    section(mrkdwn(`Inviting ${escapeMrkdwn(inviteesLine(draft))} to *${organizationName(draft.organization)}*.`)),
    ...(draft.connected.length > 0
      ? [context(plain('Active users keep their current permissions until they accept; accepting replaces them with what you tick here.'))]
      : []),
    ...permissionInputs(INVITE_GRANT_BLOCK, grantable, choices.permissions),
    startsOnInput(INVITE_GRANT_BLOCK.startsOn, choices.startsOn),
    endsOnInput(INVITE_GRANT_BLOCK.endsOn, choices.endsOn),
  ];
  if (model.showCallerFields) {
    if (people > 1) {
      blocks.push(
        section(
          mrkdwn(`:warning: This invitation has ${people} addresses. Go back and keep one, or untick one of the support permissions.`),
        ),
      );
    }
    blocks.push(...callerInputs(INVITE_GRANT_BLOCK, choices.caller));
  }
  return modal({
    callbackId: CALLBACK.inviteGrant,
    title: 'Invite: permissions',
    submit: 'Next',
    close: 'Back',
    // Back keeps what was ticked: the listener saves it when this view closes.
    notifyOnClose: true,
    privateMetadata: encodeMetadata(inviteMetadata, metadata),
    blocks,
  });
}

// ---------------------------------------------------------------------------------------------
// Step 3: sending
// ---------------------------------------------------------------------------------------------

function sendingSummary(step: InviteStepModel): KnownBlock {
  const { draft, choices, grantable } = step;
  const granted = grantable.filter((permission) => choices.permissions.includes(permission.key));
  const caller = isAuthorizedCallerInvitation(choices.permissions) ? choices.caller : null;
  const lines = [
    `*Invitation to ${organizationName(draft.organization)}*`,
    `• *To:* ${escapeMrkdwn(inviteesLine(draft))}`,
    `• *Grants:* ${escapeMrkdwn(truncate(permissionNames(granted, 'no permissions'), 600))}`,
    `• *Access ends:* ${choices.endsOn ? escapeMrkdwn(calendarDateLabel(choices.endsOn)) : 'no end date'}`,
    ...(caller ? [`• *Authorized caller:* ${escapeMrkdwn(callerDescription(caller))}`] : []),
  ];
  return section(mrkdwn(lines.join('\n')));
}

/** The invitee's DM as it will look, without a live Accept button: the modal must not accept anything. */
function previewBlocks(preview: InvitationMessageModel, room: number): KnownBlock[] {
  const message = invitationDirectMessage(preview);
  const shown = message.blocks.map((block) => (block.type === 'actions' ? context(plain('(Accept button)')) : block));
  const intro: KnownBlock[] = [DIVIDER, section(mrkdwn(`*This is what ${shownEntry(preview.inviteeEmail)} will receive:*`))];
  return [...intro, ...shown].slice(0, Math.max(0, room));
}

export function inviteSendingView(model: { step: InviteStepModel; preview: InvitationMessageModel | null }, metadata: InviteMetadata): ModalView {
  const { step } = model;
  const { choices } = step;
  const blocks: KnownBlock[] = [
    sendingSummary(step),
    tagsInput(INVITE_SENDING_BLOCK.tags, choices.tags),
    personalMessageInput(INVITE_SENDING_BLOCK.personalMessage, choices.personalMessage, 'Shown in the invitation, as a quote from you.'),
    languageInput(INVITE_SENDING_BLOCK.language, choices.language),
    noteInput(INVITE_SENDING_BLOCK.note, choices.logNote, 'Kept in the permissions log with each invitation; invitees do not see it.'),
    actions(INVITE_SENDING_BLOCK.preview, [button({ text: 'Preview', actionId: ACTION.invitePreview, value: String(step.draft.draftId) })]),
  ];
  if (model.preview) blocks.push(...previewBlocks(model.preview, MODAL_BLOCKS - blocks.length));
  else blocks.push(context(plain('Preview shows the invitation as the first person will get it, in the language chosen above.')));
  return modal({
    callbackId: CALLBACK.inviteSending,
    title: 'Invite: send',
    submit: 'Send',
    close: 'Back',
    privateMetadata: encodeMetadata(inviteMetadata, metadata),
    // Back is a close: the listener saves what was typed here so step 3 shows it again.
    notifyOnClose: true,
    blocks,
  });
}

// ---------------------------------------------------------------------------------------------
// After sending
// ---------------------------------------------------------------------------------------------

export function inviteSentView(result: SentInvitations): ModalView {
  const details = [
    result.reinvited > 0
      ? `${result.reinvited} ${result.reinvited === 1 ? 'was' : 'were'} already connected: their permissions change only if they accept.`
      : null,
    result.replaced > 0 ? `${plural(result.replaced, 'pending invitation was', 'pending invitations were')} replaced; their old codes no longer work.` : null,
  ].filter((line): line is string => line !== null);
  return modal({
    title: 'Invitations sent',
    close: 'Done',
    blocks: [
      section(mrkdwn(`:white_check_mark: *Sent ${plural(result.sent, 'invitation', 'invitations')} to ${organizationName(result.organization)}.*`)),
      ...(details.length > 0 ? [section(mrkdwn(details.join('\n')))] : []),
      context(
        mrkdwn(
          'People in this workspace get a DM with an Accept button; others get an email, or — when email is not set up — you get their codes in a DM to hand over. ' +
            `Each code works once and expires in ${INVITATION_LIFETIME_WEEKS} weeks. See pending invitations with \`${SLASH_COMMAND} invitations\`.`,
        ),
      ),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Managing pending invitations
// ---------------------------------------------------------------------------------------------

export type ManageVerb = 'resend' | 'edit' | 'revoke';

export function manageValue(verb: ManageVerb, invitationId: number): string {
  return `${verb}:${invitationId}`;
}

const MANAGE_VALUE = /^(resend|edit|revoke):([1-9]\d{0,15})$/;

/** The overflow menu's choice, or null for anything Gatehouse did not put there. */
export function parseManageValue(value: string): { verb: ManageVerb; invitationId: number } | null {
  const match = MANAGE_VALUE.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const invitationId = Number(match[2]);
  return Number.isSafeInteger(invitationId) ? { verb: match[1] as ManageVerb, invitationId } : null;
}

function manageMenu(invitationId: number): Overflow {
  const option = (text: string, verb: ManageVerb): PlainTextOption => ({ text: plain(text), value: manageValue(verb, invitationId) });
  return {
    type: 'overflow',
    action_id: ACTION.manageInvitation,
    options: [option('Resend', 'resend'), option('Edit', 'edit'), option('Revoke', 'revoke')],
  };
}

function invitationSection(invitation: InvitationSummary): KnownBlock {
  const email = escapeMrkdwn(truncate(oneLine(invitation.email), LISTED.email));
  const where = escapeMrkdwn(organizationLabel(invitation.organization, LISTED.organization));
  const grants = escapeMrkdwn(truncate(permissionNames(invitation.permissions, 'no permissions'), LISTED.permissions));
  const ends = invitation.endsOn ? `access ends ${escapeMrkdwn(calendarDateLabel(invitation.endsOn))}` : 'no end date';
  const expires = slackDate(invitation.expiresAt, '{date_short} at {time}', utcDateTime(invitation.expiresAt));
  const resent = invitation.resendCount > 0 ? `  ·  resent ${plural(invitation.resendCount, 'time', 'times')}` : '';
  return section(
    mrkdwn(
      `*${email}*  ·  ${where}\n${grants}  ·  ${ends}\nExpires ${expires}${resent}  ·  invited by ${mention(invitation.invitedBy)}`,
    ),
    { accessory: manageMenu(invitation.invitationId) },
  );
}

/** Invitations accepted lately, one line each, so admins see where a pending one went. */
function recentlyAcceptedBlock(accepted: readonly AcceptedInvitation[]): KnownBlock[] {
  if (accepted.length === 0) return [];
  const lines = accepted.map(
    (invitation) =>
      `• *${shownEntry(invitation.email)}* (${organizationName(invitation.organization)}): accepted by ${mention(invitation.acceptedBy)} ${onDateTime(invitation.acceptedAt)}`,
  );
  return [section(mrkdwn(truncate(`*Recently accepted*\n${lines.join('\n')}`, LIMIT.sectionText)))];
}

/** `/access invitations`: pending invitations, newest first, each with Resend, Edit and Revoke. */
export function invitationListMessage(model: {
  invitations: InvitationSummary[];
  total: number;
  recentlyAccepted?: AcceptedInvitation[];
}): { text: string; blocks: KnownBlock[] } {
  const accepted = recentlyAcceptedBlock(model.recentlyAccepted ?? []);
  if (model.invitations.length === 0) {
    return {
      text: fallbackText('No pending invitations.'),
      blocks: [
        section(mrkdwn('No pending invitations.')),
        ...accepted,
        context(mrkdwn(`Invite people with \`${SLASH_COMMAND} invite\`.`)),
      ],
    };
  }
  const blocks: KnownBlock[] = [header('Pending invitations')];
  // Room for the recently accepted and the closing context line below the invitations.
  const invitationBlocks = MESSAGE_BLOCKS - 2 - accepted.length;
  let textLength = blockTextLength(blocks) + blockTextLength(accepted);
  let listed = 0;
  for (const invitation of model.invitations.slice(0, invitationBlocks)) {
    const block = invitationSection(invitation);
    const length = blockTextLength(block);
    if (textLength + length > MESSAGE_TEXT_BUDGET) break;
    blocks.push(block);
    textLength += length;
    listed += 1;
  }
  const total = Math.max(model.total, model.invitations.length);
  const unlisted = total - listed;
  blocks.push(...accepted);
  blocks.push(
    context(
      mrkdwn(
        (unlisted > 0 ? `Showing the newest ${listed} of ${total}; ${unlisted} more ${unlisted === 1 ? 'is' : 'are'} not listed. ` : '') +
          'Use the ⋯ menu to resend, edit or revoke an invitation.',
      ),
    ),
  );
  return { text: fallbackText(plural(total, 'pending invitation', 'pending invitations')), blocks };
}

function invitationHeading(invitation: InvitationSummary): KnownBlock[] {
  return [
    section(mrkdwn(`Invitation to *${shownEntry(invitation.email)}* for *${organizationName(invitation.organization)}*`)),
    context(
      mrkdwn(
        `Invited by ${mention(invitation.invitedBy)} on ${onDateTime(invitation.issuedAt)}  ·  expires ${onDateTime(invitation.expiresAt)}` +
          (invitation.resendCount > 0 ? `  ·  resent ${plural(invitation.resendCount, 'time', 'times')}` : ''),
      ),
    ),
  ];
}

export interface InvitationEditModel {
  invitation: InvitationSummary;
  /** What this admin may grant, in catalog order. */
  grantable: PermissionInfo[];
  showCallerFields: boolean;
}

export function invitationEditView(model: InvitationEditModel, metadata: InvitationFormMetadata): ModalView {
  const { invitation, grantable } = model;
  const grantableKeys = new Set(grantable.map((permission) => permission.key));
  const beyondRole = invitation.permissions.filter((permission) => !grantableKeys.has(permission.key));
  const blocks: KnownBlock[] = [
    ...invitationHeading(invitation),
    context(plain('Nothing is sent again: the person gets the invitation as it stands when they accept. Resend it if they should see the change.')),
    ...(beyondRole.length > 0
      ? [section(mrkdwn(`:warning: It also grants ${escapeMrkdwn(permissionNames(beyondRole))}, which your role does not cover; saving removes ${beyondRole.length === 1 ? 'it' : 'them'}.`))]
      : []),
    ...permissionInputs(INVITATION_EDIT_BLOCK, grantable, invitation.permissions.map((permission) => permission.key)),
    startsOnInput(INVITATION_EDIT_BLOCK.startsOn, invitation.startsOn),
    endsOnInput(INVITATION_EDIT_BLOCK.endsOn, invitation.endsOn),
    ...(model.showCallerFields ? callerInputs(INVITATION_EDIT_BLOCK, invitation.caller) : []),
    tagsInput(INVITATION_EDIT_BLOCK.tags, invitation.tags),
    noteInput(INVITATION_EDIT_BLOCK.note, null, 'Kept in the permissions log; the invitee does not see it.'),
  ];
  return modal({
    callbackId: CALLBACK.invitationEdit,
    title: 'Edit invitation',
    submit: 'Save',
    close: 'Cancel',
    privateMetadata: encodeMetadata(invitationFormMetadata, metadata),
    blocks,
  });
}

export function invitationResendView(invitation: InvitationSummary, metadata: InvitationFormMetadata): ModalView {
  return modal({
    callbackId: CALLBACK.invitationResend,
    title: 'Resend invitation',
    submit: 'Resend',
    close: 'Cancel',
    privateMetadata: encodeMetadata(invitationFormMetadata, metadata),
    blocks: [
      ...invitationHeading(invitation),
      section(
        mrkdwn(
          `A new code is issued and the old one stops working at once. The invitation is valid for ${INVITATION_LIFETIME_WEEKS} weeks from now.`,
        ),
      ),
      languageInput(INVITATION_RESEND_BLOCK.language, invitation.language),
      personalMessageInput(INVITATION_RESEND_BLOCK.personalMessage, null, 'Replaces the earlier message; leave it empty to send none.'),
      noteInput(INVITATION_RESEND_BLOCK.note, null, 'Kept in the permissions log; the invitee does not see it.'),
    ],
  });
}

export function invitationRevokeView(invitation: InvitationSummary, metadata: InvitationFormMetadata): ModalView {
  return modal({
    callbackId: CALLBACK.invitationRevoke,
    title: 'Revoke invitation',
    submit: 'Revoke',
    close: 'Cancel',
    privateMetadata: encodeMetadata(invitationFormMetadata, metadata),
    blocks: [
      ...invitationHeading(invitation),
      section(
        mrkdwn(
          `Revoke this invitation? Its code stops working at once and ${shownEntry(invitation.email)} can no longer accept it. Gatehouse does not tell them.`,
        ),
      ),
      noteInput(INVITATION_REVOKE_BLOCK.note, null, 'Kept in the permissions log.'),
    ],
  });
}
