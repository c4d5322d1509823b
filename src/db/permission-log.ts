import { insertRows } from './bulk-insert.js';
import { Prisma } from './generated/sqlite/client.js';
import { sqlOf, type SqlTarget } from './sql.js';

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
  const [row] = await sqlOf(target).query<{ id: number }>(Prisma.sql`
    INSERT INTO "PermissionLogEntry"
      ("organizationId", "actorId", "actorLabel", "subjectMemberId", "subjectEmail", "action", "before", "after", "note", "createdAt")
    VALUES (${entry.organizationId}, ${entry.actorId ?? null}, ${entry.actorLabel ?? null}, ${entry.subjectMemberId ?? null},
      ${entry.subjectEmail ?? null}, ${entry.action}, ${jsonOrNull(entry.before)}, ${jsonOrNull(entry.after)}, ${entry.note ?? null},
      ${entry.createdAt})
    RETURNING "id"`);
  return row!.id;
}

const LOG_COLUMNS = ['organizationId', 'actorId', 'actorLabel', 'subjectMemberId', 'subjectEmail', 'action', 'before', 'after', 'note', 'createdAt'] as const;

/** Appends many entries at once, for changes that touch many people (a 1000-person invitation). */
export async function appendLogEntries(target: SqlTarget, entries: readonly LogEntryInput[]): Promise<void> {
  await insertRows(
    target,
    'PermissionLogEntry',
    LOG_COLUMNS,
    entries.map((entry) => [
      entry.organizationId,
      entry.actorId ?? null,
      entry.actorLabel ?? null,
      entry.subjectMemberId ?? null,
      entry.subjectEmail ?? null,
      entry.action,
      jsonOrNull(entry.before),
      jsonOrNull(entry.after),
      entry.note ?? null,
      entry.createdAt,
    ]),
  );
}
