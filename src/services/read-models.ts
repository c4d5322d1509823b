import type { Db, Tx } from '../db/client.js';
import { sqlOf, type SqlTarget } from '../db/sql.js';
import { compareGrant } from '../domain/access-requests.js';
import { PERMISSION, PERMISSION_CATALOG } from '../domain/permission-catalog.js';
import { LOG_ACTION } from '../domain/permissions-log.js';
import {
  connectionsOfMember,
  connectionsOfPairs,
  connectionsTo,
  countRequests,
  holdersOf,
  memberBySlackId,
  requestsWithPeople,
  requestWithPeople,
  type RequestCondition,
  type RequestWithPeople,
} from '../db/joined-reads.js';
import { adminRolesOf, isConnectionEffective, type ConnectionFacts } from '../domain/policy.js';
import type {
  ConnectionSummary,
  ExpandedConnection,
  MyAccessModel,
  OrganizationSummary,
  PermissionInfo,
  PermissionsChangedNotice,
  PersonSummary,
  RequestCardModel,
  RequestFormModel,
  RequestOutcomeModel,
  RequestStatus,
} from '../domain/read-models.js';

type Reader = Db | Tx;

/** Organizations up to this many are offered in a static select; beyond it the select searches. */
export const STATIC_ORGANIZATION_LIMIT = 100;
/** How many awaiting requests App Home and `/access me` list in full. */
const AWAITING_LISTED = 20;

/**
 * The permissions people can hold, in the order they see them. The catalog is part of the product,
 * so it is read from code; the server stores the same catalog at start for the database's keys.
 */
export function permissionCatalog(): PermissionInfo[] {
  return PERMISSION_CATALOG.map(({ key, name, description, adminScope }) => ({ key, name, description, adminScope }));
}

/** Catalog entries for keys, in catalog order; unknown keys are dropped. */
export function permissionsFor(keys: Iterable<string>, catalog: PermissionInfo[]): PermissionInfo[] {
  const wanted = new Set(keys);
  return catalog.filter((permission) => wanted.has(permission.key));
}

export function organizationSummary(organization: OrganizationSummary): OrganizationSummary {
  const { id, name, acronym, customerNumber, city, country, timeZone } = organization;
  return { id, name, acronym, customerNumber, city, country, timeZone };
}

export function personSummary(member: { slackUserId: string; displayName: string; email: string | null }): PersonSummary {
  return { slackUserId: member.slackUserId, displayName: member.displayName, email: member.email };
}

type ConnectionRow = {
  organizationId: number;
  status: ConnectionFacts['status'];
  startsAt: Date | null;
  endsAt: Date | null;
  startsOn: string | null;
  endsOn: string | null;
  tags: unknown;
  permissions: Array<{ permissionKey: string }>;
  organization: Parameters<typeof organizationSummary>[0];
};

export function connectionFacts(row: Omit<ConnectionRow, 'organization' | 'startsOn' | 'endsOn' | 'tags'>): ConnectionFacts {
  return {
    organizationId: row.organizationId,
    status: row.status,
    permissions: row.permissions.map((grant) => grant.permissionKey),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
  };
}

function connectionSummary(row: ConnectionRow, catalog: PermissionInfo[]): ConnectionSummary {
  return {
    organization: organizationSummary(row.organization),
    status: row.status,
    permissions: permissionsFor(
      row.permissions.map((grant) => grant.permissionKey),
      catalog,
    ),
    tags: Array.isArray(row.tags) ? row.tags.filter((tag): tag is string => typeof tag === 'string') : [],
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    endsAt: row.endsAt,
  };
}

/** The person's connection to an organization, if they have one that has not been removed. */
export async function connectionOf(reader: Reader, memberId: number, organizationId: number) {
  const [row] = await connectionsTo(reader, organizationId, [memberId]);
  return row && row.status !== 'REMOVED' ? row : null;
}

/**
 * The permissions a member holds in an organization now, which a request cannot ask for again.
 * Access that expired (in its grace period) or was suspended holds nothing: its owner may ask anew.
 */
export async function heldPermissionKeys(reader: Reader, memberId: number, organizationId: number): Promise<Set<string>> {
  const connection = await connectionOf(reader, memberId, organizationId);
  return new Set(connection?.status === 'ACTIVE' ? connection.permissions.map((grant) => grant.permissionKey) : []);
}

