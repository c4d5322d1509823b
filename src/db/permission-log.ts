import { insertRows } from './bulk-insert.js';
import { preparedStatement, sqlOf, type SqlTarget } from './sql.js';

export interface LogEntryInput {
  organizationId: number | null;
  actorId?: number | null;
  /** Who acted when no member did: "system" for jobs, "operator" for the CLI. */
  actorLabel?: string | null;
  subjectMemberId?: number | null;
  subjectEmail?: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
  note?: string | null;
  createdAt: Date;
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Appends one entry to the permissions log and returns its id. Written as SQL because it is on
 * every change's path and the ORM's JSON handling cost more than the insert itself; JSON goes in
 * as text, which both databases accept for their JSON columns.
 */
export async function appendLogEntry(target: SqlTarget, entry: LogEntryInput): Promise<number> {
  const sql = sqlOf(target);
  const [row] = await sql.rows(appendStatement(sql, logRow(entry)));
  return row!.id;
}

const appendStatement = preparedStatement((build, row: ReturnType<typeof logRow>) =>
  build
    .insertInto('PermissionLogEntry')
    .values({
      organizationId: row.organizationId,
      actorId: row.actorId,
      actorLabel: row.actorLabel,
      subjectMemberId: row.subjectMemberId,
      subjectEmail: row.subjectEmail,
      action: row.action,
      before: row.before,
      after: row.after,
      note: row.note,
      createdAt: row.createdAt,
    })
    .returning('id'),
);

function logRow(entry: LogEntryInput) {
  return {
    organizationId: entry.organizationId,
    actorId: entry.actorId ?? null,
    actorLabel: entry.actorLabel ?? null,
    subjectMemberId: entry.subjectMemberId ?? null,
    subjectEmail: entry.subjectEmail ?? null,
    action: entry.action,
    before: jsonOrNull(entry.before),
    after: jsonOrNull(entry.after),
    note: entry.note ?? null,
    createdAt: entry.createdAt,
  };
}

/** Appends many entries at once, for changes that touch many people (a 1000-person invitation). */
export async function appendLogEntries(target: SqlTarget, entries: readonly LogEntryInput[]): Promise<void> {
  await insertRows(target, 'PermissionLogEntry', entries.map(logRow));
}
