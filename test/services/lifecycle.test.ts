import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';
import { endOfDayIn } from '../../src/domain/dates.js';
import type { OutboxItem } from '../../src/domain/outbox-messages.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { isConnectionEffective } from '../../src/domain/policy.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { JOBS, runJobForTick } from '../../src/jobs/jobs.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { changeEndDate, sweepRequests, sweepTimeLimits } from '../../src/services/lifecycle.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const DAY = 24 * 60 * 60 * 1000;
const settings = { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS };
const jobSettings = { ...settings, requestReminderDays: 3, requestExpiryDays: 30, operatorUserIds: [] };

describe.each(DATABASE_KINDS)('time limits on %s', (kind) => {
  let database: TestDatabase;
  let prisma: Db;
  let utc: { id: number };
  let losAngeles: { id: number };
  let nextMember = 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.database.prisma;
    await seedPermissionCatalog(prisma);
    utc = await createOrganization(prisma, {
      name: 'Greenwich Borough',
      customerNumber: '500001',
      timeZone: 'UTC',
      auditChannelId: 'C0AUDIT',
    });
    losAngeles = await createOrganization(prisma, { name: 'City of Redlands', customerNumber: '500002', timeZone: 'America/Los_Angeles' });
    await addAdministrator(prisma, { customerNumber: '500001', slackUserId: 'U0ADMINUTC', displayName: 'Uma' });
    await addAdministrator(prisma, { customerNumber: '500002', slackUserId: 'U0ADMINLA', displayName: 'Lou' });
  });
  afterAll(async () => {
    await database.drop();
  });

  async function connect(organization: { id: number }, timeZone: string, endsOn: string) {
    nextMember += 1;
    const member = await prisma.member.create({
      data: {
        slackUserId: `U0P${kind.slice(0, 2).toUpperCase()}${String(nextMember).padStart(5, '0')}`,
        displayName: `Person ${nextMember}`,
      },
    });
    return prisma.connection.create({
      data: {
        organizationId: organization.id,
        memberId: member.id,
        endsOn,
        endsAt: endOfDayIn(endsOn, timeZone),
        permissions: { create: [{ permissionKey: PERMISSION.esriAccess }] },
      },
    });
  }

  async function itemsFor(connectionId: number, kinds: string[]): Promise<OutboxItem[]> {
    const rows = await prisma.outboxMessage.findMany({ where: { kind: { in: kinds } }, orderBy: { id: 'asc' } });
    return rows
      .map((row) => JSON.parse(row.payload) as OutboxItem)
      .filter(
        (item) =>
          ('connectionId' in item && item.connectionId === connectionId) ||
          ('connectionIds' in item && item.connectionIds.includes(connectionId)),
      );
  }

  it('warns exactly 14, 7 and 1 days before the end, once each, however often it runs', async () => {
    const connection = await connect(utc, 'UTC', '2027-03-01');
    const endsAt = connection.endsAt!;
    expect(endsAt.toISOString()).toBe('2027-03-02T00:00:00.000Z');
    const at = (days: number, ms = 0) => new Date(endsAt.getTime() - days * DAY + ms);
    await sweepTimeLimits(prisma, settings, at(14, -1));
    expect(await itemsFor(connection.id, ['connection.warning'])).toEqual([]);
    for (const moment of [at(14), at(14, 60_000), at(7, -1), at(7), at(3), at(1), at(1, 5 * 60_000)])
      await sweepTimeLimits(prisma, settings, moment);
    expect((await itemsFor(connection.id, ['connection.warning'])).map((item) => 'leadDays' in item && item.leadDays)).toEqual([14, 7, 1]);
  });

  it("expires access at the end of its last day in the organization's time zone, and removes it 30 days later", async () => {
    const inUtc = await connect(utc, 'UTC', '2027-01-31');
    const inLosAngeles = await connect(losAngeles, 'America/Los_Angeles', '2027-01-31');
    const statusOf = async (id: number) => (await prisma.connection.findUniqueOrThrow({ where: { id } })).status;

    await sweepTimeLimits(prisma, settings, new Date('2027-01-31T23:59:59.999Z'));
    expect([await statusOf(inUtc.id), await statusOf(inLosAngeles.id)]).toEqual(['ACTIVE', 'ACTIVE']);
    await sweepTimeLimits(prisma, settings, new Date('2027-02-01T00:00:00.000Z'));
    expect([await statusOf(inUtc.id), await statusOf(inLosAngeles.id)]).toEqual(['EXPIRED', 'ACTIVE']);
    // Midnight in Los Angeles is 08:00 UTC.
    await sweepTimeLimits(prisma, settings, new Date('2027-02-01T07:59:59.999Z'));
    expect(await statusOf(inLosAngeles.id)).toBe('ACTIVE');
    await sweepTimeLimits(prisma, settings, new Date('2027-02-01T08:00:00.000Z'));
    expect(await statusOf(inLosAngeles.id)).toBe('EXPIRED');

    // The person, every admin and the audit channel are told, once.
    const told = await itemsFor(inUtc.id, ['connection.ended', 'connections.ended.summary']);
    expect(told).toEqual([
      expect.objectContaining({ kind: 'connection.ended', event: 'expired' }),
      expect.objectContaining({ kind: 'connections.ended.summary', event: 'expired', channel: 'U0ADMINUTC' }),
    ]);
    // The audit channel's record is the log's own line, naming the expiry's entry.
    const expiry = await prisma.permissionLogEntry.findFirstOrThrow({
      where: { action: 'connection.expired', subjectMemberId: inUtc.memberId },
    });
    const lines = (await prisma.outboxMessage.findMany({ where: { kind: 'audit.entries' } })).map(
      (row) => JSON.parse(row.payload) as { channel: string; fromSequence: number; toSequence: number },
    );
    expect(
      lines.filter((line) => line.channel === 'C0AUDIT' && line.fromSequence <= expiry.sequence! && expiry.sequence! <= line.toSequence),
    ).toHaveLength(1);
    expect(await prisma.permissionLogEntry.count({ where: { action: 'connection.expired', subjectMemberId: inUtc.memberId } })).toBe(1);
    // Expired access does not count, whatever the row still lists.
    const expired = await prisma.connection.findUniqueOrThrow({ where: { id: inUtc.id }, include: { permissions: true } });
    expect(
      isConnectionEffective(
        { ...expired, permissions: expired.permissions.map((grant) => grant.permissionKey) },
        new Date('2027-02-01T00:00:00.000Z'),
      ),
    ).toBe(false);

    // The clock moves back an hour: nothing happens twice.
    const rowsBefore = await prisma.outboxMessage.count();
    const logBefore = await prisma.permissionLogEntry.count();
    expect(await sweepTimeLimits(prisma, settings, new Date('2027-02-01T07:00:00.000Z'))).toEqual({
      warned: 0,
      digests: 0,
      expired: 0,
      removed: 0,
      invitationsExpired: 0,
    });
    expect(await prisma.outboxMessage.count()).toBe(rowsBefore);
    expect(await prisma.permissionLogEntry.count()).toBe(logBefore);

    // Removal comes 30 days after the end, not a millisecond sooner.
    const graceOver = new Date(inUtc.endsAt!.getTime() + 30 * DAY);
    await sweepTimeLimits(prisma, settings, new Date(graceOver.getTime() - 1));
    expect(await statusOf(inUtc.id)).toBe('EXPIRED');
    await sweepTimeLimits(prisma, settings, graceOver);
    expect(await statusOf(inUtc.id)).toBe('REMOVED');
    expect(await prisma.member.count({ where: { id: inUtc.memberId } })).toBe(1);
    expect(await prisma.permissionLogEntry.count({ where: { action: 'connection.removed', subjectMemberId: inUtc.memberId } })).toBe(1);
    expect(await itemsFor(inUtc.id, ['connection.ended'])).toHaveLength(2);
  });

  it('restores expired access when an admin extends or removes the end date within the 30 days', async () => {
    const connection = await connect(utc, 'UTC', '2027-05-31');
    const afterEnd = new Date('2027-06-05T12:00:00.000Z');
    await sweepTimeLimits(prisma, settings, afterEnd);
    expect((await prisma.connection.findUniqueOrThrow({ where: { id: connection.id } })).status).toBe('EXPIRED');
    await expect(
      changeEndDate(prisma, { actorSlackUserId: 'U0ADMINLA', connectionId: connection.id, endsOn: '2027-12-31', note: null }, afterEnd),
    ).rejects.toThrow(/Only Administrators of Greenwich Borough/);
    await changeEndDate(
      prisma,
      { actorSlackUserId: 'U0ADMINUTC', connectionId: connection.id, endsOn: '2027-12-31', note: 'Project extended' },
      afterEnd,
    );
    const restored = await prisma.connection.findUniqueOrThrow({ where: { id: connection.id }, include: { permissions: true } });
    expect(restored).toMatchObject({ status: 'ACTIVE', endsOn: '2027-12-31', expiredAt: null });
    expect(isConnectionEffective({ ...restored, permissions: restored.permissions.map((grant) => grant.permissionKey) }, afterEnd)).toBe(
      true,
    );
    // After the grace period it can no longer be restored.
    const other = await connect(utc, 'UTC', '2027-05-31');
    await sweepTimeLimits(prisma, settings, new Date('2027-06-01T00:00:00.000Z'));
    await expect(
      changeEndDate(
        prisma,
        { actorSlackUserId: 'U0ADMINUTC', connectionId: other.id, endsOn: null, note: null },
        new Date('2027-07-02T00:00:00.000Z'),
      ),
    ).rejects.toThrow(/30 days to restore/);
  });

  it('deletes invitations six weeks old with a log entry and a note to the admin who sent them', async () => {
    const admin = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'U0ADMINUTC' } });
    const issuedAt = new Date('2027-08-01T00:00:00.000Z');
    const expiresAt = new Date(issuedAt.getTime() + 42 * DAY);
    for (const email of ['late1@example.org', 'late2@example.org']) {
      await prisma.invitation.create({
        data: {
          organizationId: utc.id,
          email,
          permissions: [PERMISSION.esriAccess],
          tokenHash: `hash-${email}`,
          invitedById: admin.id,
          issuedAt,
          expiresAt,
        },
      });
    }
    expect((await sweepTimeLimits(prisma, settings, new Date(expiresAt.getTime() - 1))).invitationsExpired).toBe(0);
    expect((await sweepTimeLimits(prisma, settings, expiresAt)).invitationsExpired).toBe(2);
    expect(await prisma.invitation.count({ where: { email: { in: ['late1@example.org', 'late2@example.org'] } } })).toBe(0);
    expect(
      await prisma.permissionLogEntry.count({
        where: { action: 'invitation.expired', subjectEmail: { in: ['late1@example.org', 'late2@example.org'] } },
      }),
    ).toBe(2);
    const notes = (await prisma.outboxMessage.findMany({ where: { kind: 'invitations.expired' } })).map(
      (row) => JSON.parse(row.payload) as OutboxItem,
    );
    expect(notes).toEqual([expect.objectContaining({ userId: 'U0ADMINUTC', emails: ['late1@example.org', 'late2@example.org'] })]);
  });

  it('reminds admins once of a request waiting 3 days, and expires it undecided after 30', async () => {
    const requester = await prisma.member.create({ data: { slackUserId: `U0REQ${kind.slice(0, 2).toUpperCase()}01`, displayName: 'Rex' } });
    const createdAt = new Date('2027-09-01T10:00:00.000Z');
    const request = await prisma.accessRequest.create({
      data: {
        requesterId: requester.id,
        organizationId: utc.id,
        purpose: 'Maps',
        requestedPermissions: [PERMISSION.esriAccess],
        createdAt,
      },
    });
    const ages = { reminderAfterDays: 3, expiryAfterDays: 30 };
    const at = (days: number, ms = 0) => new Date(createdAt.getTime() + days * DAY + ms);
    const reminders = async () =>
      (await prisma.outboxMessage.findMany({ where: { kind: 'request.reminder' } }))
        .map((row) => JSON.parse(row.payload) as OutboxItem)
        .filter((item) => 'requestId' in item && item.requestId === request.id);
    expect(await sweepRequests(prisma, ages, at(3, -1))).toEqual({ reminded: 0, expired: 0 });
    expect(await sweepRequests(prisma, ages, at(3))).toEqual({ reminded: 1, expired: 0 });
    await sweepRequests(prisma, ages, at(10));
    expect(await reminders()).toEqual([expect.objectContaining({ userId: 'U0ADMINUTC' })]);
    expect(await sweepRequests(prisma, ages, at(30, -1))).toEqual({ reminded: 0, expired: 0 });
    expect(await sweepRequests(prisma, ages, at(30))).toEqual({ reminded: 0, expired: 1 });
    expect((await prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('EXPIRED');
    expect(await prisma.permissionLogEntry.count({ where: { action: 'request.expired', subjectMemberId: requester.id } })).toBe(1);
    const told = (await prisma.outboxMessage.findMany({ where: { kind: { in: ['request.expired', 'request.refresh'] } } }))
      .map((row) => JSON.parse(row.payload) as OutboxItem)
      .filter((item) => 'requestId' in item && item.requestId === request.id);
    expect(told.map((item) => item.kind).sort()).toEqual(['request.expired', 'request.refresh']);
    expect(await sweepRequests(prisma, ages, at(31))).toEqual({ reminded: 0, expired: 0 });
  });

  it('runs a job once per tick however many replicas fire it, and records how it went', async () => {
    const job = JOBS[0]!;
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase(database.target)));
    try {
      const now = new Date('2028-01-01T00:05:00.000Z');
      const fire = (replica: (typeof replicas)[number]) =>
        runJobForTick(job, '2028-01-01T00:05:00.000Z', { prisma: replica.prisma, now, ...jobSettings });
      // PostgreSQL serves several replicas at once; SQLite's writers take turns, as its processes would.
      const outcomes =
        kind === 'postgresql'
          ? await Promise.all(replicas.map(fire))
          : [await fire(replicas[0]!), await fire(replicas[1]!), await fire(replicas[2]!)];
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['skipped', 'skipped', 'succeeded']);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
    const runs = await prisma.jobRun.findMany({ where: { job: job.name, tick: '2028-01-01T00:05:00.000Z' } });
    expect(runs).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', counts: expect.objectContaining({ expired: expect.any(Number) }) }),
    ]);
  });
});

