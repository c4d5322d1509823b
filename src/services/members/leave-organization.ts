/**
 * A member leaves an organization themselves (`/access leave`): the same change as an admin's
 * disconnect (every permission gone, the record and history kept), logged as theirs, and the
 * organization's Administrators told.
 */
import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { connectionsTo, memberBySlackId } from '../../db/joined-reads.js';
import { LOCK, lockKeys } from '../../db/locks.js';
import { appendLogEntry } from '../../db/permission-log.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { calendarDateIn } from '../../domain/dates.js';
import { requireInvitationTextsFit } from '../../domain/invitations.js';
import { DomainError } from '../../domain/errors.js';
import { mayLeaveOrganization } from '../../domain/member-policy.js';
import type { OutboxItem } from '../../domain/outbox-messages.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import type { MemberLeftNotice } from '../../domain/self-service.js';
import { enqueue } from '../outbox.js';
import { administratorsOf, organizationSummary, permissionCatalog, permissionsFor, personSummary } from '../read-models.js';
import { snapshotOf, termsOf, writeTerms, type ConnectionTerms } from './connection-change.js';
import { subjectFactsOf } from './managing-admin.js';

const NOT_CONNECTED = 'You are not connected to that organization any more, so there is nothing to leave.';

/**
 * The person's connection to the organization and whether the policy lets them leave it, read as
 * it stands (take the locks first to act on it). Refuses, with the policy's reason, when it does not.
 */
async function leavingStanding(reader: SqlTarget, slackUserId: string, organizationId: number, now: Date, lock: boolean) {
  const sql = sqlOf(reader);
  const member = await memberBySlackId(reader, slackUserId);
  const [organization] = await sql.rows(sql.build.selectFrom('Organization').selectAll().where('id', '=', organizationId));
  if (!member || !organization) throw new DomainError('unknown_connection', NOT_CONNECTED);
  if (lock) {
    // In the order every change to a connection takes them, so the last-Administrator check holds against admins' changes.
    await lockKeys(reader, LOCK.organization(organization.customerNumber));
    await lockKeys(reader, LOCK.connection(organization.id, member.id));
  }
  const [connection] = await connectionsTo(reader, organization.id, [member.id]);
  if (!connection || connection.status === 'REMOVED') throw new DomainError('unknown_connection', NOT_CONNECTED);
  const administrators = (await administratorsOf(reader, organization.id, now)).map(personSummary);
  const others = administrators.filter((administrator) => administrator.slackUserId !== slackUserId);
  const decision = mayLeaveOrganization(
    subjectFactsOf(connection, member.email, now),
    { today: calendarDateIn(now, organization.timeZone), otherAdministrators: others.length },
    organization.name,
  );
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
  return { member, organization: organizationSummary(organization), connection, administrators: others };
}

/** What leaving would take away, for the confirmation; refuses as leaving itself would. */
export async function leavingPreview(reader: SqlTarget, slackUserId: string, organizationId: number, now: Date) {
  const { organization, connection, administrators } = await leavingStanding(reader, slackUserId, organizationId, now, false);
  const permissions = permissionsFor(
    connection.permissions.map((grant) => grant.permissionKey),
    permissionCatalog(),
  );
  return { organization, permissions, administrators };
}

export async function leaveOrganization(
  prisma: Db,
  input: { slackUserId: string; organizationId: number; note: string | null },
  now: Date,
): Promise<{ logEntryId: number; organization: OrganizationSummary; administratorsTold: number }> {
  requireInvitationTextsFit({ note: input.note });
  return prisma.$transaction(async (tx) => {
    const { member, organization, connection, administrators } = await leavingStanding(
      tx,
      input.slackUserId,
      input.organizationId,
      now,
      true,
    );
    const before = termsOf(connection);
    const after: ConnectionTerms = { ...before, status: 'REMOVED', permissions: [], caller: null };
    await writeTerms(tx, { connection, admin: { organization } }, after, now);
    const logEntryId = await appendLogEntry(tx, {
      organizationId: organization.id,
      actorId: member.id,
      subjectMemberId: member.id,
      action: LOG_ACTION.memberLeft,
      before: snapshotOf(connection.id, before),
      after: snapshotOf(connection.id, after),
      note: input.note?.trim() || null,
      createdAt: now,
    });
    const notices: OutboxItem[] = administrators.map((administrator) => ({
      kind: 'member.left',
      logEntryId,
      userId: administrator.slackUserId,
    }));
    await enqueue(tx, [...notices, { kind: 'home.refresh', userId: input.slackUserId }], now);
    return { logEntryId, organization, administratorsTold: administrators.length };
  }, TRANSACTION_OPTIONS);
}

function permissionsIn(snapshot: unknown): string[] {
  if (typeof snapshot !== 'object' || snapshot === null) return [];
  const permissions = (snapshot as { permissions?: unknown }).permissions;
  return Array.isArray(permissions) ? permissions.filter((key): key is string => typeof key === 'string') : [];
}

/** The Administrators' notice of someone leaving, from its log entry; null when the entry is not one. */
export async function memberLeftNotice(reader: SqlTarget, logEntryId: number): Promise<MemberLeftNotice | null> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(
    sql.build
      .selectFrom('PermissionLogEntry as l')
      .innerJoin('Organization as o', 'o.id', 'l.organizationId')
      .innerJoin('Member as m', 'm.id', 'l.subjectMemberId')
      .select([
        'l.id',
        'l.action',
        'l.before',
        'l.note',
        'l.createdAt',
        'o.id as organizationId',
        'o.name',
        'o.acronym',
        'o.customerNumber',
        'o.city',
        'o.country',
        'o.timeZone',
        'm.slackUserId',
        'm.displayName',
        'm.email',
      ])
      .where('l.id', '=', logEntryId),
  );
  if (!row || row.action !== LOG_ACTION.memberLeft) return null;
  return {
    logEntryId: row.id,
    organization: organizationSummary({ ...row, id: row.organizationId }),
    member: personSummary(row),
    permissions: permissionsFor(permissionsIn(row.before), permissionCatalog()),
    note: row.note,
    at: row.createdAt,
  };
}
