import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { appendLogEntry } from '../../db/permission-log.js';
import { DomainError } from '../../domain/errors.js';
import { requireInvitationTextsFit } from '../../domain/invitations.js';
import { hashInvitationToken, invitationExpiresAt, newInvitationToken, sealInvitationCode } from '../../domain/invitation-tokens.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import type { InvitationLanguage } from '../../domain/read-models.js';
import { enqueue } from '../outbox.js';
import type { InvitationSettings } from './settings.js';
import { managedInvitation } from './acting-admin.js';

/** Issues a new code for a pending invitation; the old one stops working at once. */
export async function resendInvitation(
  prisma: Db,
  input: {
    actorSlackUserId: string;
    invitationId: number;
    language: InvitationLanguage;
    personalMessage: string | null;
    note: string | null;
  },
  settings: InvitationSettings,
  now: Date,
): Promise<{ email: string; expiresAt: Date }> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, input.actorSlackUserId, input.invitationId, now);
    requireInvitationTextsFit({ personalMessage: input.personalMessage, note: input.note });
    const code = newInvitationToken();
    const expiresAt = invitationExpiresAt(now, admin.organization.timeZone);
    // Conditional: the invitee may be accepting it at this moment, without the admins' lock.
    const resent = await tx.invitation.updateMany({
      where: { id: invitation.id, status: 'PENDING' },
      data: {
        tokenHash: hashInvitationToken(code),
        issuedAt: now,
        expiresAt,
        resendCount: { increment: 1 },
        language: input.language,
        personalMessage: input.personalMessage?.trim() || null,
        updatedAt: now,
      },
    });
    if (resent.count === 0) throw new DomainError('not_pending', 'This invitation is no longer pending.');
    await appendLogEntry(tx, {
      organizationId: invitation.organizationId,
      actorId: admin.member.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationResent,
      before: { invitationId: invitation.id, expiresAt: invitation.expiresAt.toISOString(), resendCount: invitation.resendCount },
      after: {
        invitationId: invitation.id,
        expiresAt: expiresAt.toISOString(),
        resendCount: invitation.resendCount + 1,
        language: input.language,
      },
      note: input.note?.trim() || null,
      createdAt: now,
    });
    await enqueue(
      tx,
      [{ kind: 'invitation.deliver', invitationId: invitation.id, sealedCode: sealInvitationCode(code, settings.sealingKey) }],
      now,
    );
    return { email: invitation.email, expiresAt };
  }, TRANSACTION_OPTIONS);
}
