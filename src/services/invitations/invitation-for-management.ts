import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { grantablePermissions } from '../../domain/invitations.js';
import type { InvitationSummary, PermissionInfo } from '../../domain/read-models.js';
import { permissionCatalog, permissionsFor } from '../read-models.js';
import { invitationSummary } from './stored-invitation.js';
import { managedInvitation } from './acting-admin.js';

/** One pending invitation for its Edit, Resend and Revoke forms, with what the actor may grant. */
export async function invitationForManagement(
  prisma: Db,
  actorSlackUserId: string,
  invitationId: number,
  now: Date,
): Promise<{ invitation: InvitationSummary; grantable: PermissionInfo[] }> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, actorSlackUserId, invitationId, now);
    const row = await tx.invitation.findUniqueOrThrow({ where: { id: invitation.id }, include: { organization: true, invitedBy: true } });
    const catalog = permissionCatalog();
    return { invitation: invitationSummary(row, catalog), grantable: permissionsFor(grantablePermissions(admin.roles), catalog) };
  }, TRANSACTION_OPTIONS);
}
