/**
 * The steps every change to one member's connection shares: take its locks, read it and the actor
 * under them, write the new terms with a compare-and-set, and log and announce the change in the
 * same transaction.
 */
import type { Tx } from '../../db/client.js';
import { connectionsTo } from '../../db/joined-reads.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { appendLogEntry } from '../../db/permission-log.js';
import { endOfDayIn, startOfDayIn } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { MANAGEMENT_ACTIONS, type ManagementAction } from '../../domain/member-management.js';
import { mayTake, roleOfAction, type PolicyContext, type SubjectFacts, type SubjectOutcome } from '../../domain/member-policy.js';
import type { OutboxItem } from '../../domain/outbox-messages.js';
import { connectionSnapshot, type LogAction } from '../../domain/permissions-log.js';
import type { CallerSettings, ConnectionStatus, PersonSummary } from '../../domain/read-models.js';
import { enqueue } from '../outbox.js';
import { personSummary } from '../read-models.js';
import {
  callerOfConnection,
  managingAdmin,
  permissionKeysOf,
  policyContextFor,
  subjectFactsOf,
  tagsOf,
  type ManagedConnection,
  type ManagingAdmin,
} from './managing-admin.js';

/** A connection as a change finds it, read under its locks. */
export interface LockedConnection {
  admin: ManagingAdmin;
  connection: ManagedConnection;
  person: PersonSummary & { id: number };
  subject: SubjectFacts;
  context: PolicyContext;
}

/**
 * Locks the connection and its organization, then reads the actor and the connection. The
 * organization's lock is taken for every change: whether the subject is an Administrator can only be
 * known after reading, and two changes that each remove an Administrator must take turns for the
 * last-Administrator check to hold.
 */
export async function lockedConnection(
  tx: Tx,
  actorSlackUserId: string,
  connectionId: number,
  now: Date,
  what?: string,
): Promise<LockedConnection> {
  return readConnection(tx, actorSlackUserId, connectionId, now, true, what);
}

/** The connection and the actor as they stand, for a form; `lock` takes the change's locks first (inside a transaction). */
export async function readConnection(
  reader: SqlTarget,
  actorSlackUserId: string,
  connectionId: number,
  now: Date,
  lock: boolean,
  what?: string,
): Promise<LockedConnection> {
  const sql = sqlOf(reader);
  const [whose] = await sql.rows(
    sql.build
      .selectFrom('Connection as c')
      .innerJoin('Organization as o', 'o.id', 'c.organizationId')
      .select(['c.organizationId', 'c.memberId', 'o.customerNumber'])
      .where('c.id', '=', connectionId),
  );
  if (!whose) throw new DomainError('unknown_connection', 'That member is no longer connected to this organization.');
  if (lock) {
    // In the order the operators' Administrator changes take them: the organization, then the connection.
    await lockKeys(reader, LOCK.organization(whose.customerNumber));
    await lockKeys(reader, LOCK.connection(whose.organizationId, whose.memberId));
  }
  const admin = await managingAdmin(reader, actorSlackUserId, whose.organizationId, now, what);
  const [connection] = await connectionsTo(reader, whose.organizationId, [whose.memberId]);
  const [member] = await sql.rows(
    sql.build.selectFrom('Member').select(['id', 'slackUserId', 'displayName', 'email']).where('id', '=', whose.memberId),
  );
  const person = { id: member!.id, ...personSummary(member!) };
  return {
    admin,
    connection: connection!,
    person,
    subject: subjectFactsOf(connection!, member!.email, now),
    context: policyContextFor(admin, member!.slackUserId, now),
  };
}

/** Refuses with the policy's reason unless it allows the action. */
export function requireAllowed(action: ManagementAction, locked: LockedConnection, after?: SubjectOutcome): void {
  const decision = mayTake(action, { actor: locked.admin.facts, subject: locked.subject, after, context: locked.context });
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
}

const ROLE_ACTIONS = MANAGEMENT_ACTIONS.filter((action) => roleOfAction(action) !== undefined);

/** Each admin role the change gives or takes away has to be allowed on its own. */
export function requireRoleChangesAllowed(locked: LockedConnection, after: SubjectOutcome): void {
  const before = new Set(locked.subject.status === 'REMOVED' ? [] : locked.subject.permissions);
  const now = new Set(after.status === 'REMOVED' ? [] : after.permissions);
  for (const action of ROLE_ACTIONS) {
    const role = roleOfAction(action)!;
    const changes = role.grant
      ? !before.has(role.permission) && now.has(role.permission)
      : before.has(role.permission) && !now.has(role.permission);
    if (changes) requireAllowed(action, locked);
  }
}

