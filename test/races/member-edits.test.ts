import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { DomainError } from '../../src/domain/errors.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { applyBulkAction } from '../../src/services/members/bulk-action.js';
import { editMember, type MemberEdit } from '../../src/services/members/member-edit.js';
import { selectRows } from '../../src/services/members/selection.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/*
 * Two admins' edits at the same moment, each on its own database connection (two clients), so
 * PostgreSQL runs them side by side: a read followed by an unguarded write would let both decide on
 * what neither left.
 */

const CUSTOMER_NUMBER = '100200';
const NOW = new Date('2031-03-02T18:00:00.000Z');
const ROUNDS = 5;

describe('member edits racing on postgresql', () => {
  let db: TestDatabase;
  let second: Database;
  let organizationId: number;

  beforeEach(async () => {
    db = await createTestDatabase('postgresql');
    second = await openDatabase(db.target);
    const { prisma } = db.database;
    await seedPermissionCatalog(prisma);
    organizationId = (await createOrganization(prisma, { name: 'City of Redlands', customerNumber: CUSTOMER_NUMBER })).id;
    for (const [slackUserId, displayName] of [
      ['U0ADA', 'Ada Admin'],
      ['U0BOB', 'Bob Builder'],
    ] as const) {
      await addAdministrator(prisma, { customerNumber: CUSTOMER_NUMBER, slackUserId, displayName });
    }
  });
  afterEach(async () => {
    await second.close();
    await db.drop();
  });

  const connectionOf = (slackUserId: string) => db.database.prisma.connection.findFirstOrThrow({ where: { member: { slackUserId } } });

  const change = (
    actorSlackUserId: string,
    connectionId: number,
    edit: Partial<MemberEdit>,
  ): Omit<MemberEdit, 'actorSlackUserId'> & { actorSlackUserId: string } => ({
    actorSlackUserId,
    connectionId,
    permissions: [PERMISSION.eLearning],
    tags: [],
    startsOn: null,
    endsOn: null,
    caller: null,
    note: null,
    notifyMember: false,
    ...edit,
  });

  it('applies two edits of the same member one after the other, each logged from what the other left', async () => {
    const { prisma } = db.database;
    const member = await prisma.member.create({ data: { slackUserId: 'U0RITA', displayName: 'Rita' } });
    const rita = await prisma.connection.create({ data: { organizationId, memberId: member.id } });
    await prisma.connectionPermission.create({ data: { connectionId: rita.id, permissionKey: PERMISSION.eLearning } });

    for (let round = 0; round < ROUNDS; round += 1) {
      await Promise.all([
        editMember(
          prisma,
          change('U0ADA', rita.id, { tags: [`ada-${round}`], permissions: [PERMISSION.eLearning], endsOn: '2031-06-30' }),
          NOW,
        ),
        editMember(
          second.prisma,
          change('U0BOB', rita.id, { tags: [`bob-${round}`], permissions: [PERMISSION.eLearning, PERMISSION.downloadSoftware] }),
          NOW,
        ),
      ]);
    }
    const entries = await prisma.permissionLogEntry.findMany({ where: { action: LOG_ACTION.memberEdited }, orderBy: { id: 'asc' } });
    expect(entries).toHaveLength(2 * ROUNDS);
    for (let index = 1; index < entries.length; index += 1) expect(entries[index]!.before).toEqual(entries[index - 1]!.after);
    // The connection is exactly what the last logged edit left: tags, dates and permissions from the same edit.
    const last = entries.at(-1)!.after as { tags: string[]; endsOn: string | null; permissions: string[] };
    const final = await prisma.connection.findUniqueOrThrow({ where: { id: rita.id }, include: { permissions: true } });
    expect({ tags: final.tags, endsOn: final.endsOn, permissions: final.permissions.map((grant) => grant.permissionKey).sort() }).toEqual({
      tags: last.tags,
      endsOn: last.endsOn,
      permissions: last.permissions,
    });
    // Ada's edits set an end date and Bob's clear it, so the last one's end is its own.
    expect(last.endsOn).toBe(last.tags[0]!.startsWith('ada') ? '2031-06-30' : null);
  });

  it('lets exactly one of two Administrators demote the other when both try at once', async () => {
    const { prisma } = db.database;
    const ada = await connectionOf('U0ADA');
    const bob = await connectionOf('U0BOB');
    const outcomes = await Promise.allSettled([
      editMember(prisma, change('U0ADA', bob.id, {}), NOW),
      editMember(second.prisma, change('U0BOB', ada.id, {}), NOW),
    ]);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
    const administrators = await prisma.connectionPermission.count({
      where: { permissionKey: PERMISSION.administrator, connection: { organizationId, status: 'ACTIVE' } },
    });
    expect(administrators).toBe(1);
    expect(await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.memberEdited } })).toBe(1);
  });

  it('runs a bulk action and an edit of someone in it side by side without a deadlock', async () => {
    const { prisma } = db.database;
    const member = await prisma.member.create({ data: { slackUserId: 'U0RITA', displayName: 'Rita' } });
    const rita = await prisma.connection.create({ data: { organizationId, memberId: member.id } });
    await prisma.connectionPermission.create({ data: { connectionId: rita.id, permissionKey: PERMISSION.eLearning } });
    // Bob is an Administrator in the selection, so the bulk action needs the organization's lock as the edit does.
    const bob = await connectionOf('U0BOB');
    const settings = { sealingKey: Buffer.alloc(32, 7) };
    for (let round = 0; round < ROUNDS; round += 1) {
      await selectRows(
        prisma,
        {
          actorSlackUserId: 'U0ADA',
          organizationId,
          rows: [
            { kind: 'member', connectionId: rita.id },
            { kind: 'member', connectionId: bob.id },
          ],
        },
        NOW,
      );
      const outcomes = await Promise.allSettled([
        applyBulkAction(
          prisma,
          {
            actorSlackUserId: 'U0ADA',
            organizationId,
            action: { kind: 'add_tag', tag: `bulk-${round}` },
            note: null,
            notifyMembers: false,
          },
          settings,
          NOW,
        ),
        editMember(second.prisma, change('U0BOB', rita.id, { tags: [`bob-${round}`] }), NOW),
      ]);
      expect(
        outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'ok')),
        `round ${round}`,
      ).toEqual(['ok', 'ok']);
    }
    const entries = await prisma.permissionLogEntry.findMany({
      where: { action: LOG_ACTION.memberEdited, subjectMemberId: member.id },
      orderBy: { id: 'asc' },
    });
    expect(entries).toHaveLength(2 * ROUNDS);
    for (let index = 1; index < entries.length; index += 1)
      expect(entries[index]!.before).toMatchObject({
        tags: (entries[index - 1]!.after as { tags: string[] }).tags,
      });
  });
});
