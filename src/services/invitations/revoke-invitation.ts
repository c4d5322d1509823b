import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { appendLogEntry } from '../../db/permission-log.js';
import { DomainError } from '../../domain/errors.js';
import { requireInvitationTextsFit } from '../../domain/invitations.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import { managedInvitation } from './acting-admin.js';

/** Withdraws a pending invitation; its code stops working. */
export async function revokeInvitation(
  prisma: Db,
  input: { actorSlackUserId: string; invitationId: number; note: string | null },
  now: Date,
): Promise<{ email: string }> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, input.actorSlackUserId, input.invitationId, now);
    requireInvitationTextsFit({ note: input.note });
    const revoked = await tx.invitation.updateMany({
      where: { id: invitation.id, status: 'PENDING' },
      data: { status: 'REVOKED', updatedAt: now },
    });
    if (revoked.count === 0) throw new DomainError('not_pending', 'This invitation is no longer pending.');
    await appendLogEntry(tx, {
      organizationId: invitation.organizationId,
      actorId: admin.member.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationRevoked,
      before: { invitationId: invitation.id, status: 'PENDING' },
      after: { invitationId: invitation.id, status: 'REVOKED' },
      note: input.note?.trim() || null,
      createdAt: now,
    });
    return { email: invitation.email };
  }, TRANSACTION_OPTIONS);
}
