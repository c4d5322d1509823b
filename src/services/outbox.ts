import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/client.js';
import { insertOutboxItems } from '../db/outbox-rows.js';
import type { DB } from '../db/query-builder.js';
import { preparedStatement, sqlOf, type SqlDatabase, type SqlTarget } from '../db/sql.js';
import type { OutboxItem } from '../domain/outbox-messages.js';

/** Queues messages inside the caller's transaction (see `insertOutboxItems`). */
export async function enqueue(target: SqlTarget, items: readonly OutboxItem[], now: Date): Promise<void> {
  await insertOutboxItems(target, items, now);
}

/**
 * Queues messages that must exist once however often their cause is seen again: each carries a
 * key, and a second row with the same key is dropped by the database's unique index.
 */
export async function enqueueOnce(
  target: SqlTarget,
  items: ReadonlyArray<{ item: OutboxItem; dedupeKey: string }>,
  now: Date,
): Promise<number> {
  const sql = sqlOf(target);
  let queued = 0;
  for (const { item, dedupeKey } of items) {
    queued += await sql.execute(
      sql.build
        .insertInto('OutboxMessage')
        .values({ kind: item.kind, payload: JSON.stringify(item), dedupeKey, availableAt: now, createdAt: now })
        .onConflict((conflict) => conflict.column('dedupeKey').doNothing()),
    );
  }
  return queued;
}

export interface ClaimedMessage {
  id: number;
  /** Identifies the claim, so only its holder gives the message back. */
  claimToken: string;
  item: OutboxItem;
  /** Failed attempts so far: transient failures only, as a 429 uses none. */
  attempts: number;
  /** When the current run of failures began, or null when there is none. */
  firstFailedAt: Date | null;
  resultChannel: string | null;
  resultTs: string | null;
}

/**
 * Claims up to `limit` deliverable messages for this runner. Each claim is a compare-and-set on
 * the row, so two dispatchers (in one process or several replicas) never hold the same message;
 * a claim lapses after `leaseMs` in case its holder died.
 */
export async function claimDeliverable(
  target: SqlTarget,
  options: { runner: string; limit: number; now: Date; leaseMs: number },
): Promise<ClaimedMessage[]> {
  const sql = sqlOf(target);
  const claimable = (eb: ExpressionBuilder<DB, 'OutboxMessage'>) =>
    eb.and([
      eb('status', '=', 'PENDING'),
      eb('availableAt', '<=', options.now),
      eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', options.now)]),
    ]);
  const candidates = await sql.rows(sql.build.selectFrom('OutboxMessage').select('id').where(claimable).orderBy('id').limit(options.limit));
  if (candidates.length === 0) return [];
  // One conditional update claims every candidate nobody else has claimed meanwhile; the token
  // tells this claim's rows apart from any earlier claim by the same runner.
  const token = `${options.runner}#${randomUUID()}`;
  await sql.execute(
    sql.build
      .updateTable('OutboxMessage')
      .set({ claimedBy: token, claimedUntil: new Date(options.now.getTime() + options.leaseMs) })
      .where(claimable)
      .where(
        'id',
        'in',
        candidates.map((candidate) => candidate.id),
      ),
  );
  const rows = await sql.rows(
    sql.build
      .selectFrom('OutboxMessage')
      .select(['id', 'payload', 'attempts', 'firstFailedAt', 'resultChannel', 'resultTs'])
      .where('claimedBy', '=', token)
      .orderBy('id'),
  );
  return rows.map((row) => ({
    id: row.id,
    claimToken: token,
    // Only enqueue writes payloads, from typed items.
    item: JSON.parse(row.payload) as OutboxItem,
    attempts: row.attempts,
    firstFailedAt: row.firstFailedAt,
    resultChannel: row.resultChannel,
    resultTs: row.resultTs,
  }));
}

export async function markDelivered(
  target: SqlTarget,
  id: number,
  result: { channel?: string | null; ts?: string | null },
  now: Date,
  /** What to keep of the message once sent, when part of it (an invitation code) must not outlive delivery. */
  scrubbed?: OutboxItem,
): Promise<void> {
  const sql = sqlOf(target);
  await sql.execute(
    deliveredStatement(sql, {
      id,
      channel: result.channel ?? null,
      ts: result.ts ?? null,
      payload: scrubbed ? JSON.stringify(scrubbed) : null,
      now,
    }),
  );
}

