/** The Revoke form of a pending invitation. */
import type { ModalView } from '@slack/types';
import type { InvitationSummary } from '../../domain/read-models.js';
import { mrkdwn, section } from './format.js';
import { CALLBACK, INVITATION_REVOKE_BLOCK } from './ids.js';
import { encodeMetadata, invitationFormMetadata, type InvitationFormMetadata } from './metadata.js';
import { modal, shownEntry, noteInput, invitationHeading } from './invite-form-parts.js';

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
          `Revoke this invitation? Its code stops working at once and ${shownEntry(invitation.email)} can no longer accept it. ` +
            `Gatehouse does not tell them.`,
        ),
      ),
      noteInput(INVITATION_REVOKE_BLOCK.note, null, 'Kept in the permissions log.'),
    ],
  });
}
