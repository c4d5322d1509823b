import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endOfDayIn } from '../../src/domain/dates.js';
import { DomainError } from '../../src/domain/errors.js';
import type { MemberListQuery, MemberRow } from '../../src/domain/member-management.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { graceEndsAt } from '../../src/domain/time-limits.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { defaultMemberQuery, memberList } from '../../src/services/members/member-list.js';
import { selectRows } from '../../src/services/members/selection.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { person } from '../support/flows.js';
import { connect, invite } from '../support/member-fixtures.js';
import { seedMembers } from '../support/members.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const ADA = person('U0ADA', 'Ada Admin');
const TESS = person('U0TESS', 'Tess Trainer');
const CARL = person('U0CARL', 'Carl Callers');
const GRETA = person('U0GRETA', 'Greta Haddad');
const ELIF = person('U0ELIF', 'Elif Learner');
const HUGO = person('U0HUGO', 'Hugo Expired');
const INES = person('U0INES', 'Ines Disabled');
const MONA = person('U0MONA', 'Mona Pastend');
const REX = person('U0REX', 'Rex Removed');
const ZED = { id: 'U0ZED', name: 'zed', realName: 'Zed 50%off', email: 'zed@example.com' };
const OLGA = person('U0OLGA', 'Olga Other');

const names = (rows: MemberRow[]) => rows.map((row) => row.person?.displayName ?? row.email);

