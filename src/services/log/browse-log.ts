/**
 * `/access log`: one page of an organization's permissions log as the viewing admin may see it.
 * Reads only. The policy decides whether they may read it ('log.view'), and their roles decide
 * which entries (logScopeOf): the database narrows to those, so nothing outside them is read.
 */
import { z } from 'zod';
import { logEntrySelection, selectLogEntries } from '../../db/log-entries.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { calendarDateIn } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { LOG_PAGE_SIZE, NO_LOG_FILTERS, type LogFilters, type LogQuery } from '../../domain/log-query.js';
import {
  LOG_COUNT_LIMIT,
  parseLogCommand,
  type LogEntryModel,
  type LogPageModel,
  type LoggedTerms,
  type PersonReference,
} from '../../domain/log-view.js';
import { logScopeOf, mayTake } from '../../domain/member-policy.js';
import type { PersonSummary } from '../../domain/read-models.js';
import { organizationSummary, permissionCatalog, permissionsFor, personSummary } from '../read-models.js';
import { managedOrganizations, managingAdmin, noManagedOrganizationReason, type ManagingAdmin } from '../members/managing-admin.js';

/** What the log modal shows besides its query: which entries of the page are open. */
export interface LogViewState {
  query: LogQuery;
  expanded: readonly number[];
}

const WHAT = 'read its permissions log';

/** The actor, refused unless the policy lets them read this organization's log. */
async function logReader(reader: SqlTarget, actorSlackUserId: string, organizationId: number, now: Date): Promise<ManagingAdmin> {
  const admin = await managingAdmin(reader, actorSlackUserId, organizationId, now, WHAT);
  const decision = mayTake('log.view', {
    actor: admin.facts,
    context: { today: calendarDateIn(now, admin.organization.timeZone), otherAdministrators: 0 },
  });
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
  return admin;
}

/** Snapshots are JSON of several shapes (connections, invitations, requests); only these fields are read. */
const snapshot = z
  .object({
    permissions: z.array(z.string()).optional(),
    status: z.string().optional(),
    startsOn: z.string().nullable().optional(),
    endsOn: z.string().nullable().optional(),
  })
  .loose();

function termsOf(value: unknown): { permissions: string[]; terms: LoggedTerms } | null {
  const parsed = snapshot.safeParse(value);
  if (!parsed.success) return null;
  const { permissions = [], status = null, startsOn = null, endsOn = null } = parsed.data;
  return { permissions, terms: { status, startsOn, endsOn } };
}

function person(slackUserId: string | null, displayName: string | null, email: string | null): PersonSummary | null {
  return slackUserId === null ? null : personSummary({ slackUserId, displayName: displayName ?? slackUserId, email });
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof selectLogEntries>['execute']>>[number];

function entryModel(row: EntryRow): LogEntryModel {
  const catalog = permissionCatalog();
  const before = termsOf(row.before);
  const after = termsOf(row.after);
  const was = new Set(before?.permissions ?? []);
  const is = new Set(after?.permissions ?? []);
  return {
    id: row.id,
    sequence: row.sequence,
    action: row.action,
    at: row.createdAt,
    actor: person(row.actorSlackUserId, row.actorName, null),
    actorLabel: row.actorLabel,
    subject: person(row.subjectSlackUserId, row.subjectName, row.subjectMemberEmail),
    subjectEmail: row.subjectEmail,
    added: permissionsFor(
      [...is].filter((key) => !was.has(key)),
      catalog,
    ),
    removed: permissionsFor(
      [...was].filter((key) => !is.has(key)),
      catalog,
    ),
    before: before?.terms ?? null,
    after: after?.terms ?? null,
    note: row.note,
  };
}

async function membersByIds(reader: SqlTarget, ids: readonly number[]): Promise<Map<number, PersonSummary>> {
  if (ids.length === 0) return new Map();
  const sql = sqlOf(reader);
  const rows = await sql.rows(
    sql.build
      .selectFrom('Member')
      .select(['id', 'slackUserId', 'displayName', 'email'])
      .where('id', 'in', [...ids]),
  );
  return new Map(rows.map((row) => [row.id, personSummary(row)]));
}

/** One page of the log, newest first, with the entries asked for expanded. */
export async function browseLog(reader: SqlTarget, actorSlackUserId: string, state: LogViewState, now: Date): Promise<LogPageModel> {
  const admin = await logReader(reader, actorSlackUserId, state.query.organizationId, now);
  const scope = logScopeOf(admin.roles);
  const selection = logEntrySelection(admin.organization.id, admin.organization.timeZone, scope, state.query.filters);
  const sql = sqlOf(reader);
  // Counted through the page's own statement, so the count and the pages can never disagree.
  const matching = selectLogEntries(sql.build, selection)
    .clearSelect()
    .clearOrderBy()
    .select('e.id')
    .limit(LOG_COUNT_LIMIT + 1);
  const [counted] = await sql.rows(sql.build.selectFrom(matching.as('matching')).select((eb) => eb.fn.countAll<number>().as('count')));
  const totalCapped = Number(counted?.count ?? 0) > LOG_COUNT_LIMIT;
  const total = Math.min(Number(counted?.count ?? 0), LOG_COUNT_LIMIT);
  // A page past the end (entries gone from a filter since) shows the last page instead.
  const lastPage = Math.max(0, Math.ceil(total / LOG_PAGE_SIZE) - 1);
  const query = { ...state.query, page: Math.min(state.query.page, lastPage) };
  const rows = await sql.rows(
    selectLogEntries(sql.build, selection)
      .limit(LOG_PAGE_SIZE)
      .offset(query.page * LOG_PAGE_SIZE),
  );
  const entries = rows.map(entryModel);
  const onPage = new Set(entries.map((entry) => entry.id));
  const { memberId, actorId } = query.filters;
  const people = await membersByIds(
    reader,
    [memberId, actorId].filter((id): id is number => id !== null),
  );
  const organizations = await managedOrganizations(reader, actorSlackUserId, now);
  return {
    organization: organizationSummary(admin.organization),
    organizations: organizations.map(organizationSummary),
    query,
    expanded: state.expanded.filter((id) => onPage.has(id)),
    filterPeople: {
      member: memberId === null ? null : (people.get(memberId) ?? null),
      actor: actorId === null ? null : (people.get(actorId) ?? null),
    },
    entries,
    total,
    totalCapped,
    pageSize: LOG_PAGE_SIZE,
    scope,
  };
}

/** The member id a Slack user picked in a filter has; refused when Gatehouse has never known them, so no entry is about them. */
export async function logPersonOf(reader: SqlTarget, slackUserId: string): Promise<number> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(sql.build.selectFrom('Member').select('id').where('slackUserId', '=', slackUserId));
  if (!row) throw new DomainError('unknown_connection', 'Gatehouse has never known that person, so no log entry is about them or by them.');
  return row.id;
}

