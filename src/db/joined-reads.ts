import { Prisma, type AccessRequest, type Connection, type Member, type Organization } from './generated/sqlite/client.js';
import { sqlOf, type SqlTarget } from './sql.js';

/*
 * Reads on the decision path, each one SQL statement where Prisma's includes would take several
 * round trips (it fetches every relation separately on SQLite). The statements use only quoted
 * identifiers and portable SQL, so they run unchanged on SQLite and PostgreSQL, through Prisma or
 * straight on the driver (see sql.ts); either way dates come back as Date, JSON parsed and enums as
 * strings, exactly as the models describe.
 */

/** Every column of a model, checked by the compiler so that a new column cannot be forgotten here. */
function allColumns<Model>() {
  return <const Names extends readonly (keyof Model & string)[]>(
    names: Names & ([Exclude<keyof Model, Names[number]>] extends [never] ? unknown : 'a column is missing'),
  ) => names;
}

const MEMBER_COLUMNS = allColumns<Member>()([
  'id',
  'slackUserId',
  'slackTeamId',
  'email',
  'displayName',
  'language',
  'createdAt',
  'updatedAt',
]);
const ORGANIZATION_COLUMNS = allColumns<Organization>()([
  'id',
  'name',
  'acronym',
  'customerNumber',
  'city',
  'country',
  'timeZone',
  'adminChannelId',
  'auditChannelId',
  'searchText',
  'createdAt',
  'updatedAt',
]);
const CONNECTION_COLUMNS = allColumns<Connection>()([
  'id',
  'organizationId',
  'memberId',
  'status',
  'tags',
  'startsOn',
  'endsOn',
  'startsAt',
  'endsAt',
  'callerSupportLevel',
  'callerLevel',
  'connectedById',
  'connectedAt',
  'expiredAt',
  'removedAt',
  'updatedAt',
]);
const REQUEST_COLUMNS = allColumns<AccessRequest>()([
  'id',
  'requesterId',
  'organizationId',
  'unlistedCustomerNumber',
  'unlistedName',
  'unlistedAcronym',
  'unlistedDepartment',
  'unlistedCity',
  'purpose',
  'requestedPermissions',
  'status',
  'submissionKey',
  'decidedById',
  'decidedAt',
  'decisionNote',
  'grantedPermissions',
  'remindedAt',
  'createdAt',
  'updatedAt',
  'inTriage',
]);

/** `alias."column" AS "prefix_column"` for each column; names are constants, never input. */
function selectList(alias: string, prefix: string, columns: readonly string[]): Prisma.Sql {
  return Prisma.raw(columns.map((column) => `${alias}."${column}" AS "${prefix}_${column}"`).join(', '));
}

type Row = Record<string, unknown>;

/** The columns of one joined table, taken back out of a row; null when an outer join found nothing. */
function pick<Model>(row: Row, prefix: string, columns: readonly string[]): Model | null {
  if (row[`${prefix}_id`] === null || row[`${prefix}_id`] === undefined) return null;
  const picked: Row = {};
  for (const column of columns) picked[column] = row[`${prefix}_${column}`];
  // The statement selected exactly the model's columns, and both drivers return them typed.
  return picked as Model;
}

export type RequestWithPeople = AccessRequest & {
  requester: Member;
  organization: Organization | null;
  decidedBy: Member | null;
};

const REQUEST_WITH_PEOPLE = Prisma.sql`
    SELECT ${selectList('r', 'r', REQUEST_COLUMNS)}, ${selectList('q', 'q', MEMBER_COLUMNS)},
           ${selectList('o', 'o', ORGANIZATION_COLUMNS)}, ${selectList('d', 'd', MEMBER_COLUMNS)}`;
const REQUEST_PEOPLE_JOINS = Prisma.sql`
    FROM "AccessRequest" r
    JOIN "Member" q ON q."id" = r."requesterId"
    LEFT JOIN "Organization" o ON o."id" = r."organizationId"
    LEFT JOIN "Member" d ON d."id" = r."decidedById"`;

function requestFrom(row: Row): RequestWithPeople {
  return {
    ...pick<AccessRequest>(row, 'r', REQUEST_COLUMNS)!,
    requester: pick<Member>(row, 'q', MEMBER_COLUMNS)!,
    organization: pick<Organization>(row, 'o', ORGANIZATION_COLUMNS),
    decidedBy: pick<Member>(row, 'd', MEMBER_COLUMNS),
  };
}

/**
 * A request with its requester, organization and decider, and the member record of the person
 * acting on it (null when Gatehouse has never seen them), in one statement.
 */
export async function requestWithPeople(
  reader: SqlTarget,
  requestId: number,
  actorSlackUserId: string | null,
): Promise<{ request: RequestWithPeople; actor: Member | null } | null> {
  const [row] = await sqlOf(reader).query<Row>(Prisma.sql`
    ${REQUEST_WITH_PEOPLE}, ${selectList('a', 'a', MEMBER_COLUMNS)}
    ${REQUEST_PEOPLE_JOINS}
    LEFT JOIN "Member" a ON a."slackUserId" = ${actorSlackUserId}
    WHERE r."id" = ${requestId}`);
  return row ? { request: requestFrom(row), actor: pick<Member>(row, 'a', MEMBER_COLUMNS) } : null;
}