/** A result the send did not report leaves what an earlier attempt recorded. */
const deliveredStatement = preparedStatement(
  (build, delivered: { id: number; channel: string | null; ts: string | null; payload: string | null; now: Date }) =>
    build
      .updateTable('OutboxMessage')
      .set((eb) => ({
        status: 'SENT',
        sentAt: delivered.now,
        attempts: eb('attempts', '+', 1),
        claimedBy: null,
        claimedUntil: null,
        resultChannel: eb.fn.coalesce(eb.val(delivered.channel), 'resultChannel'),
        resultTs: eb.fn.coalesce(eb.val(delivered.ts), 'resultTs'),
        lastError: null,
        payload: eb.fn.coalesce(eb.val(delivered.payload), 'payload'),
      }))
      .where('id', '=', delivered.id),
);

/**
 * Marks a message delivered and queues the messages its delivery calls for (telling an admin how an
 * invitation went out) in one transaction, so the notice exists exactly when the delivery is recorded.
 */
export async function markDeliveredAndQueue(
  database: SqlDatabase,
  id: number,
  result: { channel?: string | null; ts?: string | null },
  now: Date,
  scrubbed: OutboxItem | undefined,
  followUps: readonly OutboxItem[],
): Promise<void> {
  await database.transaction(async (tx) => {
    await markDelivered(tx, id, result, now, scrubbed);
    if (followUps.length > 0) await enqueue(tx, followUps, now);
  });
}

const failedStatement = preparedStatement(
  (build, failed: { id: number; claimToken: string; status: 'FAILED' | 'PENDING'; error: string; retryAt: Date | null; now: Date }) =>
    build
      .updateTable('OutboxMessage')
      .set((eb) => ({
        status: failed.status,
        attempts: eb('attempts', '+', 1),
        lastError: failed.error,
        availableAt: eb.fn.coalesce(eb.val(failed.retryAt), 'availableAt'),
        firstFailedAt: eb.fn.coalesce('firstFailedAt', eb.val(failed.now)),
        claimedBy: null,
        claimedUntil: null,
      }))
      .where('id', '=', failed.id)
      .where('claimedBy', '=', failed.claimToken),
);

/**
 * Records a failed attempt by the claim's holder. The message becomes deliverable again at
 * `retryAt`; it is parked as FAILED when waiting cannot cure the failure (`retryAt` null) or when it
 * has been failing for the whole retry window, counted from the first failure of the run.
 * Returns 'lost' when the claim lapsed and someone else holds the message now.
 */
export async function markAttemptFailed(
  target: SqlTarget,
  message: Pick<ClaimedMessage, 'id' | 'claimToken' | 'firstFailedAt'>,
  failure: { error: string; retryAt: Date | null; now: Date; retryWindowMs: number },
): Promise<'retrying' | 'parked' | 'lost'> {
  const failingSince = message.firstFailedAt ?? failure.now;
  const parked = failure.retryAt === null || failure.now.getTime() - failingSince.getTime() >= failure.retryWindowMs;
  const sql = sqlOf(target);
  const changed = await sql.execute(
    failedStatement(sql, {
      id: message.id,
      claimToken: message.claimToken,
      status: parked ? 'FAILED' : 'PENDING',
      error: failure.error.slice(0, 1000),
      retryAt: failure.retryAt,
      now: failure.now,
    }),
  );
  if (changed === 0) return 'lost';
  return parked ? 'parked' : 'retrying';
}

/**
 * Puts a message back until `availableAt` without counting an attempt or moving its retry
 * deadline: Slack asked Gatehouse to slow down, which says nothing about the message.
 */
export async function postponeDelivery(
  target: SqlTarget,
  message: Pick<ClaimedMessage, 'id' | 'claimToken'>,
  postponed: { availableAt: Date; reason: string },
): Promise<void> {
  const sql = sqlOf(target);
  await sql.execute(
    sql.build
      .updateTable('OutboxMessage')
      .set({ availableAt: postponed.availableAt, lastError: postponed.reason.slice(0, 1000), claimedBy: null, claimedUntil: null })
      .where('id', '=', message.id)
      .where('claimedBy', '=', message.claimToken),
  );
}