/** `@name` as typed: the organization's one member of that display name (spaces and case aside). */
async function memberNamed(reader: SqlTarget, organization: { id: number; name: string }, name: string): Promise<number> {
  const sql = sqlOf(reader);
  const wanted = name.toLowerCase();
  const rows = await sql.rows(
    sql.build
      .selectFrom('Member as m')
      .innerJoin('Connection as c', 'c.memberId', 'm.id')
      .select(['m.id', 'm.displayName'])
      .where('c.organizationId', '=', organization.id)
      .where((eb) => eb(eb.fn('lower', [eb.fn('replace', ['m.displayName', eb.val(' '), eb.val('')])]), '=', wanted.replace(/\s/g, ''))),
  );
  const ids = [...new Set(rows.map((row) => row.id))];
  if (ids.length === 1) return ids[0]!;
  const how = 'Pick them in the log\u2019s filters instead, or mention them with @ so Slack sends who they are.';
  if (ids.length === 0) throw new DomainError('unknown_connection', `Nobody in ${organization.name} is called @${name}. ${how}`);
  throw new DomainError('duplicate', `${ids.length} people in ${organization.name} are called @${name}. ${how}`);
}

async function resolvedPerson(reader: SqlTarget, organization: { id: number; name: string }, reference: PersonReference | null) {
  if (reference === null) return null;
  return 'slackUserId' in reference ? logPersonOf(reader, reference.slackUserId) : memberNamed(reader, organization, reference.name);
}

/**
 * `/access log [text]`: the log of the first organization the actor administers, by name, with
 * the filters the text names. Refuses text it cannot read, and anyone who administers nothing.
 * Only cheap reads: the command is answered after it, and the page is read once it is.
 */
export async function startLog(reader: SqlTarget, actorSlackUserId: string, text: string, now: Date): Promise<LogViewState> {
  const parsed = parseLogCommand(text);
  if (!parsed.ok) throw new DomainError('unreadable', parsed.message);
  const organizations = await managedOrganizations(reader, actorSlackUserId, now);
  const first = organizations[0];
  if (!first) throw new DomainError('forbidden', await noManagedOrganizationReason(reader, actorSlackUserId, now, WHAT));
  const typed = parsed.filters;
  const filters: LogFilters = {
    ...NO_LOG_FILTERS,
    memberId: await resolvedPerson(reader, first, typed.member),
    actorId: await resolvedPerson(reader, first, typed.actor),
    action: typed.action,
    permission: typed.permission,
    from: typed.from,
    to: typed.to,
  };
  return { query: { organizationId: first.id, filters, page: 0 }, expanded: [] };
}
