/**
 * The rows of the CSV exports, read in keyset batches so an export of 100,000 members holds one
 * batch at a time: each batch starts after the last key of the one before, on an index that gives
 * the batch's order (a connection's organization and member; the log's chain and sequence), so no
 * batch sorts or skips what came before it.
 */
import { sql as raw, type ExpressionBuilder, type InferResult } from 'kysely';
import { logEntrySelection, selectLogEntries, type LogEntrySelection } from '../../db/log-entries.js';
import type { DB, QueryBuilder, SqlProvider } from '../../db/query-builder.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import type { LogFilters } from '../../domain/log-query.js';
import type { LogScope } from '../../domain/member-policy.js';
import { PERMISSION_CATALOG, type PermissionDefinition } from '../../domain/permission-catalog.js';

/** Rows per statement: large enough that a statement's own cost is spread thin, small enough to keep memory flat. */
export const EXPORT_BATCH = 1_000;

/** How a connection stands, as the members list's status filter names it. */
export type ExportedStatus = 'active' | 'expired' | 'disabled';

/** Access whose end has passed is expired, even before the time-limit job has marked it so (as in the members list). */
export function exportedStatus(status: string, endsAt: Date | null, now: Date): ExportedStatus {
  if (status === 'SUSPENDED') return 'disabled';
  if (status === 'EXPIRED' || (endsAt !== null && endsAt <= now)) return 'expired';
  return 'active';
}

function memberColumns(build: QueryBuilder, organizationId: number, afterMemberId: number, limit: number) {
  return (
    build
      .selectFrom('Connection as c')
      .innerJoin('Member as m', 'm.id', 'c.memberId')
      .select([
        'c.id',
        'c.memberId',
        'c.status',
        'c.startsOn',
        'c.endsOn',
        'c.endsAt',
        'c.connectedAt',
        'c.tags',
        'c.callerSupportLevel',
        'c.callerLevel',
        'm.slackUserId',
        'm.displayName',
        'm.email',
      ])
      // The (organizationId, memberId) unique index gives this order and starts the batch at its key.
      .where('c.organizationId', '=', organizationId)
      .where('c.memberId', '>', afterMemberId)
      .orderBy('c.memberId')
      .limit(limit)
  );
}

/** A member row of the grid and the report, as read: the views of it (status, tags, caller) are the file's to draw. */
export type ExportedMember = InferResult<ReturnType<typeof memberColumns>>[number];

/** A grid row: the member, and the keys of every permission they hold, `|`-separated (null for none). */
export type GridRow = ExportedMember & { permissionKeys: string | null };

/**
 * The keys a connection holds, as one `|`-separated text in the row itself: one statement a batch,
 * and no second result to match up row by row (a correlated read of the grants' primary key).
 */
function heldKeys(provider: SqlProvider) {
  return (eb: ExpressionBuilder<DB & { c: DB['Connection'] }, 'c'>) => {
    const grants =
      provider === 'postgres'
        ? raw<string | null>`string_agg(p."permissionKey", '|')`
        : raw<string | null>`group_concat(p.permissionKey, '|')`;
    return eb
      .selectFrom('ConnectionPermission as p')
      .select(grants.as('keys'))
      .whereRef('p.connectionId', '=', 'c.id')
      .as('permissionKeys');
  };
}

/** The permissions grid: every member of the organization (removed ones aside), by member id, with what each holds. */
export async function* gridBatches(
  reader: SqlTarget,
  organizationId: number,
  now: Date,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<GridRow[]> {
  const sql = sqlOf(reader);
  let after = 0;
  for (;;) {
    const rows = await sql.rows(
      memberColumns(sql.build, organizationId, after, batchSize).where('c.status', '<>', 'REMOVED').select(heldKeys(sql.provider)),
    );
    if (rows.length === 0) return;
    // Yielded as read: a copy of 100,000 rows into other objects was most of an export's garbage.
    yield rows;
    if (rows.length < batchSize) return;
    after = rows.at(-1)!.memberId;
  }
}

/** One batch of a permission's holders in the report. */
export interface ReportBatch {
  permission: PermissionDefinition;
  holders: ExportedMember[];
}

/**
 * The permissions report: for each permission in catalog order, the members who hold it now
 * (active access whose end has not passed, as the members list's Active filter has it), by member id.
 */
export async function* reportBatches(
  reader: SqlTarget,
  organizationId: number,
  now: Date,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<ReportBatch> {
  const sql = sqlOf(reader);
  for (const permission of PERMISSION_CATALOG) {
    let after = 0;
    for (;;) {
      const rows = await sql.rows(
        memberColumns(sql.build, organizationId, after, batchSize)
          .where('c.status', '=', 'ACTIVE')
          .where((eb) => eb.or([eb('c.endsAt', 'is', null), eb('c.endsAt', '>', now)]))
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('ConnectionPermission as p')
                .select('p.connectionId')
                .whereRef('p.connectionId', '=', 'c.id')
                .where('p.permissionKey', '=', permission.key),
            ),
          ),
      );
      if (rows.length > 0) yield { permission, holders: rows };
      if (rows.length < batchSize) break;
      after = rows.at(-1)!.memberId;
    }
  }
}

function logPage(build: QueryBuilder, selection: LogEntrySelection, beforeSequence: number, limit: number) {
  return selectLogEntries(build, selection).where('e.sequence', '<', beforeSequence).limit(limit);
}

export type ExportedLogEntry = InferResult<ReturnType<typeof logPage>>[number];

/** The selection `/access log` shows for these filters, in the organization's time zone and the admin's scope. */
export function logExportSelection(organizationId: number, timeZone: string, scope: LogScope, filters: LogFilters): LogEntrySelection {
  return logEntrySelection(organizationId, timeZone, scope, filters);
}

/**
 * The log's selected entries logged before `beforeSequence`, newest first: the same statement as
 * `/access log`, each batch starting below the last sequence number of the one before.
 */
export async function* logBatches(
  reader: SqlTarget,
  selection: LogEntrySelection,
  beforeSequence: number,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<ExportedLogEntry[]> {
  const sql = sqlOf(reader);
  let cursor = beforeSequence;
  for (;;) {
    const rows = await sql.rows(logPage(sql.build, selection, cursor, batchSize));
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    cursor = rows.at(-1)!.sequence!;
  }
}
