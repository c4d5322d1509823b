import { describe, expect, it } from 'vitest';
import { SELECTION_LIMIT, type MemberRow } from '../../../src/domain/member-management.js';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import { checkView } from '../../../src/sandbox/index.js';
import { BULK_ACTION_LABEL, bulkConfirmModal, bulkReviewModal } from '../../../src/slack/views/bulk-forms.js';
import { ACTION, BULK_CONFIRM_BLOCK, BULK_REVIEW_BLOCK, CALLBACK } from '../../../src/slack/views/ids.js';
import { bulkFormMetadata, decodeMetadata, type BulkFormMetadata } from '../../../src/slack/views/metadata.js';
import { allText, blockById, CATALOG, EVIL, expectInert, findAll, organization, permissions } from './fixtures.js';

const ADMIN = { administrator: true, trainingAdmin: false, authorizedCallerAdmin: false };
const NOBODY = { administrator: false, trainingAdmin: false, authorizedCallerAdmin: false };
const LIST = {
  organizationId: 7,
  search: null,
  tag: null,
  permission: null,
  status: null,
  endsWithinDays: null,
  sort: 'name' as const,
  page: 2,
};

function metadata(action: BulkFormMetadata['action'] = null): BulkFormMetadata {
  return { listViewId: 'V123', list: LIST, action };
}

function row(id: number, overrides: Partial<MemberRow> = {}): MemberRow {
  const long = `${EVIL} `.repeat(8);
  return {
    key: { kind: 'member', connectionId: id },
    person: { slackUserId: `U0M${id}`, displayName: `${long} ${id}`, email: `${long}${id}@x.example` },
    email: `${long}${id}@x.example`,
    mark: 'ACTIVE',
    restorableUntil: null,
    permissions: permissions(PERMISSION.esriAccess),
    tags: [],
    startsOn: null,
    endsOn: null,
    endsAt: null,
    since: new Date('2026-01-05T10:00:00Z'),
    caller: null,
    selected: true,
    can: { edit: true, disconnect: true, restore: false, resend: false, revoke: false, select: true },
    ...overrides,
  };
}

const HUNDRED = Array.from({ length: SELECTION_LIMIT }, (_, index) => row(index + 1));

describe('the bulk review form', () => {
  it('fits 100 long-named people, every one of them in the take-out menu, and stays inert', () => {
    const view = bulkReviewModal({ organization: organization(), rows: HUNDRED, roles: ADMIN, grantable: CATALOG }, metadata());
    expect(checkView(view, 'modal')).toEqual([]);
    expectInert(view);
    expect(view.callback_id).toBe(CALLBACK.bulkReview);
    const menu = findAll(view.blocks, (node) => node.action_id === ACTION.bulkUnselect)[0]!;
    expect((menu.options as unknown[]).length).toBe(100);
    expect(allText(view)).toContain('100 people selected in City of Redlands');
    for (let id = 1; id <= 100; id += 1) expect(allText(view)).toContain(`<@U0M${id}>`);
    expect(decodeMetadata(bulkFormMetadata, view.private_metadata)).toEqual(metadata());
  });

  it('offers every action to an Administrator, and the permissions they may grant', () => {
    const view = bulkReviewModal(
      { organization: organization(), rows: [row(1)], roles: ADMIN, grantable: permissions(PERMISSION.eLearning) },
      metadata(),
    );
    const action = blockById(view, BULK_REVIEW_BLOCK.action)!.element as { options: Array<{ text: { text: string } }> };
    expect(action.options.map((option) => option.text.text)).toEqual(Object.values(BULK_ACTION_LABEL));
    const permission = blockById(view, BULK_REVIEW_BLOCK.permission)!.element as { options: Array<{ value: string }> };
    expect(permission.options.map((option) => option.value)).toEqual([PERMISSION.eLearning]);
  });

  it('offers no action, and no Next, to someone with no admin role or an empty selection', () => {
    for (const view of [
      bulkReviewModal({ organization: organization(), rows: [row(1)], roles: NOBODY, grantable: [] }, metadata()),
      bulkReviewModal({ organization: organization(), rows: [], roles: ADMIN, grantable: CATALOG }, metadata()),
    ]) {
      expect(checkView(view, 'modal')).toEqual([]);
      expect(view.submit).toBeUndefined();
      expect(blockById(view, BULK_REVIEW_BLOCK.action)).toBeUndefined();
    }
  });
});

describe('the bulk confirm form', () => {
  const permissionName = (key: string) => CATALOG.find((permission) => permission.key === key)?.name ?? key;

  it('says what happens to how many, and why the others are left out', () => {
    const action = { kind: 'add_tag' as const, tag: 'field' };
    const view = bulkConfirmModal(
      {
        organization: organization(),
        action,
        applicable: HUNDRED.slice(0, 97),
        skipped: HUNDRED.slice(97).map((skipped) => ({ row: skipped, reason: 'Only Administrators can change this person.' })),
        permissionName,
      },
      metadata(action),
    );
    expect(checkView(view, 'modal')).toEqual([]);
    expect(view.callback_id).toBe(CALLBACK.bulkConfirm);
    expect(view.submit?.text).toBe('Apply to 97');
    expect(allText(view)).toContain('Add the tag “field” to 97 people* in City of Redlands (COR); 3 are left out:');
    expect(allText(view)).toContain('<@U0M98>');
    expect(allText(view)).toContain('Only Administrators can change this person.');
    expect(blockById(view, BULK_CONFIRM_BLOCK.note)).toBeDefined();
    expect(blockById(view, BULK_CONFIRM_BLOCK.notify)).toBeDefined();
    expect(decodeMetadata(bulkFormMetadata, view.private_metadata)?.action).toEqual(action);
  });

  it('warns before a disconnect, and says end-date changes are always told', () => {
    const disconnect = bulkConfirmModal(
      { organization: organization(), action: { kind: 'disconnect' }, applicable: HUNDRED, skipped: [], permissionName },
      metadata({ kind: 'disconnect' }),
    );
    expect(disconnect.submit?.text).toBe('Disconnect 100');
    expect(allText(disconnect)).toContain(':warning:');
    expect(checkView(disconnect, 'modal')).toEqual([]);
    const endDate = bulkConfirmModal(
      {
        organization: organization(),
        action: { kind: 'set_end_date', endsOn: '2026-12-31' },
        applicable: [row(1)],
        skipped: [],
        permissionName,
      },
      metadata({ kind: 'set_end_date', endsOn: '2026-12-31' }),
    );
    expect(allText(endDate)).toContain('Set the end date to December 31, 2026 for 1 person*');
    expect(allText(endDate)).toContain('People are always told when their end date changes.');
  });

  it('keeps 100 left-out people with long reasons inside Slack’s limits', () => {
    const view = bulkConfirmModal(
      {
        organization: organization(),
        action: { kind: 'remove_permission', permission: PERMISSION.esriAccess },
        applicable: [],
        skipped: HUNDRED.map((skipped) => ({ row: skipped, reason: `${EVIL} `.repeat(30) })),
        permissionName,
      },
      metadata({ kind: 'remove_permission', permission: PERMISSION.esriAccess }),
    );
    expect(checkView(view, 'modal')).toEqual([]);
    expectInert(view);
  });
});