describe.each(DATABASE_KINDS)('the members list on %s', (kind) => {
  let db: TestDatabase;
  let organizationId: number;
  let connections: Record<string, number>;
  let invitations: { newbie: number; olga: number };

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    const { prisma } = db.database;
    await seedPermissionCatalog(prisma);
    organizationId = (await createOrganization(prisma, { name: 'City of Redlands', customerNumber: '100200' })).id;
    const other = await createOrganization(prisma, { name: 'Other Org', customerNumber: '300400' });
    for (const [admin, customerNumber] of [
      [ADA, '100200'],
      [OLGA, '300400'],
    ] as const) {
      await addAdministrator(prisma, { customerNumber, slackUserId: admin.id, displayName: admin.realName, email: admin.email });
    }
    expect(other.id).not.toBe(organizationId);
    const ada = await prisma.connection.findFirstOrThrow({ where: { organizationId, member: { slackUserId: ADA.id } } });
    connections = { ada: ada.id };
    const add = async (name: string, who: typeof ADA, options: Parameters<typeof connect>[3]) => {
      connections[name] = (await connect(prisma, organizationId, who, options)).connectionId;
    };
    await add('tess', TESS, { permissions: [PERMISSION.assignTraining, PERMISSION.eLearning] });
    await add('carl', CARL, { permissions: [PERMISSION.assignAuthorizedCallers] });
    await add('greta', GRETA, { permissions: [PERMISSION.esriAccess, PERMISSION.eLearning], tags: ['GIS', 'field'], endsOn: '2026-06-20' });
    await add('elif', ELIF, { permissions: [PERMISSION.eLearning], tags: ['parks'] });
    await add('hugo', HUGO, { permissions: [PERMISSION.esriAccess], status: 'EXPIRED', endsOn: '2026-06-10' });
    await add('ines', INES, { permissions: [PERMISSION.esriAccess], status: 'SUSPENDED' });
    await add('mona', MONA, { permissions: [PERMISSION.esriAccess], endsOn: '2026-06-14' });
    await add('rex', REX, { permissions: [PERMISSION.esriAccess], status: 'REMOVED' });
    await add('zed', ZED, { permissions: [PERMISSION.downloadSoftware] });
    const expiresAt = new Date('2026-07-15T00:00:00Z');
    const adaMember = await prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } });
    invitations = {
      newbie: await invite(prisma, organizationId, adaMember.id, 'newbie@example.com', {
        permissions: [PERMISSION.eLearning],
        tags: ['gis'],
        endsOn: '2026-07-01',
        expiresAt,
      }),
      olga: await invite(prisma, organizationId, adaMember.id, OLGA.email, { permissions: [PERMISSION.downloadSoftware], expiresAt }),
    };
  });
  afterEach(async () => {
    await db.drop();
  });

  const list = (query: Partial<MemberListQuery>, viewer = ADA.id) =>
    memberList(db.database.sql, viewer, { ...defaultMemberQuery(organizationId), ...query }, NOW);

  it('lists connections that are not removed and pending invitations, sorted by name (else email), with marks and counts', async () => {
    const model = await list({});
    expect(model.total).toBe(11);
    expect(names(model.rows)).toEqual([
      'Ada Admin',
      'Carl Callers',
      'Elif Learner',
      'Greta Haddad',
      'Hugo Expired',
      'Ines Disabled',
      'Mona Pastend',
      'newbie@example.com',
      'Olga Other',
      'Tess Trainer',
      'Zed 50%off',
    ]);
    const byName = new Map(model.rows.map((row) => [row.person?.displayName ?? row.email, row]));
    expect(byName.get('Hugo Expired')).toMatchObject({
      mark: 'EXPIRED',
      restorableUntil: graceEndsAt(endOfDayIn('2026-06-10', 'UTC'), 'UTC'),
    });
    // Past its end but not swept yet: shown as expired all the same.
    expect(byName.get('Mona Pastend')?.mark).toBe('EXPIRED');
    expect(byName.get('Ines Disabled')?.mark).toBe('DISABLED');
    expect(byName.get('Greta Haddad')).toMatchObject({
      mark: 'ACTIVE',
      tags: ['GIS', 'field'],
      endsOn: '2026-06-20',
      email: GRETA.email,
      permissions: [expect.objectContaining({ key: PERMISSION.eLearning }), expect.objectContaining({ key: PERMISSION.esriAccess })],
    });
    // The invitation to an address Gatehouse knows names its member; the other only its address.
    expect(byName.get('Olga Other')).toMatchObject({
      mark: 'PENDING_INVITATION',
      key: { kind: 'invitation', invitationId: invitations.olga },
    });
    expect(byName.get('newbie@example.com')).toMatchObject({ person: null, mark: 'PENDING_INVITATION', tags: ['gis'] });
    expect(model.organizations.map((organization) => organization.name)).toEqual(['City of Redlands']);
  });

  it('searches by a case-insensitive prefix of the name, of any word of it, or of the email, with wildcards taken literally', async () => {
    expect(names((await list({ search: 'GRE' })).rows)).toEqual(['Greta Haddad']);
    expect(names((await list({ search: 'hadd' })).rows)).toEqual(['Greta Haddad']);
    expect(names((await list({ search: 'ada.admin@' })).rows)).toEqual(['Ada Admin']);
    // Invitations match by address only.
    expect(names((await list({ search: 'newb' })).rows)).toEqual(['newbie@example.com']);
    expect(names((await list({ search: 'olga.o' })).rows)).toEqual(['Olga Other']);
    expect(names((await list({ search: '50%' })).rows)).toEqual(['Zed 50%off']);
    expect((await list({ search: '%' })).total).toBe(0);
    expect((await list({ search: '_' })).total).toBe(0);
    expect((await list({ search: 'aDa' })).total).toBe(1);
    // Not a prefix of any word: "eta" is inside "Greta".
    expect((await list({ search: 'eta' })).total).toBe(0);
  });

  it('filters by tag, permission, status and ends-within, on members and invitations alike', async () => {
    expect(names((await list({ tag: 'gis' })).rows)).toEqual(['Greta Haddad', 'newbie@example.com']);
    expect(names((await list({ tag: 'Field' })).rows)).toEqual(['Greta Haddad']);
    expect((await list({ tag: 'fiel' })).total).toBe(0);
    expect(names((await list({ permission: PERMISSION.eLearning })).rows)).toEqual([
      'Elif Learner',
      'Greta Haddad',
      'newbie@example.com',
      'Tess Trainer',
    ]);
    expect(names((await list({ status: 'active' })).rows)).toEqual([
      'Ada Admin',
      'Carl Callers',
      'Elif Learner',
      'Greta Haddad',
      'Tess Trainer',
      'Zed 50%off',
    ]);
    expect(names((await list({ status: 'expired' })).rows)).toEqual(['Hugo Expired', 'Mona Pastend']);
    expect(names((await list({ status: 'disabled' })).rows)).toEqual(['Ines Disabled']);
    expect(names((await list({ status: 'pending' })).rows)).toEqual(['newbie@example.com', 'Olga Other']);
    expect(names((await list({ endsWithinDays: 7 })).rows)).toEqual(['Greta Haddad']);
    expect(names((await list({ endsWithinDays: 30 })).rows)).toEqual(['Greta Haddad', 'newbie@example.com']);
    const combined = await list({ search: 'gre', tag: 'GIS', permission: PERMISSION.esriAccess, status: 'active', endsWithinDays: 30 });
    expect(names(combined.rows)).toEqual(['Greta Haddad']);
    expect(combined.total).toBe(1);
  });

  it('sorts by end date (soonest first, no end last) and by date connected (newest first)', async () => {
    const ends = await list({ sort: 'ends' });
    expect(names(ends.rows).slice(0, 4)).toEqual(['Hugo Expired', 'Mona Pastend', 'Greta Haddad', 'newbie@example.com']);
    expect(ends.rows.slice(4).every((row) => row.endsOn === null)).toBe(true);
    const connected = await list({ sort: 'connected' });
    expect(connected.rows).toHaveLength(11);
    const since = connected.rows.map((row) => row.since.getTime());
    expect(since).toEqual([...since].sort((one, other) => other - one));
  });

  it('offers each viewer only what the policy lets them do, and marks their selection', async () => {
    const asAdministrator = new Map((await list({})).rows.map((row) => [row.person?.displayName ?? row.email, row]));
    expect(asAdministrator.get('Greta Haddad')?.can).toMatchObject({ edit: true, disconnect: true, select: true, restore: false });
    expect(asAdministrator.get('Hugo Expired')?.can).toMatchObject({ restore: true });
    // The only Administrator cannot be disconnected.
    expect(asAdministrator.get('Ada Admin')?.can.disconnect).toBe(false);
    expect(asAdministrator.get('newbie@example.com')?.can).toMatchObject({ resend: true, revoke: true, disconnect: false });

    const asTrainer = new Map((await list({}, TESS.id)).rows.map((row) => [row.person?.displayName ?? row.email, row]));
    expect(asTrainer.size).toBe(11);
    expect(asTrainer.get('Elif Learner')?.can).toMatchObject({ edit: true, disconnect: true, select: true });
    expect(asTrainer.get('Greta Haddad')?.can).toMatchObject({ edit: false, disconnect: false, select: false });
    expect(asTrainer.get('newbie@example.com')?.can).toMatchObject({ edit: true, resend: true });
    expect(asTrainer.get('Olga Other')?.can).toMatchObject({ edit: false, resend: false });

    await selectRows(
      db.database.prisma,
      {
        actorSlackUserId: ADA.id,
        organizationId,
        rows: [
          { kind: 'member', connectionId: connections.greta! },
          { kind: 'invitation', invitationId: invitations.newbie },
        ],
      },
      NOW,
    );
    const selected = await list({});
    expect(selected.selectedCount).toBe(2);
    expect(names(selected.rows.filter((row) => row.selected))).toEqual(['Greta Haddad', 'newbie@example.com']);
    // Another admin's selection is their own.
    expect((await list({}, TESS.id)).selectedCount).toBe(0);
  });

  it('refuses callers-only admins, plain members and admins of other organizations, naming who to ask', async () => {
    const refusal = async (viewer: string) => {
      const error = await list({}, viewer).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      return error as DomainError;
    };
    const callers = await refusal(CARL.id);
    expect(callers.code).toBe('forbidden');
    expect(callers.message).toMatch(/`\/access callers`.*Ada Admin/);
    for (const viewer of [GRETA.id, OLGA.id, REX.id, 'U0NOBODY']) {
      const refused = await refusal(viewer);
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toContain('Only Administrators of City of Redlands');
      expect(refused.message).toContain('Ada Admin');
    }
  });
});

