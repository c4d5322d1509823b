/**
 * What members see of the self-service commands: `/access leave` (pick, confirm, done),
 * `/access contact`, and the Administrators' messages about both. Pure functions of the models;
 * names, organization names and messages are user text, so they go through escapeMrkdwn or into
 * plain_text.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { INVITATION_TEXT_LIMIT } from '../../domain/invitations.js';
import type { OrganizationSummary, PermissionInfo, PersonSummary } from '../../domain/read-models.js';
import {
  CONTACT_LIMIT,
  CONTACT_MESSAGE_LIMIT,
  type AdminContactNotice,
  type HelpContacts,
  type MyOrganization,
  type MemberLeftNotice,
} from '../../domain/self-service.js';
import { SLASH_COMMAND } from '../commands.js';
import {
  context,
  fallbackText,
  LIMIT,
  mention,
  mrkdwn,
  organizationOption,
  permissionBullets,
  plain,
  prettyDateTime,
  section,
} from './format.js';
import { CALLBACK, INPUT_ACTION, SELF_SERVICE_BLOCK } from './ids.js';
import { modal, organizationName, plural, textInput } from './invite-form-parts.js';
import { encodeMetadata, leaveFormMetadata } from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

interface Message {
  text: string;
  blocks: KnownBlock[];
}

/** Administrators a line names before "and N more". */
const NAMED_ADMINISTRATORS = 10;

/** "<@U1>, <@U2> and 3 more", or `none` for nobody. */
export function administratorMentions(administrators: readonly PersonSummary[], none = 'nobody yet'): string {
  if (administrators.length === 0) return none;
  const named = administrators.slice(0, NAMED_ADMINISTRATORS).map(mention).join(', ');
  const more = administrators.length - NAMED_ADMINISTRATORS;
  return more > 0 ? `${named} and ${more} more` : named;
}

