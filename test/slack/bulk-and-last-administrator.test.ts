// Two promises of /access users, through the Slack harness on both databases: a bulk action on 100
// people picked across pages and a filter change is 100 log entries and one summary per
// Administrator; and the last Administrator can be neither demoted, disconnected nor ended in the past.
import { afterEach, describe, expect, it } from 'vitest';
import { addCalendarDays, calendarDateIn } from '../../src/domain/dates.js';
import { SELECTION_LIMIT } from '../../src/domain/member-management.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import type { EmulatedView } from '../../src/sandbox/index.js';
import { rowValue } from '../../src/slack/views/member-values.js';
import { ACTION, BULK_CONFIRM_BLOCK, BULK_REVIEW_BLOCK, INPUT_ACTION, MEMBER_EDIT_BLOCK } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, postsIn, seedOrganization, settle } from '../support/flows.js';
import { hasControl, onList, openMembersList, privateTexts, seedMembers, shownSince, waitUntil } from '../support/members.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Builder');

describe.each(DATABASE_KINDS)('/access users on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('tags 100 people picked across three pages and a filter change: 100 log entries, one summary per Administrator', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', timeZone: 'UTC' }, [ADA, BOB]);
    const ada = await app.db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } });
    await seedMembers(app.db.database.sql, {
      organizationId: organization.id,
      timeZone: 'UTC',
      members: 200,
      now: new Date(),
      prefix: 'bulk',
    });
    await settle(app);
    const postsBefore = { ada: postsIn(app, ADA.id).length, bob: postsIn(app, BOB.id).length };

    let list = (await openMembersList(app, ADA.id)) as EmulatedView;
    const selectPage = async () => {
      list = await onList(app, list, () => app.driver.clickButton({ userId: ADA.id, view: list, actionId: ACTION.usersSelectPage }));
    };
    const nextPage = async () => {
      list = await onList(app, list, () => app.driver.clickButton({ userId: ADA.id, view: list, actionId: ACTION.usersNextPage }));
    };
    for (let page = 0; page < 3; page += 1) {
      if (page > 0) await nextPage();
      await selectPage();
    }
    expect(JSON.stringify(list.definition.blocks)).toContain('Review selection (60)');
    // A filter starts on its first page again, and the selection stays.
    list = await onList(app, list, () =>
      app.driver.interact({ userId: ADA.id, view: list, actionId: ACTION.usersFilterStatus, value: 'active' }),
    );
    expect(JSON.stringify(list.definition.blocks)).toContain('Review selection (60)');
    const full = () => JSON.stringify(list.definition.blocks).includes(`Review selection (${SELECTION_LIMIT})`);
    while (!full()) {
      // A page whose rows are all selected already offers no Select this page.
      if (hasControl(list, ACTION.usersSelectPage)) await selectPage();
      if (full()) break;
      expect(hasControl(list, ACTION.usersNextPage)).toBe(true);
      await nextPage();
    }

    const pushed = app.emulator.callsTo('views.push').length;
    await app.driver.clickButton({ userId: ADA.id, view: list, actionId: ACTION.usersReviewSelection });
    await app.emulator.waitForCalls('views.push', pushed + 1, 10_000);
    const review = app.emulator.currentModal(ADA.id)!;
    expect(JSON.stringify(review.definition.blocks)).toContain(`${SELECTION_LIMIT} people selected`);
    const next = await app.driver.submitView(
      review,
      { [BULK_REVIEW_BLOCK.action]: { [INPUT_ACTION]: 'add_tag' }, [BULK_REVIEW_BLOCK.tag]: { [INPUT_ACTION]: 'audit-2027' } },
      ADA.id,
    );
    expect((next.json as { response_action?: string }).response_action).toBe('push');
    const confirm = app.emulator.currentModal(ADA.id)!;
    const logBefore = await app.db.database.prisma.permissionLogEntry.count();
    const applied = await app.driver.submitView(confirm, { [BULK_CONFIRM_BLOCK.note]: { [INPUT_ACTION]: 'Yearly audit' } }, ADA.id);
    expect(applied.status).toBe(200);
    await settle(app);

    const entries = await app.db.database.prisma.permissionLogEntry.findMany({
      where: { id: { gt: 0 } },
      orderBy: { id: 'asc' },
      skip: logBefore,
    });
    expect(entries).toHaveLength(SELECTION_LIMIT);
    expect(new Set(entries.map((entry) => entry.subjectMemberId)).size).toBe(SELECTION_LIMIT);
    expect(entries.every((entry) => entry.note === 'Yearly audit' && entry.actorId === ada.id)).toBe(true);
    expect(entries.every((entry) => entry.action === LOG_ACTION.memberEdited)).toBe(true);
    const tagged = await app.db.database.prisma.connection.findMany({ where: { organizationId: organization.id } });
    expect(tagged.filter((connection) => JSON.stringify(connection.tags).includes('audit-2027'))).toHaveLength(SELECTION_LIMIT);

    // One summary each: Bob, and Ada as her receipt; nobody else was told, as the box was not ticked.
    const toAda = postsIn(app, ADA.id).slice(postsBefore.ada);
    const toBob = postsIn(app, BOB.id).slice(postsBefore.bob);
    expect(toBob).toHaveLength(1);
    expect(toAda.filter((message) => JSON.stringify(message).includes('audit-2027'))).toHaveLength(1);
    expect(JSON.stringify(toBob[0])).toContain('100');
  }, 120_000);

  it('keeps the last Administrator one: no demotion, no disconnection, no end date in the past', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', timeZone: 'UTC' }, [ADA]);
    const { prisma } = app.db.database;
    const held = await prisma.connection.findFirstOrThrow({ where: { organizationId: organization.id } });
    // Esri access besides, so giving up Administrator alone is a change she may make to herself, were she not the last.
    await prisma.connectionPermission.create({ data: { connectionId: held.id, permissionKey: PERMISSION.esriAccess } });
    const connection = await prisma.connection.findUniqueOrThrow({ where: { id: held.id }, include: { permissions: true } });
    const before = { connection, logEntries: await prisma.permissionLogEntry.count() };

    const list = (await openMembersList(app, ADA.id)) as EmulatedView;
    const row = { kind: 'member' as const, connectionId: connection.id };
    // The list offers her no Disconnect on herself.
    expect(JSON.stringify(list.definition.blocks)).not.toContain(rowValue('disconnect', row));
    const pushed = app.emulator.callsTo('views.push').length;
    await app.driver.interact({ userId: ADA.id, view: list, actionId: ACTION.usersManageRow, value: rowValue('edit', row) });
    await app.emulator.waitForCalls('views.push', pushed + 1, 10_000);
    const edit = app.emulator.currentModal(ADA.id)!;

    const today = calendarDateIn(new Date(), 'UTC');
    const attempts: Array<[string, Record<string, Record<string, string | string[]>>]> = [
      [
        'demoted',
        {
          [MEMBER_EDIT_BLOCK.adminPermissions]: { [INPUT_ACTION]: [] },
          [MEMBER_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        },
      ],
      [
        'ended yesterday',
        {
          [MEMBER_EDIT_BLOCK.adminPermissions]: { [INPUT_ACTION]: [PERMISSION.administrator] },
          [MEMBER_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
          [MEMBER_EDIT_BLOCK.endsOn]: { [INPUT_ACTION]: addCalendarDays(today, -1) },
        },
      ],
    ];
    for (const [what, values] of attempts) {
      const earlier = privateTexts(app, ADA.id);
      const refused = await app.driver.submitView(edit, values, ADA.id);
      expect(refused.status, what).toBe(200);
      const answer = refused.json as { response_action?: string; errors?: Record<string, string> } | undefined;
      if (what === 'ended yesterday') {
        expect(answer?.response_action, what).toBe('errors');
        continue;
      }
      // On the form when it names a field of it; otherwise the form closes and it is told privately.
      if (answer?.response_action === 'errors') {
        expect(Object.values(answer.errors ?? {}).join(' '), what).toContain('last Administrator');
      } else {
        await waitUntil(() => shownSince(app, ADA.id, earlier).length > 0);
        expect(shownSince(app, ADA.id, earlier).join(' '), what).toContain('last Administrator');
      }
    }
    const earlier = privateTexts(app, ADA.id);
    // A forged Disconnect, as if the menu had offered it.
    const forged = rowValue('disconnect', row);
    const pushedBefore = app.emulator.callsTo('views.push').length;
    await app.driver.blockActions({
      userId: ADA.id,
      view: list,
      actions: [
        {
          action_id: ACTION.usersManageRow,
          type: 'overflow',
          selected_option: { text: { type: 'plain_text', text: 'Disconnect' }, value: forged },
        },
      ],
    });
    await waitUntil(() => app.emulator.callsTo('views.push').length > pushedBefore || shownSince(app, ADA.id, earlier).length > 0);
    if (app.emulator.callsTo('views.push').length > pushedBefore) {
      // The confirmation opened; confirming it is where the rule says no.
      const answer = (await app.driver.submitView(app.emulator.currentModal(ADA.id)!, {}, ADA.id)).json as
        { response_action?: string; errors?: Record<string, string> } | undefined;
      if (answer?.response_action === 'errors') expect(Object.values(answer.errors ?? {}).join(' ')).toContain('last Administrator');
      else await waitUntil(() => shownSince(app, ADA.id, earlier).join(' ').includes('last Administrator'));
    } else {
      expect(shownSince(app, ADA.id, earlier).join(' ')).toContain('last Administrator');
    }
    await settle(app);

    const after = await prisma.connection.findUniqueOrThrow({ where: { id: connection.id }, include: { permissions: true } });
    expect(after.status).toBe('ACTIVE');
    expect(after.endsOn).toBeNull();
    expect(after.permissions.map((grant) => grant.permissionKey)).toEqual(
      before.connection.permissions.map((grant) => grant.permissionKey),
    );
    expect(await prisma.permissionLogEntry.count()).toBe(before.logEntries);
  }, 60_000);
});