describe('the schedule', () => {
  it('fires every job for the tick a moment falls in, and a second replica firing the same tick only skips', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      const { fireTick } = await import('../../src/jobs/scheduler.js');
      const { createLogger } = await import('../../src/logger.js');
      const outcomes: Array<[string, string]> = [];
      const options = {
        intervalMinutes: 5,
        logger: createLogger('silent'),
        context: () => ({ prisma: database.database.prisma, now: new Date('2029-05-05T10:07:30.000Z'), ...jobSettings }),
        onRun: (job: string, outcome: { status: string }) => outcomes.push([job, outcome.status]),
      };
      await fireTick(options);
      expect(outcomes.splice(0).sort()).toEqual([
        ['log-anchor', 'succeeded'],
        ['requests', 'succeeded'],
        ['time-limits', 'succeeded'],
      ]);
      await fireTick(options);
      expect(outcomes.sort()).toEqual([
        ['log-anchor', 'skipped'],
        ['requests', 'skipped'],
        ['time-limits', 'skipped'],
      ]);
      // The daily job claims the day, so the ticks after this one that day skip it too.
      expect((await database.database.prisma.jobRun.findMany()).map((run) => run.tick).sort()).toEqual([
        '2029-05-05T10:05:00.000Z',
        '2029-05-05T10:05:00.000Z',
        'day:2029-05-05',
      ]);
    } finally {
      await database.drop();
    }
  });
});
