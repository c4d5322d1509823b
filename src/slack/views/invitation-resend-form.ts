/** The Resend form of a pending invitation: a new code, language and message. */
import type { ModalView } from '@slack/types';
import { INVITATION_LIFETIME_WEEKS } from '../../domain/invitation-tokens.js';
import type { InvitationSummary } from '../../domain/read-models.js';
import { mrkdwn, section } from './format.js';
import { CALLBACK, INVITATION_RESEND_BLOCK } from './ids.js';
import { encodeMetadata, invitationFormMetadata, type InvitationFormMetadata } from './metadata.js';
import { modal, noteInput, languageInput, personalMessageInput, invitationHeading } from './invite-form-parts.js';

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
          `A new code is issued and the old one stops working at once. The invitation is valid for ${INVITATION_LIFETIME_WEEKS} ` +
            `weeks from now.`,
        ),
      ),
      languageInput(INVITATION_RESEND_BLOCK.language, invitation.language),
      personalMessageInput(INVITATION_RESEND_BLOCK.personalMessage, null, 'Replaces the earlier message; leave it empty to send none.'),
      noteInput(INVITATION_RESEND_BLOCK.note, null, 'Kept in the permissions log; the invitee does not see it.'),
    ],
  });
}
