import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { endOfDayIn } from '../../src/domain/dates.js';
import { DomainError } from '../../src/domain/errors.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { accessChangeNotice } from '../../src/services/members/access-change-notice.js';
import { managedOrganizations, managingAdmin, noManagedOrganizationReason } from '../../src/services/members/managing-admin.js';
import { disconnectMember } from '../../src/services/members/member-disconnect.js';
import { editMember, memberForEditing, type MemberEdit } from '../../src/services/members/member-edit.js';
import { restoreMember } from '../../src/services/members/member-restore.js';
import { createOrganization } from '../../src/services/organizations.js';
import { editInvitation } from '../../src/services/invitations/edit-invitation.js';
import { changeEndDate } from '../../src/services/lifecycle.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const CUSTOMER_NUMBER = '100200';
const TIME_ZONE = 'America/Los_Angeles';
// 10:00 on March 2, 2031 in Redlands.
const NOW = new Date('2031-03-02T18:00:00.000Z');
const TODAY = '2031-03-02';

describe.each(DATABASE_KINDS)('member changes on %s', (kind) => {
  let db: TestDatabase;
  let prisma: Db;
  let organizationId: number;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    prisma = db.database.prisma;
    await seedPermissionCatalog(prisma);
    organizationId = (await createOrganization(prisma, { name: 'City of Redlands', customerNumber: CUSTOMER_NUMBER, timeZone: TIME_ZONE }))
      .id;
    for (const [slackUserId, displayName] of [
      ['U0ADA', 'Ada Admin'],
      ['U0BOB', 'Bob Builder'],
    ] as const) {
      await addAdministrator(prisma, {
        customerNumber: CUSTOMER_NUMBER,
        slackUserId,
        displayName,
        email: `${displayName.split(' ')[0]!.toLowerCase()}@example.com`,
      });
    }
  });
  afterEach(async () => {
    await db.drop();
  });

  /** A member connected with these permissions (and terms), returning the connection id. */
  async function connect(
    slackUserId: string,
    permissions: string[],
    terms: { status?: 'ACTIVE' | 'EXPIRED' | 'SUSPENDED'; endsOn?: string | null; tags?: string[]; caller?: boolean } = {},
  ): Promise<number> {
    const member = await prisma.member.upsert({
      where: { slackUserId },
      create: { slackUserId, displayName: slackUserId, email: `${slackUserId.toLowerCase()}@example.com` },
      update: {},
    });
    const connection = await prisma.connection.upsert({
      where: { organizationId_memberId: { organizationId, memberId: member.id } },
      create: { organizationId, memberId: member.id },
      update: {},
    });
    await prisma.connection.update({
      where: { id: connection.id },
      data: {
        status: terms.status ?? 'ACTIVE',
        tags: terms.tags ?? [],
        endsOn: terms.endsOn ?? null,
        endsAt: terms.endsOn ? endOfDayIn(terms.endsOn, TIME_ZONE) : null,
        callerSupportLevel: terms.caller ? 'PREMIUM' : null,
        callerLevel: terms.caller ? 'Primary' : null,
      },
    });
    await prisma.connectionPermission.deleteMany({ where: { connectionId: connection.id } });
    await prisma.connectionPermission.createMany({
      data: permissions.map((permissionKey) => ({ connectionId: connection.id, permissionKey })),
    });
    return connection.id;
  }

  const connectionOf = async (connectionId: number) => {
    const row = await prisma.connection.findUniqueOrThrow({ where: { id: connectionId }, include: { permissions: true } });
    return {
      status: row.status,
      permissions: row.permissions.map((grant) => grant.permissionKey).sort(),
      tags: row.tags,
      startsOn: row.startsOn,
      endsOn: row.endsOn,
      endsAt: row.endsAt,
      caller: row.callerSupportLevel ? { supportLevel: row.callerSupportLevel, callerLevel: row.callerLevel } : null,
    };
  };

  /** Everything a refused change must leave as it was. */
  const state = async () => ({
    connections: await prisma.connection.findMany({
      include: { permissions: { orderBy: { permissionKey: 'asc' } } },
      orderBy: { id: 'asc' },
    }),
    log: await prisma.permissionLogEntry.count(),
    outbox: await prisma.outboxMessage.count(),
  });

  const noticesOf = async (logEntryId: number) =>
    (await prisma.outboxMessage.findMany({ where: { kind: 'access.changed' }, orderBy: { id: 'asc' } }))
      .map((row) => JSON.parse(row.payload) as { logEntryId: number; userId: string; audience: string })
      .filter((item) => item.logEntryId === logEntryId)
      .map((item) => `${item.userId}:${item.audience}`)
      .sort();

  const edit = (actorSlackUserId: string, connectionId: number, change: Partial<MemberEdit> = {}) =>
    editMember(
      prisma,
      {
        actorSlackUserId,
        connectionId,
        permissions: [PERMISSION.eLearning],
        tags: [],
        startsOn: null,
        endsOn: null,
        caller: null,
        note: null,
        notifyMember: false,
        ...change,
      },
      NOW,
    );

  async function expectRefused(change: () => Promise<unknown>, code: string, message?: RegExp) {
    const before = await state();
    const error = await change().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    if (message) expect((error as DomainError).message).toMatch(message);
    expect(await state()).toEqual(before);
  }

  it('edits permissions, tags, dates and caller settings in one log entry with before, after and the note', async () => {
    const rita = await connect('U0RITA', [PERMISSION.eLearning], { tags: ['gis'] });
    const { logEntryId } = await edit('U0ADA', rita, {
      permissions: [PERMISSION.eLearning, ...[PERMISSION.viewSupport, PERMISSION.authorizedCallerActions]],
      tags: ['gis', 'field'],
      startsOn: '2031-03-10',
      endsOn: '2031-06-30',
      caller: { supportLevel: 'PREMIUM', callerLevel: 'Backup' },
      note: 'Covers support this summer',
    });
    expect(await connectionOf(rita)).toEqual({
      status: 'ACTIVE',
      permissions: [PERMISSION.authorizedCallerActions, PERMISSION.eLearning, PERMISSION.viewSupport],
      tags: ['gis', 'field'],
      startsOn: '2031-03-10',
      endsOn: '2031-06-30',
      endsAt: endOfDayIn('2031-06-30', TIME_ZONE),
      caller: { supportLevel: 'PREMIUM', callerLevel: 'Backup' },
    });
    const entries = await prisma.permissionLogEntry.findMany({ where: { action: LOG_ACTION.memberEdited } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      id: logEntryId,
      note: 'Covers support this summer',
      before: { connectionId: rita, status: 'ACTIVE', permissions: [PERMISSION.eLearning], tags: ['gis'], endsOn: null, caller: null },
      after: {
        connectionId: rita,
        status: 'ACTIVE',
        permissions: [PERMISSION.authorizedCallerActions, PERMISSION.eLearning, PERMISSION.viewSupport],
        tags: ['gis', 'field'],
        startsOn: '2031-03-10',
        endsOn: '2031-06-30',
        caller: { supportLevel: 'PREMIUM', callerLevel: 'Backup' },
      },
    });
    // The end date moved, so Rita is told although the toggle was off; Bob (the other Administrator) always is.
    expect(await noticesOf(logEntryId)).toEqual(['U0BOB:administrator', 'U0RITA:member']);
    const notice = await accessChangeNotice(prisma, logEntryId);
    expect(notice).toMatchObject({
      action: 'edited',
      subject: { slackUserId: 'U0RITA' },
      actor: { slackUserId: 'U0ADA' },
      note: 'Covers support this summer',
      before: { status: 'ACTIVE', tags: ['gis'], caller: null },
      after: { endsOn: '2031-06-30', caller: { supportLevel: 'PREMIUM', callerLevel: 'Backup' } },
    });
    expect(notice!.after!.permissions.map((permission) => permission.key)).toEqual([
      PERMISSION.eLearning,
      PERMISSION.viewSupport,
      PERMISSION.authorizedCallerActions,
    ]);
  });

  it('tells the member only when the toggle is on, unless the end date moves; the other Administrators every time', async () => {
    const rita = await connect('U0RITA', [PERMISSION.eLearning]);
    const quiet = await edit('U0ADA', rita, { tags: ['quiet'] });
    expect(await noticesOf(quiet.logEntryId)).toEqual(['U0BOB:administrator']);
    const told = await edit('U0ADA', rita, { tags: ['told'], notifyMember: true });
    expect(await noticesOf(told.logEntryId)).toEqual(['U0BOB:administrator', 'U0RITA:member']);
    const ended = await edit('U0BOB', rita, { tags: ['told'], endsOn: '2031-04-01' });
    expect(await noticesOf(ended.logEntryId)).toEqual(['U0ADA:administrator', 'U0RITA:member']);
  });

  it('removing either support permission ends caller status, and the log shows the caller settings going', async () => {
    const rita = await connect('U0RITA', [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions], { caller: true });
    const { logEntryId } = await edit('U0ADA', rita, {
      permissions: [PERMISSION.viewSupport],
      caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
    });
    expect((await connectionOf(rita)).caller).toBeNull();
    expect(await prisma.permissionLogEntry.findUniqueOrThrow({ where: { id: logEntryId } })).toMatchObject({
      before: { caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' } },
      after: { caller: null, permissions: [PERMISSION.viewSupport] },
    });
  });

  it('refuses caller permissions without a support level, and an end date before today, for everyone', async () => {
    const rita = await connect('U0RITA', [PERMISSION.eLearning]);
    await expectRefused(
      () => edit('U0ADA', rita, { permissions: [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions] }),
      'invalid_fields',
    );
    await expectRefused(() => edit('U0ADA', rita, { endsOn: '2031-03-01' }), 'invalid_fields', /today or a later date/);
    await expectRefused(() => edit('U0ADA', rita, { startsOn: '2031-05-02', endsOn: '2031-05-01' }), 'invalid_fields');
  });

  it('disconnects: permissions gone, the member and history stay, admins told always and the member with the toggle', async () => {
    const rita = await connect('U0RITA', [PERMISSION.eLearning, PERMISSION.viewSupport]);
    await edit('U0ADA', rita, { permissions: [PERMISSION.eLearning] });
    const { logEntryId } = await disconnectMember(
      prisma,
      { actorSlackUserId: 'U0ADA', connectionId: rita, note: 'Left the city', notifyMember: false },
      NOW,
    );
    expect(await connectionOf(rita)).toMatchObject({ status: 'REMOVED', permissions: [], caller: null });
    expect(await prisma.member.findUnique({ where: { slackUserId: 'U0RITA' } })).not.toBeNull();
    expect(await prisma.permissionLogEntry.count({ where: { subjectMember: { slackUserId: 'U0RITA' } } })).toBe(2);
    expect(await prisma.permissionLogEntry.findUniqueOrThrow({ where: { id: logEntryId } })).toMatchObject({
      action: LOG_ACTION.memberDisconnected,
      note: 'Left the city',
      before: { status: 'ACTIVE', permissions: [PERMISSION.eLearning] },
      after: { status: 'REMOVED', permissions: [] },
    });
    expect(await noticesOf(logEntryId)).toEqual(['U0BOB:administrator']);
    // A removed connection cannot be edited or disconnected again.
    await expectRefused(() => edit('U0ADA', rita), 'not_restorable');

    const sam = await connect('U0SAM', [PERMISSION.eLearning]);
    const told = await disconnectMember(prisma, { actorSlackUserId: 'U0ADA', connectionId: sam, note: null, notifyMember: true }, NOW);
    expect(await noticesOf(told.logEntryId)).toEqual(['U0BOB:administrator', 'U0SAM:member']);
  });

  it('restores expired access within its 30 days, with a new end date or none, and refuses it after', async () => {
    const rita = await connect('U0RITA', [PERMISSION.eLearning], { status: 'EXPIRED', endsOn: '2031-02-20' });
    const { logEntryId } = await restoreMember(
      prisma,
      { actorSlackUserId: 'U0ADA', connectionId: rita, endsOn: '2031-04-30', note: 'Extended' },
      NOW,
    );
    expect(await connectionOf(rita)).toMatchObject({ status: 'ACTIVE', endsOn: '2031-04-30', endsAt: endOfDayIn('2031-04-30', TIME_ZONE) });
    expect(await prisma.permissionLogEntry.findUniqueOrThrow({ where: { id: logEntryId } })).toMatchObject({
      action: LOG_ACTION.memberRestored,
      before: { status: 'EXPIRED', endsOn: '2031-02-20' },
      after: { status: 'ACTIVE', endsOn: '2031-04-30' },
    });
    expect(await noticesOf(logEntryId)).toEqual(['U0BOB:administrator', 'U0RITA:member']);

    const sam = await connect('U0SAM', [PERMISSION.eLearning], { status: 'EXPIRED', endsOn: '2031-02-25' });
    await restoreMember(prisma, { actorSlackUserId: 'U0BOB', connectionId: sam, endsOn: null, note: null }, NOW);
    expect(await connectionOf(sam)).toMatchObject({ status: 'ACTIVE', endsOn: null, endsAt: null });

    // Ended January 20: its 30 days ran out on February 19.
    const tom = await connect('U0TOM', [PERMISSION.eLearning], { status: 'EXPIRED', endsOn: '2031-01-20' });
    await expectRefused(
      () => restoreMember(prisma, { actorSlackUserId: 'U0ADA', connectionId: tom, endsOn: null, note: null }, NOW),
      'not_restorable',
    );
    await expectRefused(() => edit('U0ADA', tom, { endsOn: '2031-04-01' }), 'not_restorable');
    // Active access is not restored; it is edited.
    await expectRefused(
      () => restoreMember(prisma, { actorSlackUserId: 'U0ADA', connectionId: rita, endsOn: null, note: null }, NOW),
      'not_restorable',
    );
    // A new end before today is refused on its field.
    const una = await connect('U0UNA', [PERMISSION.eLearning], { status: 'EXPIRED', endsOn: '2031-02-25' });
    await expectRefused(
      () => restoreMember(prisma, { actorSlackUserId: 'U0ADA', connectionId: una, endsOn: '2031-03-01', note: null }, NOW),
      'invalid_fields',
    );
  });

  it('limits a training admin to e-Learning-only people and to granting e-Learning', async () => {
    await connect('U0TIA', [PERMISSION.assignTraining]);
    const learner = await connect('U0LEA', [PERMISSION.eLearning]);
    const other = await connect('U0OTH', [PERMISSION.downloadSoftware]);
    const model = await memberForEditing(prisma, 'U0TIA', learner, NOW);
    expect(model.grantable.map((permission) => permission.key)).toEqual([PERMISSION.eLearning]);
    expect(model.row).toMatchObject({ mark: 'ACTIVE', can: { edit: true, disconnect: true } });

    await edit('U0TIA', learner, { tags: ['cohort-3'], endsOn: '2031-05-01' });
    expect(await connectionOf(learner)).toMatchObject({ tags: ['cohort-3'], endsOn: '2031-05-01' });
    await expectRefused(() => edit('U0TIA', learner, { permissions: [PERMISSION.eLearning, PERMISSION.downloadSoftware] }), 'forbidden');
    await expectRefused(() => edit('U0TIA', learner, { permissions: [PERMISSION.eLearning, PERMISSION.administrator] }), 'forbidden');
    await expectRefused(() => edit('U0TIA', other, { permissions: [PERMISSION.downloadSoftware], tags: ['x'] }), 'forbidden');
    await expectRefused(() => memberForEditing(prisma, 'U0TIA', other, NOW), 'forbidden');
    await expectRefused(
      () => disconnectMember(prisma, { actorSlackUserId: 'U0TIA', connectionId: other, note: null, notifyMember: false }, NOW),
      'forbidden',
    );
    await disconnectMember(prisma, { actorSlackUserId: 'U0TIA', connectionId: learner, note: null, notifyMember: false }, NOW);
    expect((await connectionOf(learner)).status).toBe('REMOVED');
  });

  it('keeps a callers admin and plain members out, naming the Administrators', async () => {
    await connect('U0CAL', [PERMISSION.assignAuthorizedCallers]);
    await connect('U0PLN', [PERMISSION.eLearning]);
    const caller = await connect('U0VIC', [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions], { caller: true });
    await expectRefused(() => edit('U0CAL', caller, { permissions: [PERMISSION.viewSupport] }), 'forbidden', /\/access callers/);
    await expectRefused(() => edit('U0PLN', caller, { permissions: [PERMISSION.viewSupport] }), 'forbidden', /Ada Admin, Bob Builder/);
    await expectRefused(
      () => disconnectMember(prisma, { actorSlackUserId: 'U0PLN', connectionId: caller, note: null, notifyMember: false }, NOW),
      'forbidden',
    );
    await expectRefused(
      () => managingAdmin(prisma, 'U0NOBODY', organizationId, NOW),
      'forbidden',
      /Only Administrators of City of Redlands/,
    );
    expect(await managedOrganizations(prisma, 'U0PLN', NOW)).toEqual([]);
    expect((await managedOrganizations(prisma, 'U0CAL', NOW)).map((organization) => organization.roles)).toEqual([
      { administrator: false, trainingAdmin: false, authorizedCallerAdmin: true },
    ]);
    expect(await noManagedOrganizationReason(prisma, 'U0PLN', NOW, 'manage members')).toBe(
      'Only Administrators of an organization can manage members. Only Administrators of City of Redlands can manage members: ask Ada Admin, Bob Builder.',
    );
  });

  it("refuses raising one's own access and allows lowering it", async () => {
    const ada = (await prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: 'U0ADA' } } })).id;
    await expectRefused(() => edit('U0ADA', ada, { permissions: [PERMISSION.administrator, PERMISSION.downloadSoftware] }), 'own_access');
    await edit('U0ADA', ada, { permissions: [PERMISSION.administrator], endsOn: '2031-12-31' });
    expect(await connectionOf(ada)).toMatchObject({ permissions: [PERMISSION.administrator], endsOn: '2031-12-31' });
    await expectRefused(() => edit('U0ADA', ada, { permissions: [PERMISSION.administrator], endsOn: null }), 'own_access');
    // Gaining a permission is a raise even while losing another.
    await expectRefused(() => edit('U0ADA', ada, { permissions: [PERMISSION.eLearning] }), 'own_access');
    await edit('U0ADA', ada, { permissions: [PERMISSION.administrator], endsOn: '2031-06-30' });
    expect((await connectionOf(ada)).endsOn).toBe('2031-06-30');
  });

  it('tells the person and the other Administrators of every end-date change, and of edited invitations', async () => {
    const rita = await connect('U0RITA', [PERMISSION.eLearning], { endsOn: '2031-03-10' });
    await changeEndDate(prisma, { actorSlackUserId: 'U0ADA', connectionId: rita, endsOn: '2031-04-10', note: 'More time' }, NOW);
    const [entry] = await prisma.permissionLogEntry.findMany({ where: { action: LOG_ACTION.endDateChanged } });
    expect(entry).toMatchObject({
      before: { connectionId: rita, endsOn: '2031-03-10', permissions: [PERMISSION.eLearning], caller: null },
      after: { connectionId: rita, status: 'ACTIVE', endsOn: '2031-04-10' },
    });
    expect(await noticesOf(entry!.id)).toEqual(['U0BOB:administrator', 'U0RITA:member']);
    expect(await accessChangeNotice(prisma, entry!.id)).toMatchObject({ action: 'end_date_changed', note: 'More time' });

    const ada = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'U0ADA' } });
    const invitation = await prisma.invitation.create({
      data: {
        organizationId,
        email: 'newcomer@example.org',
        permissions: [PERMISSION.eLearning],
        tokenHash: 'hash-of-a-token',
        invitedById: ada.id,
        expiresAt: new Date('2031-04-01T00:00:00.000Z'),
      },
    });
    await editInvitation(
      prisma,
      {
        actorSlackUserId: 'U0BOB',
        invitationId: invitation.id,
        permissions: [PERMISSION.eLearning],
        tags: ['new'],
        endsOn: null,
        caller: null,
        note: null,
      },
      NOW,
    );
    const edited = await prisma.permissionLogEntry.findFirstOrThrow({ where: { action: LOG_ACTION.invitationEdited } });
    expect(await noticesOf(edited.id)).toEqual(['U0ADA:administrator']);
    expect(await accessChangeNotice(prisma, edited.id)).toMatchObject({
      action: 'invitation_edited',
      subject: null,
      subjectEmail: 'newcomer@example.org',
      after: { status: 'PENDING', tags: ['new'] },
    });
  });

  it('never leaves the organization without an Administrator', async () => {
    const bob = (await prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: 'U0BOB' } } })).id;
    const ada = (await prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: 'U0ADA' } } })).id;
    // With two, one may demote the other; then Bob is the last.
    await edit('U0BOB', ada, { permissions: [PERMISSION.eLearning] });
    await prisma.connectionPermission.create({ data: { connectionId: ada, permissionKey: PERMISSION.assignTraining } });
    await prisma.connectionPermission.create({ data: { connectionId: bob, permissionKey: PERMISSION.eLearning } });
    const lastRule = /last Administrator of City of Redlands/;
    await expectRefused(() => edit('U0BOB', bob, { permissions: [PERMISSION.eLearning] }), 'last_administrator', lastRule);
    await expectRefused(
      () => disconnectMember(prisma, { actorSlackUserId: 'U0BOB', connectionId: bob, note: null, notifyMember: false }, NOW),
      'last_administrator',
    );
    await expectRefused(
      () => edit('U0BOB', bob, { permissions: [PERMISSION.administrator, PERMISSION.eLearning], endsOn: '2031-03-01' }),
      'last_administrator',
    );
    // A training admin cannot touch an Administrator at all.
    await expectRefused(() => edit('U0ADA', bob, { permissions: [PERMISSION.eLearning] }), 'forbidden');
    expect((await connectionOf(bob)).permissions).toEqual([PERMISSION.administrator, PERMISSION.eLearning]);
    // Lowering one's own end date to today keeps them an Administrator today, so it is allowed.
    await edit('U0BOB', bob, { permissions: [PERMISSION.administrator, PERMISSION.eLearning], endsOn: TODAY });
    expect((await connectionOf(bob)).endsOn).toBe(TODAY);
  });
});
