import type { AccessRequest, Connection, Member, Organization } from './generated/sqlite/client.js';
import type { Expression, ExpressionBuilder, InferResult, SelectQueryBuilder, SqlBool } from 'kysely';
import { builtOnce, type QueryBuilder } from './query-builder.js';
import { preparedStatement, sqlOf, type SqlTarget } from './sql.js';

/*
 * Reads on the decision path, each one SQL statement where Prisma's includes would take several
 * round trips (it fetches every relation separately on SQLite). The statements are portable, so
 * they run unchanged on SQLite and PostgreSQL, through Prisma or straight on the driver (see
 * sql.ts); either way dates come back as Date, JSON parsed and enums as strings, exactly as the
 * models describe.
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
  'homeStart',
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

/**
 * `alias.column as alias_column` for each column, as Kysely selections typed from the schema;
 * names are constants, never input.
 */
type PrefixedColumn<Alias extends string, Column> = Column extends string ? `${Alias}.${Column} as ${Alias}_${Column}` : never;

function prefixed<Alias extends string, Column extends string>(alias: Alias, columns: readonly Column[]) {
  return columns.map((column) => `${alias}.${column} as ${alias}_${column}` as PrefixedColumn<Alias, Column>);
}

type Row = Record<string, unknown>;

/** The columns of one joined table, taken back out of a row; null when an outer join found nothing. */
function pick<Model>(row: object, prefix: string, columns: readonly string[]): Model | null {
  const values = row as Row;
  if (values[`${prefix}_id`] === null || values[`${prefix}_id`] === undefined) return null;
  const picked: Row = {};
  for (const column of columns) picked[column] = values[`${prefix}_${column}`];
  // The statement selected exactly the model's columns, and both drivers return them typed.
  return picked as Model;
}

export type RequestWithPeople = AccessRequest & {
  requester: Member;
  organization: Organization | null;
  decidedBy: Member | null;
};

/** Requests (`r`) joined to their requester (`q`), organization (`o`) and decider (`d`). */
const requestsJoinedToPeople = builtOnce((build: QueryBuilder) =>
  build
    .selectFrom('AccessRequest as r')
    .innerJoin('Member as q', 'q.id', 'r.requesterId')
    .leftJoin('Organization as o', 'o.id', 'r.organizationId')
    .leftJoin('Member as d', 'd.id', 'r.decidedById'),
);

const requestsWithPeopleFrom = builtOnce((build: QueryBuilder) =>
  requestsJoinedToPeople(build)
    .select(prefixed('r', REQUEST_COLUMNS))
    .select(prefixed('q', MEMBER_COLUMNS))
    .select(prefixed('o', ORGANIZATION_COLUMNS))
    .select(prefixed('d', MEMBER_COLUMNS)),
);

/** A condition over the tables of a query, written as Kysely's expression-builder callback. */
type ConditionOn<Query> =
  Query extends SelectQueryBuilder<infer Tables, infer Aliases, infer _Row>
    ? (eb: ExpressionBuilder<Tables, Aliases>) => Expression<SqlBool>
    : never;

/** A condition on the requests of requestsWithPeople, over `r`, the request. */
export type RequestCondition = ConditionOn<ReturnType<typeof requestsJoinedToPeople>>;

function requestFrom(row: object): RequestWithPeople {
  return {
    ...pick<AccessRequest>(row, 'r', REQUEST_COLUMNS)!,
    requester: pick<Member>(row, 'q', MEMBER_COLUMNS)!,
    organization: pick<Organization>(row, 'o', ORGANIZATION_COLUMNS),
    decidedBy: pick<Member>(row, 'd', MEMBER_COLUMNS),
  };
}

const requestWithPeopleStatement = preparedStatement((build, args: { requestId: number; actorSlackUserId: string | null }) =>
  requestsWithPeopleFrom(build)
    .leftJoin('Member as a', (join) => join.on('a.slackUserId', '=', args.actorSlackUserId))
    .select(prefixed('a', MEMBER_COLUMNS))
    .where('r.id', '=', args.requestId),
);

/**
 * A request with its requester, organization and decider, and the member record of the person
 * acting on it (null when Gatehouse has never seen them), in one statement.
 */
export async function requestWithPeople(
  reader: SqlTarget,
  requestId: number,
  actorSlackUserId: string | null,
): Promise<{ request: RequestWithPeople; actor: Member | null } | null> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(requestWithPeopleStatement(sql, { requestId, actorSlackUserId }));
  return row ? { request: requestFrom(row), actor: pick<Member>(row, 'a', MEMBER_COLUMNS) } : null;
}

/** The requests matching `condition`, newest first, each with its people; up to `limit` if given. */
export async function requestsWithPeople(reader: SqlTarget, condition: RequestCondition, limit?: number): Promise<RequestWithPeople[]> {
  const sql = sqlOf(reader);
  const rows = await sql.rows(
    requestsWithPeopleFrom(sql.build)
      .where(condition)
      .orderBy('r.createdAt', 'desc')
      .orderBy('r.id', 'desc')
      .$if(limit !== undefined, (query) => query.limit(limit!)),
  );
  return rows.map(requestFrom);
}

/** How many requests match `condition`. */
export async function countRequests(reader: SqlTarget, condition: RequestCondition): Promise<number> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(
    requestsJoinedToPeople(sql.build)
      .select((eb) => eb.fn.countAll().as('count'))
      .where(condition),
  );
  return Number(row?.count ?? 0);
}

export type ConnectionWithPermissions = Connection & {
  organization: Organization;
  permissions: Array<{ permissionKey: string }>;
};

