/** `/access invite` step 3: tags, message, language and note; Preview, and Send. */
import { requireInvitationTextsFit } from '../../domain/invitations.js';
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
import { stateOf, textOf } from '../view-state.js';
import { keepOnBack, readSending, unreadableInvitation } from './invite-form-input.js';

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
      await saveSendingChoices(
        context.prisma,
        { actorSlackUserId: body.user.id, draftId: metadata.draftId, ...readSending(stateOf(view)) },
        now,
      );
      const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, now);
      await client.views
        .update({ view_id: view.id, hash: view.hash, view: inviteSendingView({ step, preview: previewOf(step, now) }, metadata) })
        // hash_conflict: a newer version of the form is already showing.
        .catch((error: unknown) => context.logger.debug({ err: error }, 'invitation preview was not shown'));
    },

    async sendingSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
      if (!metadata?.draftId) throw unreadableInvitation();
      const userId = body.user.id;
      const now = context.now();
      const state = stateOf(view);
      const sending = readSending(state);
      // The tags box as typed, before repeats fold: the service sees only the tags.
      requireInvitationTextsFit({
        tagsText: textOf(state, INVITE_SENDING_BLOCK.tags, INPUT_ACTION),
        tags: sending.tags,
        personalMessage: sending.personalMessage,
        note: sending.logNote,
      });
      await saveSendingChoices(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId, ...sending }, now);
      const sent = await sendInvitations(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId }, context.invitations, now);
      await ack({ response_action: 'clear' });
      context.wakeOutbox();
      const summary = inviteSentView(sent);
      await client.chat.postMessage({ channel: userId, text: `Sent ${sent.sent} invitations.`, blocks: summary.blocks });
    },

    async sendingClosed(args: ViewClosedArgs) {
      await keepOnBack(context, args, 'step 3', (actorSlackUserId, draftId, state) =>
        saveSendingChoices(context.prisma, { actorSlackUserId, draftId, ...readSending(state) }, context.now()),
      );
    },
  };
}