/** What a connection holds after a change. */
export interface ConnectionTerms {
  status: ConnectionStatus;
  permissions: string[];
  tags: string[];
  startsOn: string | null;
  endsOn: string | null;
  caller: CallerSettings | null;
}

export function termsOf(connection: ManagedConnection): ConnectionTerms {
  return {
    status: connection.status,
    permissions: permissionKeysOf(connection),
    tags: tagsOf(connection),
    startsOn: connection.startsOn,
    endsOn: connection.endsOn,
    caller: callerOfConnection(connection),
  };
}

/** The log's record of a connection's terms, caller settings included. */
export function snapshotOf(connectionId: number, terms: ConnectionTerms) {
  return { connectionId, ...connectionSnapshot(terms), caller: terms.caller };
}

/**
 * Writes the new terms, only if the connection's status is still the one read: the time-limit job
 * moves connections on without taking their lock.
 */
export async function writeTerms(
  tx: Tx,
  // Only the connection and its organization's time zone: a member leaving writes their own terms, with no admin acting.
  locked: Pick<LockedConnection, 'connection'> & { admin: { organization: { timeZone: string } } },
  terms: ConnectionTerms,
  now: Date,
): Promise<void> {
  const { connection } = locked;
  const timeZone = locked.admin.organization.timeZone;
  // SQL rather than the ORM: digest buttons and bulk actions run this many times in a row.
  const sql = sqlOf(tx);
  const changed = await sql.execute(
    sql.build
      .updateTable('Connection')
      .set({
        status: terms.status,
        tags: JSON.stringify(terms.tags),
        startsOn: terms.startsOn,
        startsAt: terms.startsOn ? startOfDayIn(terms.startsOn, timeZone) : null,
        endsOn: terms.endsOn,
        endsAt: terms.endsOn ? endOfDayIn(terms.endsOn, timeZone) : null,
        callerSupportLevel: terms.caller?.supportLevel ?? null,
        callerLevel: terms.caller?.callerLevel ?? null,
        expiredAt: terms.status === 'EXPIRED' ? connection.expiredAt : null,
        removedAt: terms.status === 'REMOVED' ? now : null,
        updatedAt: now,
      })
      .where('id', '=', connection.id)
      .where('status', '=', connection.status),
  );
  if (changed === 0) throw new DomainError('changed', 'This access changed just now. Look at it again before changing it.');
  const held = new Set(permissionKeysOf(connection));
  const unchanged = held.size === terms.permissions.length && terms.permissions.every((key) => held.has(key));
  if (unchanged) return;
  await sql.execute(sql.build.deleteFrom('ConnectionPermission').where('connectionId', '=', connection.id));
  if (terms.permissions.length > 0) {
    await sql.execute(
      sql.build
        .insertInto('ConnectionPermission')
        .values(terms.permissions.map((permissionKey) => ({ connectionId: connection.id, permissionKey }))),
    );
  }
}

/**
 * Logs one change and queues its notices: the person when `notifyMember`, every effective
 * Administrator but the actor every time (the subject among them, when not told as the member),
 * and the person's App Home.
 */
export async function recordChange(
  tx: Tx,
  locked: LockedConnection,
  change: { action: LogAction; before: ConnectionTerms; after: ConnectionTerms; note: string | null; notifyMember: boolean },
  now: Date,
): Promise<number> {
  const { admin, connection, person } = locked;
  const logEntryId = await appendLogEntry(tx, {
    organizationId: connection.organizationId,
    actorId: admin.member.id,
    subjectMemberId: person.id,
    action: change.action,
    before: snapshotOf(connection.id, change.before),
    after: snapshotOf(connection.id, change.after),
    note: change.note?.trim() || null,
    createdAt: now,
  });
  await enqueue(tx, accessChangedNotices(logEntryId, admin, person.slackUserId, change.notifyMember), now);
  return logEntryId;
}

/** The `access.changed` notices of one change, and the subject's App Home refresh. */
export function accessChangedNotices(
  logEntryId: number,
  admin: Pick<ManagingAdmin, 'administrators' | 'member'>,
  subjectSlackUserId: string | null,
  notifyMember: boolean,
): OutboxItem[] {
  const items: OutboxItem[] = [];
  if (subjectSlackUserId && notifyMember)
    items.push({ kind: 'access.changed', logEntryId, userId: subjectSlackUserId, audience: 'member' });
  for (const administrator of admin.administrators) {
    if (administrator.slackUserId === admin.member.slackUserId) continue;
    if (administrator.slackUserId === subjectSlackUserId && notifyMember) continue;
    items.push({ kind: 'access.changed', logEntryId, userId: administrator.slackUserId, audience: 'administrator' });
  }
  if (subjectSlackUserId) items.push({ kind: 'home.refresh', userId: subjectSlackUserId });
  return items;
}
