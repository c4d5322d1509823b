/** `/access invite` step 1: pasting addresses, removing invalid entries, and closing the modal. */
import type { ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { DomainError } from '../../domain/errors.js';
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import type { InviteDraftModel } from '../../domain/read-models.js';
import { invitableOrganizations } from '../../services/invitations/invitable-organizations.js';
import { checkAddresses, discardDraft, inviteSteps, removeInvalidEntries } from '../../services/invitations/invite-drafts.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ViewClosedArgs, ViewSubmissionArgs } from '../listener-router.js';
import { INPUT_ACTION, INVITE_ADDRESSES_BLOCK } from '../views/ids.js';
import { addressesBlockId, inviteAddressesView } from '../views/invite-addresses-form.js';
import { inviteGrantView } from '../views/invite-grant-form.js';
import { decodeMetadata, inviteMetadata, type InviteMetadata } from '../views/metadata.js';
import type { FieldPlacement } from '../refusals.js';
import { selectedValueOf, stateOf, textOf } from '../view-state.js';
import { unreadableInvitation } from './invite-form-input.js';

/** Step 1's addresses box gets a new block id with each redraw, so where errors go is read from the view. */
export function inviteAddressesFields(view: ViewOutput): FieldPlacement {
  const addresses = addressesBlockId(decodeMetadata(inviteMetadata, view.private_metadata)?.revision ?? 0);
  return { fields: { addresses, organization: INVITE_ADDRESSES_BLOCK.organization }, fallback: addresses };
}

export function inviteAddressesListeners(context: GatehouseContext) {
  const redrawAddresses = async (
    client: WebClient,
    view: ViewOutput,
    userId: string,
    metadata: InviteMetadata,
    draft: InviteDraftModel,
  ) => {
    const organizations = await invitableOrganizations(context.prisma, userId, context.now());
    const next = { draftId: draft.draftId, organizationId: draft.organization.id, revision: metadata.revision + 1 };
    await client.views
      .update({
        view_id: view.id,
        hash: view.hash,
        view: inviteAddressesView({ organizations, selectedOrganizationId: draft.organization.id, draft }, next),
      })
      .catch((error: unknown) => context.logger.debug({ err: error }, 'invitation step 1 was not redrawn'));
  };

  const removeInvalid = async ({ body, action, ack, client }: ActionArgs, all: boolean) => {
    await ack();
    const view = body.view;
    const metadata = decodeMetadata(inviteMetadata, view?.private_metadata);
    if (!view || !metadata?.draftId) return;
    const entry = !all && 'value' in action && typeof action.value === 'string' ? action.value : null;
    if (!all && entry === null) return;
    const draft = await removeInvalidEntries(
      context.prisma,
      { actorSlackUserId: body.user.id, draftId: metadata.draftId, entry },
      context.now(),
    );
    await redrawAddresses(client, view, body.user.id, metadata, draft);
  };

  return {
    /** Each paste adds to the draft and shows where every address stands; an empty box goes on to step 2. */
    async addressesSubmitted({ body, view, ack }: ViewSubmissionArgs) {
      const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
      if (!metadata) throw unreadableInvitation();
      const state = stateOf(view);
      const userId = body.user.id;
      const now = context.now();
      const text = textOf(state, addressesBlockId(metadata.revision), INPUT_ACTION);
      if (text) {
        const picked = Number(selectedValueOf(state, INVITE_ADDRESSES_BLOCK.organization, INPUT_ACTION));
        const organizationId = metadata.organizationId ?? (Number.isInteger(picked) && picked > 0 ? picked : null);
        if (!organizationId) throw DomainError.ofFields({ organization: 'Choose the organization to invite people to.' });
        const draft = await checkAddresses(
          context.prisma,
          { actorSlackUserId: userId, organizationId, text, draftId: metadata.draftId },
          now,
        );
        const organizations = await invitableOrganizations(context.prisma, userId, now);
        const next = { draftId: draft.draftId, organizationId: draft.organization.id, revision: metadata.revision + 1 };
        await ack({
          response_action: 'update',
          view: inviteAddressesView({ organizations, selectedOrganizationId: next.organizationId, draft }, next),
        });
        return;
      }
      if (!metadata.draftId) throw DomainError.ofFields({ addresses: 'Paste at least one email address.' });
      const step = await inviteSteps(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId }, now);
      const invalid = step.draft.invalid.length;
      if (invalid > 0)
        throw DomainError.ofFields({ addresses: `Remove the ${invalid} invalid ${invalid === 1 ? 'entry' : 'entries'} first.` });
      if (step.draft.fresh.length + step.draft.connected.length + step.draft.pending.length === 0) {
        throw DomainError.ofFields({ addresses: 'Paste at least one email address.' });
      }
      await ack({
        response_action: 'push',
        view: inviteGrantView({ step, showCallerFields: isAuthorizedCallerInvitation(step.choices.permissions) }, metadata),
      });
    },

    async invalidEntryRemoved(args: ActionArgs) {
      await removeInvalid(args, false);
    },

    async allInvalidEntriesRemoved(args: ActionArgs) {
      await removeInvalid(args, true);
    },

    /** Closing the modal throws the draft away; acknowledged once done, so whatever the admin does next finds it gone. */
    async inviteClosed({ body, view, ack }: ViewClosedArgs) {
      const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
      if (metadata?.draftId) await discardDraft(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId });
      await ack();
    },
  };
}