/** Connections (`c`), oldest first, with permissions (`p`) and organization (`o`). */
const connectionsWithPermissionsFrom = builtOnce((build: QueryBuilder) =>
  build
    .selectFrom('Connection as c')
    .innerJoin('Organization as o', 'o.id', 'c.organizationId')
    .leftJoin('ConnectionPermission as p', 'p.connectionId', 'c.id')
    .select(prefixed('c', CONNECTION_COLUMNS))
    .select(prefixed('o', ORGANIZATION_COLUMNS))
    .select('p.permissionKey')
    .orderBy('c.connectedAt')
    .orderBy('c.id')
    .orderBy('p.permissionKey'),
);

type ConnectionCondition = ConditionOn<ReturnType<typeof connectionsWithPermissionsFrom>>;

type ConnectionRow = InferResult<ReturnType<typeof connectionsWithPermissionsFrom>>[number];

async function connectionsWhere(reader: SqlTarget, condition: ConnectionCondition): Promise<ConnectionWithPermissions[]> {
  const sql = sqlOf(reader);
  return withPermissions(await sql.rows(connectionsWithPermissionsFrom(sql.build).where(condition)));
}

/** The commonest reads of connections, prepared: one member's, and one member's to one organization. */
const MEMBER_CONNECTIONS = preparedStatement((build, args: { memberId: number }) =>
  connectionsWithPermissionsFrom(build).where('c.memberId', '=', args.memberId).where('c.status', '<>', 'REMOVED'),
);
const CONNECTION_TO = preparedStatement((build, args: { organizationId: number; memberId: number }) =>
  connectionsWithPermissionsFrom(build).where('c.organizationId', '=', args.organizationId).where('c.memberId', '=', args.memberId),
);

/** Connections from their rows, one row per permission held. */
function withPermissions(rows: readonly ConnectionRow[]): ConnectionWithPermissions[] {
  const byId = new Map<number, ConnectionWithPermissions>();
  for (const row of rows) {
    let connection = byId.get(row.c_id);
    if (!connection) {
      connection = {
        ...pick<Connection>(row, 'c', CONNECTION_COLUMNS)!,
        organization: pick<Organization>(row, 'o', ORGANIZATION_COLUMNS)!,
        permissions: [],
      };
      byId.set(row.c_id, connection);
    }
    if (typeof row.permissionKey === 'string') connection.permissions.push({ permissionKey: row.permissionKey });
  }
  return [...byId.values()];
}

/** These members' connections to one organization, whatever their status. */
export async function connectionsTo(
  reader: SqlTarget,
  organizationId: number,
  memberIds: readonly number[],
): Promise<ConnectionWithPermissions[]> {
  if (memberIds.length === 0) return [];
  const distinct = [...new Set(memberIds)];
  if (distinct.length === 1) {
    const sql = sqlOf(reader);
    return withPermissions(await sql.rows(CONNECTION_TO(sql, { organizationId, memberId: distinct[0]! })));
  }
  return connectionsWhere(reader, (eb) => eb.and([eb('c.organizationId', '=', organizationId), eb('c.memberId', 'in', distinct)]));
}

/** A member's connections that have not been removed, to every organization. */
export async function connectionsOfMember(reader: SqlTarget, memberId: number): Promise<ConnectionWithPermissions[]> {
  const sql = sqlOf(reader);
  return withPermissions(await sql.rows(MEMBER_CONNECTIONS(sql, { memberId })));
}

/** The connections, not removed, of each member to the organization paired with them. */
export async function connectionsOfPairs(
  reader: SqlTarget,
  pairs: ReadonlyArray<{ memberId: number; organizationId: number }>,
): Promise<ConnectionWithPermissions[]> {
  if (pairs.length === 0) return [];
  return connectionsWhere(reader, (eb) =>
    eb.and([
      eb('c.status', '<>', 'REMOVED'),
      eb.or(
        pairs.map(({ memberId, organizationId }) => eb.and([eb('c.memberId', '=', memberId), eb('c.organizationId', '=', organizationId)])),
      ),
    ]),
  );
}

const holdersStatement = preparedStatement((build, args: { organizationId: number; permissionKey: string }) =>
  build
    .selectFrom('Connection as c')
    .innerJoin('ConnectionPermission as p', (join) =>
      join.onRef('p.connectionId', '=', 'c.id').on('p.permissionKey', '=', args.permissionKey),
    )
    .innerJoin('Member as m', 'm.id', 'c.memberId')
    .select(prefixed('m', MEMBER_COLUMNS))
    .select(['c.startsAt', 'c.endsAt'])
    .where('c.organizationId', '=', args.organizationId)
    .where('c.status', '=', 'ACTIVE')
    .orderBy('c.connectedAt')
    .orderBy('c.id'),
);

/**
 * Members holding a permission through an active connection to an organization, oldest connection
 * first, with the connection's time range so callers can tell whether it is in effect.
 */
export async function holdersOf(
  reader: SqlTarget,
  organizationId: number,
  permissionKey: string,
): Promise<Array<{ member: Member; startsAt: Date | null; endsAt: Date | null }>> {
  const sql = sqlOf(reader);
  const rows = await sql.rows(holdersStatement(sql, { organizationId, permissionKey }));
  return rows.map((row) => ({ member: pick<Member>(row, 'm', MEMBER_COLUMNS)!, startsAt: row.startsAt, endsAt: row.endsAt }));
}

const memberStatement = preparedStatement((build, args: { slackUserId: string }) =>
  build.selectFrom('Member as m').select(prefixed('m', MEMBER_COLUMNS)).where('m.slackUserId', '=', args.slackUserId),
);

/** The member record Gatehouse keeps for a Slack user, or null if it has none. */
export async function memberBySlackId(reader: SqlTarget, slackUserId: string): Promise<Member | null> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(memberStatement(sql, { slackUserId }));
  return row ? pick<Member>(row, 'm', MEMBER_COLUMNS) : null;
}
