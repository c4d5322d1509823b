import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateConnection, claimPendingRequest } from '../../src/db/connection-writes.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { connectionsTo, holdersOf, requestWithPeople } from '../../src/db/joined-reads.js';
import { appendLogEntry } from '../../src/db/permission-log.js';
import { PERMISSION, PERMISSION_CATALOG } from '../../src/domain/permission-catalog.js';
import { ensurePermissionCatalog, listPermissionCatalog } from '../../src/services/catalog.js';
import { enqueue, claimDeliverable } from '../../src/services/outbox.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

describe.each(DATABASE_KINDS)('the data layer on %s', (kind) => {
  let database: TestDatabase;
  let prisma: Db;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.database.prisma;
  });
  afterAll(async () => {
    await database.drop();
  });

  it('stores the built-in permission catalog once, even when several replicas start together', async () => {
    await prisma.permission.create({ data: { key: PERMISSION.esriAccess, name: 'Old name', description: 'Old', adminScope: 'FULL', sortOrder: 99 } });
    // Separate clients, like replicas: each has its own connection (or pool) to the same database.
    // Only PostgreSQL serves several replicas; SQLite's clients here take turns, as processes would.
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase(database.target)));
    try {
      const ensure = (replica: (typeof replicas)[number]) => ensurePermissionCatalog(replica.prisma);
      const results =
        kind === 'postgresql' ? await Promise.all(replicas.map(ensure)) : [await ensure(replicas[0]!), await ensure(replicas[1]!), await ensure(replicas[2]!)];
      expect(results.some((result) => result.created + result.updated > 0)).toBe(true);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
    const stored = await listPermissionCatalog(prisma);
    expect(stored.map(({ key, name, description, adminScope }) => ({ key, name, description, adminScope }))).toEqual(
      PERMISSION_CATALOG.map(({ key, name, description, adminScope }) => ({ key, name, description, adminScope })),
    );
    expect(await ensurePermissionCatalog(prisma)).toEqual({ created: 0, updated: 0 });
  });

  it('reads a request with its people in one statement, and decides and connects with exactly the granted permissions', async () => {
    const organization = await prisma.organization.create({
      data: { name: 'Redlands', customerNumber: '700001', searchText: 'redlands', timeZone: 'America/Los_Angeles' },
    });
    const admin = await prisma.member.create({ data: { slackUserId: 'UADMIN0001', displayName: 'Ada', email: 'ada@example.com' } });
    const requester = await prisma.member.create({ data: { slackUserId: 'UREQ000001', displayName: 'Rey' } });
    const adminConnection = await prisma.connection.create({
      data: { organizationId: organization.id, memberId: admin.id, permissions: { create: [{ permissionKey: PERMISSION.administrator }] } },
    });
    const request = await prisma.accessRequest.create({
      data: { requesterId: requester.id, organizationId: organization.id, purpose: 'Maps', requestedPermissions: [PERMISSION.esriAccess] },
    });

    const loaded = await requestWithPeople(prisma, request.id, admin.slackUserId);
    expect(loaded?.request).toMatchObject({ id: request.id, status: 'PENDING', requestedPermissions: [PERMISSION.esriAccess], decidedBy: null });
    expect(loaded?.request.createdAt).toBeInstanceOf(Date);
    expect(loaded?.request.requester.slackUserId).toBe('UREQ000001');
    expect(loaded?.request.organization?.timeZone).toBe('America/Los_Angeles');
    expect(loaded?.actor?.id).toBe(admin.id);
    expect((await requestWithPeople(prisma, request.id, 'UNOBODY001'))?.actor).toBeNull();
    expect(await requestWithPeople(prisma, request.id + 1000, null)).toBeNull();

    expect((await holdersOf(prisma, organization.id, PERMISSION.administrator)).map((holder) => holder.member.id)).toEqual([admin.id]);
    const before = await connectionsTo(prisma, organization.id, [admin.id, requester.id]);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ id: adminConnection.id, status: 'ACTIVE', tags: [], permissions: [{ permissionKey: PERMISSION.administrator }] });

    await prisma.$transaction(async (tx) => {
      const decision = { requestId: request.id, outcome: 'APPROVED' as const, decidedById: admin.id, note: 'ok', granted: [PERMISSION.esriAccess], at: new Date() };
      expect(await claimPendingRequest(tx, decision)).toBe(true);
      expect(await claimPendingRequest(tx, decision)).toBe(false);
      await activateConnection(tx, {
        organizationId: organization.id,
        memberId: requester.id,
        existing: null,
        permissions: [PERMISSION.esriAccess, PERMISSION.eLearning],
        tags: ['gis'],
        endsOn: '2030-01-31',
        endsAt: new Date('2030-02-01T07:59:59.999Z'),
        connectedById: admin.id,
        at: new Date(),
      });
    });
    const decided = await prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(decided).toMatchObject({ status: 'APPROVED', decidedById: admin.id, decisionNote: 'ok', grantedPermissions: [PERMISSION.esriAccess] });
    const [connection] = await connectionsTo(prisma, organization.id, [requester.id]);
    expect(connection).toMatchObject({ status: 'ACTIVE', tags: ['gis'], endsOn: '2030-01-31', endsAt: new Date('2030-02-01T07:59:59.999Z') });
    expect(connection!.permissions.map((grant) => grant.permissionKey).sort()).toEqual([PERMISSION.eLearning, PERMISSION.esriAccess].sort());

    // A removed connection comes back active, with only what is granted now and a new connection date.
    await prisma.connection.update({ where: { id: connection!.id }, data: { status: 'REMOVED', removedAt: new Date() } });
    const reconnectedAt = new Date('2031-05-01T12:00:00.000Z');
    await prisma.$transaction((tx) =>
      activateConnection(tx, {
        organizationId: organization.id,
        memberId: requester.id,
        existing: { id: connection!.id, status: 'REMOVED', connectedAt: connection!.connectedAt },
        permissions: [PERMISSION.viewSupport],
        tags: [],
        endsOn: null,
        endsAt: null,
        connectedById: admin.id,
        at: reconnectedAt,
      }),
    );
    const [restored] = await connectionsTo(prisma, organization.id, [requester.id]);
    expect(restored).toMatchObject({ status: 'ACTIVE', removedAt: null, endsOn: null, connectedAt: reconnectedAt });
    expect(restored!.permissions).toEqual([{ permissionKey: PERMISSION.viewSupport }]);
  });

  it('appends log entries with JSON snapshots, and queues outbox messages that come back as they went in', async () => {
    const at = new Date('2026-11-25T10:00:00.000Z');
    const id = await prisma.$transaction((tx) =>
      appendLogEntry(tx, { organizationId: null, actorLabel: 'system', action: 'test.entry', before: { a: [1] }, after: null, note: 'n', createdAt: at }),
    );
    expect(await prisma.permissionLogEntry.findUniqueOrThrow({ where: { id } })).toMatchObject({
      actorLabel: 'system',
      before: { a: [1] },
      after: null,
      note: 'n',
      createdAt: at,
    });

    await prisma.$transaction((tx) =>
      enqueue(
        tx,
        [
          { kind: 'home.refresh', userId: 'U1' },
          { kind: 'request.card', requestId: 7, audience: 'admin', channel: 'C1' },
        ],
        at,
      ),
    );
    const claimed = await claimDeliverable(prisma, { runner: 'test', limit: 10, now: new Date(at.getTime() + 1), leaseMs: 1000 });
    expect(claimed.map((message) => message.item)).toEqual([
      { kind: 'home.refresh', userId: 'U1' },
      { kind: 'request.card', requestId: 7, audience: 'admin', channel: 'C1' },
    ]);
    expect(await claimDeliverable(prisma, { runner: 'test', limit: 10, now: new Date(at.getTime() - 1), leaseMs: 1000 })).toEqual([]);
  });
});
