import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../src/domain/outbox-messages.js';
import {
  claimDeliverable,
  enqueue,
  markAttemptFailed,
  postponeDelivery,
  reportParkedMessages,
  retryParkedMessages,
} from '../../src/services/outbox.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const HOUR = 60 * 60 * 1000;
const WINDOW = 24 * HOUR;
const T0 = new Date('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(DATABASE_KINDS)('outbox bookkeeping on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await db.drop();
  });

  const prisma = () => db.database.prisma;
  const claim = async (now: Date) => (await claimDeliverable(db.database.sql, { runner: 'test', limit: 10, now, leaseMs: 60_000 }))[0]!;
  const item: OutboxItem = { kind: 'audit.entries', organizationId: 1, fromSequence: 1, toSequence: 1, channel: 'C0AUDIT' };

  it('retries transient failures until the window after the first failure has passed, then parks', async () => {
    await enqueue(db.database.sql, [item], T0);
    let message = await claim(T0);
    expect(await markAttemptFailed(db.database.sql, message, { error: '503', retryAt: at(HOUR), now: T0, retryWindowMs: WINDOW })).toBe(
      'retrying',
    );
    message = await claim(at(HOUR));
    expect(message.firstFailedAt).toEqual(T0);
    expect(
      await markAttemptFailed(db.database.sql, message, { error: '503', retryAt: at(24 * HOUR - 1), now: at(HOUR), retryWindowMs: WINDOW }),
    ).toBe('retrying');
    message = await claim(at(24 * HOUR - 1));
    expect(
      await markAttemptFailed(db.database.sql, message, {
        error: '503',
        retryAt: at(24 * HOUR),
        now: at(24 * HOUR - 1),
        retryWindowMs: WINDOW,
      }),
    ).toBe('retrying');
    message = await claim(at(24 * HOUR));
    expect(
      await markAttemptFailed(db.database.sql, message, {
        error: '503',
        retryAt: at(25 * HOUR),
        now: at(24 * HOUR),
        retryWindowMs: WINDOW,
      }),
    ).toBe('parked');
    expect(await prisma().outboxMessage.findFirstOrThrow()).toMatchObject({
      status: 'FAILED',
      attempts: 4,
      firstFailedAt: T0,
      lastError: '503',
    });

    // An operator's retry starts a new run of failures with a whole window of its own.
    expect(await retryParkedMessages(prisma(), 'all', at(30 * HOUR))).toBe(1);
    message = await claim(at(30 * HOUR));
    expect(message).toMatchObject({ attempts: 0, firstFailedAt: null });
    expect(
      await markAttemptFailed(db.database.sql, message, {
        error: '503',
        retryAt: at(31 * HOUR),
        now: at(30 * HOUR),
        retryWindowMs: WINDOW,
      }),
    ).toBe('retrying');
  });

  it('parks at once what waiting cannot cure, and lets only the claim holder record a failure', async () => {
    await enqueue(db.database.sql, [item, item], T0);
    const [first, second] = await claimDeliverable(db.database.sql, { runner: 'test', limit: 10, now: T0, leaseMs: 1000 });
    expect(
      await markAttemptFailed(db.database.sql, first!, { error: 'channel_not_found', retryAt: null, now: T0, retryWindowMs: WINDOW }),
    ).toBe('parked');
    // The second claim lapsed and someone else took the message: the late failure changes nothing.
    const retaken = await claim(at(2000));
    expect(retaken.id).toBe(second!.id);
    expect(await markAttemptFailed(db.database.sql, second!, { error: 'late', retryAt: null, now: at(2000), retryWindowMs: WINDOW })).toBe(
      'lost',
    );
    expect(await prisma().outboxMessage.findUniqueOrThrow({ where: { id: second!.id } })).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      lastError: null,
    });
  });

  it('postpones a rate-limited message without counting an attempt or starting its retry window', async () => {
    await enqueue(db.database.sql, [item], T0);
    const message = await claim(T0);
    await postponeDelivery(db.database.sql, message, { availableAt: at(30_000), reason: 'ratelimited' });
    expect(await prisma().outboxMessage.findFirstOrThrow()).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      firstFailedAt: null,
      availableAt: at(30_000),
      claimedBy: null,
    });
    expect(await claimDeliverable(db.database.sql, { runner: 'test', limit: 10, now: at(29_999), leaseMs: 1000 })).toEqual([]);
  });

  it('reports each parked message once, even to replicas reporting at the same time, and never reports a report', async () => {
    await enqueue(db.database.sql, [item, item, item], T0);
    const claimed = await claimDeliverable(db.database.sql, { runner: 'test', limit: 10, now: T0, leaseMs: 60_000 });
    for (const message of claimed)
      await markAttemptFailed(db.database.sql, message, { error: 'is_archived', retryAt: null, now: T0, retryWindowMs: WINDOW });

    const rounds = await Promise.all(
      Array.from({ length: 20 }, () => reportParkedMessages(db.database.sql, ['U0OPAL', 'U0OTTO'], at(1000))),
    );
    expect(
      rounds
        .flat()
        .map((message) => message.id)
        .sort(),
    ).toEqual(claimed.map((message) => message.id).sort());
    const reports = await prisma().outboxMessage.findMany({ where: { kind: 'outbox.parked' }, orderBy: { id: 'asc' } });
    expect(reports.map((report) => JSON.parse(report.payload) as unknown)).toEqual([
      { kind: 'outbox.parked', userId: 'U0OPAL', outboxIds: claimed.map((message) => message.id) },
      { kind: 'outbox.parked', userId: 'U0OTTO', outboxIds: claimed.map((message) => message.id) },
    ]);

    // A report that fails for good is stamped, and reported to no one.
    const [report] = await claimDeliverable(db.database.sql, { runner: 'test', limit: 1, now: at(2000), leaseMs: 60_000 });
    await markAttemptFailed(db.database.sql, report!, { error: 'channel_not_found', retryAt: null, now: at(2000), retryWindowMs: WINDOW });
    expect((await reportParkedMessages(db.database.sql, ['U0OPAL', 'U0OTTO'], at(3000))).map((message) => message.kind)).toEqual([
      'outbox.parked',
    ]);
    expect(await prisma().outboxMessage.count({ where: { kind: 'outbox.parked' } })).toBe(2);
    expect(await reportParkedMessages(db.database.sql, ['U0OPAL', 'U0OTTO'], at(4000))).toEqual([]);
  });
});
