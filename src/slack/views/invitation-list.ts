/** `/access invitations`: the pending invitations an admin manages, each with its ⋯ menu. */
import type { KnownBlock, Overflow, PlainTextOption } from '@slack/types';
import type { AcceptedInvitation, InvitationSummary } from '../../domain/read-models.js';
import { SLASH_COMMAND } from '../commands.js';
import {
  blockTextLength,
  calendarDateLabel,
  context,
  fallbackText,
  header,
  LIMIT,
  mention,
  mrkdwn,
  oneLine,
  onDateTime,
  organizationLabel,
  permissionNames,
  plain,
  section,
  slackDate,
  utcDateTime,
} from './format.js';
import { ACTION } from './ids.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { plural, shownEntry, organizationName } from './invite-form-parts.js';
import { manageValue, type ManageVerb } from './invitation-values.js';

const MESSAGE_BLOCKS = 50;
/** Slack rejects a message whose block texts add up to more than about 13.2k characters; stay clear of it. */
const MESSAGE_TEXT_BUDGET = 12_000;

/** In the invitations list, fields are cut harder so 25 invitations fit in one message. */
const LISTED = { email: 80, organization: 60, permissions: 160 } as const;

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
    mrkdwn(`*${email}*  ·  ${where}\n${grants}  ·  ${ends}\nExpires ${expires}${resent}  ·  invited by ${mention(invitation.invitedBy)}`),
    { accessory: manageMenu(invitation.invitationId) },
  );
}

/** Invitations accepted lately, one line each, so admins see where a pending one went. */
function recentlyAcceptedBlock(accepted: readonly AcceptedInvitation[]): KnownBlock[] {
  if (accepted.length === 0) return [];
  const lines = accepted.map(
    (invitation) =>
      `• *${shownEntry(invitation.email)}* (${organizationName(invitation.organization)}): accepted by ` +
      `${mention(invitation.acceptedBy)} ${onDateTime(invitation.acceptedAt)}`,
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
      blocks: [section(mrkdwn('No pending invitations.')), ...accepted, context(mrkdwn(`Invite people with \`${SLASH_COMMAND} invite\`.`))],
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
