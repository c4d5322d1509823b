import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { chooseHomeSection, homeSectionOf } from '../../src/services/members/home-tab.js';
import { defaultMemberQuery } from '../../src/services/members/member-list.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

describe.each(DATABASE_KINDS)("App Home's section on %s", (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    await seedPermissionCatalog(db.database.prisma);
    await createOrganization(db.database.prisma, { name: 'City of Redlands', customerNumber: '100200' });
    await addAdministrator(db.database.prisma, { customerNumber: '100200', slackUserId: 'U0ADA', displayName: 'Ada Admin' });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('keeps the section and members query someone chose, and falls back to their access when there is none or it is unreadable', async () => {
    const { prisma, sql } = db.database;
    expect(await homeSectionOf(sql, 'U0ADA')).toEqual({ section: 'access' });
    const query = { ...defaultMemberQuery(1), search: 'gre', status: 'active' as const, page: 2 };
    await chooseHomeSection(prisma, 'U0ADA', { section: 'members', query });
    expect(await homeSectionOf(sql, 'U0ADA')).toEqual({ section: 'members', query });
    await chooseHomeSection(prisma, 'U0ADA', { section: 'access' });
    expect(await homeSectionOf(sql, 'U0ADA')).toEqual({ section: 'access' });

    const ada = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'U0ADA' } });
    await prisma.homeTab.update({ where: { memberId: ada.id }, data: { section: 'members', query: '{"organizationId":"x"}' } });
    expect(await homeSectionOf(sql, 'U0ADA')).toEqual({ section: 'access' });
    await prisma.homeTab.update({ where: { memberId: ada.id }, data: { query: 'not json' } });
    expect(await homeSectionOf(sql, 'U0ADA')).toEqual({ section: 'access' });

    // Someone Gatehouse has never seen has nothing stored, and choosing stores nothing.
    await chooseHomeSection(prisma, 'U0NOBODY', { section: 'members', query });
    expect(await homeSectionOf(sql, 'U0NOBODY')).toEqual({ section: 'access' });
    expect(await prisma.homeTab.count()).toBe(1);
  });
});
