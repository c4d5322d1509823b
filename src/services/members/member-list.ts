/**
 * `/access users` and App Home's members section: one page of an organization's members and
 * pending invitations as the viewing admin may see them, each row with what the policy lets them
 * do to it. Selection and bulk actions read their rows the same way (memberRowsOf).
 */
import {
  listedConnections,
  listedInvitations,
  memberListPage,
  selectedKeys,
  type ListedConnection,
  type ListedInvitation,
  type MemberListFilter,
} from '../../db/member-list.js';
import type { SqlTarget } from '../../db/sql.js';
import { addCalendarDays, calendarDateIn, endOfDayIn } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import {
  MEMBER_PAGE_SIZE,
  type MemberListModel,
  type MemberListQuery,
  type MemberMark,
  type MemberRow,
  type MemberRowKey,
} from '../../domain/member-management.js';
import { mayTake, rowCapabilities, type PolicyContext, type SubjectFacts } from '../../domain/member-policy.js';
import { adminRolesOf } from '../../domain/policy.js';
import { graceEndsAt } from '../../domain/time-limits.js';
import { organizationSummary, permissionCatalog, permissionsFor } from '../read-models.js';
import { callerOf, stringList } from '../invitations/stored-invitation.js';
import { managedOrganizations, managingAdmin, type ManagingAdmin } from './managing-admin.js';

/** The default query for an organization (no search, no filters, sort by name, page 0). */
export function defaultMemberQuery(organizationId: number): MemberListQuery {
  return { organizationId, search: null, tag: null, permission: null, status: null, endsWithinDays: null, sort: 'name', page: 0 };
}

/** A row as read, before the viewer's capabilities and selection are added. */
export interface ReadRow {
  key: MemberRowKey;
  subject: SubjectFacts;
  /** The member's Slack id, or null for an invitation to someone Gatehouse does not know. */
  slackUserId: string | null;
  row: Omit<MemberRow, 'can' | 'selected'>;
  /** The stored row, for changes that compare-and-set against it. */
  stored: { kind: 'member'; connection: ListedConnection } | { kind: 'invitation'; invitation: ListedInvitation };
}

export function sameKey(one: MemberRowKey, other: MemberRowKey): boolean {
  if (one.kind === 'member') return other.kind === 'member' && other.connectionId === one.connectionId;
  return other.kind === 'invitation' && other.invitationId === one.invitationId;
}

export function keyText(key: MemberRowKey): string {
  return key.kind === 'member' ? `c${key.connectionId}` : `i${key.invitationId}`;
}

function connectionRow(connection: ListedConnection, timeZone: string, now: Date): ReadRow {
  const catalog = permissionCatalog();
  const ended = connection.status === 'ACTIVE' && connection.endsAt !== null && connection.endsAt <= now;
  const expired = connection.status === 'EXPIRED' || ended;
  const mark: MemberMark = connection.status === 'SUSPENDED' ? 'DISABLED' : expired ? 'EXPIRED' : 'ACTIVE';
  const restorableUntil = expired && connection.endsAt ? graceEndsAt(connection.endsAt, timeZone) : null;
  const tags = stringList(connection.tags);
  const roles = adminRolesOf(
    {
      organizationId: connection.organizationId,
      status: connection.status,
      permissions: connection.permissions,
      startsAt: connection.startsAt,
      endsAt: connection.endsAt,
    },
    now,
  );
  const key: MemberRowKey = { kind: 'member', connectionId: connection.id };
  return {
    key,
    slackUserId: connection.slackUserId,
    subject: {
      memberId: connection.memberId,
      email: connection.email,
      status: connection.status,
      isEffectiveAdministrator: roles.administrator,
      restorable: connection.status === 'EXPIRED' && restorableUntil !== null && now < restorableUntil,
      permissions: connection.permissions,
      tags,
      startsOn: connection.startsOn,
      endsOn: connection.endsOn,
    },
    row: {
      key,
      person: { slackUserId: connection.slackUserId, displayName: connection.displayName, email: connection.email },
      email: connection.email,
      mark,
      restorableUntil,
      permissions: permissionsFor(connection.permissions, catalog),
      tags,
      startsOn: connection.startsOn,
      endsOn: connection.endsOn,
      endsAt: connection.endsAt,
      since: connection.connectedAt,
      caller: callerOf(connection),
    },
    stored: { kind: 'member', connection },
  };
}

