import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/client.js';
import { insertRows } from '../db/bulk-insert.js';
import { Prisma } from '../db/generated/sqlite/client.js';
import { sqlOf, type SqlTarget } from '../db/sql.js';
import type { OutboxItem } from '../domain/outbox-messages.js';

/** After this many failed attempts a message is parked as FAILED for an operator to look at. */
export const MAX_DELIVERY_ATTEMPTS = 10;

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
  attempts: number;
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
  const rows = await sql.query<{ id: number; payload: string; attempts: number; resultChannel: string | null; resultTs: string | null }>(Prisma.sql`
    SELECT "id", "payload", "attempts", "resultChannel", "resultTs" FROM "OutboxMessage" WHERE "claimedBy" = ${token} ORDER BY "id"`);
  return rows.map((row) => ({
    id: row.id,
    claimToken: token,
    // Only enqueue writes payloads, from typed items.
    item: JSON.parse(row.payload) as OutboxItem,
    attempts: row.attempts,
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
 * Records a failed attempt. The message becomes deliverable again at `retryAt`, or is parked as
 * FAILED when it has had its last attempt or the failure cannot be cured by waiting.
 */
export async function markAttemptFailed(
  target: SqlTarget,
  id: number,
  failure: { error: string; retryAt: Date | null; partial?: { channel: string; ts: string } },
): Promise<'retrying' | 'parked'> {
  const sql = sqlOf(target);
  const [row] = await sql.query<{ attempts: number }>(Prisma.sql`SELECT "attempts" FROM "OutboxMessage" WHERE "id" = ${id}`);
  if (!row) throw new Error(`Outbox message ${id} does not exist.`);
  const attempts = row.attempts + 1;
  const parked = failure.retryAt === null || attempts >= MAX_DELIVERY_ATTEMPTS;
  await sql.execute(Prisma.sql`
    UPDATE "OutboxMessage"
    SET "status" = ${parked ? 'FAILED' : 'PENDING'}, "attempts" = ${attempts}, "lastError" = ${failure.error.slice(0, 1000)},
        "availableAt" = COALESCE(${failure.retryAt}, "availableAt"), "claimedBy" = NULL, "claimedUntil" = NULL,
        "resultChannel" = COALESCE(${failure.partial?.channel ?? null}, "resultChannel"), "resultTs" = COALESCE(${failure.partial?.ts ?? null}, "resultTs")
    WHERE "id" = ${id}`);
  return parked ? 'parked' : 'retrying';
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
 * Gives messages parked as failed another full set of attempts, for an operator who has fixed
 * what made them fail (a channel the bot was not in, a revoked token). Returns how many.
 */
export async function retryParkedMessages(prisma: Db, ids: number[] | 'all', now: Date): Promise<number> {
  const retried = await prisma.outboxMessage.updateMany({
    where: { status: 'FAILED', ...(ids === 'all' ? {} : { id: { in: ids } }) },
    data: { status: 'PENDING', attempts: 0, availableAt: now, claimedBy: null, claimedUntil: null },
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
