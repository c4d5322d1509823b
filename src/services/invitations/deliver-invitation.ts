import type { Db } from '../../db/client.js';
import { isInvitationExpired } from '../../domain/invitation-tokens.js';
import { accessAfter } from '../../domain/admin-scope.js';
import { permissionCatalog } from '../read-models.js';
import { heldAccess, invitationOffer, invitationSummary, permissionChangeInfo } from './stored-invitation.js';

/** What delivering an invitation needs, or null when it is no longer waiting for its invitee. */
export async function invitationToDeliver(prisma: Db, invitationId: number, now: Date) {
  const row = await prisma.invitation.findUnique({ where: { id: invitationId }, include: { organization: true, invitedBy: true } });
  if (!row || row.status !== 'PENDING' || isInvitationExpired(row.expiresAt, now)) return null;
  const catalog = permissionCatalog();
  const summary = invitationSummary(row, catalog);
  const existing = await prisma.connection.findFirst({
    where: { organizationId: row.organizationId, status: { not: 'REMOVED' }, member: { email: row.email } },
    include: { permissions: { select: { permissionKey: true } } },
  });
  const held = heldAccess(existing, now);
  const { offer, scope } = invitationOffer(row);
  const change = held ? accessAfter(held, offer, scope).change : null;
  return {
    tokenHash: row.tokenHash,
    inviteeEmail: row.email,
    message: {
      invitationId: row.id,
      language: summary.language,
      organization: summary.organization,
      invitedBy: summary.invitedBy,
      inviteeEmail: row.email,
      permissions: summary.permissions,
      endsOn: row.endsOn,
      caller: summary.caller,
      personalMessage: row.personalMessage,
      expiresAt: row.expiresAt,
      change: change ? permissionChangeInfo(change, catalog) : null,
    },
  };
}
