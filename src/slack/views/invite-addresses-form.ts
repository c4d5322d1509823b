/**
 * `/access invite` step 1 (the root view): addresses are pasted in rounds, because Slack caps one
 * text box at 3000 characters (about 120 addresses). A submit with text adds it to the draft and
 * redraws step 1 with `revision + 1`; a submit with an empty box moves on to step 2. Read the box
 * from block `addressesBlockId(metadata.revision)`, action `INPUT_ACTION`.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { MAX_ADDRESSES_PER_INVITATION } from '../../domain/email-addresses.js';
import type { InviteDraftModel, OrganizationSummary } from '../../domain/read-models.js';
import { actions, button, context, DIVIDER, LIMIT, mrkdwn, organizationOption, plain, section } from './format.js';
import { ACTION, CALLBACK, INPUT_ACTION, INVITE_ADDRESSES_BLOCK } from './ids.js';
import { encodeMetadata, inviteMetadata, type InviteMetadata } from './metadata.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { modal, plural, shownEntry, organizationName, sampleList, peopleCount } from './invite-form-parts.js';

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

/** The listener reads the pasted addresses from this block: its id changes with each revision, so every redraw shows an empty box. */
export function addressesBlockId(revision: number): string {
  return `${INVITE_ADDRESSES_BLOCK.addresses}_${revision}`;
}

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
      `Paste addresses separated by new lines, commas, semicolons or spaces. Up to ${MAX_ADDRESSES_PER_INVITATION} in all; paste ` +
        `more, or leave this empty and press Next. ` +
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
        `:warning: *Not addresses: ${invalid.length}*  These must be removed before you can go on. Remove them here, then paste ` +
          `them again corrected if they were meant to be addresses.`,
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
      button({
        text: invalid.length === 1 ? 'Remove invalid address' : `Remove invalid addresses (${invalid.length})`,
        actionId: ACTION.inviteRemoveAllInvalid,
        value: 'all',
        style: 'danger',
      }),
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
