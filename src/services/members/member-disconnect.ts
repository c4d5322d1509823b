/** Disconnecting a member: every permission to the organization taken away; the member record and history stay. */
import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { requireInvitationTextsFit } from '../../domain/invitations.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import { lockedConnection, recordChange, requireAllowed, termsOf, writeTerms, type ConnectionTerms } from './connection-change.js';

export async function disconnectMember(
  prisma: Db,
  input: { actorSlackUserId: string; connectionId: number; note: string | null; notifyMember: boolean },
  now: Date,
): Promise<{ logEntryId: number }> {
  return prisma.$transaction(async (tx) => {
    const locked = await lockedConnection(tx, input.actorSlackUserId, input.connectionId, now);
    requireAllowed('member.disconnect', locked, { ...locked.subject, status: 'REMOVED', permissions: [] });
    requireInvitationTextsFit({ note: input.note });
    const before = termsOf(locked.connection);
    const after: ConnectionTerms = { ...before, status: 'REMOVED', permissions: [], caller: null };
    await writeTerms(tx, locked, after, now);
    const logEntryId = await recordChange(
      tx,
      locked,
      { action: LOG_ACTION.memberDisconnected, before, after, note: input.note, notifyMember: input.notifyMember },
      now,
    );
    return { logEntryId };
  }, TRANSACTION_OPTIONS);
}
