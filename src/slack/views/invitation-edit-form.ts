/** The Edit form of a pending invitation: what accepting it grants. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { InvitationSummary, PermissionInfo } from '../../domain/read-models.js';
import { context, mrkdwn, permissionNames, plain, section } from './format.js';
import { CALLBACK, INVITATION_EDIT_BLOCK } from './ids.js';
import { encodeMetadata, invitationFormMetadata, type InvitationFormMetadata } from './metadata.js';
import { escapeMrkdwn } from './mrkdwn.js';
import {
  modal,
  noteInput,
  tagsInput,
  startsOnInput,
  endsOnInput,
  permissionInputs,
  callerInputs,
  invitationHeading,
} from './invite-form-parts.js';

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
    context(
      plain(
        'Nothing is sent again: the person gets the invitation as it stands when they accept. Resend it if they should see the change.',
      ),
    ),
    ...(beyondRole.length > 0
      ? [
          section(
            mrkdwn(
              `:warning: It also grants ${escapeMrkdwn(permissionNames(beyondRole))}, which your role does not cover; saving ` +
                `removes ${beyondRole.length === 1 ? 'it' : 'them'}.`,
            ),
          ),
        ]
      : []),
    ...permissionInputs(
      INVITATION_EDIT_BLOCK,
      grantable,
      invitation.permissions.map((permission) => permission.key),
    ),
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
