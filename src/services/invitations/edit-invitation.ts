import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { appendLogEntry } from '../../db/permission-log.js';
import { DomainError, refuseFields } from '../../domain/errors.js';
import { callerSettingsFor, checkInvitationGrant, requireInvitationTextsFit } from '../../domain/invitations.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import { scopeOf } from '../../domain/admin-scope.js';
import { mayChangeAccessOf } from '../../domain/policy.js';
import type { CallerSettings } from '../../domain/read-models.js';
import { stringList, callerOf } from './stored-invitation.js';
import { managedInvitation } from './acting-admin.js';
import { checkTimeRange } from './grant-checks.js';
import { enqueue } from '../outbox.js';
import { administratorsOf, personSummary } from '../read-models.js';
import { accessChangedNotices } from '../members/connection-change.js';

/** Changes what a pending invitation grants; the person gets the invitation as it is when they accept. */
export async function editInvitation(
  prisma: Db,
  input: {
    actorSlackUserId: string;
    invitationId: number;
    permissions: string[];
    tags: string[];
    startsOn?: string | null;
    endsOn: string | null;
    caller: CallerSettings | null;
    note: string | null;
  },
  now: Date,
): Promise<void> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, input.actorSlackUserId, input.invitationId, now);
    const own = mayChangeAccessOf({ memberId: admin.member.id, email: admin.member.email }, { memberId: null, email: invitation.email });
    if (!own.allowed) throw new DomainError('own_access', own.reason);
    const permissions = [...new Set(input.permissions)];
    const errors = {
      ...checkInvitationGrant({ permissions, addressCount: 1, caller: input.caller }, admin.roles),
      ...checkTimeRange({ startsOn: input.startsOn ?? null, endsOn: input.endsOn }, admin.organization, now),
    };
    refuseFields(errors);
    requireInvitationTextsFit({ tags: input.tags, note: input.note });
    const caller = callerSettingsFor(permissions, input.caller);
    const edited = await tx.invitation.updateMany({
      where: { id: invitation.id, status: 'PENDING' },
      // What accepting may change is now the editor's to decide, within the editor's own scope.
      data: {
        permissions,
        tags: input.tags,
        startsOn: input.startsOn ?? null,
        endsOn: input.endsOn,
        callerSupportLevel: caller?.supportLevel ?? null,
        callerLevel: caller?.callerLevel ?? null,
        scope: scopeOf(admin.roles),
        updatedAt: now,
      },
    });
    if (edited.count === 0) throw new DomainError('not_pending', 'This invitation is no longer pending.');
    const logEntryId = await appendLogEntry(tx, {
      organizationId: invitation.organizationId,
      actorId: admin.member.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationEdited,
      before: {
        invitationId: invitation.id,
        permissions: stringList(invitation.permissions),
        tags: stringList(invitation.tags),
        startsOn: invitation.startsOn,
        endsOn: invitation.endsOn,
        caller: callerOf(invitation),
      },
      after: { invitationId: invitation.id, permissions, tags: input.tags, startsOn: input.startsOn ?? null, endsOn: input.endsOn, caller },
      note: input.note?.trim() || null,
      createdAt: now,
    });
    // The invitee is told by the invitation itself when they accept; every other Administrator now.
    const administrators = (await administratorsOf(tx, invitation.organizationId, now)).map(personSummary);
    await enqueue(tx, accessChangedNotices(logEntryId, { administrators, member: admin.member }, null, false), now);
  }, TRANSACTION_OPTIONS);
}
