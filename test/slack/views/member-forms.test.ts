import type { ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { CallerListModel, CallerRow, MemberRow } from '../../../src/domain/member-management.js';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import type { AccessChangeNotice, AccessSnapshot, PersonSummary } from '../../../src/domain/read-models.js';
import { checkMessage, checkView } from '../../../src/sandbox/index.js';
import { MEMBER_EDIT_PERMISSION_TOGGLE } from '../../../src/slack/routes.js';
import { accessChangedMessage } from '../../../src/slack/views/access-change-messages.js';
import { callerAddView, callerEditView, callerRemoveView } from '../../../src/slack/views/caller-forms.js';
import { callerRowValue, callersListView, parseCallerRowValue } from '../../../src/slack/views/callers-list.js';
import {
  ACTION,
  CALLBACK,
  CALLER_FORM_BLOCK,
  MEMBER_DISCONNECT_BLOCK,
  MEMBER_EDIT_BLOCK,
  MEMBER_RESTORE_BLOCK,
} from '../../../src/slack/views/ids.js';
import { memberDisconnectView } from '../../../src/slack/views/member-disconnect-form.js';
import {
  draftOf,
  editNotice,
  memberEditView,
  NOTIFY_VALUE,
  PREVIEW_SHOWN_BLOCK,
  type MemberEditFormModel,
} from '../../../src/slack/views/member-edit-form.js';
import { memberRestoreView } from '../../../src/slack/views/member-restore-form.js';
import {
  callerFormMetadata,
  decodeMetadata,
  invitationFormMetadata,
  memberFormMetadata,
  type MemberFormMetadata,
} from '../../../src/slack/views/metadata.js';
import { ADA, allText, blockById, buttons, CATALOG, EVIL, expectInert, findAll, organization, permissions, person } from './fixtures.js';

const LONG_NAME = `${EVIL} ${'N'.repeat(200)}`;
const LONG_TAGS = Array.from({ length: 10 }, (_, index) => `${index}${EVIL}`.padEnd(50, 't').slice(0, 50));
const LONG_NOTE = `${EVIL} ${'n'.repeat(1200)}`;
const HOSTILE_ORG = organization({ name: `${EVIL} ${'O'.repeat(300)}`, acronym: EVIL });
const NOW = new Date('2026-12-01T18:00:00Z');

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
const METADATA: MemberFormMetadata = { row: { kind: 'member', connectionId: 55 }, listViewId: 'V0LIST', list: LIST };

function memberRow(overrides: Partial<MemberRow> = {}): MemberRow {
  return {
    key: { kind: 'member', connectionId: 55 },
    person: person(),
    email: 'rita@redlands.example',
    mark: 'ACTIVE',
    restorableUntil: null,
    permissions: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    tags: ['planning'],
    startsOn: null,
    endsOn: '2099-12-31',
    endsAt: new Date('2100-01-01T08:00:00Z'),
    since: new Date('2026-01-05T16:00:00Z'),
    caller: null,
    selected: false,
    can: { edit: true, disconnect: true, restore: false, resend: false, revoke: false, select: true },
    ...overrides,
  };
}

function editModel(overrides: Partial<MemberEditFormModel> = {}): MemberEditFormModel {
  return {
    organization: organization(),
    row: memberRow(),
    grantable: CATALOG,
    roles: { administrator: true, trainingAdmin: false, authorizedCallerAdmin: false },
    ...overrides,
  };
}

/** Everything at its longest: names, tags, note, every permission, caller settings. */
function maximalRow(): MemberRow {
  return memberRow({
    person: person({ displayName: LONG_NAME, email: `${'e'.repeat(60)}@${EVIL}.example` }),
    email: `${'e'.repeat(200)}@${EVIL}.example`,
    permissions: CATALOG,
    tags: LONG_TAGS,
    caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
  });
}

type Node = Record<string, unknown>;

function input(view: ModalView, blockId: string): (Node & { element: Node; hint?: { text: string } }) | undefined {
  const block = blockById(view, blockId);
  return block?.type === 'input' ? (block as Node & { element: Node }) : undefined;
}

function values(options: unknown): string[] {
  return ((options as Array<{ value: string }> | undefined) ?? []).map((option) => option.value);
}

function expectValidModal(view: ModalView): void {
  expect(checkView(view, 'modal')).toEqual([]);
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  for (const label of [view.title, view.submit, view.close]) if (label) expect(label.text.length).toBeLessThanOrEqual(24);
}

function snapshot(overrides: Partial<AccessSnapshot> = {}): AccessSnapshot {
  return {
    status: 'ACTIVE',
    permissions: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    tags: ['planning'],
    startsOn: null,
    endsOn: '2099-12-31',
    caller: null,
    ...overrides,
  };
}

function notice(overrides: Partial<AccessChangeNotice> = {}): AccessChangeNotice {
  return {
    logEntryId: 901,
    organization: organization(),
    subject: person(),
    subjectEmail: 'rita@redlands.example',
    actor: ADA,
    action: 'edited',
    before: snapshot(),
    after: snapshot({ permissions: permissions(PERMISSION.downloadSoftware, PERMISSION.eLearning), tags: ['planning', 'gis'] }),
    note: 'Moved to the training team',
    at: NOW,
    ...overrides,
  };
}

describe('accessChangedMessage', () => {
  it('tells the member what they gained and lost and who changed it, without the note', () => {
    const message = accessChangedMessage(notice(), 'member');
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(message.text).toBe('Your access to City of Redlands (COR) changed.');
    expect(text).toContain('You now have:* Access e-Learning');
    expect(text).toContain('You no longer have:* Esri access');
    expect(text).toContain('Still held:* Download software');
    expect(text).toContain('`planning` `gis`');
    expect(text).toContain('Changed by <@U0ADA>');
    expect(text).not.toContain('Moved to the training team');
  });

  it('tells an Administrator who changed whom, with the before, the after and the note', () => {
    const message = accessChangedMessage(notice(), 'administrator');
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('<@U0ADA> changed the access of <@U0RITA> in *City of Redlands (COR)*.');
    expect(text).toContain('Gained:* Access e-Learning');
    expect(text).toContain('Lost:* Esri access');
    expect(text).toContain('*Note for the log:* Moved to the training team');
    expect(message.text).toBe('Ada Admin changed the access of Rita Requester in City of Redlands (COR).');
  });

  it('words each action for the member', () => {
    const cases: Array<[AccessChangeNotice['action'], Partial<AccessChangeNotice>, string]> = [
      ['disconnected', { after: snapshot({ status: 'REMOVED', permissions: [] }) }, 'was disconnected'],
      [
        'restored',
        { before: snapshot({ status: 'EXPIRED' }), after: snapshot({ endsOn: '2027-03-31' }) },
        'restored, until the end of March 31, 2027',
      ],
      ['restored', { before: snapshot({ status: 'EXPIRED' }), after: snapshot({ endsOn: null }) }, 'restored, with no end date'],
      ['end_date_changed', { after: snapshot({ endsOn: '2027-01-15' }) }, 'now ends at the end of January 15, 2027'],
      ['end_date_changed', { after: snapshot({ endsOn: null }) }, 'no longer has an end date'],
      ['caller_changed', { after: snapshot({ caller: { supportLevel: 'STANDARD', callerLevel: null } }) }, 'authorized-caller settings'],
      ['invitation_edited', {}, 'Your invitation to'],
    ];
    for (const [action, overrides, words] of cases) {
      const message = accessChangedMessage(notice({ action, ...overrides }), 'member');
      expect(checkMessage(message), action).toEqual([]);
      expect(allText(message), action).toContain(words);
    }
    const disconnected = allText(
      accessChangedMessage(notice({ action: 'disconnected', after: snapshot({ status: 'REMOVED', permissions: [] }) }), 'member'),
    );
    expect(disconnected).toContain('You no longer have:* Download software, Esri access');
    expect(disconnected).toContain('Active → Disconnected');
  });

  it('shows the end date, start date and caller settings that changed', () => {
    const text = allText(
      accessChangedMessage(
        notice({
          after: snapshot({
            startsOn: '2027-01-01',
            endsOn: null,
            permissions: permissions(PERMISSION.viewSupport, PERMISSION.authorizedCallerActions),
            caller: { supportLevel: 'PREMIUM', callerLevel: 'Backup' },
          }),
        }),
        'administrator',
      ),
    );
    expect(text).toContain('*Ends:* December 31, 2099 → no end date');
    expect(text).toContain('*Starts:* when connected → January 1, 2027');
    expect(text).toContain('*Authorized caller:* not an authorized caller → Premium support, caller level Backup');
  });

  it('names a pending invitation by its address, and keeps hostile text inert at every length', () => {
    const hostile = notice({
      organization: HOSTILE_ORG,
      subject: null,
      subjectEmail: `${EVIL}@example.com`,
      actor: { slackUserId: 'not-an-id', displayName: LONG_NAME, email: null },
      action: 'invitation_edited',
      before: snapshot({ status: 'PENDING', tags: LONG_TAGS }),
      after: snapshot({
        status: 'PENDING',
        permissions: CATALOG,
        tags: [...LONG_TAGS].reverse(),
        caller: { supportLevel: 'PREMIUM', callerLevel: EVIL },
      }),
      note: LONG_NOTE,
    });
    for (const audience of ['member', 'administrator'] as const) {
      const message = accessChangedMessage(hostile, audience);
      expect(checkMessage(message), audience).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const node of findAll(message.blocks, (candidate) => typeof candidate.text === 'string')) {
        expect(String(node.text).length).toBeLessThanOrEqual(3000);
      }
      expectInert(message);
    }
    expect(allText(accessChangedMessage(hostile, 'member'))).not.toContain('nnnn');
  });
});

