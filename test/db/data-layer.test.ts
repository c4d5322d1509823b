import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateConnection, claimPendingRequest } from '../../src/db/connection-writes.js';
import { openDatabase, type Db } from '../../src/db/client.js';
import { connectionsTo, holdersOf, requestWithPeople } from '../../src/db/joined-reads.js';
import { appendLogEntry } from '../../src/db/permission-log.js';
import { PERMISSION, PERMISSION_CATALOG } from '../../src/domain/permission-catalog.js';
import { ensurePermissionCatalog, listPermissionCatalog } from '../../src/services/catalog.js';
import { enqueue, claimDeliverable } from '../../src/services/outbox.js';
import { myAccess, requestOutcome } from '../../src/services/read-models.js';
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
    await prisma.permission.create({
      data: { key: PERMISSION.esriAccess, name: 'Old name', description: 'Old', adminScope: 'FULL', sortOrder: 99 },
    });
    // Separate clients, like replicas: each has its own connection (or pool) to the same database.
    // Only PostgreSQL serves several replicas; SQLite's clients here take turns, as processes would.
    const replicas = await Promise.all([1, 2, 3].map(() => openDatabase(database.target)));
    try {
      const ensure = (replica: (typeof replicas)[number]) => ensurePermissionCatalog(replica.prisma);
      const results =
        kind === 'postgresql'
          ? await Promise.all(replicas.map(ensure))
          : [await ensure(replicas[0]!), await ensure(replicas[1]!), await ensure(replicas[2]!)];
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
    expect(loaded?.request).toMatchObject({
      id: request.id,
      status: 'PENDING',
      requestedPermissions: [PERMISSION.esriAccess],
      decidedBy: null,
    });
    expect(loaded?.request.createdAt).toBeInstanceOf(Date);
    expect(loaded?.request.requester.slackUserId).toBe('UREQ000001');
    expect(loaded?.request.organization?.timeZone).toBe('America/Los_Angeles');
    expect(loaded?.actor?.id).toBe(admin.id);
    expect((await requestWithPeople(prisma, request.id, 'UNOBODY001'))?.actor).toBeNull();
    expect(await requestWithPeople(prisma, request.id + 1000, null)).toBeNull();

    expect((await holdersOf(prisma, organization.id, PERMISSION.administrator)).map((holder) => holder.member.id)).toEqual([admin.id]);
    const before = await connectionsTo(prisma, organization.id, [admin.id, requester.id]);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      id: adminConnection.id,
      status: 'ACTIVE',
      tags: [],
      permissions: [{ permissionKey: PERMISSION.administrator }],
    });

    await prisma.$transaction(async (tx) => {
      const decision = {
        requestId: request.id,
        outcome: 'APPROVED' as const,
        decidedById: admin.id,
        note: 'ok',
        granted: [PERMISSION.esriAccess],
        at: new Date(),
      };
      expect(await claimPendingRequest(tx, decision)).toBe(true);
      expect(await claimPendingRequest(tx, decision)).toBe(false);
      await activateConnection(tx, {
        organizationId: organization.id,
        memberId: requester.id,
        permissions: [PERMISSION.esriAccess, PERMISSION.eLearning],
        tags: ['gis'],
        endsOn: '2030-01-31',
        endsAt: new Date('2030-02-01T07:59:59.999Z'),
        connectedById: admin.id,
        at: new Date(),
      });
    });
    const decided = await prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(decided).toMatchObject({
      status: 'APPROVED',
      decidedById: admin.id,
      decisionNote: 'ok',
      grantedPermissions: [PERMISSION.esriAccess],
    });
    const [connection] = await connectionsTo(prisma, organization.id, [requester.id]);
    expect(connection).toMatchObject({
      status: 'ACTIVE',
      tags: ['gis'],
      endsOn: '2030-01-31',
      endsAt: new Date('2030-02-01T07:59:59.999Z'),
    });
    expect(connection!.permissions.map((grant) => grant.permissionKey).sort()).toEqual(
      [PERMISSION.eLearning, PERMISSION.esriAccess].sort(),
    );

    // A removed connection comes back active, with only what is granted now and a new connection date.
    await prisma.connection.update({ where: { id: connection!.id }, data: { status: 'REMOVED', removedAt: new Date() } });
    const reconnectedAt = new Date('2031-05-01T12:00:00.000Z');
    await prisma.$transaction((tx) =>
      activateConnection(tx, {
        organizationId: organization.id,
        memberId: requester.id,
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

    // An active connection keeps its row and its connection date, and gets exactly what is granted now.
    await prisma.$transaction((tx) =>
      activateConnection(tx, {
        organizationId: organization.id,
        memberId: requester.id,
        permissions: [PERMISSION.eLearning],
        tags: ['again'],
        endsOn: null,
        endsAt: null,
        connectedById: admin.id,
        at: new Date('2031-06-01T12:00:00.000Z'),
      }),
    );
    const [again] = await connectionsTo(prisma, organization.id, [requester.id]);
    expect(again).toMatchObject({ id: connection!.id, status: 'ACTIVE', tags: ['again'], connectedAt: reconnectedAt });
    expect(again!.permissions).toEqual([{ permissionKey: PERMISSION.eLearning }]);
  });

  it('appends log entries with JSON snapshots, and queues outbox messages that come back as they went in', async () => {
    const at = new Date('2026-11-25T10:00:00.000Z');
    const id = await prisma.$transaction((tx) =>
      appendLogEntry(tx, {
        organizationId: null,
        actorLabel: 'system',
        action: 'test.entry',
        before: { a: [1] },
        after: null,
        note: 'n',
        createdAt: at,
      }),
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

  it('reads a person’s access in a few statements: live connections oldest first, their own pending requests, and what awaits them as an admin', async () => {
    const organization = (name: string, customerNumber: string) =>
      prisma.organization.create({ data: { name, customerNumber, searchText: name.toLowerCase() } });
    const [administered, member, removed, lapsed, asked] = await Promise.all([
      organization('Administered', '910001'),
      organization('Member of', '910002'),
      organization('Removed from', '910003'),
      organization('Lapsed admin', '910004'),
      organization('Asked', '910005'),
    ]);
    const viewer = await prisma.member.create({ data: { slackUserId: 'UVIEWER001', displayName: 'Vi' } });
    const connect = (
      organizationId: number,
      permissionKey: string,
      data: { connectedAt: Date; status?: 'ACTIVE' | 'REMOVED'; endsAt?: Date },
      memberId = viewer.id,
    ) => prisma.connection.create({ data: { organizationId, memberId, ...data, permissions: { create: [{ permissionKey }] } } });
    await connect(member.id, PERMISSION.esriAccess, { connectedAt: new Date('2026-03-01T00:00:00Z') });
    await connect(administered.id, PERMISSION.administrator, { connectedAt: new Date('2026-01-01T00:00:00Z') });
    await connect(removed.id, PERMISSION.esriAccess, { connectedAt: new Date('2025-01-01T00:00:00Z'), status: 'REMOVED' });
    await connect(lapsed.id, PERMISSION.administrator, {
      connectedAt: new Date('2025-06-01T00:00:00Z'),
      endsAt: new Date('2026-02-01T00:00:00Z'),
    });
    await prisma.accessRequest.create({
      data: { requesterId: viewer.id, organizationId: asked.id, purpose: 'Mine', requestedPermissions: [PERMISSION.esriAccess] },
    });
    await prisma.accessRequest.create({
      data: { requesterId: viewer.id, organizationId: administered.id, purpose: 'Own', requestedPermissions: [PERMISSION.esriAccess] },
    });
    await prisma.accessRequest.create({
      data: { requesterId: viewer.id, organizationId: lapsed.id, purpose: 'Decided', status: 'DENIED', requestedPermissions: [] },
    });
    const requesters = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        prisma.member.create({ data: { slackUserId: `UASKER${String(index).padStart(4, '0')}`, displayName: `Asker ${index}` } }),
      ),
    );
    await connect(administered.id, PERMISSION.esriAccess, { connectedAt: new Date('2026-04-01T00:00:00Z') }, requesters[24]!.id);
    for (const [index, requester] of requesters.entries()) {
      await prisma.accessRequest.create({
        data: {
          requesterId: requester.id,
          organizationId: administered.id,
          purpose: `Asker ${index}`,
          requestedPermissions: [PERMISSION.esriAccess],
          createdAt: new Date(Date.UTC(2026, 4, 1, 0, index)),
        },
      });
    }
    await prisma.accessRequest.create({
      data: { requesterId: requesters[0]!.id, organizationId: lapsed.id, purpose: 'Not theirs to decide', requestedPermissions: [] },
    });

    const access = await myAccess(database.database.sql, 'UVIEWER001', new Date('2026-06-01T00:00:00Z'));

    expect(access.person).toEqual({ slackUserId: 'UVIEWER001', displayName: 'Vi', email: null });
    expect(
      access.connections.map((connection) => [connection.organization.name, connection.permissions.map((permission) => permission.key)]),
    ).toEqual([
      ['Lapsed admin', [PERMISSION.administrator]],
      ['Administered', [PERMISSION.administrator]],
      ['Member of', [PERMISSION.esriAccess]],
    ]);
    expect(access.pendingRequests.map((request) => request.organizationLabel).sort()).toEqual(['Administered', 'Asked']);
    expect(access.isAdmin).toBe(true);
    expect(access.awaitingCount).toBe(25);
    expect(access.awaitingDecision.map((card) => card.purpose)).toEqual(Array.from({ length: 20 }, (_, index) => `Asker ${24 - index}`));
    expect(access.awaitingDecision[0]!.currentConnection?.permissions.map((permission) => permission.key)).toEqual([PERMISSION.esriAccess]);
    expect(access.awaitingDecision[1]!.currentConnection).toBeNull();
    expect(await myAccess(database.database.sql, 'UNOBODY001', new Date())).toMatchObject({
      connections: [],
      awaitingCount: 0,
      isAdmin: false,
    });
  });

  it('tells a requester what an approval added beyond what they asked for and already held, from the log', async () => {
    const organization = await prisma.organization.create({ data: { name: 'Outcome', customerNumber: '920001', searchText: 'outcome' } });
    const admin = await prisma.member.create({ data: { slackUserId: 'UOUTADMIN1', displayName: 'Ada' } });
    const requester = await prisma.member.create({ data: { slackUserId: 'UOUTREQ001', displayName: 'Rey' } });
    const request = await prisma.accessRequest.create({
      data: {
        requesterId: requester.id,
        organizationId: organization.id,
        purpose: 'Training',
        requestedPermissions: [PERMISSION.eLearning, PERMISSION.downloadSoftware],
      },
    });
    const granted = [PERMISSION.esriAccess, PERMISSION.eLearning, PERMISSION.viewTransactions];
    const at = new Date('2026-07-01T10:00:00Z');
    // An older approval of another request, whose snapshot must not be mistaken for this one's.
    await appendLogEntry(prisma, {
      organizationId: organization.id,
      actorId: admin.id,
      subjectMemberId: requester.id,
      action: 'request.approved',
      before: { requestId: request.id + 1000, permissions: [PERMISSION.viewTransactions] },
      after: { requestId: request.id + 1000 },
      createdAt: at,
    });
    await database.database.sql.transaction(async (tx) => {
      await claimPendingRequest(tx, { requestId: request.id, outcome: 'APPROVED', decidedById: admin.id, note: null, granted, at });
      await appendLogEntry(tx, {
        organizationId: organization.id,
        actorId: admin.id,
        subjectMemberId: requester.id,
        action: 'request.approved',
        before: { requestId: request.id, permissions: [PERMISSION.esriAccess] },
        after: { requestId: request.id, permissions: granted },
        createdAt: at,
      });
    });

    const outcome = await requestOutcome(database.database.sql, request.id);

    expect(outcome?.decision.outcome).toBe('APPROVED');
    // Esri access was held before and e-Learning was asked for; only View transactions is new.
    expect(outcome?.differences.added.map((permission) => permission.key)).toEqual([PERMISSION.viewTransactions]);
    expect(outcome?.differences.removed.map((permission) => permission.key)).toEqual([PERMISSION.downloadSoftware]);
    const pending = await prisma.accessRequest.create({
      data: { requesterId: requester.id, organizationId: organization.id, purpose: 'Later', requestedPermissions: [] },
    });
    expect(await requestOutcome(database.database.sql, pending.id)).toBeNull();
  });
});
