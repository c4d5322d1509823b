/**
 * The members list of `/access users`: an organization's connections (not removed) and pending
 * invitations as one list, searched, filtered, sorted and paged in SQL, then the page's rows read
 * in full. The statements are portable; only reading a JSON array differs between the databases.
 */
import { sql as raw, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { MemberRowKey, MemberSort, MemberStatusFilter } from '../domain/member-management.js';
import type { DB, QueryBuilder, SqlProvider } from './query-builder.js';
import { sqlOf, type SqlTarget } from './sql.js';

/** What the list is narrowed to, with the instants and dates already worked out in the organization's time zone. */
export interface MemberListFilter {
  organizationId: number;
  /** What was typed, trimmed; matched as a case-insensitive prefix. */
  search: string | null;
  tag: string | null;
  permission: string | null;
  status: MemberStatusFilter | null;
  /** "Ends within N days": connections ending between `now` and `endsBy.at`, invitations between `today` and `endsBy.on`. */
  endsBy: { at: Date; on: string } | null;
  now: Date;
  today: string;
}

/** LIKE's wildcards and its escape character, made literal: what was typed is matched as text. */
export function likePrefix(typed: string): string {
  return `${typed.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** `lower(column) LIKE lower(pattern) ESCAPE '\'`: lower() on both sides, since PostgreSQL's LIKE is case-sensitive. */
function likeLower(column: Expression<unknown>, pattern: string): RawBuilder<SqlBool> {
  return raw<SqlBool>`lower(${column}) like lower(${pattern}) escape '\\'`;
}

/** True when a JSON array column holds `value` (case-insensitively when asked). */
function jsonArrayHolds(provider: SqlProvider, column: Expression<unknown>, value: string, caseInsensitive: boolean): RawBuilder<SqlBool> {
  const elements = provider === 'postgres' ? raw`jsonb_array_elements_text(${column}) as t(value)` : raw`json_each(${column}) as t`;
  const match = caseInsensitive ? raw`lower(t.value) = lower(${value})` : raw`t.value = ${value}`;
  // The array's text holds the value as JSON writes it: a LIKE on the text skips most rows before
  // the exact test takes each array apart, which costs ten times more per row.
  const quoted = `%${likePrefix(JSON.stringify(value))}`;
  const text = provider === 'postgres' ? raw`cast(${column} as text)` : raw`${column}`;
  const mentions = caseInsensitive ? likeLower(text, quoted) : raw<SqlBool>`${text} like ${quoted} escape '\\'`;
  return raw<SqlBool>`(${mentions} and exists (select 1 from ${elements} where ${match}))`;
}

type ConnectionScope = ExpressionBuilder<DB & { c: DB['Connection']; m: DB['Member'] }, 'c' | 'm'>;
type InvitationScope = ExpressionBuilder<DB & { i: DB['Invitation'] }, 'i'>;

function connectionConditions(provider: SqlProvider, filter: MemberListFilter) {
  return (eb: ConnectionScope): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('c.organizationId', '=', filter.organizationId), eb('c.status', '<>', 'REMOVED')];
    if (filter.search) {
      conditions.push(
        eb.or([
          likeLower(eb.ref('m.displayName'), likePrefix(filter.search)),
          likeLower(eb.ref('m.displayName'), `% ${likePrefix(filter.search)}`),
          likeLower(eb.ref('m.email'), likePrefix(filter.search)),
        ]),
      );
    }
    if (filter.tag) conditions.push(jsonArrayHolds(provider, eb.ref('c.tags'), filter.tag, true));
    if (filter.permission) {
      conditions.push(
        eb.exists(
          eb
            .selectFrom('ConnectionPermission as p')
            .select('p.connectionId')
            .whereRef('p.connectionId', '=', 'c.id')
            .where('p.permissionKey', '=', filter.permission),
        ),
      );
    }
    // Access whose end has passed is expired, even before the time-limit job has marked it so.
    const ended = eb.and([eb('c.endsAt', 'is not', null), eb('c.endsAt', '<=', filter.now)]);
    if (filter.status === 'active') conditions.push(eb('c.status', '=', 'ACTIVE'), eb.not(ended));
    if (filter.status === 'expired')
      conditions.push(eb.or([eb('c.status', '=', 'EXPIRED'), eb.and([eb('c.status', '=', 'ACTIVE'), ended])]));
    if (filter.status === 'disabled') conditions.push(eb('c.status', '=', 'SUSPENDED'));
    if (filter.endsBy) conditions.push(eb('c.endsAt', '>', filter.now), eb('c.endsAt', '<=', filter.endsBy.at));
    return eb.and(conditions);
  };
}

function invitationConditions(provider: SqlProvider, filter: MemberListFilter) {
  return (eb: InvitationScope): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('i.organizationId', '=', filter.organizationId), eb('i.status', '=', 'PENDING')];
    if (filter.search) conditions.push(likeLower(eb.ref('i.email'), likePrefix(filter.search)));
    if (filter.tag) conditions.push(jsonArrayHolds(provider, eb.ref('i.tags'), filter.tag, true));
    if (filter.permission) conditions.push(jsonArrayHolds(provider, eb.ref('i.permissions'), filter.permission, false));
    if (filter.endsBy) conditions.push(eb('i.endsOn', '>=', filter.today), eb('i.endsOn', '<=', filter.endsBy.on));
    return eb.and(conditions);
  };
}

