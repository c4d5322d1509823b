/**
 * What the audit channel's line about one change shows: the entries it appended to an
 * organization's log, read by their sequence numbers when the line is posted.
 */
import { sqlOf, type SqlTarget } from '../db/sql.js';
import { chainOf } from '../domain/log-chain.js';
import type { OutboxItem } from '../domain/outbox-messages.js';
import type { OrganizationSummary, PermissionInfo, PersonSummary } from '../domain/read-models.js';
import { organizationSummary, permissionCatalog, permissionsFor } from './read-models.js';

/** A batch's line names this many entries; the rest are counted. */
export const AUDIT_ENTRIES_SHOWN = 10;

export interface AuditEntry {
  sequence: number;
  action: string;
  actor: PersonSummary | null;
  /** "system" or "operator" when no member acted. */
  actorLabel: string | null;
  subject: PersonSummary | null;
  subjectEmail: string | null;
  /** What the subject holds after the change (or held before it, when the change took everything). */
  permissions: PermissionInfo[];
  at: Date;
}

export interface AuditLinesModel {
  organization: OrganizationSummary;
  fromSequence: number;
  toSequence: number;
  /** The first entries of the range, in sequence order. */
  entries: AuditEntry[];
}

/** The permissions of a log snapshot, which the SQL layer hands back as parsed JSON. */
function permissionKeysOf(snapshot: unknown): string[] {
  const permissions = (snapshot as { permissions?: unknown } | null)?.permissions;
  return Array.isArray(permissions) ? permissions.filter((key): key is string => typeof key === 'string') : [];
}

function person(slackUserId: string | null, displayName: string | null, email: string | null): PersonSummary | null {
  return slackUserId === null ? null : { slackUserId, displayName: displayName ?? slackUserId, email };
}

export async function auditLines(reader: SqlTarget, item: Extract<OutboxItem, { kind: 'audit.entries' }>): Promise<AuditLinesModel | null> {
  const sql = sqlOf(reader);
  const [organization] = await sql.rows(sql.build.selectFrom('Organization').selectAll().where('id', '=', item.organizationId));
  if (!organization) return null;
  const rows = await sql.rows(
    sql.build
      .selectFrom('PermissionLogEntry as e')
      .leftJoin('Member as a', 'a.id', 'e.actorId')
      .leftJoin('Member as s', 's.id', 'e.subjectMemberId')
      .select([
        'e.sequence',
        'e.action',
        'e.actorLabel',
        'e.subjectEmail',
        'e.before',
        'e.after',
        'e.createdAt',
        'a.slackUserId as actorSlackUserId',
        'a.displayName as actorName',
        'a.email as actorEmail',
        's.slackUserId as subjectSlackUserId',
        's.displayName as subjectName',
        's.email as subjectMemberEmail',
      ])
      .where('e.chain', '=', chainOf(item.organizationId))
      .where('e.sequence', '>=', item.fromSequence)
      .where('e.sequence', '<=', item.toSequence)
      .orderBy('e.sequence', 'asc')
      .limit(AUDIT_ENTRIES_SHOWN),
  );
  const catalog = permissionCatalog();
  return {
    organization: organizationSummary(organization),
    fromSequence: item.fromSequence,
    toSequence: item.toSequence,
    entries: rows.map((row) => {
      const after = permissionKeysOf(row.after);
      return {
        sequence: row.sequence ?? 0,
        action: row.action,
        actor: person(row.actorSlackUserId, row.actorName, row.actorEmail),
        actorLabel: row.actorLabel,
        subject: person(row.subjectSlackUserId, row.subjectName, row.subjectMemberEmail),
        subjectEmail: row.subjectEmail,
        permissions: permissionsFor(after.length > 0 ? after : permissionKeysOf(row.before), catalog),
        at: new Date(row.createdAt),
      };
    }),
  };
}