type RequestRow = RequestWithPeople;

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Card models for several requests, with their requesters' connections read in one query. */
async function cardModelsOf(reader: SqlTarget, rows: RequestRow[], catalog: PermissionInfo[]): Promise<RequestCardModel[]> {
  const connections = await connectionsOfPairs(
    reader,
    rows.filter((row) => row.organizationId !== null).map((row) => ({ memberId: row.requesterId, organizationId: row.organizationId! })),
  );
  const connectionFor = (row: RequestRow) =>
    connections.find((connection) => connection.memberId === row.requesterId && connection.organizationId === row.organizationId) ?? null;
  return rows.map((row) => cardModel(row, connectionFor(row), catalog));
}

function cardModel(
  row: RequestRow,
  connection: (ConnectionRow & { memberId: number }) | null,
  catalog: PermissionInfo[],
): RequestCardModel {
  const decided = (row.status === 'APPROVED' || row.status === 'DENIED') && row.decidedBy && row.decidedAt;
  return {
    requestId: row.id,
    status: row.status as RequestStatus,
    requester: personSummary(row.requester),
    organization: row.organization ? organizationSummary(row.organization) : null,
    unlisted:
      row.unlistedName !== null
        ? {
            customerNumber: row.unlistedCustomerNumber,
            name: row.unlistedName,
            acronym: row.unlistedAcronym,
            department: row.unlistedDepartment,
            city: row.unlistedCity,
          }
        : null,
    requested: permissionsFor(stringList(row.requestedPermissions), catalog),
    purpose: row.purpose,
    createdAt: row.createdAt,
    currentConnection: connection ? connectionSummary(connection, catalog) : null,
    decision: decided
      ? {
          outcome: row.status as 'APPROVED' | 'DENIED',
          by: personSummary(row.decidedBy!),
          at: row.decidedAt!,
          granted: permissionsFor(stringList(row.grantedPermissions), catalog),
          note: row.decisionNote,
          endsOn: row.status === 'APPROVED' ? (connection?.endsOn ?? null) : null,
        }
      : null,
    withdrawnAt: row.status === 'WITHDRAWN' ? row.updatedAt : null,
    inTriage: row.inTriage,
  };
}

export async function requestCard(reader: SqlTarget, requestId: number): Promise<RequestCardModel | null> {
  return (await requestCardAndCatalog(reader, requestId))?.card ?? null;
}

/** A request's card together with the catalog it was drawn with, read once for forms that need both. */
export async function requestCardAndCatalog(reader: SqlTarget, requestId: number) {
  const loaded = await requestWithPeople(reader, requestId, null);
  if (!loaded) return null;
  return requestCardFrom(loaded.request, await requesterConnections(reader, loaded.request, []));
}

/**
 * The requester's connection to the request's organization, together with those of other members
 * (such as the admin deciding it), read in one statement.
 */
export async function requesterConnections(reader: SqlTarget, request: RequestRow, otherMemberIds: number[]) {
  return request.organizationId === null ? [] : connectionsTo(reader, request.organizationId, [request.requesterId, ...otherMemberIds]);
}

/** A request's card from rows already read; `connections` must hold the requester's, if any. */
export function requestCardFrom(request: RequestRow, connections: Awaited<ReturnType<typeof connectionsTo>>) {
  const catalog = permissionCatalog();
  const connection = connections.find((candidate) => candidate.memberId === request.requesterId && candidate.status !== 'REMOVED') ?? null;
  return { card: cardModel(request, connection, catalog), catalog, requesterId: request.requesterId };
}

/** What the `/access request` modal offers this person for the chosen organization. */
export async function requestForm(
  reader: Reader,
  slackUserId: string,
  choice: { organizationId: number | null; unlisted: boolean },
): Promise<RequestFormModel> {
  const catalog = permissionCatalog();
  const organizationCount = await reader.organization.count();
  const organizationOptions =
    organizationCount <= STATIC_ORGANIZATION_LIMIT
      ? (await reader.organization.findMany({ orderBy: { name: 'asc' } })).map(organizationSummary)
      : null;
  const selected = choice.organizationId ? await reader.organization.findUnique({ where: { id: choice.organizationId } }) : null;
  const member = await reader.member.findUnique({ where: { slackUserId } });
  const heldKeys = selected && member ? await heldPermissionKeys(reader, member.id, selected.id) : new Set<string>();
  return {
    organizationOptions,
    selectedOrganization: selected ? organizationSummary(selected) : null,
    held: permissionsFor(heldKeys, catalog),
    requestable: catalog.filter((permission) => !heldKeys.has(permission.key)),
    unlisted: choice.unlisted,
  };
}