function invitationRow(invitation: ListedInvitation, timeZone: string): ReadRow {
  const permissions = stringList(invitation.permissions);
  const tags = stringList(invitation.tags);
  const key: MemberRowKey = { kind: 'invitation', invitationId: invitation.id };
  const person = invitation.person;
  return {
    key,
    slackUserId: person?.slackUserId ?? null,
    subject: {
      memberId: person?.memberId ?? null,
      email: invitation.email,
      status: 'INVITATION',
      isEffectiveAdministrator: false,
      restorable: false,
      permissions,
      tags,
      startsOn: invitation.startsOn,
      endsOn: invitation.endsOn,
    },
    row: {
      key,
      person: person ? { slackUserId: person.slackUserId, displayName: person.displayName, email: person.email } : null,
      email: invitation.email,
      mark: 'PENDING_INVITATION',
      restorableUntil: null,
      permissions: permissionsFor(permissions, permissionCatalog()),
      tags,
      startsOn: invitation.startsOn,
      endsOn: invitation.endsOn,
      endsAt: invitation.endsOn ? endOfDayIn(invitation.endsOn, timeZone) : null,
      since: invitation.issuedAt,
      caller: callerOf(invitation),
    },
    stored: { kind: 'invitation', invitation },
  };
}

/**
 * The rows of these keys that are still on the list (connections not removed, invitations still
 * pending), in the keys' order; keys of rows gone are left out.
 */
export async function memberRowsOf(
  reader: SqlTarget,
  organization: { id: number; timeZone: string },
  keys: readonly MemberRowKey[],
  now: Date,
): Promise<ReadRow[]> {
  const connectionIds = keys.flatMap((key) => (key.kind === 'member' ? [key.connectionId] : []));
  const invitationIds = keys.flatMap((key) => (key.kind === 'invitation' ? [key.invitationId] : []));
  const [connections, invitations] = [
    await listedConnections(reader, organization.id, connectionIds),
    await listedInvitations(reader, organization.id, invitationIds),
  ];
  const read = new Map<string, ReadRow>();
  for (const connection of connections) {
    if (connection.status !== 'REMOVED') read.set(`c${connection.id}`, connectionRow(connection, organization.timeZone, now));
  }
  for (const invitation of invitations) {
    if (invitation.status === 'PENDING') read.set(`i${invitation.id}`, invitationRow(invitation, organization.timeZone));
  }
  return keys.flatMap((key) => read.get(keyText(key)) ?? []);
}

/** The policy's context for one row: today in the organization, and its Administrators other than the subject. */
export function contextFor(admin: ManagingAdmin, read: ReadRow, now: Date): PolicyContext {
  return {
    today: calendarDateIn(now, admin.organization.timeZone),
    otherAdministrators: admin.administrators.filter((person) => person.slackUserId !== read.slackUserId).length,
  };
}

/** The full row the views draw: what was read, with what the viewer may do to it and whether they selected it. */
export function viewedRow(admin: ManagingAdmin, read: ReadRow, selected: ReadonlySet<string>, now: Date): MemberRow {
  return {
    ...read.row,
    selected: selected.has(keyText(read.key)),
    can: rowCapabilities(admin.facts, read.subject, contextFor(admin, read, now)),
  };
}

/** The actor, refused unless the policy lets them see this organization's members list. */
export async function listingAdmin(reader: SqlTarget, actorSlackUserId: string, organizationId: number, now: Date): Promise<ManagingAdmin> {
  const admin = await managingAdmin(reader, actorSlackUserId, organizationId, now);
  const decision = mayTake('users.list', {
    actor: admin.facts,
    context: { today: calendarDateIn(now, admin.organization.timeZone), otherAdministrators: 0 },
  });
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
  return admin;
}

function filterOf(query: MemberListQuery, timeZone: string, now: Date): MemberListFilter {
  const today = calendarDateIn(now, timeZone);
  const search = query.search?.trim() || null;
  const lastDay = query.endsWithinDays !== null ? addCalendarDays(today, query.endsWithinDays) : null;
  return {
    organizationId: query.organizationId,
    search,
    tag: query.tag?.trim() || null,
    permission: query.permission,
    status: query.status,
    endsBy: lastDay ? { at: endOfDayIn(lastDay, timeZone), on: lastDay } : null,
    now,
    today,
  };
}

/** One page of the list as the actor may see it (refuses callers-only admins and non-admins via mayTake('users.list')). */
export async function memberList(reader: SqlTarget, actorSlackUserId: string, query: MemberListQuery, now: Date): Promise<MemberListModel> {
  const admin = await listingAdmin(reader, actorSlackUserId, query.organizationId, now);
  const timeZone = admin.organization.timeZone;
  const { keys, total } = await memberListPage(reader, filterOf(query, timeZone, now), query.sort, {
    offset: query.page * MEMBER_PAGE_SIZE,
    limit: MEMBER_PAGE_SIZE,
  });
  const rows = await memberRowsOf(reader, admin.organization, keys, now);
  const selection = await selectedKeys(reader, admin.member.id, admin.organization.id);
  const selected = new Set(selection.map(keyText));
  const organizations = await managedOrganizations(reader, actorSlackUserId, now);
  return {
    organization: organizationSummary(admin.organization),
    organizations: organizations.map(organizationSummary),
    query,
    rows: rows.map((read) => viewedRow(admin, read, selected, now)),
    total,
    pageSize: MEMBER_PAGE_SIZE,
    selectedCount: selection.length,
    viewerRoles: admin.roles,
  };
}
