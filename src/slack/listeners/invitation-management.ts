/** Resend, Edit and Revoke, from the overflow menu of `/access invitations`. */
import { DomainError } from '../../domain/errors.js';
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import { editInvitation } from '../../services/invitations/edit-invitation.js';
import { invitationForManagement } from '../../services/invitations/invitation-for-management.js';
import { resendInvitation } from '../../services/invitations/resend-invitation.js';
import { revokeInvitation } from '../../services/invitations/revoke-invitation.js';
import { permissionCatalog, permissionsFor } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ViewSubmissionArgs } from '../listener-router.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { INPUT_ACTION, INVITATION_EDIT_BLOCK, INVITATION_RESEND_BLOCK, INVITATION_REVOKE_BLOCK } from '../views/ids.js';
import { invitationEditView } from '../views/invitation-edit-form.js';
import { invitationResendView } from '../views/invitation-resend-form.js';
import { invitationRevokeView } from '../views/invitation-revoke-form.js';
import { parseManageValue } from '../views/invitation-values.js';
import { decodeMetadata, invitationFormMetadata } from '../views/metadata.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { selectedValueOf, textOf, type ViewStateValues } from '../view-state.js';
import { tellPrivately } from './access-requests.js';
import { blockIdsOf, errorsOn, languageFrom, readGrant, stateOf, tagsFrom, textErrorsOn, UNREADABLE } from './invite-form-input.js';

/**
 * The Edit, Resend and Revoke forms share their frame: read the invitation id back from the view,
 * and show a refusal on the form's note field, where the admin is looking.
 */
async function invitationForm(
  args: ViewSubmissionArgs,
  noteBlock: string,
  work: (form: { invitationId: number; state: ViewStateValues }) => Promise<void>,
): Promise<void> {
  const metadata = decodeMetadata(invitationFormMetadata, args.view.private_metadata);
  if (!metadata) {
    await args.ack({ response_action: 'errors', errors: { [noteBlock]: UNREADABLE } });
    return;
  }
  try {
    await work({ invitationId: metadata.invitationId, state: stateOf(args.view) });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    await args.ack({ response_action: 'errors', errors: { [noteBlock]: error.message } });
  }
}

export function invitationManagementListeners(context: GatehouseContext) {
  return {
    /** A choice from an invitation's ⋯ menu opens its Resend, Edit or Revoke form. */
    async manageChosen({ body, action, ack, client }: ActionArgs) {
      await ack();
      const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
      const choice = 'selected_option' in action && action.selected_option ? parseManageValue(action.selected_option.value ?? '') : null;
      if (!choice) {
        await tellPrivately(client, body.user.id, channelId, "Gatehouse couldn't read that choice. Run `/access invitations` again.");
        return;
      }
      try {
        const { invitation, grantable } = await invitationForManagement(context.prisma, body.user.id, choice.invitationId, context.now());
        const metadata = { invitationId: invitation.invitationId };
        const view =
          choice.verb === 'edit'
            ? invitationEditView({ invitation, grantable, showCallerFields: isAuthorizedCallerInvitation(invitation.permissions.map((permission) => permission.key)) }, metadata)
            : choice.verb === 'resend'
              ? invitationResendView(invitation, metadata)
              : invitationRevokeView(invitation, metadata);
        await openModalOnTrigger({ client, triggerId: body.trigger_id, view, logger: context.logger, tell: (text) => tellPrivately(client, body.user.id, channelId, text) });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await tellPrivately(client, body.user.id, channelId, escapeMrkdwn(error.message));
      }
    },

    /** Ticking both support permissions in the Edit form shows the caller settings; unticking either hides them. */
    async editPermissionToggled({ body, ack, client }: ActionArgs) {
      await ack();
      const view = body.view;
      const metadata = decodeMetadata(invitationFormMetadata, view?.private_metadata);
      if (!view || !metadata) return;
      try {
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
        await client.views.update({ view_id: view.id, hash: view.hash, view: invitationEditView({ invitation: current, grantable, showCallerFields }, metadata) });
      } catch (error) {
        if (error instanceof DomainError) await tellPrivately(client, body.user.id, null, escapeMrkdwn(error.message));
        else context.logger.debug({ err: error }, 'permission form was not redrawn');
      }
    },

    async editSubmitted(args: ViewSubmissionArgs) {
      const { body, view, ack, client } = args;
      await invitationForm(args, INVITATION_EDIT_BLOCK.note, async ({ invitationId, state }) => {
        const tagsText = textOf(state, INVITATION_EDIT_BLOCK.tags, INPUT_ACTION);
        const tooLong = textErrorsOn(INVITATION_EDIT_BLOCK, { tagsText, tags: tagsFrom(tagsText), note: textOf(state, INVITATION_EDIT_BLOCK.note, INPUT_ACTION) });
        if (tooLong) {
          await ack({ response_action: 'errors', errors: tooLong });
          return;
        }
        const edited = await editInvitation(
          context.prisma,
          {
            actorSlackUserId: body.user.id,
            invitationId,
            ...readGrant(state, INVITATION_EDIT_BLOCK),
            tags: tagsFrom(textOf(state, INVITATION_EDIT_BLOCK.tags, INPUT_ACTION)),
            note: textOf(state, INVITATION_EDIT_BLOCK.note, INPUT_ACTION),
          },
          context.now(),
        );
        if (!edited.ok) {
          await ack({ response_action: 'errors', errors: errorsOn(view, edited.fieldErrors, INVITATION_EDIT_BLOCK) });
          return;
        }
        await ack();
        await tellPrivately(client, body.user.id, null, 'Invitation updated. The person gets it as it is now when they accept.');
      });
    },

    async resendSubmitted(args: ViewSubmissionArgs) {
      const { body, ack, client } = args;
      await invitationForm(args, INVITATION_RESEND_BLOCK.note, async ({ invitationId, state }) => {
        const tooLong = textErrorsOn(INVITATION_RESEND_BLOCK, {
          personalMessage: textOf(state, INVITATION_RESEND_BLOCK.personalMessage, INPUT_ACTION),
          note: textOf(state, INVITATION_RESEND_BLOCK.note, INPUT_ACTION),
        });
        if (tooLong) {
          await ack({ response_action: 'errors', errors: tooLong });
          return;
        }
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
        await tellPrivately(client, body.user.id, null, `Resent the invitation to ${escapeMrkdwn(resent.email)}. The earlier code no longer works.`);
      });
    },

    async revokeSubmitted(args: ViewSubmissionArgs) {
      const { body, ack, client } = args;
      await invitationForm(args, INVITATION_REVOKE_BLOCK.note, async ({ invitationId, state }) => {
        const tooLong = textErrorsOn(INVITATION_REVOKE_BLOCK, { note: textOf(state, INVITATION_REVOKE_BLOCK.note, INPUT_ACTION) });
        if (tooLong) {
          await ack({ response_action: 'errors', errors: tooLong });
          return;
        }
        const revoked = await revokeInvitation(
          context.prisma,
          { actorSlackUserId: body.user.id, invitationId, note: textOf(state, INVITATION_REVOKE_BLOCK.note, INPUT_ACTION) },
          context.now(),
        );
        await ack();
        await tellPrivately(client, body.user.id, null, `Revoked the invitation to ${escapeMrkdwn(revoked.email)}; its code no longer works.`);
      });
    },
  };
}
