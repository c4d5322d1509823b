import { isAuthorizedCallerInvitation } from '../domain/invitations.js';
import { canonicalJson, chainOf, entryHash, GENESIS_HASH, type ChainHead } from '../domain/log-chain.js';
import { LOG_ACTION } from '../domain/permissions-log.js';
import type { OutboxItem } from '../domain/outbox-messages.js';
import { insertInChunks } from './bulk-insert.js';
import { insertOutboxItems } from './outbox-rows.js';
import { LOCK, lockKeys } from './locks.js';
import { preparedStatement, sqlOf, type Sql, type SqlTarget } from './sql.js';

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

/** An appended entry: its id and where it sits in its organization's chain. */
export interface AppendedEntry {
  id: number;
  sequence: number;
}

/**
 * A snapshot as stored: its JSON form with keys sorted, which is also what the entry's hash covers,
 * so `log verify` can hash the stored text as it is (PostgreSQL's jsonb keeps an order of its own,
 * and is parsed there instead).
 */
function jsonOrNull(value: unknown): string | null {
  const text = value === undefined || value === null ? null : JSON.stringify(value);
  return text === null ? null : canonicalJson(JSON.parse(text));
}

/**
 * Appends one entry to the permissions log, chained after the last entry of its organization, and
 * returns its id. Call it inside the change's transaction: the chain's lock is held until commit, so
 * concurrent writers to one organization line up and the chain never forks (the unique index on
 * chain and sequence refuses a fork all the same). Take the change's own locks before it.
 *
 * Written as SQL because it is on every change's path and the ORM's JSON handling cost more than
 * the insert itself; JSON goes in as text, which both databases accept for their JSON columns.
 */
export async function appendLogEntry(target: SqlTarget, entry: LogEntryInput): Promise<number> {
  return (await appendChained(target, entry)).id;
}

/** `appendLogEntry`, also giving the entry's sequence number (for the audit channel's line). */
export async function appendChained(target: SqlTarget, entry: LogEntryInput): Promise<AppendedEntry> {
  const sql = sqlOf(target);
  const chain = chainOf(entry.organizationId);
  const head = await lockedChainHead(sql, chain);
  const row = chainedRow(entry, chain, head);
  const [inserted] = await sql.rows(appendStatement(sql, row));
  await queueAuditLines(sql, [row]);
  return { id: inserted!.id, sequence: row.sequence };
}

/**
 * Appends many entries at once, in order, for changes that touch many people (a 1000-person
 * invitation), and returns them in that order. Every chain's lock is taken up front, in one sorted
 * call: taken one chain at a time as entries came, two batches naming the same chains in another
 * order could each hold the lock the other waits for. Call it after the change's state rows are
 * written, so that no row lock is waited for while a chain's lock is held.
 */
export async function appendLogEntries(target: SqlTarget, entries: readonly LogEntryInput[]): Promise<AppendedEntry[]> {
  if (entries.length === 0) return [];
  const sql = sqlOf(target);
  const chains = [...new Set(entries.map((entry) => chainOf(entry.organizationId)))];
  await lockKeys(sql, ...chains.map((chain) => LOCK.logChain(chain)));
  const heads = new Map<number, ChainHead | null>();
  for (const chain of chains) heads.set(chain, await chainHead(sql, chain));
  const rows = [];
  for (const entry of entries) {
    const chain = chainOf(entry.organizationId);
    const row = chainedRow(entry, chain, heads.get(chain)!);
    heads.set(chain, { sequence: row.sequence, hash: row.hash });
    rows.push(row);
  }
  // Neither database promises RETURNING in VALUES order; (chain, sequence) is unique, so match by it.
  const inserted = await insertInChunks(rows, (chunk) =>
    sql.rows(sql.build.insertInto('PermissionLogEntry').values(chunk).returning(['id', 'chain', 'sequence'])),
  );
  await queueAuditLines(sql, rows);
  const idOf = new Map(inserted.map((row) => [`${row.chain}:${row.sequence}`, row.id]));
  return rows.map((row) => ({ id: idOf.get(`${row.chain}:${row.sequence}`)!, sequence: row.sequence }));
}

/** Takes the chain's lock and reads its last entry (null for an empty chain). */
async function lockedChainHead(sql: Sql, chain: number): Promise<ChainHead | null> {
  await lockKeys(sql, LOCK.logChain(chain));
  return chainHead(sql, chain);
}

/**
 * The chain's last entry (null for an empty chain). Read under the chain's lock to append after it;
 * read without, it is the head as last committed.
 */