describe('memberEditView', () => {
  const actor: PersonSummary = ADA;

  it('is invitation step 2 for a member: prefilled, with the agreed ids and the list to redraw', () => {
    const view = memberEditView(editModel(), draftOf(memberRow()), { metadata: METADATA, actor, preview: false, now: NOW });
    expectValidModal(view);
    expect(view).toMatchObject({ callback_id: CALLBACK.memberEdit, submit: { text: 'Save' } });
    expect(decodeMetadata(memberFormMetadata, view.private_metadata)).toEqual(METADATA);
    const access = input(view, MEMBER_EDIT_BLOCK.accessPermissions)!;
    expect(access.dispatch_action).toBe(true);
    expect(MEMBER_EDIT_PERMISSION_TOGGLE.block_id.test(MEMBER_EDIT_BLOCK.accessPermissions)).toBe(true);
    expect(MEMBER_EDIT_PERMISSION_TOGGLE.block_id.test(MEMBER_EDIT_BLOCK.adminPermissions)).toBe(true);
    expect(MEMBER_EDIT_PERMISSION_TOGGLE.block_id.test(MEMBER_EDIT_BLOCK.tags)).toBe(false);
    expect(values(access.element.initial_options)).toEqual([PERMISSION.downloadSoftware, PERMISSION.esriAccess]);
    expect(input(view, MEMBER_EDIT_BLOCK.endsOn)?.element.initial_date).toBe('2099-12-31');
    expect(input(view, MEMBER_EDIT_BLOCK.tags)?.element.initial_value).toBe('planning');
    expect(input(view, MEMBER_EDIT_BLOCK.supportLevel)).toBeUndefined();
    expect(allText(view)).not.toContain('accept');
    const notify = input(view, MEMBER_EDIT_BLOCK.notify)!;
    expect(values(notify.element.options)).toEqual([NOTIFY_VALUE]);
    expect(notify.element.initial_options).toBeUndefined();
    expect(allText(view)).toContain('Send Rita Requester a message about this change');
    expect(notify.hint?.text).toContain('Administrators are always told');
    expect(buttons(view).map((found) => found.action_id)).toEqual([ACTION.memberEditPreview]);
    expect(blockById(view, PREVIEW_SHOWN_BLOCK)).toBeUndefined();
  });

  it('offers only what the actor may grant, and says held permissions outside their role stay', () => {
    const model = editModel({
      row: memberRow({ permissions: permissions(PERMISSION.eLearning, PERMISSION.esriAccess) }),
      grantable: permissions(PERMISSION.eLearning),
    });
    const view = memberEditView(model, draftOf(model.row), { metadata: METADATA, actor, preview: false, now: NOW });
    expectValidModal(view);
    expect(values(input(view, MEMBER_EDIT_BLOCK.accessPermissions)?.element.options)).toEqual([PERMISSION.eLearning]);
    expect(input(view, MEMBER_EDIT_BLOCK.adminPermissions)).toBeUndefined();
    expect(allText(view)).toContain('They also hold Esri access, which your role does not cover: it stays as it is.');
  });

  it('shows caller settings once both support permissions are held, and the preview of the message when asked', () => {
    const row = memberRow({ permissions: permissions(PERMISSION.viewSupport, PERMISSION.authorizedCallerActions) });
    const draft = {
      ...draftOf(row),
      endsOn: '2027-02-28',
      caller: { supportLevel: 'PREMIUM' as const, callerLevel: 'Secondary' },
      notifyMember: true,
    };
    const view = memberEditView(editModel({ row }), draft, { metadata: METADATA, actor, preview: true, now: NOW });
    expectValidModal(view);
    expect((input(view, MEMBER_EDIT_BLOCK.supportLevel)?.element.initial_option as { value: string }).value).toBe('PREMIUM');
    expect(allText(view)).toContain('so they are an *authorized caller*');
    expect(allText(view)).not.toContain('invitation');
    expect(values(input(view, MEMBER_EDIT_BLOCK.notify)?.element.initial_options)).toEqual([NOTIFY_VALUE]);
    expect(blockById(view, PREVIEW_SHOWN_BLOCK)).toBeDefined();
    const expected = accessChangedMessage(editNotice(editModel({ row }), draft, actor, NOW), 'member');
    const text = allText(view);
    for (const line of allText({ blocks: expected.blocks }).split('\n')) expect(text).toContain(line);
    expect(text).toContain('*Ends:* December 31, 2099 → February 28, 2027');
    expect(text).toContain('*Authorized caller:* not an authorized caller → Premium support, caller level Secondary');
  });

  it('stays valid and inert at maximal length, with the preview showing', () => {
    const row = maximalRow();
    const draft = { ...draftOf(row), note: LONG_NOTE.slice(0, 1000), notifyMember: true, tags: [...LONG_TAGS].reverse() };
    const view = memberEditView(editModel({ organization: HOSTILE_ORG, row }), draft, {
      metadata: METADATA,
      actor,
      preview: true,
      now: NOW,
    });
    expectValidModal(view);
    expectInert(view);
  });
});

