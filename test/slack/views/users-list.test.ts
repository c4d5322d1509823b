import { describe, expect, it } from 'vitest';
import { MEMBER_PAGE_SIZE, type MemberListModel, type MemberListQuery, type MemberRow } from '../../../src/domain/member-management.js';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import { checkView } from '../../../src/sandbox/index.js';
import { ACTION, CALLBACK, USERS_LIST_BLOCK } from '../../../src/slack/views/ids.js';
import { parseRowKeyValue, parseRowValue, rowKeyValue, rowValue } from '../../../src/slack/views/member-values.js';
import { decodeMetadata, memberListMetadata } from '../../../src/slack/views/metadata.js';
import { ANY, usersListHome, usersListModal } from '../../../src/slack/views/users-list.js';
import { myAccessHome } from '../../../src/slack/views/my-access.js';
import { allText, blockById, buttons, CATALOG, EVIL, expectInert, findAll, myAccessModel, organization, permissions } from './fixtures.js';

const NONE_CAN = { edit: false, disconnect: false, restore: false, resend: false, revoke: false, select: false };
const ALL_CAN = { edit: true, disconnect: true, restore: false, resend: false, revoke: false, select: true };

function query(overrides: Partial<MemberListQuery> = {}): MemberListQuery {
  return {
    organizationId: 7,
    search: null,
    tag: null,
    permission: null,
    status: null,
    endsWithinDays: null,
    sort: 'name',
    page: 0,
    ...overrides,
  };
}

function row(id: number, overrides: Partial<MemberRow> = {}): MemberRow {
  return {
    key: { kind: 'member', connectionId: id },
    person: { slackUserId: `U0M${id}`, displayName: `Member ${id}`, email: `member${id}@redlands.example` },
    email: `member${id}@redlands.example`,
    mark: 'ACTIVE',
    restorableUntil: null,
    permissions: permissions(PERMISSION.esriAccess),
    tags: ['planning'],
    startsOn: null,
    endsOn: '2026-12-31',
    endsAt: new Date('2027-01-01T08:00:00Z'),
    since: new Date('2026-01-05T10:00:00Z'),
    caller: null,
    selected: false,
    can: ALL_CAN,
    ...overrides,
  };
}

/** The longest everything can be: names, addresses, tags and every permission, with mrkdwn in all of it. */
function maximalRow(id: number): MemberRow {
  const long = (length: number) => `${EVIL} `.repeat(Math.ceil(length / EVIL.length)).slice(0, length);
  return row(id, {
    person: { slackUserId: `U0M${id}`, displayName: long(200), email: `${long(200)}@x.example` },
    email: `${long(240)}@x.example`,
    permissions: CATALOG,
    tags: Array.from({ length: 10 }, () => long(50)),
    startsOn: '2026-01-01',
    selected: id % 2 === 0,
  });
}

function model(overrides: Partial<MemberListModel> = {}): MemberListModel {
  const rows = overrides.rows ?? Array.from({ length: MEMBER_PAGE_SIZE }, (_, index) => row(index + 1));
  return {
    organization: organization(),
    organizations: [organization()],
    query: query(),
    rows,
    total: rows.length,
    pageSize: MEMBER_PAGE_SIZE,
    selectedCount: 0,
    viewerRoles: { administrator: true, trainingAdmin: false, authorizedCallerAdmin: false },
    ...overrides,
  };
}

function overflowValues(view: { blocks: unknown[] }): string[][] {
  return findAll(view.blocks, (node) => node.type === 'overflow').map((menu) =>
    (menu.options as Array<{ value: string }>).map((option) => option.value),
  );
}

