/** Where each invited address stands with the organization, read in lists of bounded length. */
import { sqlOf } from '../../db/sql.js';
import { classifyAddresses } from '../../domain/invitations.js';
import type { InviteDraftModel, OrganizationSummary } from '../../domain/read-models.js';
import { type Reader, stringList } from './stored-invitation.js';

/** Addresses per IN list: far below either database's parameter limit. */
export const ADDRESSES_PER_QUERY = 500;

/**
 * How each address stands with the organization: an active user, a pending invitee, or new.
 * Written as SQL because the ORM compiles a plan for each list length, and a 1000-address list
 * cost more memory that way than the whole invitation.
 */
export async function standings(reader: Reader, organizationId: number, addresses: readonly string[], now: Date) {
  const connected = new Set<string>();
  const pending = new Set<string>();
  const sql = sqlOf(reader);
  for (let start = 0; start < addresses.length; start += ADDRESSES_PER_QUERY) {
    const list = addresses.slice(start, start + ADDRESSES_PER_QUERY);
    // Emails compared with the list are not null.
    const members = await sql.rows(
      sql.build
        .selectFrom('Member as m')
        .innerJoin('Connection as c', (join) =>
          join.onRef('c.memberId', '=', 'm.id').on('c.organizationId', '=', organizationId).on('c.status', '<>', 'REMOVED'),
        )
        .select('m.email')
        .distinct()
        .where('m.email', 'in', list)
        .$narrowType<{ email: string }>(),
    );
    for (const member of members) connected.add(member.email);
    const invitations = await sql.rows(
      sql.build
        .selectFrom('Invitation')
        .select('email')
        .distinct()
        .where('organizationId', '=', organizationId)
        .where('status', '=', 'PENDING')
        .where('expiresAt', '>', now)
        .where('email', 'in', list),
    );
    for (const invitation of invitations) pending.add(invitation.email);
  }
  return { connected, pending };
}

export async function draftModel(
  reader: Reader,
  draft: { id: number; addresses: unknown; invalidEntries: unknown; duplicates: number },
  organization: OrganizationSummary,
  now: Date,
): Promise<InviteDraftModel> {
  const valid = stringList(draft.addresses);
  const { connected, pending } = await standings(reader, organization.id, valid, now);
  const classified = classifyAddresses({ valid, invalid: stringList(draft.invalidEntries), duplicates: draft.duplicates }, (address) =>
    connected.has(address) ? 'connected' : pending.has(address) ? 'pending' : 'new',
  );
  return {
    draftId: draft.id,
    organization,
    invalid: classified.invalid,
    connected: classified.connected,
    pending: classified.pending,
    fresh: classified.fresh,
    duplicates: classified.duplicates,
  };
}
