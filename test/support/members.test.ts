import { afterEach, describe, expect, it } from 'vitest';
import { calendarDateIn, endOfDayIn } from '../../src/domain/dates.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './databases.js';
import { seedMembers } from './members.js';

describe.each(DATABASE_KINDS)('seeding members on %s', (kind) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db.drop();
  });

  it('stores exactly the members, connections, permissions and invitations it returns', async () => {
    db = await createTestDatabase(kind);
    const { prisma } = db.database;
    await seedPermissionCatalog(prisma);
    const organization = await createOrganization(prisma, {
      name: 'City of Redlands',
      customerNumber: '100200',
      timeZone: 'America/Los_Angeles',
    });
    await addAdministrator(prisma, { customerNumber: '100200', slackUserId: 'U0ADA', displayName: 'Ada Admin', email: 'ada@example.com' });
    const ada = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'U0ADA' } });
    const now = new Date('2031-03-02T07:30:00.000Z');
    const options = { organizationId: organization.id, timeZone: 'America/Los_Angeles', invitedById: ada.id, now };
    const plain = await seedMembers(db.database.sql, { ...options, members: 1_000, invitations: 30, prefix: 'plain' });
    const wide = await seedMembers(db.database.sql, { ...options, members: 20, invitations: 5, prefix: 'wide', wide: true });
    const members = [...plain.members, ...wide.members];

    const stored = await prisma.connection.findMany({
      where: { organizationId: organization.id, member: { slackUserId: { not: 'U0ADA' } } },
      include: { member: true, permissions: true },
    });
    expect(stored).toHaveLength(members.length);
    const byId = new Map(stored.map((connection) => [connection.id, connection]));
    for (const member of members) {
      const connection = byId.get(member.connectionId)!;
      expect(connection.member).toMatchObject({
        id: member.memberId,
        slackUserId: member.slackUserId,
        displayName: member.displayName,
        email: member.email,
      });
      expect({
        status: connection.status,
        tags: connection.tags,
        endsOn: connection.endsOn,
        endsAt: connection.endsAt,
        permissions: connection.permissions.map((held) => held.permissionKey).sort(),
      }).toEqual({
        status: member.status,
        tags: member.tags,
        endsOn: member.endsOn,
        endsAt: member.endsOn === null ? null : endOfDayIn(member.endsOn, 'America/Los_Angeles'),
        permissions: [...member.permissions].sort(),
      });
    }
    // Expired access ended before today in the organization, and is still inside its 30 days.
    const today = calendarDateIn(now, 'America/Los_Angeles');
    const expired = members.filter((member) => member.status === 'EXPIRED');
    expect(expired.length).toBeGreaterThan(0);
    for (const member of expired) expect(member.endsOn! < today).toBe(true);
    expect(members.some((member) => member.status === 'SUSPENDED')).toBe(true);
    // The wide rows are as wide as the forms allow: ten tags of 50 characters, every permission but Administrator.
    expect(wide.members[0]!.tags).toHaveLength(10);
    expect(wide.members[0]!.tags.every((tag) => tag.length === 50)).toBe(true);
    expect(wide.members[0]!.permissions).toHaveLength(10);

    const invitations = await prisma.invitation.findMany({ where: { organizationId: organization.id, status: 'PENDING' } });
    expect(invitations.map((row) => row.id).sort((a, b) => a - b)).toEqual(
      [...plain.invitations, ...wide.invitations].map((row) => row.invitationId).sort((a, b) => a - b),
    );
    for (const seeded of [...plain.invitations, ...wide.invitations]) {
      const row = invitations.find((invitation) => invitation.id === seeded.invitationId)!;
      expect({ email: row.email, permissions: row.permissions, tags: row.tags, endsOn: row.endsOn, invitedById: row.invitedById }).toEqual({
        email: seeded.email,
        permissions: seeded.permissions,
        tags: seeded.tags,
        endsOn: seeded.endsOn,
        invitedById: ada.id,
      });
    }
  }, 60_000);
});