function organizationSelect(blockId: string, label: string, organizations: readonly MyOrganization[]): InputBlock {
  const options = organizations.slice(0, LIMIT.staticSelectOptions).map(({ organization }) => organizationOption(organization));
  const only = options.length === 1 ? options[0] : undefined;
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: {
      type: 'static_select',
      action_id: INPUT_ACTION,
      placeholder: plain('Choose an organization', LIMIT.placeholder),
      options,
      ...(only ? { initial_option: only } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// `/access leave`
// ---------------------------------------------------------------------------------------------

export const NOTHING_TO_LEAVE =
  "You're not connected to any organization, so there is nothing to leave. " + `\`${SLASH_COMMAND} request\` asks to join one.`;

export function leaveFormView(organizations: readonly MyOrganization[]): ModalView {
  return modal({
    callbackId: CALLBACK.selfLeave,
    title: 'Leave an organization',
    submit: 'Next',
    close: 'Cancel',
    blocks: [
      section(mrkdwn('Choose the organization to leave. You will see what you lose, and confirm, before anything changes.')),
      organizationSelect(SELF_SERVICE_BLOCK.leaveOrganization, 'Organization', organizations),
      context(
        mrkdwn(
          'Leaving removes every permission you hold there; your history stays in its permissions log. ' +
            `To come back, ask again with \`${SLASH_COMMAND} request\`.`,
        ),
      ),
    ],
  });
}

export interface LeavePreview {
  organization: OrganizationSummary;
  permissions: PermissionInfo[];
  /** Its Administrators other than the person leaving, who are told. */
  administrators: PersonSummary[];
}

export function leaveConfirmView(preview: LeavePreview): ModalView {
  const where = organizationName(preview.organization);
  const losing =
    preview.permissions.length > 0 ? `You lose:\n${permissionBullets(preview.permissions)}` : 'You hold no permissions there now.';
  const told =
    preview.administrators.length > 0
      ? `Its Administrators are told: ${administratorMentions(preview.administrators)}.`
      : 'It has no other Administrator to tell.';
  return modal({
    callbackId: CALLBACK.selfLeaveConfirm,
    title: 'Leave organization',
    submit: 'Leave',
    close: 'Cancel',
    privateMetadata: encodeMetadata(leaveFormMetadata, { organizationId: preview.organization.id }),
    blocks: [
      section(mrkdwn(`:warning: *Leave ${where}?*`)),
      section(mrkdwn(losing)),
      section(mrkdwn(told)),
      textInput({
        blockId: SELF_SERVICE_BLOCK.leaveNote,
        label: 'Why are you leaving? (optional)',
        maxLength: INVITATION_TEXT_LIMIT.note,
        multiline: true,
        hint: 'Kept in the permissions log and shown to the Administrators.',
      }),
    ],
  });
}

export function leftView(organization: OrganizationSummary, administratorsTold: number): ModalView {
  const told = administratorsTold > 0 ? ` Its ${plural(administratorsTold, 'Administrator was', 'Administrators were')} told.` : '';
  return modal({
    title: 'Left',
    close: 'Done',
    blocks: [
      section(
        mrkdwn(
          `:white_check_mark: You left *${organizationName(organization)}*. Your permissions there are removed.${told} ` +
            `To come back, ask again with \`${SLASH_COMMAND} request\`.`,
        ),
      ),
    ],
  });
}

export function memberLeftMessage(notice: MemberLeftNotice): Message {
  const where = organizationName(notice.organization);
  const held = notice.permissions.length > 0 ? `They held:\n${permissionBullets(notice.permissions)}` : 'They held no permissions there.';
  const blocks: KnownBlock[] = [
    section(mrkdwn(`${mention(notice.member)} left *${where}* themselves, ${prettyDateTime(notice.at)}.`)),
    section(mrkdwn(held)),
    ...(notice.note ? [section(mrkdwn(`*Their reason:* ${escapeMrkdwn(truncate(notice.note, INVITATION_TEXT_LIMIT.note))}`))] : []),
    context(
      mrkdwn(`Their record and history stay. \`${SLASH_COMMAND} users\` lists them as disconnected; invite them to bring them back.`),
    ),
  ];
  return { text: fallbackText(`${mention(notice.member)} left ${where}.`), blocks };
}

// ---------------------------------------------------------------------------------------------
// `/access contact`
// ---------------------------------------------------------------------------------------------

/** Who to ask about organizations nobody else administers. */
function helpLine(organizations: readonly MyOrganization[], help: HelpContacts): string {
  const named = (list: readonly MyOrganization[]) => list.map(({ organization }) => `*${organizationName(organization)}*`).join(', ');
  // Someone who is the only Administrator has nobody to write to there, but the organization is administered.
  const ownOnly = organizations.filter((organization) => organization.isAdministrator);
  const orphans = organizations.filter((organization) => !organization.isAdministrator);
  const who =
    help.operators.length > 0
      ? `Gatehouse's operators (${administratorMentions(help.operators)}) can add one`
      : "ask your Slack workspace's admins who looks after Gatehouse";
  return [
    ...(orphans.length > 0 ? [`No Administrator yet for ${named(orphans)}: ${who}.`] : []),
    ...(ownOnly.length > 0 ? [`You are the only Administrator of ${named(ownOnly)}, so there is nobody else to write to there.`] : []),
  ].join(' ');
}

export function noAdministratorToContact(organizations: readonly MyOrganization[], help: HelpContacts): string {
  if (organizations.length === 0) {
    return (
      "You're not connected to any organization, so there are no Administrators to write to. " +
      `\`${SLASH_COMMAND} request\` asks to join one.`
    );
  }
  return helpLine(organizations, help);
}

export function contactFormView(
  reachable: readonly MyOrganization[],
  unreachable: readonly MyOrganization[],
  help: HelpContacts,
): ModalView {
  return modal({
    callbackId: CALLBACK.selfContact,
    title: 'Contact your admins',
    submit: 'Send',
    close: 'Cancel',
    blocks: [
      section(mrkdwn("Write to an organization's Administrators: every one of them gets your message as a direct message.")),
      organizationSelect(SELF_SERVICE_BLOCK.contactOrganization, 'Organization', reachable),
      textInput({
        blockId: SELF_SERVICE_BLOCK.contactMessage,
        label: 'Message',
        maxLength: CONTACT_MESSAGE_LIMIT,
        multiline: true,
        optional: false,
        hint: `They see your name with it and reply to you in Slack. Up to ${CONTACT_LIMIT.messages} messages a day to each organization.`,
      }),
      ...(unreachable.length > 0 ? [context(mrkdwn(helpLine(unreachable.slice(0, 20), help)))] : []),
    ],
  });
}

export function adminContactMessage(notice: AdminContactNotice): Message {
  const where = organizationName(notice.organization);
  return {
    text: fallbackText(`${mention(notice.from)} wrote to the Administrators of ${where}.`),
    blocks: [
      section(mrkdwn(`:envelope: ${mention(notice.from)} wrote to the Administrators of *${where}*, ${prettyDateTime(notice.at)}:`)),
      // Shown as typed: plain text, so nothing in it is taken as markup or a mention.
      section(plain(notice.message, CONTACT_MESSAGE_LIMIT)),
      context(
        mrkdwn(
          `Every Administrator of ${where} got this. To reply, write to ${mention(notice.from)} directly: ` +
            'Gatehouse does not pass replies on.',
        ),
      ),
    ],
  };
}

export function contactSentView(organization: OrganizationSummary, administratorsTold: number): ModalView {
  return modal({
    title: 'Message sent',
    close: 'Done',
    blocks: [
      section(
        mrkdwn(
          `:white_check_mark: Sent to the ${plural(administratorsTold, 'Administrator', 'Administrators')} ` +
            `of *${organizationName(organization)}*. ` +
            'They reply to you in Slack.',
        ),
      ),
    ],
  });
}