/** The keys and sort values of every matching row: connections, pending invitations, or both, as the status filter says. */
function matchingRows(build: QueryBuilder, provider: SqlProvider, filter: MemberListFilter) {
  const connections = build
    .selectFrom('Connection as c')
    .innerJoin('Member as m', 'm.id', 'c.memberId')
    .select((eb) => [
      raw<string>`'member'`.as('kind'),
      'c.id as id',
      raw<string>`lower(${eb.ref('m.displayName')})`.as('sortName'),
      'c.connectedAt as since',
      'c.endsOn as endsOn',
    ])
    .where(connectionConditions(provider, filter));
  const invitations = build
    .selectFrom('Invitation as i')
    .select((eb) => [
      raw<string>`'invitation'`.as('kind'),
      'i.id as id',
      raw<string>`lower(${eb.ref('i.email')})`.as('sortName'),
      'i.issuedAt as since',
      'i.endsOn as endsOn',
    ])
    .where(invitationConditions(provider, filter));
  if (filter.status === 'pending') return invitations;
  if (filter.status !== null) return connections;
  return connections.unionAll(invitations);
}

function keyOf(row: { kind: string; id: number }): MemberRowKey {
  return row.kind === 'invitation' ? { kind: 'invitation', invitationId: row.id } : { kind: 'member', connectionId: row.id };
}

/** One page of the matching rows' keys, in the order asked for, and how many match on every page. */
export async function memberListPage(
  reader: SqlTarget,
  filter: MemberListFilter,
  sort: MemberSort,
  page: { offset: number; limit: number },
): Promise<{ keys: MemberRowKey[]; total: number }> {
  const sql = sqlOf(reader);
  const matching = () => sql.build.selectFrom(matchingRows(sql.build, sql.provider, filter).as('r'));
  const ordered = matching()
    .select(['r.kind', 'r.id'])
    .select(raw<bigint | number>`count(*) over ()`.as('total'))
    .$call((query) => {
      // Ties are broken by kind and id, so every row has one place and paging shows each once.
      if (sort === 'connected') return query.orderBy('r.since', 'desc').orderBy('r.kind').orderBy('r.id', 'desc');
      if (sort === 'ends') {
        return query
          .orderBy(raw`case when r."endsOn" is null then 1 else 0 end`)
          .orderBy('r.endsOn')
          .orderBy('r.sortName')
          .orderBy('r.kind')
          .orderBy('r.id');
      }
      return query.orderBy('r.sortName').orderBy('r.kind').orderBy('r.id');
    })
    .limit(page.limit)
    .offset(page.offset);
  const rows = await sql.rows(ordered);
  if (rows.length > 0) return { keys: rows.map(keyOf), total: Number(rows[0]!.total) };
  // A page past the end has no rows to carry the count.
  const [counted] = await sql.rows(matching().select((eb) => eb.fn.countAll().as('count')));
  return { keys: [], total: Number(counted?.count ?? 0) };
}

/** A connection of the list, with its member and what it holds. */
export interface ListedConnection {
  id: number;
  organizationId: number;
  memberId: number;
  status: 'ACTIVE' | 'EXPIRED' | 'SUSPENDED' | 'REMOVED';
  tags: unknown;
  startsOn: string | null;
  endsOn: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  callerSupportLevel: 'STANDARD' | 'PREMIUM' | null;
  callerLevel: string | null;
  connectedAt: Date;
  expiredAt: Date | null;
  updatedAt: Date;
  slackUserId: string;
  displayName: string;
  email: string | null;
  permissions: string[];
}

/** A pending (or once pending) invitation of the list, with the member its address belongs to, if Gatehouse knows one. */
export interface ListedInvitation {
  id: number;
  organizationId: number;
  email: string;
  status: 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';
  permissions: unknown;
  tags: unknown;
  startsOn: string | null;
  endsOn: string | null;
  callerSupportLevel: 'STANDARD' | 'PREMIUM' | null;
  callerLevel: string | null;
  issuedAt: Date;
  expiresAt: Date;
  resendCount: number;
  language: string;
  personalMessage: string | null;
  updatedAt: Date;
  person: { memberId: number; slackUserId: string; displayName: string; email: string | null } | null;
}

