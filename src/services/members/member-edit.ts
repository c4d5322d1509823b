/** Editing one member's access: what the form offers, and the change it submits. */
import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { DomainError, refuseFields } from '../../domain/errors.js';
import { callerSettingsFor, checkInvitationGrant, grantablePermissions, requireInvitationTextsFit } from '../../domain/invitations.js';
import type { MemberMark, MemberRow } from '../../domain/member-management.js';
import { rowCapabilities, type SubjectOutcome } from '../../domain/member-policy.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import type { AdminRoles } from '../../domain/policy.js';
import type { CallerSettings, ConnectionStatus, OrganizationSummary, PermissionInfo } from '../../domain/read-models.js';
import { graceEndsAt } from '../../domain/time-limits.js';
import { checkTimeRange } from '../invitations/grant-checks.js';
import { organizationSummary, permissionCatalog, permissionsFor } from '../read-models.js';
import {
  lockedConnection,
  readConnection,
  recordChange,
  requireAllowed,
  requireRoleChangesAllowed,
  termsOf,
  writeTerms,
  type ConnectionTerms,
  type LockedConnection,
} from './connection-change.js';
import { callerOfConnection } from './managing-admin.js';

export interface MemberEditModel {
  organization: OrganizationSummary;
  /** The member being edited, as the list shows them. */
  row: MemberRow;
  /** What this actor may tick. */
  grantable: PermissionInfo[];
  roles: AdminRoles;
}

const MARK_OF: Record<Exclude<ConnectionStatus, 'REMOVED'>, MemberMark> = { ACTIVE: 'ACTIVE', EXPIRED: 'EXPIRED', SUSPENDED: 'DISABLED' };

async function isSelected(reader: SqlTarget, adminId: number, connectionId: number): Promise<boolean> {
  const sql = sqlOf(reader);
  const rows = await sql.rows(
    sql.build.selectFrom('MemberSelection').select('id').where('adminId', '=', adminId).where('connectionId', '=', connectionId).limit(1),
  );
  return rows.length > 0;
}

async function memberRowOf(reader: SqlTarget, locked: LockedConnection): Promise<MemberRow> {
  const { connection, person, admin } = locked;
  if (connection.status === 'REMOVED')
    throw new DomainError('not_restorable', 'This person is no longer connected; invite them again instead.');
  return {
    key: { kind: 'member', connectionId: connection.id },
    person: { slackUserId: person.slackUserId, displayName: person.displayName, email: person.email },
    email: person.email,
    mark: MARK_OF[connection.status],
    restorableUntil: locked.subject.restorable && connection.endsAt ? graceEndsAt(connection.endsAt, admin.organization.timeZone) : null,
    permissions: permissionsFor(locked.subject.permissions, permissionCatalog()),
    tags: [...locked.subject.tags],
    startsOn: connection.startsOn,
    endsOn: connection.endsOn,
    endsAt: connection.endsAt,
    since: connection.connectedAt,
    caller: callerOfConnection(connection),
    selected: await isSelected(reader, admin.member.id, connection.id),
    can: rowCapabilities(admin.facts, locked.subject, locked.context),
  };
}

/** The Edit form's contents; refuses whoever may not edit this member. */
export async function memberForEditing(
  reader: SqlTarget,
  actorSlackUserId: string,
  connectionId: number,
  now: Date,
): Promise<MemberEditModel> {
  const locked = await readConnection(reader, actorSlackUserId, connectionId, now, false);
  requireAllowed('member.edit', locked);
  return {
    organization: organizationSummary(locked.admin.organization),
    row: await memberRowOf(reader, locked),
    grantable: permissionsFor(grantablePermissions(locked.admin.roles), permissionCatalog()),
    roles: locked.admin.roles,
  };
}

export interface MemberEdit {
  actorSlackUserId: string;
  connectionId: number;
  permissions: string[];
  tags: string[];
  startsOn: string | null;
  endsOn: string | null;
  caller: CallerSettings | null;
  note: string | null;
  notifyMember: boolean;
}

/**
 * Expired access given a new end (or none) comes back: that is a restore, so its 30 days must still
 * be running. Other statuses stay as they are.
 */
function statusAfterEdit(locked: LockedConnection): ConnectionStatus {
  if (locked.connection.status !== 'EXPIRED') return locked.connection.status;
  if (!locked.subject.restorable) {
    throw new DomainError('not_restorable', 'The 30 days to restore this access are over; invite them again instead.');
  }
  return 'ACTIVE';
}

/**
 * One edit of a member's permissions, tags, dates and caller settings: one log entry with before,
 * after and the note; the person is told when asked to be, and always when their end date moves;
 * the other Administrators are told every time.
 */
export async function editMember(prisma: Db, input: MemberEdit, now: Date): Promise<{ logEntryId: number }> {
  return prisma.$transaction(async (tx) => {
    const locked = await lockedConnection(tx, input.actorSlackUserId, input.connectionId, now);
    const permissions = [...new Set(input.permissions)];
    const tags = [...new Set(input.tags.map((tag) => tag.trim()).filter(Boolean))];
    const outcome: SubjectOutcome = {
      status: locked.connection.status === 'EXPIRED' ? 'ACTIVE' : locked.connection.status,
      permissions,
      tags,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
    };
    requireAllowed('member.edit', locked, outcome);
    requireRoleChangesAllowed(locked, outcome);
    refuseFields({
      ...checkInvitationGrant({ permissions, addressCount: 1, caller: input.caller }, locked.admin.roles),
      ...checkTimeRange({ startsOn: input.startsOn, endsOn: input.endsOn }, locked.admin.organization, now),
    });
    requireInvitationTextsFit({ tags, note: input.note });
    const before = termsOf(locked.connection);
    // Caller settings go with both support permissions: losing either ends caller status.
    const after: ConnectionTerms = {
      status: statusAfterEdit(locked),
      permissions,
      tags,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      caller: callerSettingsFor(permissions, input.caller),
    };
    await writeTerms(tx, locked, after, now);
    const endMoved = before.endsOn !== after.endsOn || before.status !== after.status;
    const logEntryId = await recordChange(
      tx,
      locked,
      { action: LOG_ACTION.memberEdited, before, after, note: input.note, notifyMember: input.notifyMember || endMoved },
      now,
    );
    return { logEntryId };
  }, TRANSACTION_OPTIONS);
}
