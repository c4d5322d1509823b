import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/client.js';
import { insertRows } from '../db/bulk-insert.js';
import { Prisma } from '../db/generated/sqlite/client.js';
import { sqlOf, type SqlDatabase, type SqlTarget } from '../db/sql.js';
import type { OutboxItem } from '../domain/outbox-messages.js';

/**
 * Queues messages inside the caller's transaction, so they exist exactly when the change does.
 * Written as multi-row INSERTs: every change writes several messages, and the ORM's createMany
 * cost a decision more than all its other writes together.
 */
export async function enqueue(target: SqlTarget, items: readonly OutboxItem[], now: Date): Promise<void> {
  await insertRows(
    target,
    'OutboxMessage',
    ['kind', 'payload', 'requestId', 'audience', 'availableAt', 'createdAt'],
    items.map((item) => [
      item.kind,
      JSON.stringify(item),
      'requestId' in item ? item.requestId : null,
      'audience' in item ? item.audience : null,
      now,
      now,
    ]),
  );
}

/**
 * Queues messages that must exist once however often their cause is seen again: each carries a
 * key, and a second row with the same key is dropped by the database's unique index.
 */
export async function enqueueOnce(tx: Tx, items: ReadonlyArray<{ item: OutboxItem; dedupeKey: string }>, now: Date): Promise<number> {
  let queued = 0;
  for (const { item, dedupeKey } of items) {
    queued += await tx.$executeRaw`
      INSERT INTO "OutboxMessage" ("kind", "payload", "dedupeKey", "availableAt", "createdAt")
      VALUES (${item.kind}, ${JSON.stringify(item)}, ${dedupeKey}, ${now}, ${now})
      ON CONFLICT ("dedupeKey") DO NOTHING`;
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
  const claimable = Prisma.sql`"status" = 'PENDING' AND "availableAt" <= ${options.now} AND ("claimedUntil" IS NULL OR "claimedUntil" < ${options.now})`;
  const candidates = await sql.query<{ id: number }>(
    Prisma.sql`SELECT "id" FROM "OutboxMessage" WHERE ${claimable} ORDER BY "id" LIMIT ${options.limit}`,
  );
  if (candidates.length === 0) return [];
  // One conditional update claims every candidate nobody else has claimed meanwhile; the token
  // tells this claim's rows apart from any earlier claim by the same runner.
  const token = `${options.runner}#${randomUUID()}`;
  await sql.execute(Prisma.sql`
    UPDATE "OutboxMessage" SET "claimedBy" = ${token}, "claimedUntil" = ${new Date(options.now.getTime() + options.leaseMs)}
    WHERE ${claimable} AND "id" IN (${Prisma.join(candidates.map((candidate) => candidate.id))})`);
  const rows = await sql.query<{ id: number; payload: string; attempts: number; firstFailedAt: Date | null; resultChannel: string | null; resultTs: string | null }>(Prisma.sql`
    SELECT "id", "payload", "attempts", "firstFailedAt", "resultChannel", "resultTs" FROM "OutboxMessage" WHERE "claimedBy" = ${token} ORDER BY "id"`);
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
  // A result the send did not report leaves what an earlier attempt recorded.
  await sqlOf(target).execute(Prisma.sql`
    UPDATE "OutboxMessage"
    SET "status" = 'SENT', "sentAt" = ${now}, "attempts" = "attempts" + 1, "claimedBy" = NULL, "claimedUntil" = NULL,
        "resultChannel" = COALESCE(${result.channel ?? null}, "resultChannel"), "resultTs" = COALESCE(${result.ts ?? null}, "resultTs"),
        "lastError" = NULL, "payload" = COALESCE(${scrubbed ? JSON.stringify(scrubbed) : null}, "payload")
    WHERE "id" = ${id}`);
}

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
  const changed = await sqlOf(target).execute(Prisma.sql`
    UPDATE "OutboxMessage"
    SET "status" = ${parked ? 'FAILED' : 'PENDING'}, "attempts" = "attempts" + 1, "lastError" = ${failure.error.slice(0, 1000)},
        "availableAt" = COALESCE(${failure.retryAt}, "availableAt"), "firstFailedAt" = COALESCE("firstFailedAt", ${failure.now}),
        "claimedBy" = NULL, "claimedUntil" = NULL
    WHERE "id" = ${message.id} AND "claimedBy" = ${message.claimToken}`);
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
  await sqlOf(target).execute(Prisma.sql`
    UPDATE "OutboxMessage"
    SET "availableAt" = ${postponed.availableAt}, "lastError" = ${postponed.reason.slice(0, 1000)}, "claimedBy" = NULL, "claimedUntil" = NULL
    WHERE "id" = ${message.id} AND "claimedBy" = ${message.claimToken}`);
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
    const stamped = await tx.query<ParkedMessage>(Prisma.sql`
      UPDATE "OutboxMessage" SET "reportedAt" = ${now}
      WHERE "status" = 'FAILED' AND "reportedAt" IS NULL
      RETURNING "id", "kind", "lastError"`);
    const reportable = stamped.filter((message) => message.kind !== PARKED_REPORT_KIND).sort((a, b) => a.id - b.id);
    if (reportable.length > 0 && operatorUserIds.length > 0) {
      const outboxIds = reportable.map((message) => message.id);
      await enqueue(tx, operatorUserIds.map((userId): OutboxItem => ({ kind: PARKED_REPORT_KIND, userId, outboxIds })), now);
    }
    return stamped;
  });
}

/** Parked messages among `ids`, as an operator's report shows them; those retried since are left out. */
export function parkedMessagesAmong(target: SqlTarget, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return sqlOf(target).query<{ id: number; kind: string; attempts: number; lastError: string | null; createdAt: Date }>(Prisma.sql`
    SELECT "id", "kind", "attempts", "lastError", "createdAt" FROM "OutboxMessage"
    WHERE "status" = 'FAILED' AND "id" IN (${Prisma.join([...ids])}) ORDER BY "id"`);
}

/** Gives claimed messages back undelivered, to be picked up again from `availableAt`. */
export async function releaseClaims(target: SqlTarget, messages: ClaimedMessage[], availableAt: Date): Promise<void> {
  if (messages.length === 0) return;
  await sqlOf(target).execute(Prisma.sql`
    UPDATE "OutboxMessage" SET "claimedBy" = NULL, "claimedUntil" = NULL, "availableAt" = ${availableAt}
    WHERE "id" IN (${Prisma.join(messages.map((message) => message.id))})
      AND "claimedBy" IN (${Prisma.join([...new Set(messages.map((message) => message.claimToken))])})`);
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