describe.each(DATABASE_KINDS)('paging the members list of 5,000 members on %s', (kind) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db.drop();
  });

  it('returns every row exactly once, unfiltered and filtered, and counts them', async () => {
    db = await createTestDatabase(kind);
    const { prisma, sql } = db.database;
    await seedPermissionCatalog(prisma);
    const { id: organizationId } = await createOrganization(prisma, { name: 'Big County', customerNumber: '500600' });
    await addAdministrator(prisma, { customerNumber: '500600', slackUserId: ADA.id, displayName: ADA.realName, email: ADA.email });
    const ada = await prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } });
    const seeded = await seedMembers(sql, {
      organizationId,
      timeZone: 'UTC',
      members: 5000,
      invitations: 60,
      invitedById: ada.id,
      now: NOW,
    });
    if (kind === 'postgresql') await prisma.$executeRawUnsafe('ANALYZE');

    const everyPage = async (query: Partial<MemberListQuery>) => {
      const seen: string[] = [];
      let total: number;
      for (let page = 0; ; page += 1) {
        const model = await memberList(sql, ADA.id, { ...defaultMemberQuery(organizationId), ...query, page }, NOW);
        total = model.total;
        if (model.rows.length === 0) break;
        expect(model.rows.length).toBeLessThanOrEqual(model.pageSize);
        seen.push(...model.rows.map((row) => (row.key.kind === 'member' ? `c${row.key.connectionId}` : `i${row.key.invitationId}`)));
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(total);
      return seen;
    };

    const all = await everyPage({ sort: 'ends' });
    expect(all).toHaveLength(5000 + 60 + 1);
    const tagged = await everyPage({ tag: 'gis' });
    const expected = [
      ...seeded.members.filter((member) => member.tags.includes('gis')).map((member) => `c${member.connectionId}`),
      ...seeded.invitations.filter((invitation) => invitation.tags.includes('gis')).map((invitation) => `i${invitation.invitationId}`),
    ];
    expect([...tagged].sort()).toEqual(expected.sort());
  }, 300_000);
});