describe('memberDisconnectView and memberRestoreView', () => {
  it('asks to confirm a disconnection, with a note and the notify box', () => {
    const view = memberDisconnectView(organization(), memberRow(), METADATA);
    expectValidModal(view);
    expect(view).toMatchObject({ callback_id: CALLBACK.memberDisconnect, submit: { text: 'Disconnect' } });
    expect(allText(view)).toContain(
      'Disconnect <@U0RITA> from City of Redlands (COR)?* Every permission they hold there is removed; their record and history stay.',
    );
    expect(input(view, MEMBER_DISCONNECT_BLOCK.note)?.optional).toBe(true);
    expect(values(input(view, MEMBER_DISCONNECT_BLOCK.notify)?.element.options)).toEqual([NOTIFY_VALUE]);
    expect(decodeMetadata(memberFormMetadata, view.private_metadata)).toEqual(METADATA);
  });

  it('offers a new end date or none, and says until when access is restorable', () => {
    const restorableUntil = new Date('2026-12-20T08:00:00Z');
    const row = memberRow({ mark: 'EXPIRED', restorableUntil });
    const view = memberRestoreView(organization(), row, METADATA);
    expectValidModal(view);
    expect(view).toMatchObject({ callback_id: CALLBACK.memberRestore, submit: { text: 'Restore' } });
    expect(input(view, MEMBER_RESTORE_BLOCK.endsOn)).toMatchObject({ optional: true, element: { type: 'datepicker' } });
    expect(allText(view)).toContain(`Restorable until <!date^${restorableUntil.getTime() / 1000}^`);
  });

  it('stay valid and inert at maximal length', () => {
    for (const view of [
      memberDisconnectView(HOSTILE_ORG, maximalRow(), METADATA),
      memberRestoreView(HOSTILE_ORG, { ...maximalRow(), mark: 'EXPIRED' }, METADATA),
    ]) {
      expectValidModal(view);
      expectInert(view);
    }
  });
});