/** These connections of one organization, with their members and permissions, whatever their status. */
export async function listedConnections(reader: SqlTarget, organizationId: number, ids: readonly number[]): Promise<ListedConnection[]> {
  if (ids.length === 0) return [];
  const sql = sqlOf(reader);
  const rows = await sql.rows(
    sql.build
      .selectFrom('Connection as c')
      .innerJoin('Member as m', 'm.id', 'c.memberId')
      .select([
        'c.id',
        'c.organizationId',
        'c.memberId',
        'c.status',
        'c.tags',
        'c.startsOn',
        'c.endsOn',
        'c.startsAt',
        'c.endsAt',
        'c.callerSupportLevel',
        'c.callerLevel',
        'c.connectedAt',
        'c.expiredAt',
        'c.updatedAt',
        'm.slackUserId',
        'm.displayName',
        'm.email',
      ])
      .where('c.organizationId', '=', organizationId)
      .where('c.id', 'in', [...ids]),
  );
  const grants = await sql.rows(
    sql.build
      .selectFrom('ConnectionPermission')
      .select(['connectionId', 'permissionKey'])
      .where('connectionId', 'in', [...ids]),
  );
  const held = new Map<number, string[]>();
  for (const grant of grants) held.set(grant.connectionId, [...(held.get(grant.connectionId) ?? []), grant.permissionKey]);
  return rows.map((row) => ({ ...row, permissions: held.get(row.id) ?? [] }));
}

/** These invitations of one organization, each with the member its address belongs to. */
export async function listedInvitations(reader: SqlTarget, organizationId: number, ids: readonly number[]): Promise<ListedInvitation[]> {
  if (ids.length === 0) return [];
  const sql = sqlOf(reader);
  const rows = await sql.rows(
    sql.build
      .selectFrom('Invitation as i')
      .select([
        'i.id',
        'i.organizationId',
        'i.email',
        'i.status',
        'i.permissions',
        'i.tags',
        'i.startsOn',
        'i.endsOn',
        'i.callerSupportLevel',
        'i.callerLevel',
        'i.issuedAt',
        'i.expiresAt',
        'i.resendCount',
        'i.language',
        'i.personalMessage',
        'i.updatedAt',
      ])
      .where('i.organizationId', '=', organizationId)
      .where('i.id', 'in', [...ids]),
  );
  const emails = [...new Set(rows.map((row) => row.email.toLowerCase()))];
  const members =
    emails.length === 0
      ? []
      : await sql.rows(
          sql.build.selectFrom('Member').select(['id', 'slackUserId', 'displayName', 'email']).where('email', 'in', emails).orderBy('id'),
        );
  const byEmail = new Map<string, (typeof members)[number]>();
  for (const member of members) if (member.email && !byEmail.has(member.email)) byEmail.set(member.email, member);
  return rows.map((row) => {
    const member = byEmail.get(row.email.toLowerCase());
    return {
      ...row,
      person: member
        ? { memberId: member.id, slackUserId: member.slackUserId, displayName: member.displayName, email: member.email }
        : null,
    };
  });
}

/** One admin's selection in one organization, oldest first. */
export async function selectedKeys(reader: SqlTarget, adminId: number, organizationId: number): Promise<MemberRowKey[]> {
  const sql = sqlOf(reader);
  const rows = await sql.rows(
    sql.build
      .selectFrom('MemberSelection')
      .select(['connectionId', 'invitationId'])
      .where('adminId', '=', adminId)
      .where('organizationId', '=', organizationId)
      .orderBy('createdAt')
      .orderBy('id'),
  );
  return rows.flatMap((row): MemberRowKey[] => {
    if (row.connectionId !== null) return [{ kind: 'member', connectionId: row.connectionId }];
    if (row.invitationId !== null) return [{ kind: 'invitation', invitationId: row.invitationId }];
    return [];
  });
}

/** Adds rows to an admin's selection; rows already selected stay as they were. */
export async function addToSelection(
  target: SqlTarget,
  adminId: number,
  organizationId: number,
  keys: readonly MemberRowKey[],
  now: Date,
): Promise<void> {
  const sql = sqlOf(target);
  // One row at a time, each with its own createdAt, so the review lists them in the order picked.
  for (const [index, key] of keys.entries()) {
    await sql.execute(
      sql.build
        .insertInto('MemberSelection')
        .values({
          adminId,
          organizationId,
          connectionId: key.kind === 'member' ? key.connectionId : null,
          invitationId: key.kind === 'invitation' ? key.invitationId : null,
          createdAt: new Date(now.getTime() + index),
        })
        .onConflict((conflict) => conflict.doNothing()),
    );
  }
}

/** Takes rows out of an admin's selection. */
export async function removeFromSelection(
  target: SqlTarget,
  adminId: number,
  organizationId: number,
  keys: readonly MemberRowKey[] | 'all',
): Promise<void> {
  const sql = sqlOf(target);
  const connectionIds = keys === 'all' ? [] : keys.flatMap((key) => (key.kind === 'member' ? [key.connectionId] : []));
  const invitationIds = keys === 'all' ? [] : keys.flatMap((key) => (key.kind === 'invitation' ? [key.invitationId] : []));
  if (keys !== 'all' && connectionIds.length + invitationIds.length === 0) return;
  await sql.execute(
    sql.build
      .deleteFrom('MemberSelection')
      .where('adminId', '=', adminId)
      .where('organizationId', '=', organizationId)
      .$if(keys !== 'all', (query) =>
        query.where((eb) =>
          eb.or([
            ...(connectionIds.length > 0 ? [eb('connectionId', 'in', connectionIds)] : []),
            ...(invitationIds.length > 0 ? [eb('invitationId', 'in', invitationIds)] : []),
          ]),
        ),
      ),
  );
}
