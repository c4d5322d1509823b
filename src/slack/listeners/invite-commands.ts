/** `/access invite` and `/access invitations`, as the slash command answers them. */
import type { WebClient } from '@slack/web-api';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { pendingInvitations } from '../../services/invitations/pending-invitations.js';
import type { GatehouseContext } from '../context.js';
import { openModalOnTrigger, type TriggerBoundCall } from '../trigger-bound.js';
import { inviteAddressesView } from '../views/invite-addresses-form.js';
import { invitationListMessage } from '../views/invitation-list.js';

/** `/access invite`: step 1, for the organizations this admin can invite people to. */
export async function openInviteForm(
  client: WebClient,
  organizations: OrganizationSummary[],
  triggerId: string,
  notice: Pick<TriggerBoundCall, 'logger' | 'tell'>,
): Promise<void> {
  const only = organizations.length === 1 ? organizations[0]!.id : null;
  await openModalOnTrigger({
    client,
    triggerId,
    view: inviteAddressesView(
      { organizations, selectedOrganizationId: only, draft: null },
      { draftId: null, organizationId: only, revision: 0 },
    ),
    ...notice,
  });
}

/** `/access invitations`: the pending invitations of the organizations this person administers. */
export async function invitationList(context: GatehouseContext, userId: string) {
  return { response_type: 'ephemeral' as const, ...invitationListMessage(await pendingInvitations(context.prisma, userId, context.now())) };
}
