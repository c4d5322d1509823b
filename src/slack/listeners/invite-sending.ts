/** `/access invite` step 3: tags, message, language and note; Preview, and Send. */
import { DomainError } from '../../domain/errors.js';
import { invitationExpiresAt } from '../../domain/invitation-tokens.js';
import type { InvitationMessageModel, InviteStepModel } from '../../domain/read-models.js';
import { inviteSteps, saveSendingChoices } from '../../services/invitations/invite-drafts.js';
import { sendInvitations } from '../../services/invitations/send-invitations.js';
import { permissionCatalog, permissionsFor } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ViewClosedArgs, ViewSubmissionArgs } from '../listener-router.js';
import { INPUT_ACTION, INVITE_SENDING_BLOCK } from '../views/ids.js';
import { inviteSendingView, inviteSentView } from '../views/invite-sending-form.js';
import { decodeMetadata, inviteMetadata } from '../views/metadata.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { textOf } from '../view-state.js';
import { tellPrivately } from './access-requests.js';
import { keepOnBack, readSending, stateOf, textErrorsOn, UNREADABLE } from './invite-form-input.js';

/** Shown in the preview instead of a real code, which does not exist until the invitation is sent. */
const PREVIEW_CODE = 'PREVIEW-the-real-code-is-made-when-you-send';

/** What the first invitee would receive, with a placeholder where the code will be. */
function previewOf(step: InviteStepModel, now: Date): InvitationMessageModel | null {
  const invitee = step.draft.fresh[0] ?? step.draft.connected[0] ?? step.draft.pending[0];
  if (!invitee) return null;
  return {
    invitationId: 1,
    language: step.choices.language,
    organization: step.draft.organization,
    invitedBy: step.inviter,
    inviteeEmail: invitee,
    permissions: permissionsFor(step.choices.permissions, permissionCatalog()),
    endsOn: step.choices.endsOn,
    caller: step.choices.caller,
    personalMessage: step.choices.personalMessage,
    expiresAt: invitationExpiresAt(now, step.draft.organization.timeZone),
    code: PREVIEW_CODE,
  };
}

export function inviteSendingListeners(context: GatehouseContext) {
  return {
    /** Preview shows exactly what the first invitee will get, with the choices made so far. */
    async previewRequested({ body, ack, client }: ActionArgs) {
      await ack();
      const view = body.view;
      const metadata = decodeMetadata(inviteMetadata, view?.private_metadata);
      if (!view || !metadata?.draftId) return;
      const now = context.now();
      try {
        await saveSendingChoices(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId, ...readSending(stateOf(view)) }, now);
        const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, now);
        await client.views.update({ view_id: view.id, hash: view.hash, view: inviteSendingView({ step, preview: previewOf(step, now) }, metadata) });
      } catch (error) {
        if (error instanceof DomainError) await tellPrivately(client, body.user.id, null, escapeMrkdwn(error.message));
        else context.logger.debug({ err: error }, 'invitation preview was not shown');
      }
    },

    async sendingSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
      if (!metadata?.draftId) {
        await ack({ response_action: 'errors', errors: { [INVITE_SENDING_BLOCK.personalMessage]: UNREADABLE } });
        return;
      }
      const userId = body.user.id;
      const now = context.now();
      const state = stateOf(view);
      const sending = readSending(state);
      const tooLong = textErrorsOn(INVITE_SENDING_BLOCK, {
        tagsText: textOf(state, INVITE_SENDING_BLOCK.tags, INPUT_ACTION),
        tags: sending.tags,
        personalMessage: sending.personalMessage,
        note: sending.logNote,
      });
      if (tooLong) {
        await ack({ response_action: 'errors', errors: tooLong });
        return;
      }
      try {
        await saveSendingChoices(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId, ...sending }, now);
        const sent = await sendInvitations(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId }, context.invitations, now);
        if (!sent.ok) {
          const message = Object.values(sent.fieldErrors).join(' ');
          await ack({ response_action: 'errors', errors: { [INVITE_SENDING_BLOCK.personalMessage]: `${message} Go back to fix it.` } });
          return;
        }
        await ack({ response_action: 'clear' });
        context.wakeOutbox();
        const summary = inviteSentView(sent.result);
        await client.chat.postMessage({ channel: userId, text: `Sent ${sent.result.sent} invitations.`, blocks: summary.blocks });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await ack({ response_action: 'errors', errors: { [INVITE_SENDING_BLOCK.personalMessage]: error.message } });
      }
    },

    async sendingClosed(args: ViewClosedArgs) {
      await keepOnBack(context, args, 'step 3', (actorSlackUserId, draftId, state) =>
        saveSendingChoices(context.prisma, { actorSlackUserId, draftId, ...readSending(state) }, context.now()),
      );
    },
  };
}