/** Organizations whose name, acronym or customer number matches what was typed, for an external select. */
export async function searchOrganizations(reader: Reader, query: string, limit = STATIC_ORGANIZATION_LIMIT) {
  const text = query.trim().toLowerCase();
  const rows = await reader.organization.findMany({
    where: text ? { OR: [{ searchText: { contains: text } }, { customerNumber: { startsWith: text } }] } : {},
    orderBy: { name: 'asc' },
    take: limit,
  });
  return rows.map(organizationSummary);
}

/** The organizations where this member is an effective Administrator. */
export async function administeredOrganizationIds(reader: Reader, memberId: number, now: Date): Promise<number[]> {
  const rows = await reader.connection.findMany({
    where: { memberId, status: 'ACTIVE', permissions: { some: { permissionKey: PERMISSION.administrator } } },
    include: { permissions: { select: { permissionKey: true } } },
  });
  return rows.filter((row) => adminRolesOf(connectionFacts(row), now).administrator).map((row) => row.organizationId);
}

/** Slack user ids of an organization's effective Administrators. */
export async function administratorsOf(reader: SqlTarget, organizationId: number, now: Date) {
  const holders = await holdersOf(reader, organizationId, PERMISSION.administrator);
  return holders
    .filter(({ startsAt, endsAt }) =>
      isConnectionEffective({ organizationId, status: 'ACTIVE', permissions: [PERMISSION.administrator], startsAt, endsAt }, now),
    )
    .map(({ member }) => member);
}

/**
 * `/access me` and App Home for one person; `expandedOrganizationId` opens that organization's
 * details (ignored when the person is not connected to it).
 */
export async function myAccess(
  reader: SqlTarget,
  slackUserId: string,
  now: Date,
  expandedOrganizationId: number | null = null,
): Promise<MyAccessModel> {
  const catalog = permissionCatalog();
  const member = await memberBySlackId(reader, slackUserId);
  const person = member ? personSummary(member) : { slackUserId, displayName: slackUserId, email: null };
  if (!member) {
    return { person, connections: [], pendingRequests: [], awaitingDecision: [], awaitingCount: 0, isAdmin: false };
  }
  const connections = await connectionsOfMember(reader, member.id);
  const pending = await requestsWithPeople(reader, (eb) => eb.and([eb('r.requesterId', '=', member.id), eb('r.status', '=', 'PENDING')]));
  const administered = connections
    .filter((connection) => connection.status === 'ACTIVE' && adminRolesOf(connectionFacts(connection), now).administrator)
    .map((connection) => connection.organizationId);
  const awaiting: RequestCondition = (eb) =>
    eb.and([eb('r.organizationId', 'in', administered), eb('r.status', '=', 'PENDING'), eb('r.requesterId', '<>', member.id)]);
  const awaitingCount = administered.length > 0 ? await countRequests(reader, awaiting) : 0;
  const awaitingRows = awaitingCount > 0 ? await requestsWithPeople(reader, awaiting, AWAITING_LISTED) : [];
  return {
    person,
    connections: connections.map((row) => connectionSummary(row, catalog)),
    pendingRequests: pending.map((row) => ({
      requestId: row.id,
      organizationLabel: row.organization?.name ?? row.unlistedName ?? 'Unlisted organization',
      requested: permissionsFor(stringList(row.requestedPermissions), catalog),
      purpose: row.purpose,
      createdAt: row.createdAt,
    })),
    awaitingDecision: await cardModelsOf(reader, awaitingRows, catalog),
    awaitingCount,
    isAdmin: administered.length > 0,
    expanded: await expandedConnection(reader, connections, expandedOrganizationId, now),
  };
}

async function expandedConnection(
  reader: SqlTarget,
  connections: ReadonlyArray<{ organizationId: number; connectedAt: Date }>,
  organizationId: number | null,
  now: Date,
): Promise<ExpandedConnection | null> {
  const connection = organizationId === null ? undefined : connections.find((candidate) => candidate.organizationId === organizationId);
  if (!connection) return null;
  const administrators = (await administratorsOf(reader, connection.organizationId, now)).map(personSummary);
  return { organizationId: connection.organizationId, connectedAt: connection.connectedAt, administrators };
}

