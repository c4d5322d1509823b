/** What one permissions-log entry says was changed about someone's access, for the notices about it. */
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import type { AccessChangeNotice, AccessSnapshot, CallerSettings } from '../../domain/read-models.js';
import { organizationSummary, permissionCatalog, permissionsFor, personSummary } from '../read-models.js';

const NOTICE_ACTION: Record<string, AccessChangeNotice['action']> = {
  [LOG_ACTION.memberEdited]: 'edited',
  [LOG_ACTION.memberDisconnected]: 'disconnected',
  [LOG_ACTION.memberRestored]: 'restored',
  [LOG_ACTION.endDateChanged]: 'end_date_changed',
  [LOG_ACTION.callerChanged]: 'caller_changed',
  [LOG_ACTION.invitationEdited]: 'invitation_edited',
};

function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function textIn(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function callerIn(value: unknown): CallerSettings | null {
  if (typeof value !== 'object' || value === null) return null;
  const { supportLevel, callerLevel } = value as Record<string, unknown>;
  if (supportLevel !== 'STANDARD' && supportLevel !== 'PREMIUM') return null;
  return { supportLevel, callerLevel: textIn(callerLevel) };
}

/** A before or after of the log as a notice shows it; invitations have no status of their own there and read as PENDING. */
function snapshotIn(value: unknown, isInvitation: boolean): AccessSnapshot | null {
  if (typeof value !== 'object' || value === null) return null;
  const recorded = value as Record<string, unknown>;
  return {
    status: isInvitation ? 'PENDING' : (textIn(recorded.status) ?? 'ACTIVE'),
    permissions: permissionsFor(stringsIn(recorded.permissions), permissionCatalog()),
    tags: stringsIn(recorded.tags),
    startsOn: textIn(recorded.startsOn),
    endsOn: textIn(recorded.endsOn),
    caller: callerIn(recorded.caller),
  };
}

/** The notice of a change from its log entry; null for an entry that is not a change admins are told about, or is gone. */
export async function accessChangeNotice(reader: SqlTarget, logEntryId: number): Promise<AccessChangeNotice | null> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(
    sql.build
      .selectFrom('PermissionLogEntry as l')
      .innerJoin('Organization as o', 'o.id', 'l.organizationId')
      .innerJoin('Member as a', 'a.id', 'l.actorId')
      .leftJoin('Member as s', 's.id', 'l.subjectMemberId')
      .select([
        'l.id',
        'l.action',
        'l.before',
        'l.after',
        'l.note',
        'l.createdAt',
        'l.subjectEmail',
        'o.id as organizationId',
        'o.name',
        'o.acronym',
        'o.customerNumber',
        'o.city',
        'o.country',
        'o.timeZone',
        'a.slackUserId as actorSlackUserId',
        'a.displayName as actorDisplayName',
        'a.email as actorEmail',
        's.slackUserId as subjectSlackUserId',
        's.displayName as subjectDisplayName',
        's.email as subjectEmailOfMember',
      ])
      .where('l.id', '=', logEntryId),
  );
  const action = row ? NOTICE_ACTION[row.action] : undefined;
  if (!row || !action) return null;
  const isInvitation = action === 'invitation_edited';
  const subject =
    row.subjectSlackUserId !== null && row.subjectDisplayName !== null
      ? personSummary({ slackUserId: row.subjectSlackUserId, displayName: row.subjectDisplayName, email: row.subjectEmailOfMember })
      : null;
  return {
    logEntryId: row.id,
    organization: organizationSummary({ ...row, id: row.organizationId }),
    subject,
    subjectEmail: row.subjectEmail ?? subject?.email ?? null,
    actor: personSummary({ slackUserId: row.actorSlackUserId, displayName: row.actorDisplayName, email: row.actorEmail }),
    action,
    before: snapshotIn(row.before, isInvitation),
    after: snapshotIn(row.after, isInvitation),
    note: row.note,
    at: row.createdAt,
  };
}
