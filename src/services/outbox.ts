import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/client.js';
import { insertRows } from '../db/bulk-insert.js';
import type { SqlTarget } from '../db/sql.js';
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
  prisma: Db,
  options: { runner: string; limit: number; now: Date; leaseMs: number },
): Promise<ClaimedMessage[]> {
  const claimable = {
    status: 'PENDING' as const,
    availableAt: { lte: options.now },
    OR: [{ claimedUntil: null }, { claimedUntil: { lt: options.now } }],
  };
  const candidates = await prisma.outboxMessage.findMany({
    where: claimable,
    orderBy: { id: 'asc' },
    take: options.limit,
    select: { id: true },
  });
  if (candidates.length === 0) return [];
  // One conditional update claims every candidate nobody else has claimed meanwhile; the token
  // tells this claim's rows apart from any earlier claim by the same runner.
  const token = `${options.runner}#${randomUUID()}`;
  await prisma.outboxMessage.updateMany({
    where: { ...claimable, id: { in: candidates.map((candidate) => candidate.id) } },
    data: { claimedBy: token, claimedUntil: new Date(options.now.getTime() + options.leaseMs) },
  });
  const rows = await prisma.outboxMessage.findMany({ where: { claimedBy: token }, orderBy: { id: 'asc' } });
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
  prisma: Db,
  id: number,
  result: { channel?: string | null; ts?: string | null },
  now: Date,
  /** What to keep of the message once sent, when part of it (an invitation code) must not outlive delivery. */
  scrubbed?: OutboxItem,
): Promise<void> {
  await prisma.outboxMessage.update({
    where: { id },
    data: {
      status: 'SENT',
      sentAt: now,
      attempts: { increment: 1 },
      claimedBy: null,
      claimedUntil: null,
      resultChannel: result.channel ?? undefined,
      resultTs: result.ts ?? undefined,
      lastError: null,
      ...(scrubbed ? { payload: JSON.stringify(scrubbed) } : {}),
    },
  });
}

/**
 * Records a failed attempt. The message becomes deliverable again at `retryAt`, or is parked as
 * FAILED when it has had its last attempt or the failure cannot be cured by waiting.
 */
export async function markAttemptFailed(
  prisma: Db,
  id: number,
  failure: { error: string; retryAt: Date | null; partial?: { channel: string; ts: string } },
): Promise<'retrying' | 'parked'> {
  const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id }, select: { attempts: true } });
  const attempts = row.attempts + 1;
  const parked = failure.retryAt === null || attempts >= MAX_DELIVERY_ATTEMPTS;
  await prisma.outboxMessage.update({
    where: { id },
    data: {
      status: parked ? 'FAILED' : 'PENDING',
      attempts,
      lastError: failure.error.slice(0, 1000),
      availableAt: failure.retryAt ?? undefined,
      claimedBy: null,
      claimedUntil: null,
      ...(failure.partial ? { resultChannel: failure.partial.channel, resultTs: failure.partial.ts } : {}),
    },
  });
  return parked ? 'parked' : 'retrying';
}

/** Gives claimed messages back undelivered, to be picked up again from `availableAt`. */
export async function releaseClaims(prisma: Db, messages: ClaimedMessage[], availableAt: Date): Promise<void> {
  if (messages.length === 0) return;
  await prisma.outboxMessage.updateMany({
    where: { id: { in: messages.map((message) => message.id) }, claimedBy: { in: [...new Set(messages.map((message) => message.claimToken))] } },
    data: { claimedBy: null, claimedUntil: null, availableAt },
  });
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
