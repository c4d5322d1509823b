/** `/access invite`, as the slash command answers it. */
import type { WebClient } from '@slack/web-api';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { openModalOnTrigger, type TriggerBoundCall } from '../trigger-bound.js';
import { inviteAddressesView } from '../views/invite-addresses-form.js';

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