describe('the members list', () => {
  it('is a valid modal and home tab at 20 rows of the longest text, which stays inert', () => {
    const longest = model({
      rows: Array.from({ length: MEMBER_PAGE_SIZE }, (_, index) => maximalRow(index + 1)),
      organizations: Array.from({ length: 150 }, (_, index) => organization({ id: index + 1, name: `${EVIL} ${'Org '.repeat(60)}` })),
      organization: organization({ name: `${EVIL} ${'Org '.repeat(60)}` }),
      query: query({ search: 'x'.repeat(100), tag: 'y'.repeat(50), page: 3, status: 'active' }),
      total: 5000,
      selectedCount: 100,
    });
    const modal = usersListModal(longest);
    expect(checkView(modal, 'modal')).toEqual([]);
    expect(checkView(usersListHome(longest), 'home')).toEqual([]);
    expectInert(modal);
    for (const text of findAll(modal.blocks, (node) => node.type === 'mrkdwn')) expect(String(text.text).length).toBeLessThanOrEqual(3000);
  });

  it('says which rows are shown of how many, and carries the query in its metadata', () => {
    const view = usersListModal(model({ query: query({ page: 1, search: 'ann' }), total: 1234, selectedCount: 3 }));
    expect(view.callback_id).toBe(CALLBACK.usersList);
    expect(allText(view)).toContain('Showing 21–40 of 1,234 (filtered)  ·  3 selected');
    expect(decodeMetadata(memberListMetadata, view.private_metadata)).toEqual(query({ page: 1, search: 'ann' }));
  });

  it('draws each row with its mark, permissions, tags and dates, and marks the selected ones', () => {
    const rows = [
      row(1, { selected: true }),
      row(2, { mark: 'EXPIRED', restorableUntil: new Date('2026-12-10T08:00:00Z') }),
      row(3, { mark: 'PENDING_INVITATION', key: { kind: 'invitation', invitationId: 9 }, person: null, email: 'new@redlands.example' }),
      row(4, { mark: 'DISABLED', tags: [] }),
    ];
    const text = allText(usersListModal(model({ rows })));
    expect(text).toContain('<@U0M1> *Member 1*  ·  member1@redlands.example');
    expect(text).toContain('Active  ·  Esri access');
    expect(text).toContain('Tags: planning  ·  no start date  ·  ends December 31, 2026');
    expect(text).toContain(':white_check_mark: Selected');
    expect(text).toMatch(/Expired \(restorable until <!date\^\d+\^\{date_short\}\|2026-12-10/);
    expect(text).toContain('*new@redlands.example*');
    expect(text).toContain('Pending invitation');
    expect(text).toContain('Disabled');
    expect(text).toContain('No tags');
  });

  it('offers in each row only what the policy allows, and no menu where it allows nothing', () => {
    const rows = [
      row(1, { selected: true }),
      row(2, { can: NONE_CAN }),
      row(3, { can: { ...NONE_CAN, restore: true } }),
      row(4, {
        key: { kind: 'invitation', invitationId: 8 },
        mark: 'PENDING_INVITATION',
        can: { ...NONE_CAN, resend: true, revoke: true, edit: true, select: true },
      }),
    ];
    const view = usersListModal(model({ rows }));
    expect(overflowValues(view)).toEqual([
      ['select:m:1', 'edit:m:1', 'disconnect:m:1'],
      ['restore:m:3'],
      ['select:i:8', 'edit:i:8', 'resend:i:8', 'revoke:i:8'],
    ]);
    const firstMenu = findAll(view.blocks, (node) => node.type === 'overflow')[0]!;
    expect((firstMenu.options as Array<{ text: { text: string } }>)[0]!.text.text).toBe('Deselect');
  });

  it('shows each filter with "Any" first and the current choice chosen', () => {
    const view = usersListModal(model({ query: query({ status: 'expired', endsWithinDays: 30, sort: 'ends' }) }));
    const filters = blockById(view, USERS_LIST_BLOCK.filters)!.elements as Array<{
      action_id: string;
      options: Array<{ value: string }>;
      initial_option: { value: string };
    }>;
    const byId = Object.fromEntries(filters.map((select) => [select.action_id, select]));
    expect(byId[ACTION.usersFilterStatus]!.options[0]!.value).toBe(ANY);
    expect(byId[ACTION.usersFilterStatus]!.initial_option.value).toBe('expired');
    expect(byId[ACTION.usersFilterPermission]!.initial_option.value).toBe(ANY);
    expect(byId[ACTION.usersFilterEndsWithin]!.initial_option.value).toBe('30');
    expect(byId[ACTION.usersSort]!.initial_option.value).toBe('ends');
  });

  it('pages forward and back only where there is such a page', () => {
    const ids = (view: { blocks: unknown[] }) => buttons(view).map((found) => found.action_id);
    expect(ids(usersListModal(model({ total: 20 })))).not.toContain(ACTION.usersNextPage);
    const first = usersListModal(model({ total: 45 }));
    expect(ids(first)).toContain(ACTION.usersNextPage);
    expect(ids(first)).not.toContain(ACTION.usersPreviousPage);
    const last = usersListModal(model({ total: 45, query: query({ page: 2 }), rows: [row(41)] }));
    expect(ids(last)).toContain(ACTION.usersPreviousPage);
    expect(ids(last)).not.toContain(ACTION.usersNextPage);
  });

  it('offers Review and Clear only when something is selected', () => {
    const ids = (view: { blocks: unknown[] }) => buttons(view).map((found) => found.action_id);
    expect(ids(usersListModal(model()))).toEqual([ACTION.usersSelectPage]);
    const selected = usersListModal(model({ selectedCount: 12 }));
    expect(ids(selected)).toEqual([ACTION.usersSelectPage, ACTION.usersReviewSelection, ACTION.usersClearSelection]);
    expect(allText(selected)).toContain('Review selection (12)');
  });

  it('says how to clear the filters when nothing matches', () => {
    const view = usersListModal(model({ rows: [], total: 0, query: query({ tag: 'nobody' }) }));
    expect(allText(view)).toContain('No one matches');
    expect(allText(view)).toContain('choose *Any* in each filter');
    expect(checkView(view, 'modal')).toEqual([]);
  });

  it('offers the members section above their own access only to people who manage members', () => {
    const own = myAccessModel();
    expect(buttons(myAccessHome(own)).map((found) => found.action_id)).not.toContain(ACTION.homeShowMembers);
    const managing = myAccessHome(own, 7);
    expect(managing.blocks.slice(1)).toEqual(myAccessHome(own).blocks);
    expect(myAccessHome(own).callback_id).toBeUndefined();
    expect(buttons({ blocks: [managing.blocks[0]] }).map((found) => [found.action_id, found.value, found.style])).toEqual([
      [ACTION.homeShowAccess, 'access', 'primary'],
      [ACTION.homeShowMembers, '7', undefined],
    ]);
    expect(checkView(managing, 'home')).toEqual([]);
  });

  it('puts the section buttons on top in App Home', () => {
    const home = usersListHome(model());
    expect(buttons({ blocks: [home.blocks[0]] }).map((found) => [found.action_id, found.value])).toEqual([
      [ACTION.homeShowAccess, 'access'],
      [ACTION.homeShowMembers, '7'],
    ]);
  });
});

describe('row menu values', () => {
  it('read back what they wrote', () => {
    expect(parseRowValue(rowValue('edit', { kind: 'member', connectionId: 12 }))).toEqual({
      verb: 'edit',
      key: { kind: 'member', connectionId: 12 },
    });
    expect(parseRowValue(rowValue('revoke', { kind: 'invitation', invitationId: 3 }))).toEqual({
      verb: 'revoke',
      key: { kind: 'invitation', invitationId: 3 },
    });
    expect(parseRowKeyValue(rowKeyValue({ kind: 'invitation', invitationId: 4 }))).toEqual({ kind: 'invitation', invitationId: 4 });
  });

  it('refuse anything Gatehouse did not write', () => {
    for (const forged of [
      '',
      'edit',
      'edit:m',
      'edit:x:1',
      'drop:m:1',
      'edit:m:0',
      'edit:m:1:2',
      'edit:m:99999999999999999',
      'edit:m:-1',
    ]) {
      expect(() => parseRowValue(forged), forged).toThrow(expect.objectContaining({ code: 'unreadable' }));
    }
    expect(() => parseRowKeyValue('m:abc')).toThrow(expect.objectContaining({ code: 'unreadable' }));
  });
});
