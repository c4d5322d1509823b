/**
 * `/access invite` step 3 (pushed): tags, personal message, language, log note, a preview and
 * Send; then `inviteSentView` says what happened.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import { INVITATION_LIFETIME_WEEKS } from '../../domain/invitation-tokens.js';
import type { InvitationMessageModel, InviteStepModel } from '../../domain/read-models.js';
import type { SentInvitations } from '../../services/invitations/send-invitations.js';
import { SLASH_COMMAND } from '../commands.js';
import { actions, button, calendarDateLabel, context, DIVIDER, mrkdwn, permissionNames, plain, section } from './format.js';
import { ACTION, CALLBACK, INVITE_SENDING_BLOCK } from './ids.js';
import { invitationDirectMessage } from './invitation-messages.js';
import { encodeMetadata, inviteMetadata, type InviteMetadata } from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import {
  MODAL_BLOCKS,
  modal,
  plural,
  shownEntry,
  organizationName,
  noteInput,
  tagsInput,
  languageInput,
  personalMessageInput,
  callerDescription,
  inviteesLine,
} from './invite-form-parts.js';

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

export function inviteSendingView(
  model: { step: InviteStepModel; preview: InvitationMessageModel | null },
  metadata: InviteMetadata,
): ModalView {
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

export function inviteSentView(result: SentInvitations): ModalView {
  const details = [
    result.reinvited > 0
      ? `${result.reinvited} ${result.reinvited === 1 ? 'was' : 'were'} already connected: their permissions change only if they accept.`
      : null,
    result.replaced > 0
      ? `${plural(result.replaced, 'pending invitation was', 'pending invitations were')} replaced; their old codes no longer work.`
      : null,
  ].filter((line): line is string => line !== null);
  return modal({
    title: 'Invitations sent',
    close: 'Done',
    blocks: [
      section(
        mrkdwn(
          `:white_check_mark: *Sent ${plural(result.sent, 'invitation', 'invitations')} to ${organizationName(result.organization)}.*`,
        ),
      ),
      ...(details.length > 0 ? [section(mrkdwn(details.join('\n')))] : []),
      context(
        mrkdwn(
          'People in this workspace get a DM with an Accept button; others get an email, or — when email is not set up — you get ' +
            'their codes in a DM to hand over. ' +
            `Each code works once and expires in ${INVITATION_LIFETIME_WEEKS} weeks. See pending invitations with ` +
            `\`${SLASH_COMMAND} invitations\`.`,
        ),
      ),
    ],
  });
}
