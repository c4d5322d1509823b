/** `/access invite` step 2: what to grant. */
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import { chooseGrant, inviteSteps, keepGrantChoices } from '../../services/invitations/invite-drafts.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ViewClosedArgs, ViewSubmissionArgs } from '../listener-router.js';
import { INVITE_GRANT_BLOCK } from '../views/ids.js';
import { inviteGrantView } from '../views/invite-grant-form.js';
import { inviteSendingView } from '../views/invite-sending-form.js';
import { decodeMetadata, inviteMetadata } from '../views/metadata.js';
import { stateOf } from '../view-state.js';
import { blockIdsOf, keepOnBack, readGrant, unreadableInvitation } from './invite-form-input.js';

export function inviteGrantListeners(context: GatehouseContext) {
  return {
    /** Passing checks keeps the grant in the draft and opens step 3. */
    async grantSubmitted({ body, view, ack }: ViewSubmissionArgs) {
      const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
      if (!metadata?.draftId) throw unreadableInvitation();
      const now = context.now();
      const grant = readGrant(stateOf(view), INVITE_GRANT_BLOCK);
      await chooseGrant(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId, ...grant }, now);
      const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, now);
      await ack({ response_action: 'push', view: inviteSendingView({ step, preview: null }, metadata) });
    },

    /**
     * Ticking both support permissions turns the invitation into an authorized-caller one, whose
     * form asks for the caller settings; unticking either takes them away again.
     */
    async grantPermissionToggled({ body, ack, client }: ActionArgs) {
      await ack();
      const view = body.view;
      const metadata = decodeMetadata(inviteMetadata, view?.private_metadata);
      if (!view || !metadata?.draftId) return;
      const grant = readGrant(stateOf(view), INVITE_GRANT_BLOCK);
      const showCallerFields = isAuthorizedCallerInvitation(grant.permissions);
      if (showCallerFields === blockIdsOf(view).has(INVITE_GRANT_BLOCK.supportLevel)) return;
      const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, context.now());
      const current = {
        ...step,
        choices: {
          ...step.choices,
          permissions: grant.permissions,
          startsOn: grant.startsOn,
          endsOn: grant.endsOn,
          caller: grant.caller ?? step.choices.caller,
        },
      };
      await client.views
        .update({ view_id: view.id, hash: view.hash, view: inviteGrantView({ step: current, showCallerFields }, metadata) })
        // hash_conflict: a newer version of the form is already showing.
        .catch((error: unknown) => context.logger.debug({ err: error }, 'permission form was not redrawn'));
    },

    async grantClosed(args: ViewClosedArgs) {
      await keepOnBack(context, args, 'step 2', (actorSlackUserId, draftId, state) =>
        keepGrantChoices(context.prisma, { actorSlackUserId, draftId, ...readGrant(state, INVITE_GRANT_BLOCK) }, context.now()),
      );
    },
  };
}