export async function chainHead(target: SqlTarget, chain: number): Promise<ChainHead | null> {
  const sql = sqlOf(target);
  const [head] = await sql.rows(chainHeadStatement(sql, { chain }));
  return head && head.sequence !== null && head.hash !== null ? { sequence: head.sequence, hash: head.hash } : null;
}

const chainHeadStatement = preparedStatement((build, args: { chain: number }) =>
  build
    .selectFrom('PermissionLogEntry')
    .select(['sequence', 'hash'])
    .where('chain', '=', args.chain)
    .where('sequence', 'is not', null)
    .orderBy('sequence', 'desc')
    .limit(1),
);

const appendStatement = preparedStatement((build, row: ReturnType<typeof chainedRow>) =>
  build
    .insertInto('PermissionLogEntry')
    // Named one by one: the prepared statement's arguments are placeholders, not an object to spread.
    .values({
      chain: row.chain,
      sequence: row.sequence,
      previousHash: row.previousHash,
      hash: row.hash,
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
      permissionKeys: row.permissionKeys,
      aboutCaller: row.aboutCaller,
    })
    .returning('id'),
);

function chainedRow(entry: LogEntryInput, chain: number, head: ChainHead | null) {
  const content = {
    chain,
    sequence: (head?.sequence ?? 0) + 1,
    previousHash: head?.hash ?? GENESIS_HASH,
    organizationId: entry.organizationId,
    actorId: entry.actorId ?? null,
    actorLabel: entry.actorLabel ?? null,
    subjectMemberId: entry.subjectMemberId ?? null,
    subjectEmail: entry.subjectEmail ?? null,
    action: entry.action,
    // Hashed as it will read back: JSON, so `undefined` members and Dates take their JSON form.
    before: jsonValue(entry.before),
    after: jsonValue(entry.after),
    note: entry.note ?? null,
    createdAt: entry.createdAt,
  };
  return {
    ...content,
    before: jsonOrNull(entry.before),
    after: jsonOrNull(entry.after),
    hash: entryHash(content),
    ...derivedColumns(entry.action, content.before, content.after),
  };
}

function jsonValue(value: unknown): unknown {
  const text = value === undefined || value === null ? null : JSON.stringify(value);
  return text === null ? null : (JSON.parse(text) as unknown);
}

function permissionsIn(snapshot: unknown): string[] {
  const permissions = (snapshot as { permissions?: unknown } | null)?.permissions;
  return Array.isArray(permissions) ? permissions.filter((key): key is string => typeof key === 'string') : [];
}

/**
 * What the log's filters and the limited admins' scopes read, worked out once when the entry is
 * written (and by the chain backfill for older entries) rather than by parsing JSON in every query.
 */
export function derivedColumns(action: string, before: unknown, after: unknown): { permissionKeys: string; aboutCaller: boolean } {
  const held = [...new Set([...permissionsIn(before), ...permissionsIn(after)])].sort();
  return {
    permissionKeys: held.length > 0 ? `|${held.join('|')}|` : '',
    aboutCaller:
      action === LOG_ACTION.callerChanged ||
      isAuthorizedCallerInvitation(permissionsIn(before)) ||
      isAuthorizedCallerInvitation(permissionsIn(after)),
  };
}

/**
 * The audit channel's line for what one change appended, in the change's transaction: one line per
 * organization with an audit channel, naming the entries' sequence numbers, so a batch of a
 * thousand entries is one post rather than a thousand.
 */
async function queueAuditLines(
  sql: Sql,
  rows: ReadonlyArray<{ organizationId: number | null; sequence: number; createdAt: Date }>,
): Promise<void> {
  const ranges = new Map<number, { fromSequence: number; toSequence: number; at: Date }>();
  for (const row of rows) {
    if (row.organizationId === null) continue;
    const range = ranges.get(row.organizationId);
    if (!range) ranges.set(row.organizationId, { fromSequence: row.sequence, toSequence: row.sequence, at: row.createdAt });
    else {
      range.fromSequence = Math.min(range.fromSequence, row.sequence);
      range.toSequence = Math.max(range.toSequence, row.sequence);
    }
  }
  if (ranges.size === 0) return;
  const channels = await sql.rows(
    sql.build
      .selectFrom('Organization')
      .select(['id', 'auditChannelId'])
      .where('id', 'in', [...ranges.keys()])
      .where('auditChannelId', 'is not', null),
  );
  for (const { id, auditChannelId } of channels) {
    const range = ranges.get(id)!;
    const item: OutboxItem = {
      kind: 'audit.entries',
      organizationId: id,
      fromSequence: range.fromSequence,
      toSequence: range.toSequence,
      channel: auditChannelId!,
    };
    await insertOutboxItems(sql, [item], range.at);
  }
}