/** The kind of message that tells operators about parked ones; it is never reported itself. */
export const PARKED_REPORT_KIND = 'outbox.parked';

export interface ParkedMessage {
  id: number;
  kind: string;
  lastError: string | null;
}

/**
 * Reports every parked message nobody was told about yet, exactly once: each is stamped
 * `reportedAt` by a conditional update, and one report per operator is queued in the same
 * transaction, so two replicas never report the same message and a crash reports it later rather
 * than never. Parked reports are stamped but not reported again, so a report that fails cannot
 * start a loop. Returns the messages stamped.
 */
export async function reportParkedMessages(database: SqlDatabase, operatorUserIds: readonly string[], now: Date): Promise<ParkedMessage[]> {
  return database.transaction(async (tx) => {
    const stamped: ParkedMessage[] = await tx.rows(
      tx.build
        .updateTable('OutboxMessage')
        .set({ reportedAt: now })
        .where('status', '=', 'FAILED')
        .where('reportedAt', 'is', null)
        .returning(['id', 'kind', 'lastError']),
    );
    const reportable = stamped.filter((message) => message.kind !== PARKED_REPORT_KIND).sort((a, b) => a.id - b.id);
    if (reportable.length > 0 && operatorUserIds.length > 0) {
      const outboxIds = reportable.map((message) => message.id);
      await enqueue(
        tx,
        operatorUserIds.map((userId): OutboxItem => ({ kind: PARKED_REPORT_KIND, userId, outboxIds })),
        now,
      );
    }
    return stamped;
  });
}

/** Parked messages among `ids`, as an operator's report shows them; those retried since are left out. */
export function parkedMessagesAmong(target: SqlTarget, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  const sql = sqlOf(target);
  return sql.rows(
    sql.build
      .selectFrom('OutboxMessage')
      .select(['id', 'kind', 'attempts', 'lastError', 'createdAt'])
      .where('status', '=', 'FAILED')
      .where('id', 'in', [...ids])
      .orderBy('id'),
  );
}

/** Gives claimed messages back undelivered, to be picked up again from `availableAt`. */
export async function releaseClaims(target: SqlTarget, messages: ClaimedMessage[], availableAt: Date): Promise<void> {
  if (messages.length === 0) return;
  const sql = sqlOf(target);
  await sql.execute(
    sql.build
      .updateTable('OutboxMessage')
      .set({ claimedBy: null, claimedUntil: null, availableAt })
      .where(
        'id',
        'in',
        messages.map((message) => message.id),
      )
      .where('claimedBy', 'in', [...new Set(messages.map((message) => message.claimToken))]),
  );
}

/** Remembers a posted message about a request, so a later change can redraw it. */
export async function recordRequestMessage(
  prisma: Db,
  message: { requestId: number; audience: string; channelId: string; ts: string },
): Promise<void> {
  await prisma.requestMessage.upsert({
    where: { channelId_ts: { channelId: message.channelId, ts: message.ts } },
    create: message,
    update: {},
  });
}

export function requestMessagesOf(prisma: Db, requestId: number) {
  return prisma.requestMessage.findMany({ where: { requestId }, orderBy: { id: 'asc' } });
}

/**
 * Gives messages parked as failed another full retry window, for an operator who has fixed
 * what made them fail (a channel the bot was not in, a revoked token). Returns how many.
 */
export async function retryParkedMessages(prisma: Db, ids: number[] | 'all', now: Date): Promise<number> {
  const retried = await prisma.outboxMessage.updateMany({
    where: { status: 'FAILED', ...(ids === 'all' ? {} : { id: { in: ids } }) },
    data: { status: 'PENDING', attempts: 0, firstFailedAt: null, reportedAt: null, availableAt: now, claimedBy: null, claimedUntil: null },
  });
  return retried.count;
}

/** Messages parked as failed, newest first, with why. */
export function parkedMessages(prisma: Db, limit = 50) {
  return prisma.outboxMessage.findMany({
    where: { status: 'FAILED' },
    orderBy: { id: 'desc' },
    take: limit,
    select: { id: true, kind: true, attempts: true, lastError: true, createdAt: true },
  });
}
