import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { SELECTION_LIMIT, type MemberListQuery, type MemberRowKey } from '../../src/domain/member-management.js';
import type { OutboxItem } from '../../src/domain/outbox-messages.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { applyBulkAction, bulkSummary, previewBulkAction } from '../../src/services/members/bulk-action.js';
import { defaultMemberQuery, memberList } from '../../src/services/members/member-list.js';
import { selectionReview, selectRows, toggleSelection, unselectRows } from '../../src/services/members/selection.js';
import { createOrganization } from '../../src/services/organizations.js';
import { blockTextLength } from '../../src/slack/views/format.js';
import { bulkSummaryMessage } from '../../src/slack/views/bulk-summary.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { person } from '../support/flows.js';
import { connect, invite } from '../support/member-fixtures.js';
import { seedMembers } from '../support/members.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const SETTINGS = { sealingKey: randomBytes(32) };
const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Builder');
const TESS = person('U0TESS', 'Tess Trainer');
const GRETA = person('U0GRETA', 'Greta Haddad');
const ELIF = person('U0ELIF', 'Elif Learner');

describe.each(DATABASE_KINDS)('bulk actions on %s', (kind) => {
  let db: TestDatabase;
  let organizationId: number;

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    const { prisma } = db.database;
    await seedPermissionCatalog(prisma);
    organizationId = (await createOrganization(prisma, { name: 'City of Redlands', customerNumber: '100200' })).id;
    for (const admin of [ADA, BOB]) {
      await addAdministrator(prisma, { customerNumber: '100200', slackUserId: admin.id, displayName: admin.realName, email: admin.email });
    }
  });
  afterEach(async () => {
    await db.drop();
  });

  const memberIdOf = async (slackUserId: string) => (await db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId } })).id;
  const page = (query: Partial<MemberListQuery>, viewer = ADA.id) =>
    memberList(db.database.sql, viewer, { ...defaultMemberQuery(organizationId), ...query }, NOW);
  const outbox = async (kindOf: OutboxItem['kind']) =>
    (await db.database.prisma.outboxMessage.findMany({ where: { kind: kindOf }, orderBy: { id: 'asc' } })).map(
      (row) => JSON.parse(row.payload) as OutboxItem,
    );
  const select = (rows: MemberRowKey[], actor = ADA.id) =>
    selectRows(db.database.prisma, { actorSlackUserId: actor, organizationId, rows }, NOW);

  it('acts on 100 rows selected across three pages and a filter change: 100 log entries and one summary per Administrator', async () => {
    const { sql, prisma } = db.database;
    await seedMembers(sql, {
      organizationId,
      timeZone: 'UTC',
      members: 400,
      invitations: 20,
      invitedById: await memberIdOf(ADA.id),
      now: NOW,
    });
    for (const number of [0, 1, 2]) expect(await select((await page({ page: number })).rows.map((row) => row.key))).toBe(20 * (number + 1));
    // A filter change keeps what was selected; selecting its pages adds up to the limit, and no further.
    let count = 60;
    for (let number = 0; count < SELECTION_LIMIT && number < 20; number += 1) {
      count = await select((await page({ tag: 'gis', page: number })).rows.map((row) => row.key));
    }
    expect(count).toBe(SELECTION_LIMIT);
    expect((await page({})).selectedCount).toBe(SELECTION_LIMIT);
    const outside = (await page({ tag: 'planning', page: 3 })).rows.find((row) => !row.selected)!;
    const refused = await toggleSelection(prisma, { actorSlackUserId: ADA.id, organizationId, row: outside.key }, NOW).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).message).toBe('You can select up to 100 people at a time; act on these first or take some out.');
    const review = await selectionReview(sql, ADA.id, organizationId, NOW);
    expect(review.rows).toHaveLength(SELECTION_LIMIT);

    const preview = await previewBulkAction(sql, ADA.id, organizationId, { kind: 'add_tag', tag: ' Audit ' }, NOW);
    expect(preview.applicable).toHaveLength(SELECTION_LIMIT);
    expect(preview.skipped).toEqual([]);
    expect(await prisma.permissionLogEntry.count({ where: { note: 'quarterly audit' } })).toBe(0);

    const result = await applyBulkAction(
      prisma,
      {
        actorSlackUserId: ADA.id,
        organizationId,
        action: { kind: 'add_tag', tag: ' Audit ' },
        note: 'quarterly audit',
        notifyMembers: false,
      },
      SETTINGS,
      NOW,
    );
    expect(result).toEqual({ changed: SELECTION_LIMIT, skipped: 0 });
    const entries = await prisma.permissionLogEntry.findMany({ where: { note: 'quarterly audit' }, orderBy: { id: 'asc' } });
    expect(entries).toHaveLength(SELECTION_LIMIT);
    const edited: string[] = [LOG_ACTION.memberEdited, LOG_ACTION.invitationEdited];
    expect(entries.every((entry) => edited.includes(entry.action))).toBe(true);
    for (const entry of entries) expect(entry.after).toMatchObject({ bulk: true, tags: expect.arrayContaining(['Audit']) });
    // The list's tag filter finds exactly the 100, and the selection is empty again.
    expect(await page({ tag: 'audit' })).toMatchObject({ total: SELECTION_LIMIT, selectedCount: 0 });

    const summaries = await outbox('bulk.summary');
    expect(summaries.map((item) => (item as { userId: string }).userId).sort()).toEqual([ADA.id, BOB.id]);
    for (const summary of summaries) expect(summary).toMatchObject({ logEntryIds: entries.map((entry) => entry.id), skipped: 0 });
    // A tag is news to nobody unless the admin asked for members to be told.
    expect(await outbox('access.changed')).toEqual([]);
  });

  it('tells every member of an end-date change, and draws a summary of 100 of the widest rows within Slack limits', async () => {
    const { sql, prisma } = db.database;
    const seeded = await seedMembers(sql, { organizationId, timeZone: 'UTC', members: 100, now: NOW, wide: true });
    expect(await select(seeded.members.map((member) => ({ kind: 'member' as const, connectionId: member.connectionId })))).toBe(100);
    const result = await applyBulkAction(
      prisma,
      {
        actorSlackUserId: BOB.id,
        organizationId,
        action: { kind: 'set_end_date', endsOn: '2026-12-31' },
        note: null,
        notifyMembers: false,
      },
      SETTINGS,
      NOW,
    );
    // Bob selected nothing: Ada's selection is hers.
    expect(result).toEqual({ changed: 0, skipped: 0 });
    expect(await outbox('bulk.summary')).toEqual([]);

    const applied = await applyBulkAction(
      prisma,
      {
        actorSlackUserId: ADA.id,
        organizationId,
        action: { kind: 'set_end_date', endsOn: '2026-12-31' },
        note: null,
        notifyMembers: false,
      },
      SETTINGS,
      NOW,
    );
    expect(applied).toEqual({ changed: 100, skipped: 0 });
    expect(await prisma.connection.count({ where: { organizationId, endsOn: '2026-12-31' } })).toBe(100);
    // Expired access comes back; disabled access gets the date and stays disabled.
    const disabled = seeded.members.filter((member) => member.status === 'SUSPENDED').length;
    expect(await prisma.connection.count({ where: { organizationId, endsOn: '2026-12-31', status: 'ACTIVE' } })).toBe(100 - disabled);
    const expired = seeded.members.filter((member) => member.status === 'EXPIRED').length;
    expect(await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.memberRestored } })).toBe(expired);
    expect(await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.endDateChanged } })).toBe(100 - expired);
    const told = await outbox('access.changed');
    expect(told.map((item) => (item as { userId: string }).userId).sort()).toEqual(
      seeded.members.map((member) => member.slackUserId).sort(),
    );

    const [summary] = await outbox('bulk.summary');
    const model = await bulkSummary(sql, summary as Extract<OutboxItem, { kind: 'bulk.summary' }>);
    expect(model?.changed).toHaveLength(100);
    const message = bulkSummaryMessage(model!);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks) expect(blockTextLength(block)).toBeLessThanOrEqual(3000);
    const text = message.blocks.map((block) => JSON.stringify(block)).join('\n');
    for (const member of seeded.members) expect(text).toContain(`<@${member.slackUserId}>`);
    expect(message.text).toContain('set the end date 2026-12-31 for 100 people in City of Redlands');
  });

  it("skips, and leaves as they were, people a training admin's bulk action may not touch", async () => {
    const { sql, prisma } = db.database;
    await connect(prisma, organizationId, TESS, { permissions: [PERMISSION.assignTraining] });
    const elif = await connect(prisma, organizationId, ELIF, { permissions: [PERMISSION.eLearning] });
    const greta = await connect(prisma, organizationId, GRETA, { permissions: [PERMISSION.eLearning] });
    const keys: MemberRowKey[] = [elif, greta].map(({ connectionId }) => ({ kind: 'member', connectionId }));
    expect(await select(keys, TESS.id)).toBe(2);
    // Greta gets more than e-Learning after Tess selected her.
    await prisma.connectionPermission.create({ data: { connectionId: greta.connectionId, permissionKey: PERMISSION.esriAccess } });

    const preview = await previewBulkAction(sql, TESS.id, organizationId, { kind: 'add_tag', tag: 'course' }, NOW);
    expect(preview.applicable.map((row) => row.person?.displayName)).toEqual([ELIF.realName]);
    expect(preview.skipped).toEqual([
      { row: expect.objectContaining({ key: keys[1] }), reason: expect.stringContaining('training administrator') },
    ]);

    const result = await applyBulkAction(
      prisma,
      { actorSlackUserId: TESS.id, organizationId, action: { kind: 'add_tag', tag: 'course' }, note: 'spring course', notifyMembers: true },
      SETTINGS,
      NOW,
    );
    expect(result).toEqual({ changed: 1, skipped: 1 });
    expect((await prisma.connection.findUniqueOrThrow({ where: { id: elif.connectionId } })).tags).toEqual(['course']);
    expect((await prisma.connection.findUniqueOrThrow({ where: { id: greta.connectionId } })).tags).toEqual([]);
    const entries = await prisma.permissionLogEntry.findMany({ where: { note: 'spring course' } });
    expect(entries.map((entry) => entry.subjectMemberId)).toEqual([elif.memberId]);
    // The skipped row stays selected; the one acted on leaves the selection.
    const review = await selectionReview(sql, TESS.id, organizationId, NOW);
    expect(review.rows.map((row) => row.key)).toEqual([keys[1]]);
    // Both Administrators and Tess, who acted, get one summary each; Elif is told, as asked.
    const summaries = await outbox('bulk.summary');
    expect(summaries.map((item) => (item as { userId: string }).userId).sort()).toEqual([ADA.id, BOB.id, TESS.id]);
    expect(summaries[0]).toMatchObject({ skipped: 1, logEntryIds: entries.map((entry) => entry.id) });
    expect(await outbox('access.changed')).toEqual([
      { kind: 'access.changed', logEntryId: entries[0]!.id, userId: ELIF.id, audience: 'member' },
    ]);
  });

  it('skips the last Administrator in a bulk disconnect, and disconnects the others', async () => {
    const { prisma } = db.database;
    const elif = await connect(prisma, organizationId, ELIF, { permissions: [PERMISSION.eLearning] });
    const connectionOf = async (slackUserId: string) =>
      (await prisma.connection.findFirstOrThrow({ where: { organizationId, member: { slackUserId } } })).id;
    const keys: MemberRowKey[] = [
      { kind: 'member', connectionId: await connectionOf(ADA.id) },
      { kind: 'member', connectionId: await connectionOf(BOB.id) },
      { kind: 'member', connectionId: elif.connectionId },
    ];
    expect(await select(keys)).toBe(3);
    const result = await applyBulkAction(
      prisma,
      { actorSlackUserId: ADA.id, organizationId, action: { kind: 'disconnect' }, note: 'reorganization', notifyMembers: true },
      SETTINGS,
      NOW,
    );
    // Ada goes first while Bob is still there; then Bob is the last one and stays.
    expect(result).toEqual({ changed: 2, skipped: 1 });
    const statuses = await prisma.connection.findMany({
      where: { organizationId },
      include: { member: true, permissions: true },
      orderBy: { id: 'asc' },
    });
    expect(statuses.map((row) => [row.member.slackUserId, row.status, row.permissions.length])).toEqual([
      [ADA.id, 'REMOVED', 0],
      [BOB.id, 'ACTIVE', 1],
      [ELIF.id, 'REMOVED', 0],
    ]);
    expect(await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.memberDisconnected, note: 'reorganization' } })).toBe(2);
  });

  it('keeps the selections of two admins apart, and resends only invitations', async () => {
    const { sql, prisma } = db.database;
    const adaId = await memberIdOf(ADA.id);
    const expiresAt = new Date('2026-06-20T00:00:00Z');
    const first = await invite(prisma, organizationId, adaId, 'first@example.com', { permissions: [PERMISSION.eLearning], expiresAt });
    const second = await invite(prisma, organizationId, adaId, 'second@example.com', { permissions: [PERMISSION.eLearning], expiresAt });
    const elif = await connect(prisma, organizationId, ELIF, { permissions: [PERMISSION.eLearning] });
    const firstKey: MemberRowKey = { kind: 'invitation', invitationId: first };
    const secondKey: MemberRowKey = { kind: 'invitation', invitationId: second };
    const elifKey: MemberRowKey = { kind: 'member', connectionId: elif.connectionId };
    expect(await select([firstKey, elifKey])).toBe(2);
    expect(await select([secondKey], BOB.id)).toBe(1);
    expect(await unselectRows(prisma, { actorSlackUserId: BOB.id, organizationId, rows: [firstKey] }, NOW)).toBe(1);

    const result = await applyBulkAction(
      prisma,
      { actorSlackUserId: ADA.id, organizationId, action: { kind: 'resend' }, note: null, notifyMembers: false },
      SETTINGS,
      NOW,
    );
    expect(result).toEqual({ changed: 1, skipped: 1 });
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ resendCount: 1, issuedAt: NOW });
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: second } })).toMatchObject({ resendCount: 0 });
    expect((await outbox('invitation.deliver')).map((item) => (item as { invitationId: number }).invitationId)).toEqual([first]);
    expect(await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.invitationResent } })).toBe(1);
    expect((await selectionReview(sql, ADA.id, organizationId, NOW)).rows.map((row) => row.key)).toEqual([elifKey]);
    expect((await selectionReview(sql, BOB.id, organizationId, NOW)).rows.map((row) => row.key)).toEqual([secondKey]);
  });

  it('refuses a bad tag, a past end date and an unknown permission, changing nothing', async () => {
    const { prisma } = db.database;
    const elif = await connect(prisma, organizationId, ELIF, { permissions: [PERMISSION.eLearning] });
    await select([{ kind: 'member', connectionId: elif.connectionId }]);
    const attempt = async (action: Parameters<typeof applyBulkAction>[1]['action']): Promise<DomainError> => {
      const outcome = await applyBulkAction(
        prisma,
        { actorSlackUserId: ADA.id, organizationId, action, note: null, notifyMembers: false },
        SETTINGS,
        NOW,
      ).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(DomainError);
      return outcome as DomainError;
    };
    expect((await attempt({ kind: 'add_tag', tag: 'x'.repeat(51) })).fieldErrors).toHaveProperty('tag');
    expect((await attempt({ kind: 'set_end_date', endsOn: '2026-06-14' })).fieldErrors).toHaveProperty('endsOn');
    expect((await attempt({ kind: 'add_permission', permission: 'root' })).fieldErrors).toHaveProperty('permission');
    expect(await prisma.permissionLogEntry.count({ where: { subjectMemberId: elif.memberId } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { kind: 'bulk.summary' } })).toBe(0);
  });

  it('holds the limit of 100 when many rows are selected at once', async () => {
    const { sql, prisma } = db.database;
    const seeded = await seedMembers(sql, { organizationId, timeZone: 'UTC', members: 110, now: NOW });
    const keys = seeded.members.map((member): MemberRowKey => ({ kind: 'member', connectionId: member.connectionId }));
    expect(await select(keys.slice(0, 95))).toBe(95);
    const clicks = await Promise.allSettled(
      keys.slice(95).map((row) => toggleSelection(prisma, { actorSlackUserId: ADA.id, organizationId, row }, NOW)),
    );
    const refused = clicks.filter((click) => click.status === 'rejected');
    expect(clicks.filter((click) => click.status === 'fulfilled')).toHaveLength(5);
    expect(refused).toHaveLength(10);
    for (const click of refused) expect((click as PromiseRejectedResult).reason).toMatchObject({ code: 'selection_full' });
    expect(await prisma.memberSelection.count()).toBe(SELECTION_LIMIT);
  });
});
