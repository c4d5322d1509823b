import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { endOfDayIn } from '../../src/domain/dates.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { changeEndDate, connectionNotice, sweepTimeLimits } from '../../src/services/lifecycle.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

/*
 * The 30-day grace period is 30 calendar days in the organization's time zone: access that ended at
 * midnight there is removed at midnight there 30 days later, 719 or 721 hours when the clocks
 * change in between. Organizations in several zones share one sweep, and the moments below are
 * written out by hand, not computed with the code under test.
 */

const ZONES = ['America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'UTC'] as const;
type Zone = (typeof ZONES)[number];

interface Case {
  name: string;
  zone: Zone;
  /** The last day of access there, or, for access that ends at an instant, null and `endsAt`. */
  lastDay: string | null;
  endsAt: string;
  graceOver: string;
}

const CASES: readonly Case[] = [
  // 2026: Los Angeles springs forward on March 8 and falls back on November 1; Berlin on March 29 and October 25.
  {
    name: 'Los Angeles, across March',
    zone: 'America/Los_Angeles',
    lastDay: '2026-02-28',
    endsAt: '2026-03-01T08:00:00.000Z',
    graceOver: '2026-03-31T07:00:00.000Z',
  },
  // The same instant in UTC, where no clock changes: 720 hours, an hour after Los Angeles.
  {
    name: 'UTC, the same end instant',
    zone: 'UTC',
    lastDay: null,
    endsAt: '2026-03-01T08:00:00.000Z',
    graceOver: '2026-03-31T08:00:00.000Z',
  },
  {
    name: 'Kolkata, no DST',
    zone: 'Asia/Kolkata',
    lastDay: '2026-02-28',
    endsAt: '2026-02-28T18:30:00.000Z',
    graceOver: '2026-03-30T18:30:00.000Z',
  },
  {
    name: 'Berlin, across March',
    zone: 'Europe/Berlin',
    lastDay: '2026-03-14',
    endsAt: '2026-03-14T23:00:00.000Z',
    graceOver: '2026-04-13T22:00:00.000Z',
  },
  {
    name: 'Berlin, across October',
    zone: 'Europe/Berlin',
    lastDay: '2026-10-09',
    endsAt: '2026-10-09T22:00:00.000Z',
    graceOver: '2026-11-08T23:00:00.000Z',
  },
  {
    name: 'Los Angeles, across November',
    zone: 'America/Los_Angeles',
    lastDay: '2026-10-14',
    endsAt: '2026-10-15T07:00:00.000Z',
    graceOver: '2026-11-14T08:00:00.000Z',
  },
  {
    name: 'UTC, the same end instant in the fall',
    zone: 'UTC',
    lastDay: null,
    endsAt: '2026-10-15T07:00:00.000Z',
    graceOver: '2026-11-14T07:00:00.000Z',
  },
  {
    name: 'UTC, across a leap day',
    zone: 'UTC',
    lastDay: '2028-02-14',
    endsAt: '2028-02-15T00:00:00.000Z',
    graceOver: '2028-03-16T00:00:00.000Z',
  },
];

const settings = { warningLeadDays: [] };

describe.each(DATABASE_KINDS)('the grace period on %s', (kind) => {
  let database: TestDatabase;
  let prisma: Db;
  const organizations = new Map<Zone, number>();
  let members = 0;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.database.prisma;
    await seedPermissionCatalog(prisma);
    for (const [index, zone] of ZONES.entries()) {
      const customerNumber = `60000${index + 1}`;
      const organization = await createOrganization(prisma, { name: `Office in ${zone}`, customerNumber, timeZone: zone });
      organizations.set(zone, organization.id);
      await addAdministrator(prisma, { customerNumber, slackUserId: `U0GRACEADM${index + 1}`, displayName: `Admin ${index + 1}` });
    }
  });
  afterAll(async () => {
    await database.drop();
  });

  async function connect(zone: Zone, lastDay: string | null, endsAt: Date) {
    members += 1;
    const member = await prisma.member.create({
      data: { slackUserId: `U0GRACE${String(members).padStart(4, '0')}`, displayName: `Person ${members}` },
    });
    return prisma.connection.create({
      data: {
        organizationId: organizations.get(zone)!,
        memberId: member.id,
        endsOn: lastDay,
        endsAt,
        permissions: { create: [{ permissionKey: PERMISSION.esriAccess }] },
      },
    });
  }

  it('ends each access at midnight where its organization is, as the cases say', () => {
    for (const { zone, lastDay, endsAt } of CASES.filter((each) => each.lastDay !== null))
      expect(endOfDayIn(lastDay!, zone).toISOString()).toBe(endsAt);
  });

  it('removes access at the end of 30 calendar days in its organization’s zone, not a millisecond sooner, in one sweep for all zones', async () => {
    const connections = await Promise.all(
      CASES.map(async (each) => ({ ...each, id: (await connect(each.zone, each.lastDay, new Date(each.endsAt))).id })),
    );
    const expected = (now: Date) =>
      connections.map(({ name, endsAt, graceOver }) => [
        name,
        now < new Date(endsAt) ? 'ACTIVE' : now < new Date(graceOver) ? 'EXPIRED' : 'REMOVED',
      ]);
    const statuses = async () => {
      const rows = await prisma.connection.findMany({
        where: { id: { in: connections.map(({ id }) => id) } },
        select: { id: true, status: true },
      });
      const statusOf = new Map(rows.map((row) => [row.id, row.status]));
      return connections.map(({ name, id }) => [name, statusOf.get(id)]);
    };
    const moments = connections
      .flatMap(({ graceOver }) => [new Date(new Date(graceOver).getTime() - 1), new Date(graceOver)])
      .sort((one, other) => one.getTime() - other.getTime());
    for (const now of moments) {
      await sweepTimeLimits(prisma, settings, now);
      expect(await statuses(), now.toISOString()).toEqual(expected(now));
    }
    expect(await prisma.permissionLogEntry.count({ where: { action: 'connection.removed' } })).toBe(CASES.length);
  });

  it('tells admins until when access can be restored, and refuses a restore after that, by the organization’s calendar', async () => {
    // Ended at midnight, Los Angeles time, before the clocks sprang forward: restorable for 719 hours.
    const connection = await connect('America/Los_Angeles', '2026-02-28', new Date('2026-03-01T08:00:00.000Z'));
    await sweepTimeLimits(prisma, settings, new Date('2026-03-02T00:00:00.000Z'));
    expect(await connectionNotice(prisma, connection.id)).toMatchObject({
      status: 'EXPIRED',
      restorableUntil: new Date('2026-03-31T07:00:00.000Z'),
    });
    // Half an hour past it: 720 elapsed hours would still allow this, the calendar does not.
    const admin = `U0GRACEADM${ZONES.indexOf('America/Los_Angeles') + 1}`;
    await expect(
      changeEndDate(
        prisma,
        { actorSlackUserId: admin, connectionId: connection.id, endsOn: '2026-06-30', note: null },
        new Date('2026-03-31T07:30:00.000Z'),
      ),
    ).rejects.toThrow(/30 days to restore/);
    await changeEndDate(
      prisma,
      { actorSlackUserId: admin, connectionId: connection.id, endsOn: '2026-06-30', note: null },
      new Date('2026-03-31T06:59:59.999Z'),
    );
    expect(await prisma.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      status: 'ACTIVE',
      endsOn: '2026-06-30',
    });
  });
});
