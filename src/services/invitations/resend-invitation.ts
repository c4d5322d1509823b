import { TRANSACTION_OPTIONS, type Db, type Tx } from '../../db/client.js';
import { appendLogEntry, type LogEntryInput } from '../../db/permission-log.js';
import { DomainError } from '../../domain/errors.js';
import { requireInvitationTextsFit } from '../../domain/invitations.js';
import { hashInvitationToken, invitationExpiresAt, newInvitationToken, sealInvitationCode } from '../../domain/invitation-tokens.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import type { InvitationLanguage } from '../../domain/read-models.js';
import { enqueue } from '../outbox.js';
import type { InvitationSettings } from './settings.js';
import { managedInvitation } from './acting-admin.js';

/** The invitation as a resend finds it, read under its lock. */
export interface InvitationToReissue {
  id: number;
  organizationId: number;
  email: string;
  expiresAt: Date;
  resendCount: number;
}

/**
 * Issues a new code for a pending invitation inside the caller's transaction and queues its
 * delivery; the old code stops working at once. Refuses an invitation no longer pending. Returns
 * the log entry for the caller to append: a bulk resend appends all of its entries at the end, in
 * one call, so that it never waits for an invitation's row while holding the log chain's lock.
 */
export async function reissueInvitationUnlogged(
  tx: Tx,
  invitation: InvitationToReissue,
  resend: {
    actorId: number;
    timeZone: string;
    language: InvitationLanguage;
    personalMessage: string | null;
    note: string | null;
    /** Part of a bulk action: the log entry says so. */
    bulk?: boolean;
  },
  settings: InvitationSettings,
  now: Date,
): Promise<{ expiresAt: Date; logEntry: LogEntryInput }> {
  const code = newInvitationToken();
  const expiresAt = invitationExpiresAt(now, resend.timeZone);
  // Conditional: the invitee may be accepting it at this moment, without the admins' lock.
  const resent = await tx.invitation.updateMany({
    where: { id: invitation.id, status: 'PENDING' },
    data: {
      tokenHash: hashInvitationToken(code),
      issuedAt: now,
      expiresAt,
      resendCount: { increment: 1 },
      language: resend.language,
      personalMessage: resend.personalMessage?.trim() || null,
      updatedAt: now,
    },
  });
  if (resent.count === 0) throw new DomainError('not_pending', 'This invitation is no longer pending.');
  const logEntry: LogEntryInput = {
    organizationId: invitation.organizationId,
    actorId: resend.actorId,
    subjectEmail: invitation.email,
    action: LOG_ACTION.invitationResent,
    before: { invitationId: invitation.id, expiresAt: invitation.expiresAt.toISOString(), resendCount: invitation.resendCount },
    after: {
      invitationId: invitation.id,
      expiresAt: expiresAt.toISOString(),
      resendCount: invitation.resendCount + 1,
      language: resend.language,
      ...(resend.bulk ? { bulk: true } : {}),
    },
    note: resend.note?.trim() || null,
    createdAt: now,
  };
  await enqueue(
    tx,
    [{ kind: 'invitation.deliver', invitationId: invitation.id, sealedCode: sealInvitationCode(code, settings.sealingKey) }],
    now,
  );
  return { expiresAt, logEntry };
}

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
    const { expiresAt, logEntry } = await reissueInvitationUnlogged(
      tx,
      invitation,
      {
        actorId: admin.member.id,
        timeZone: admin.organization.timeZone,
        language: input.language,
        personalMessage: input.personalMessage,
        note: input.note,
      },
      settings,
      now,
    );
    await appendLogEntry(tx, logEntry);
    return { email: invitation.email, expiresAt };
  }, TRANSACTION_OPTIONS);
}
