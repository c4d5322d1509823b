/** The Edit, Resend and Revoke forms of a pending invitation, opened from its row in the members list. */
import { isAuthorizedCallerInvitation, requireInvitationTextsFit } from '../../domain/invitations.js';
import { editInvitation } from '../../services/invitations/edit-invitation.js';
import { invitationForManagement } from '../../services/invitations/invitation-for-management.js';
import { resendInvitation } from '../../services/invitations/resend-invitation.js';
import { revokeInvitation } from '../../services/invitations/revoke-invitation.js';
import { permissionCatalog, permissionsFor } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ViewSubmissionArgs } from '../listener-router.js';
import { INPUT_ACTION, INVITATION_EDIT_BLOCK, INVITATION_RESEND_BLOCK, INVITATION_REVOKE_BLOCK } from '../views/ids.js';
import { invitationEditView } from '../views/invitation-edit-form.js';
import { decodeMetadata, invitationFormMetadata, type InvitationFormMetadata } from '../views/metadata.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { selectedValueOf, stateOf, textOf } from '../view-state.js';
import { tellPrivately } from '../tell-privately.js';
import { blockIdsOf, languageFrom, readGrant, tagsFrom, unreadableInvitation } from './invite-form-input.js';
import { redrawListAfter } from './member-forms.js';

/** The invitation the Edit, Resend and Revoke forms carry, and the members list they were opened from, if any. */
function metadataOf(view: ViewSubmissionArgs['view']): InvitationFormMetadata {
  const metadata = decodeMetadata(invitationFormMetadata, view.private_metadata);
  if (!metadata) throw unreadableInvitation();
  return metadata;
}

export function invitationManagementListeners(context: GatehouseContext) {
  return {
    /** Ticking both support permissions in the Edit form shows the caller settings; unticking either hides them. */
    async editPermissionToggled({ body, ack, client }: ActionArgs) {
      await ack();
      const view = body.view;
      const metadata = decodeMetadata(invitationFormMetadata, view?.private_metadata);
      if (!view || !metadata) return;
      const grant = readGrant(stateOf(view), INVITATION_EDIT_BLOCK);
      const showCallerFields = isAuthorizedCallerInvitation(grant.permissions);
      if (showCallerFields === blockIdsOf(view).has(INVITATION_EDIT_BLOCK.supportLevel)) return;
      const { invitation, grantable } = await invitationForManagement(context.prisma, body.user.id, metadata.invitationId, context.now());
      const current = {
        ...invitation,
        permissions: permissionsFor(grant.permissions, permissionCatalog()),
        startsOn: grant.startsOn,
        endsOn: grant.endsOn,
        caller: grant.caller ?? invitation.caller,
      };
      await client.views
        .update({
          view_id: view.id,
          hash: view.hash,
          view: invitationEditView({ invitation: current, grantable, showCallerFields }, metadata),
        })
        // hash_conflict: a newer version of the form is already showing.
        .catch((error: unknown) => context.logger.debug({ err: error }, 'permission form was not redrawn'));
    },

    async editSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const { invitationId, surface } = metadataOf(view);
      const state = stateOf(view);
      const tagsText = textOf(state, INVITATION_EDIT_BLOCK.tags, INPUT_ACTION);
      const note = textOf(state, INVITATION_EDIT_BLOCK.note, INPUT_ACTION);
      // The tags box as typed, before repeats fold: the service sees only the tags.
      requireInvitationTextsFit({ tagsText, tags: tagsFrom(tagsText), note });
      await editInvitation(
        context.prisma,
        { actorSlackUserId: body.user.id, invitationId, ...readGrant(state, INVITATION_EDIT_BLOCK), tags: tagsFrom(tagsText), note },
        context.now(),
      );
      await ack();
      await tellPrivately(client, body.user.id, null, 'Invitation updated. The person gets it as it is now when they accept.');
      if (surface) await redrawListAfter(client, context, body.user.id, surface);
    },

    async resendSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const { invitationId, surface } = metadataOf(view);
      const state = stateOf(view);
      const resent = await resendInvitation(
        context.prisma,
        {
          actorSlackUserId: body.user.id,
          invitationId,
          language: languageFrom(selectedValueOf(state, INVITATION_RESEND_BLOCK.language, INPUT_ACTION)),
          personalMessage: textOf(state, INVITATION_RESEND_BLOCK.personalMessage, INPUT_ACTION),
          note: textOf(state, INVITATION_RESEND_BLOCK.note, INPUT_ACTION),
        },
        context.invitations,
        context.now(),
      );
      await ack();
      context.wakeOutbox();
      await tellPrivately(
        client,
        body.user.id,
        null,
        `Resent the invitation to ${escapeMrkdwn(resent.email)}. The earlier code no longer works.`,
      );
      if (surface) await redrawListAfter(client, context, body.user.id, surface);
    },

    async revokeSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const { invitationId, surface } = metadataOf(view);
      const revoked = await revokeInvitation(
        context.prisma,
        { actorSlackUserId: body.user.id, invitationId, note: textOf(stateOf(view), INVITATION_REVOKE_BLOCK.note, INPUT_ACTION) },
        context.now(),
      );
      await ack();
      await tellPrivately(
        client,
        body.user.id,
        null,
        `Revoked the invitation to ${escapeMrkdwn(revoked.email)}; its code no longer works.`,
      );
      if (surface) await redrawListAfter(client, context, body.user.id, surface);
    },
  };
}
