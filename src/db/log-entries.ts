/**
 * The permissions log as `/access log` pages it and the CSV export streams it: one organization's
 * chain, newest first, narrowed by the admin's filters and by what their admin role lets them see.
 * One statement for both, so the export holds exactly what the view showed.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { endOfDayIn, startOfDayIn } from '../domain/dates.js';
import { chainOf } from '../domain/log-chain.js';
import type { LogFilters } from '../domain/log-query.js';
import type { LogScope } from '../domain/member-policy.js';
import { PERMISSION } from '../domain/permission-catalog.js';
import { likePrefix } from './member-list.js';
import type { DB, QueryBuilder } from './query-builder.js';

/** The filters with their calendar days turned into instants in the organization's time zone. */
export interface LogEntrySelection {
  organizationId: number;
  scope: LogScope;
  memberId: number | null;
  actorId: number | null;
  action: string | null;
  permission: string | null;
  /** Entries at or after this instant (the first day's start). */
  fromAt: Date | null;
  /** Entries at or before this instant (the last day's end). */
  toAt: Date | null;
}

export function logEntrySelection(organizationId: number, timeZone: string, scope: LogScope, filters: LogFilters): LogEntrySelection {
  return {
    organizationId,
    scope,
    memberId: filters.memberId,
    actorId: filters.actorId,
    action: filters.action,
    permission: filters.permission,
    fromAt: filters.from ? startOfDayIn(filters.from, timeZone) : null,
    toAt: filters.to ? endOfDayIn(filters.to, timeZone) : null,
  };
}

type EntryScope = ExpressionBuilder<DB & { e: DB['PermissionLogEntry'] }, 'e'>;

/** The held permissions column of an entry whose only permission is e-Learning. */
const E_LEARNING_ONLY = `|${PERMISSION.eLearning}|`;

function conditions(selection: LogEntrySelection) {
  return (eb: EntryScope): Expression<SqlBool> => {
    // An organization's chain is its entries; reading by chain walks the (chain, sequence) index. A
    // member's entries are far fewer, but SQLite without statistics still takes the chain's index for
    // them (a full walk of a 10^6-entry chain): the unary plus keeps the chain's term off any index.
    const chain = selection.memberId !== null ? sql<number>`+${sql.ref('e.chain')}` : sql.ref('e.chain');
    const all: Expression<SqlBool>[] = [eb(chain, '=', chainOf(selection.organizationId))];
    if (!selection.scope.all) {
      const seen: Expression<SqlBool>[] = [];
      if (selection.scope.eLearning) seen.push(eb('e.permissionKeys', '=', E_LEARNING_ONLY));
      if (selection.scope.callers) seen.push(eb('e.aboutCaller', '=', true));
      // A limited admin with neither scope sees nothing, rather than everything.
      all.push(seen.length > 0 ? eb.or(seen) : eb.val(false).$castTo<SqlBool>());
    }
    if (selection.memberId !== null) all.push(eb('e.subjectMemberId', '=', selection.memberId));
    if (selection.actorId !== null) all.push(eb('e.actorId', '=', selection.actorId));
    if (selection.action !== null) all.push(eb('e.action', '=', selection.action));
    if (selection.permission !== null) {
      // ESCAPE is spelled out: SQLite has no default escape character, so `\_` would match nothing.
      const pattern = `%${likePrefix(`|${selection.permission}|`)}`;
      all.push(sql<SqlBool>`${sql.ref('e.permissionKeys')} like ${pattern} escape '\\'`);
    }
    // The chain's entries are the organization's: naming it too lets a date range use (organizationId, createdAt).
    if (selection.fromAt || selection.toAt) all.push(eb('e.organizationId', '=', selection.organizationId));
    if (selection.fromAt) all.push(eb('e.createdAt', '>=', selection.fromAt));
    if (selection.toAt) all.push(eb('e.createdAt', '<=', selection.toAt));
    return eb.and(all);
  };
}

/**
 * The selected entries, newest first, with the names of who acted and whom it was about. Page it
 * with `.limit().offset()`, count it with `countLogEntries`, or stream it whole.
 */
export function selectLogEntries(build: QueryBuilder, selection: LogEntrySelection) {
  return build
    .selectFrom('PermissionLogEntry as e')
    .leftJoin('Member as actor', 'actor.id', 'e.actorId')
    .leftJoin('Member as subject', 'subject.id', 'e.subjectMemberId')
    .where(conditions(selection))
    .select([
      'e.id',
      'e.sequence',
      'e.hash',
      'e.action',
      'e.createdAt',
      'e.actorId',
      'e.actorLabel',
      'actor.displayName as actorName',
      'actor.slackUserId as actorSlackUserId',
      'e.subjectMemberId',
      'e.subjectEmail',
      'subject.displayName as subjectName',
      'subject.slackUserId as subjectSlackUserId',
      'subject.email as subjectMemberEmail',
      'e.before',
      'e.after',
      'e.note',
    ])
    .orderBy('e.sequence', 'desc');
}

/** How many entries the selection holds. */
export function countLogEntries(build: QueryBuilder, selection: LogEntrySelection) {
  return build
    .selectFrom('PermissionLogEntry as e')
    .where(conditions(selection))
    .select((eb) => eb.fn.countAll<number>().as('count'));
}
