/** Restoring expired access within its 30 days: a new end date, or none. */
import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { refuseFields } from '../../domain/errors.js';
import { requireInvitationTextsFit } from '../../domain/invitations.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import { checkTimeRange } from '../invitations/grant-checks.js';
import { lockedConnection, recordChange, requireAllowed, termsOf, writeTerms, type ConnectionTerms } from './connection-change.js';

/** The person and the other Administrators are always told. */
export async function restoreMember(
  prisma: Db,
  input: { actorSlackUserId: string; connectionId: number; endsOn: string | null; note: string | null },
  now: Date,
): Promise<{ logEntryId: number }> {
  return prisma.$transaction(async (tx) => {
    const locked = await lockedConnection(tx, input.actorSlackUserId, input.connectionId, now);
    requireAllowed('member.restore', locked, { ...locked.subject, status: 'ACTIVE', endsOn: input.endsOn });
    const before = termsOf(locked.connection);
    refuseFields(checkTimeRange({ startsOn: before.startsOn, endsOn: input.endsOn }, locked.admin.organization, now));
    requireInvitationTextsFit({ note: input.note });
    const after: ConnectionTerms = { ...before, status: 'ACTIVE', endsOn: input.endsOn };
    await writeTerms(tx, locked, after, now);
    const logEntryId = await recordChange(
      tx,
      locked,
      { action: LOG_ACTION.memberRestored, before, after, note: input.note, notifyMember: true },
      now,
    );
    return { logEntryId };
  }, TRANSACTION_OPTIONS);
}
