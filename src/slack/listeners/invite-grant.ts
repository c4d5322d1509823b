/** `/access invite` step 2: what to grant. */
import { DomainError } from '../../domain/errors.js';
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import { chooseGrant, inviteSteps, keepGrantChoices } from '../../services/invitations/invite-drafts.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ViewClosedArgs, ViewSubmissionArgs } from '../listener-router.js';
import { INVITE_GRANT_BLOCK } from '../views/ids.js';
import { inviteGrantView } from '../views/invite-grant-form.js';
import { inviteSendingView } from '../views/invite-sending-form.js';
import { decodeMetadata, inviteMetadata } from '../views/metadata.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { tellPrivately } from './access-requests.js';
import { blockIdsOf, errorsOn, keepOnBack, readGrant, stateOf, UNREADABLE } from './invite-form-input.js';

export function inviteGrantListeners(context: GatehouseContext) {
  return {
    /** Passing checks keeps the grant in the draft and opens step 3. */
    async grantSubmitted({ body, view, ack }: ViewSubmissionArgs) {
      const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
      if (!metadata?.draftId) {
        await ack({ response_action: 'errors', errors: { [INVITE_GRANT_BLOCK.endsOn]: UNREADABLE } });
        return;
      }
      const now = context.now();
      try {
        const grant = readGrant(stateOf(view), INVITE_GRANT_BLOCK);
        const chosen = await chooseGrant(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId, ...grant }, now);
        if (!chosen.ok) {
          await ack({ response_action: 'errors', errors: errorsOn(view, chosen.fieldErrors, INVITE_GRANT_BLOCK) });
          return;
        }
        const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, now);
        await ack({ response_action: 'push', view: inviteSendingView({ step, preview: null }, metadata) });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await ack({ response_action: 'errors', errors: errorsOn(view, { permissions: error.message }, INVITE_GRANT_BLOCK) });
      }
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
      try {
        const grant = readGrant(stateOf(view), INVITE_GRANT_BLOCK);
        const showCallerFields = isAuthorizedCallerInvitation(grant.permissions);
        if (showCallerFields === blockIdsOf(view).has(INVITE_GRANT_BLOCK.supportLevel)) return;
        const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, context.now());
        const current = {
          ...step,
          choices: { ...step.choices, permissions: grant.permissions, startsOn: grant.startsOn, endsOn: grant.endsOn, caller: grant.caller ?? step.choices.caller },
        };
        await client.views.update({ view_id: view.id, hash: view.hash, view: inviteGrantView({ step: current, showCallerFields }, metadata) });
      } catch (error) {
        if (error instanceof DomainError) await tellPrivately(client, body.user.id, null, escapeMrkdwn(error.message));
        else context.logger.debug({ err: error }, 'permission form was not redrawn');
      }
    },

    async grantClosed(args: ViewClosedArgs) {
      await keepOnBack(context, args, 'step 2', (actorSlackUserId, draftId, state) =>
        keepGrantChoices(context.prisma, { actorSlackUserId, draftId, ...readGrant(state, INVITE_GRANT_BLOCK) }, context.now()),
      );
    },
  };
}