/** The requests matching `where` (over `r`, the request), newest first, each with its people; up to `limit` if given. */
export async function requestsWithPeople(reader: SqlTarget, where: Prisma.Sql, limit?: number): Promise<RequestWithPeople[]> {
  const rows = await sqlOf(reader).query<Row>(Prisma.sql`
    ${REQUEST_WITH_PEOPLE}
    ${REQUEST_PEOPLE_JOINS}
    WHERE ${where}
    ORDER BY r."createdAt" DESC, r."id" DESC
    ${limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`);
  return rows.map(requestFrom);
}

export type ConnectionWithPermissions = Connection & {
  organization: Organization;
  permissions: Array<{ permissionKey: string }>;
};

/** Connections matching `where` (over `c`, the connection), oldest first, with permissions and organization. */
async function connectionsWhere(reader: SqlTarget, where: Prisma.Sql): Promise<ConnectionWithPermissions[]> {
  const rows = await sqlOf(reader).query<Row>(Prisma.sql`
    SELECT ${selectList('c', 'c', CONNECTION_COLUMNS)}, ${selectList('o', 'o', ORGANIZATION_COLUMNS)},
           p."permissionKey" AS "permissionKey"
    FROM "Connection" c
    JOIN "Organization" o ON o."id" = c."organizationId"
    LEFT JOIN "ConnectionPermission" p ON p."connectionId" = c."id"
    WHERE ${where}
    ORDER BY c."connectedAt", c."id", p."permissionKey"`);
  const byId = new Map<number, ConnectionWithPermissions>();
  for (const row of rows) {
    const id = row.c_id as number;
    let connection = byId.get(id);
    if (!connection) {
      connection = {
        ...pick<Connection>(row, 'c', CONNECTION_COLUMNS)!,
        organization: pick<Organization>(row, 'o', ORGANIZATION_COLUMNS)!,
        permissions: [],
      };
      byId.set(id, connection);
    }
    if (typeof row.permissionKey === 'string') connection.permissions.push({ permissionKey: row.permissionKey });
  }
  return [...byId.values()];
}

/** These members' connections to one organization, whatever their status. */
export async function connectionsTo(reader: SqlTarget, organizationId: number, memberIds: readonly number[]): Promise<ConnectionWithPermissions[]> {
  if (memberIds.length === 0) return [];
  return connectionsWhere(reader, Prisma.sql`c."organizationId" = ${organizationId} AND c."memberId" IN (${Prisma.join([...new Set(memberIds)])})`);
}

/** A member's connections that have not been removed, to every organization. */
export function connectionsOfMember(reader: SqlTarget, memberId: number): Promise<ConnectionWithPermissions[]> {
  return connectionsWhere(reader, Prisma.sql`c."memberId" = ${memberId} AND c."status" <> 'REMOVED'`);
}

/** The connections, not removed, of each member to the organization paired with them. */
export async function connectionsOfPairs(
  reader: SqlTarget,
  pairs: ReadonlyArray<{ memberId: number; organizationId: number }>,
): Promise<ConnectionWithPermissions[]> {
  if (pairs.length === 0) return [];
  const matches = pairs.map(({ memberId, organizationId }) => Prisma.sql`(c."memberId" = ${memberId} AND c."organizationId" = ${organizationId})`);
  return connectionsWhere(reader, Prisma.sql`c."status" <> 'REMOVED' AND (${Prisma.join(matches, ' OR ')})`);
}

/**
 * Members holding a permission through an active connection to an organization, oldest connection
 * first, with the connection's time range so callers can tell whether it is in effect.
 */
export async function holdersOf(
  reader: SqlTarget,
  organizationId: number,
  permissionKey: string,
): Promise<Array<{ member: Member; startsAt: Date | null; endsAt: Date | null }>> {
  const rows = await sqlOf(reader).query<Row>(Prisma.sql`
    SELECT ${selectList('m', 'm', MEMBER_COLUMNS)}, c."startsAt" AS "startsAt", c."endsAt" AS "endsAt"
    FROM "Connection" c
    JOIN "ConnectionPermission" p ON p."connectionId" = c."id" AND p."permissionKey" = ${permissionKey}
    JOIN "Member" m ON m."id" = c."memberId"
    WHERE c."organizationId" = ${organizationId} AND c."status" = 'ACTIVE'
    ORDER BY c."connectedAt", c."id"`);
  return rows.map((row) => ({
    member: pick<Member>(row, 'm', MEMBER_COLUMNS)!,
    startsAt: row.startsAt as Date | null,
    endsAt: row.endsAt as Date | null,
  }));
}

/** The member record Gatehouse keeps for a Slack user, or null if it has none. */
export async function memberBySlackId(reader: SqlTarget, slackUserId: string): Promise<Member | null> {
  const [row] = await sqlOf(reader).query<Row>(Prisma.sql`
    SELECT ${selectList('m', 'm', MEMBER_COLUMNS)} FROM "Member" m WHERE m."slackUserId" = ${slackUserId}`);
  return row ? pick<Member>(row, 'm', MEMBER_COLUMNS) : null;
}