describe('invitation forms opened from the list', () => {
  it('carry the list to redraw in their metadata', () => {
    const surface = { listViewId: null, list: LIST };
    expect(decodeMetadata(invitationFormMetadata, JSON.stringify({ invitationId: 90, surface }))).toEqual({ invitationId: 90, surface });
    expect(decodeMetadata(invitationFormMetadata, JSON.stringify({ invitationId: 90 }))).toEqual({ invitationId: 90 });
  });
});

function callerRow(overrides: Partial<CallerRow> = {}): CallerRow {
  return {
    key: { kind: 'member', connectionId: 61 },
    person: person(),
    email: 'rita@redlands.example',
    mark: 'ACTIVE',
    caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
    endsOn: null,
    since: new Date('2026-01-05T16:00:00Z'),
    ...overrides,
  };
}

function callerListModel(overrides: Partial<CallerListModel> = {}): CallerListModel {
  return {
    organization: organization(),
    organizations: [organization()],
    callers: [
      callerRow(),
      callerRow({ key: { kind: 'invitation', invitationId: 12 }, person: null, email: 'new@redlands.example', mark: 'PENDING_INVITATION' }),
    ],
    canAdd: true,
    ...overrides,
  };
}

describe('callersListView', () => {
  const metadata = { organizationId: 7, row: null, listViewId: null };

  it('lists callers with their settings, Edit and Remove on members, and Add', () => {
    const view = callersListView(callerListModel(), metadata);
    expectValidModal(view);
    expect(view.callback_id).toBe(CALLBACK.callersList);
    expect(decodeMetadata(callerFormMetadata, view.private_metadata)).toEqual(metadata);
    const text = allText(view);
    expect(text).toContain('has 2 authorized callers');
    expect(text).toContain('Premium support, caller level Primary');
    expect(text).toContain('new@redlands.example');
    expect(buttons(view).map((found) => found.action_id)).toEqual([ACTION.callersAdd]);
    const overflows = findAll(view.blocks, (node) => node.type === 'overflow');
    expect(overflows).toHaveLength(1);
    expect(overflows[0]!.action_id).toBe(ACTION.callersManageRow);
    expect(values(overflows[0]!.options)).toEqual(['edit:61', 'remove:61']);
    expect(findAll(view.blocks, (node) => node.action_id === ACTION.callersPickOrganization)).toEqual([]);
  });

  it('offers a picker for several organizations and no Add for who cannot add', () => {
    const portland = organization({ id: 8, name: 'City of Portland', acronym: null });
    const view = callersListView(callerListModel({ organizations: [organization(), portland], canAdd: false }), metadata);
    expectValidModal(view);
    const [picker] = findAll(view.blocks, (node) => node.action_id === ACTION.callersPickOrganization);
    expect(values(picker!.options)).toEqual(['7', '8']);
    expect((picker!.initial_option as { value: string }).value).toBe('7');
    expect(buttons(view)).toEqual([]);
  });

  it('stays inside 100 blocks with many callers at maximal length', () => {
    const callers = Array.from({ length: 150 }, (_, index) =>
      callerRow({
        key: { kind: 'member', connectionId: index + 1 },
        person: person({ displayName: LONG_NAME, slackUserId: `U${index}X` }),
        email: `${'e'.repeat(200)}@${EVIL}.example`,
        caller: { supportLevel: 'PREMIUM', callerLevel: EVIL },
        endsOn: '2099-12-31',
      }),
    );
    const view = callersListView(callerListModel({ organization: HOSTILE_ORG, callers }), metadata);
    expectValidModal(view);
    expectInert(view);
    expect(allText(view)).toContain('…and 70 more');
  });

  it('reads back only the row values it writes', () => {
    expect(parseCallerRowValue(callerRowValue('edit', 61))).toEqual({ verb: 'edit', connectionId: 61 });
    expect(parseCallerRowValue(callerRowValue('remove', 9))).toEqual({ verb: 'remove', connectionId: 9 });
    for (const forged of ['edit:0', 'delete:4', 'edit:-1', 'remove:1x', '']) expect(parseCallerRowValue(forged), forged).toBeNull();
  });
});

