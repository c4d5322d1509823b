import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { DomainError } from '../../src/domain/errors.js';
import { invitationSealingKey, openInvitationCode } from '../../src/domain/invitation-tokens.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import type { CallerSettings } from '../../src/domain/read-models.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { callerList, editCaller, inviteCaller, promoteToCaller, removeCaller } from '../../src/services/members/callers.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const CUSTOMER_NUMBER = '100200';
const NOW = new Date('2031-03-02T18:00:00.000Z');
const SETTINGS = { sealingKey: invitationSealingKey('a test server secret') };
const SUPPORT = [PERMISSION.authorizedCallerActions, PERMISSION.viewSupport];

describe.each(DATABASE_KINDS)('authorized callers on %s', (kind) => {
  let db: TestDatabase;
  let prisma: Db;
  let organizationId: number;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    prisma = db.database.prisma;
    await seedPermissionCatalog(prisma);
    organizationId = (await createOrganization(prisma, { name: 'City of Redlands', customerNumber: CUSTOMER_NUMBER })).id;
    await addAdministrator(prisma, { customerNumber: CUSTOMER_NUMBER, slackUserId: 'U0ADA', displayName: 'Ada Admin' });
  });
  afterEach(async () => {
    await db.drop();
  });

  async function connect(slackUserId: string, permissions: string[]): Promise<number> {
    const member = await prisma.member.create({
      data: { slackUserId, displayName: slackUserId, email: `${slackUserId.toLowerCase()}@example.com` },
    });
    const connection = await prisma.connection.create({ data: { organizationId, memberId: member.id } });
    await prisma.connectionPermission.createMany({
      data: permissions.map((permissionKey) => ({ connectionId: connection.id, permissionKey })),
    });
    return connection.id;
  }

  const heldBy = async (connectionId: number) => {
    const row = await prisma.connection.findUniqueOrThrow({ where: { id: connectionId }, include: { permissions: true } });
    return {
      permissions: row.permissions.map((grant) => grant.permissionKey).sort(),
      caller: row.callerSupportLevel ? { supportLevel: row.callerSupportLevel, callerLevel: row.callerLevel } : null,
    };
  };

  const everything = async () => ({
    connections: await prisma.connection.findMany({
      include: { permissions: { orderBy: { permissionKey: 'asc' } } },
      orderBy: { id: 'asc' },
    }),
    invitations: await prisma.invitation.count(),
    log: await prisma.permissionLogEntry.count(),
  });

  async function expectRefused(change: () => Promise<unknown>, code: string) {
    const before = await everything();
    const error = await change().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    expect(await everything()).toEqual(before);
  }

  it('promotes a member, changes the caller level, and removes caller status, each with a log entry', async () => {
    await connect('U0CAL', [PERMISSION.assignAuthorizedCallers]);
    const rita = await connect('U0RITA', [PERMISSION.eLearning]);
    await promoteToCaller(
      prisma,
      {
        actorSlackUserId: 'U0CAL',
        organizationId,
        memberSlackUserId: 'U0RITA',
        caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
        note: 'On call',
      },
      NOW,
    );
    expect(await heldBy(rita)).toEqual({
      permissions: [...SUPPORT, PERMISSION.eLearning].sort(),
      caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
    });
    const list = await callerList(prisma, 'U0CAL', null, NOW);
    expect(list).toMatchObject({ organization: { id: organizationId }, canAdd: true });
    expect(list.callers).toEqual([expect.objectContaining({ key: { kind: 'member', connectionId: rita }, mark: 'ACTIVE' })]);

    await editCaller(
      prisma,
      { actorSlackUserId: 'U0CAL', connectionId: rita, caller: { supportLevel: 'STANDARD', callerLevel: 'Primary' }, note: null },
      NOW,
    );
    expect((await heldBy(rita)).caller).toEqual({ supportLevel: 'STANDARD', callerLevel: null });
    await expectRefused(
      () =>
        editCaller(
          prisma,
          { actorSlackUserId: 'U0CAL', connectionId: rita, caller: { supportLevel: 'PREMIUM', callerLevel: null }, note: null },
          NOW,
        ),
      'invalid_fields',
    );

    await removeCaller(prisma, { actorSlackUserId: 'U0CAL', connectionId: rita, note: 'Rota ended' }, NOW);
    expect(await heldBy(rita)).toEqual({ permissions: [PERMISSION.eLearning], caller: null });
    const entries = await prisma.permissionLogEntry.findMany({ where: { action: LOG_ACTION.callerChanged }, orderBy: { id: 'asc' } });
    expect(entries.map((entry) => [(entry.before as { caller: unknown }).caller, (entry.after as { caller: unknown }).caller])).toEqual([
      [null, { supportLevel: 'PREMIUM', callerLevel: 'Primary' }],
      [
        { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
        { supportLevel: 'STANDARD', callerLevel: null },
      ],
      [{ supportLevel: 'STANDARD', callerLevel: null }, null],
    ]);
    expect((await callerList(prisma, 'U0ADA', organizationId, NOW)).callers).toEqual([]);
    await expectRefused(() => removeCaller(prisma, { actorSlackUserId: 'U0CAL', connectionId: rita, note: null }, NOW), 'changed');
  });

  it('invites one caller at a time with a code delivered through the outbox, and lists the invitation', async () => {
    const { invitationId } = await inviteCaller(
      prisma,
      {
        actorSlackUserId: 'U0ADA',
        organizationId,
        email: 'Caller@Example.org',
        caller: { supportLevel: 'PREMIUM', callerLevel: 'Backup' },
        note: null,
        language: 'en',
        personalMessage: null,
      },
      SETTINGS,
      NOW,
    );
    const invitation = await prisma.invitation.findUniqueOrThrow({ where: { id: invitationId } });
    expect(invitation).toMatchObject({
      email: 'caller@example.org',
      status: 'PENDING',
      callerSupportLevel: 'PREMIUM',
      callerLevel: 'Backup',
    });
    expect([...(invitation.permissions as string[])].sort()).toEqual(SUPPORT);
    const [delivery] = await prisma.outboxMessage.findMany({ where: { kind: 'invitation.deliver' } });
    const sealed = (JSON.parse(delivery!.payload) as { sealedCode: string }).sealedCode;
    expect(openInvitationCode(sealed, SETTINGS.sealingKey)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await callerList(prisma, 'U0ADA', organizationId, NOW)).callers).toEqual([
      expect.objectContaining({ key: { kind: 'invitation', invitationId }, mark: 'PENDING_INVITATION', email: 'caller@example.org' }),
    ]);
    const invite = (email: string, caller: CallerSettings = { supportLevel: 'STANDARD', callerLevel: null }) =>
      inviteCaller(
        prisma,
        { actorSlackUserId: 'U0ADA', organizationId, email, caller, note: null, language: 'en', personalMessage: null },
        SETTINGS,
        NOW,
      );
    await expectRefused(() => invite('one@example.org, two@example.org'), 'invalid_fields');
    await expectRefused(() => invite('three@example.org', { supportLevel: 'PREMIUM', callerLevel: null }), 'invalid_fields');
  });

  it('keeps training admins and plain members away from callers', async () => {
    await connect('U0TIA', [PERMISSION.assignTraining]);
    await connect('U0PLN', [PERMISSION.eLearning]);
    const vic = await connect('U0VIC', SUPPORT);
    await expectRefused(() => callerList(prisma, 'U0TIA', organizationId, NOW), 'forbidden');
    await expectRefused(() => callerList(prisma, 'U0PLN', null, NOW), 'forbidden');
    await expectRefused(() => removeCaller(prisma, { actorSlackUserId: 'U0TIA', connectionId: vic, note: null }, NOW), 'forbidden');
    await expectRefused(
      () =>
        promoteToCaller(
          prisma,
          {
            actorSlackUserId: 'U0PLN',
            organizationId,
            memberSlackUserId: 'U0TIA',
            caller: { supportLevel: 'STANDARD', callerLevel: null },
            note: null,
          },
          NOW,
        ),
      'forbidden',
    );
    await expectRefused(
      () =>
        promoteToCaller(
          prisma,
          {
            actorSlackUserId: 'U0ADA',
            organizationId,
            memberSlackUserId: 'U0NOBODY',
            caller: { supportLevel: 'STANDARD', callerLevel: null },
            note: null,
          },
          NOW,
        ),
      'unknown_connection',
    );
  });
});