/** The requester's outcome DM, or null when the request is not decided. */
export async function requestOutcome(reader: SqlTarget, requestId: number): Promise<RequestOutcomeModel | null> {
  const read = await requestCardAndCatalog(reader, requestId);
  const card = read?.card;
  if (!read || !card?.decision) return null;
  // What they asked for is measured against what they would have had: their earlier permissions
  // plus the new ones, so keeping what they held is not reported as "added".
  const heldBefore = card.decision.outcome === 'APPROVED' ? await permissionsHeldBefore(reader, read.requesterId, requestId) : [];
  const asked = card.requested.map((permission) => permission.key);
  const granted = card.decision.granted.map((permission) => permission.key);
  const { removed } = compareGrant(asked, granted);
  const { added } = compareGrant([...asked, ...heldBefore], granted);
  return {
    request: card,
    decision: card.decision,
    differences:
      card.decision.outcome === 'APPROVED'
        ? { added: permissionsFor(added, card.decision.granted), removed: permissionsFor(removed, card.requested) }
        : { added: [], removed: [] },
  };
}

/** The permissions a requester held just before their request was approved, from the log. */
async function permissionsHeldBefore(reader: SqlTarget, requesterId: number, requestId: number): Promise<string[]> {
  const sql = sqlOf(reader);
  const entries = await sql.rows(
    sql.build
      .selectFrom('PermissionLogEntry')
      .select(['before', 'after'])
      .where('subjectMemberId', '=', requesterId)
      .where('action', '=', LOG_ACTION.requestApproved)
      .orderBy('id', 'desc')
      .limit(50),
  );
  const entry = entries.find((candidate) => snapshotRequestId(candidate) === requestId);
  return entry ? snapshotPermissions(entry.before) : [];
}

const logEntryInclude = { organization: true, actor: true, subjectMember: true } as const;

function snapshotPermissions(snapshot: unknown): string[] {
  if (typeof snapshot !== 'object' || snapshot === null || !('permissions' in snapshot)) return [];
  return stringList((snapshot as { permissions: unknown }).permissions);
}

function snapshotRequestId(entry: { before: unknown; after: unknown }): number | null {
  for (const snapshot of [entry.after, entry.before]) {
    if (typeof snapshot === 'object' && snapshot !== null && 'requestId' in snapshot) {
      const id = (snapshot as { requestId: unknown }).requestId;
      if (typeof id === 'number') return id;
    }
  }
  return null;
}

/** An admin's notice that someone's permissions changed, drawn from a permissions-log entry. */
export async function permissionsChangedNotice(reader: Reader, logEntryId: number): Promise<PermissionsChangedNotice | null> {
  const entry = await reader.permissionLogEntry.findUnique({ where: { id: logEntryId }, include: logEntryInclude });
  if (!entry?.organization || !entry.actor || !entry.subjectMember) return null;
  const catalog = permissionCatalog();
  return {
    organization: organizationSummary(entry.organization),
    subject: personSummary(entry.subjectMember),
    actor: personSummary(entry.actor),
    before: permissionsFor(snapshotPermissions(entry.before), catalog),
    after: permissionsFor(snapshotPermissions(entry.after), catalog),
    requestId: snapshotRequestId(entry),
    invitationId: entry.action === 'invitation.accepted' ? snapshotInvitationId(entry) : null,
    note: entry.note,
  };
}

function snapshotInvitationId(entry: { before: unknown; after: unknown }): number | null {
  for (const snapshot of [entry.after, entry.before]) {
    if (typeof snapshot === 'object' && snapshot !== null && 'invitationId' in snapshot) {
      const id = (snapshot as { invitationId: unknown }).invitationId;
      if (typeof id === 'number') return id;
    }
  }
  return null;
}

/** Organizations for a select on a triage card: all of them when few, else null (the select searches). */
export async function organizationChoices(reader: Reader): Promise<OrganizationSummary[] | null> {
  if ((await reader.organization.count()) > STATIC_ORGANIZATION_LIMIT) return null;
  return (await reader.organization.findMany({ orderBy: { name: 'asc' } })).map(organizationSummary);
}