describe('caller forms', () => {
  const metadata = { organizationId: 7, row: { kind: 'member' as const, connectionId: 61 }, listViewId: 'V0LIST' };

  it('Add asks for an address or a member, the support level and a note', () => {
    const view = callerAddView(organization(), { ...metadata, row: null });
    expectValidModal(view);
    expect(view.callback_id).toBe(CALLBACK.callerAdd);
    expect(input(view, CALLER_FORM_BLOCK.address)).toMatchObject({ optional: true, element: { type: 'plain_text_input' } });
    expect(input(view, CALLER_FORM_BLOCK.member)).toMatchObject({ optional: true, element: { type: 'users_select' } });
    expect(values(input(view, CALLER_FORM_BLOCK.supportLevel)?.element.options)).toEqual(['STANDARD', 'PREMIUM']);
    expect(input(view, CALLER_FORM_BLOCK.callerLevel)?.optional).toBe(true);
    expect(input(view, CALLER_FORM_BLOCK.note)?.optional).toBe(true);
  });

  it('Edit is prefilled from the caller; Remove asks to confirm', () => {
    const edit = callerEditView(organization(), callerRow(), metadata);
    expectValidModal(edit);
    expect(edit.callback_id).toBe(CALLBACK.callerEdit);
    expect((input(edit, CALLER_FORM_BLOCK.supportLevel)?.element.initial_option as { value: string }).value).toBe('PREMIUM');
    expect((input(edit, CALLER_FORM_BLOCK.callerLevel)?.element.initial_option as { value: string }).value).toBe('Primary');
    expect(decodeMetadata(callerFormMetadata, edit.private_metadata)).toEqual(metadata);
    const remove = callerRemoveView(organization(), callerRow(), metadata);
    expectValidModal(remove);
    expect(remove).toMatchObject({ callback_id: CALLBACK.callerRemove, submit: { text: 'Remove' } });
    expect(allText(remove)).toContain('Remove this authorized caller?');
  });

  it('stay valid and inert at maximal length', () => {
    const row = callerRow({
      person: person({ displayName: LONG_NAME }),
      email: `${'e'.repeat(200)}@${EVIL}.example`,
      caller: { supportLevel: 'PREMIUM', callerLevel: EVIL },
    });
    for (const view of [
      callerAddView(HOSTILE_ORG, metadata),
      callerEditView(HOSTILE_ORG, row, metadata),
      callerRemoveView(HOSTILE_ORG, row, metadata),
    ]) {
      expectValidModal(view);
      expectInert(view);
    }
  });
});
