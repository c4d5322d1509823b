import { describe, expect, it } from 'vitest';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import { checkView } from '../../../src/sandbox/index.js';
import { approveFormView, denyFormView } from '../../../src/slack/views/decision-forms.js';
import { APPROVE_FORM_BLOCK, CALLBACK, DENY_FORM_BLOCK, INPUT_ACTION, TEXT_LIMIT } from '../../../src/slack/views/ids.js';
import { decisionFormMetadata, decodeMetadata } from '../../../src/slack/views/metadata.js';
import { allText, blockById, CATALOG, connection, EVIL, expectInert, organization, permissions, person, requestCard } from './fixtures.js';

const METADATA = { requestId: 12, channelId: 'D0ADA', inTriage: false };

type Input = { element: Record<string, unknown>; optional?: boolean; label: { text: string }; hint?: { text: string } };
const input = (view: { blocks: unknown[] }, blockId: string) => blockById(view, blockId) as unknown as Input | undefined;
const values = (options: unknown) => (options as Array<{ value: string }> | undefined)?.map((option) => option.value);

describe('approveFormView', () => {
  const view = approveFormView({ request: requestCard(), catalog: CATALOG }, METADATA);

  it('is a valid modal with the agreed ids, title and metadata', () => {
    expect(checkView(view, 'modal')).toEqual([]);
    expect(view).toMatchObject({ callback_id: CALLBACK.approveForm, title: { text: 'Approve request' }, submit: { text: 'Approve' } });
    expect(decodeMetadata(decisionFormMetadata, view.private_metadata)).toEqual(METADATA);
  });

  it('summarises who asks, where and why', () => {
    const text = allText(view);
    expect(text).toContain('<@U0RITA>');
    expect(text).toContain('City of Redlands (COR)');
    expect(text).toContain('I install ArcGIS Pro for the planning team.');
  });

  it('offers the whole catalog in two groups, ticked with what was asked for', () => {
    const admin = input(view, APPROVE_FORM_BLOCK.adminPermissions)!;
    const access = input(view, APPROVE_FORM_BLOCK.accessPermissions)!;
    expect(admin.element).toMatchObject({ type: 'checkboxes', action_id: INPUT_ACTION });
    expect(access.element).toMatchObject({ type: 'checkboxes', action_id: INPUT_ACTION });
    expect(admin.optional && access.optional).toBe(true);
    expect([...values(admin.element.options)!, ...values(access.element.options)!]).toHaveLength(CATALOG.length);
    // Nothing asked for among the admin roles: Slack rejects an empty initial_options.
    expect(admin.element.initial_options).toBeUndefined();
    expect(values(access.element.initial_options)).toEqual([PERMISSION.eLearning, PERMISSION.downloadSoftware]);
  });

  it('prefills admin roles that were asked for', () => {
    const form = approveFormView(
      { request: requestCard({ requested: permissions(PERMISSION.administrator) }), catalog: CATALOG },
      METADATA,
    );
    expect(checkView(form, 'modal')).toEqual([]);
    expect(values(input(form, APPROVE_FORM_BLOCK.adminPermissions)!.element.initial_options)).toEqual([PERMISSION.administrator]);
    expect(input(form, APPROVE_FORM_BLOCK.accessPermissions)!.element.initial_options).toBeUndefined();
  });

  it('asks for an optional end date, tags and note, and offers to tell the requester', () => {
    expect(input(view, APPROVE_FORM_BLOCK.endsOn)).toMatchObject({
      optional: true,
      label: { text: 'Access ends on' },
      element: { type: 'datepicker', action_id: INPUT_ACTION },
    });
    expect(input(view, APPROVE_FORM_BLOCK.endsOn)!.hint?.text).toMatch(/optional/i);
    expect(input(view, APPROVE_FORM_BLOCK.tags)).toMatchObject({
      optional: true,
      element: { type: 'plain_text_input', action_id: INPUT_ACTION },
    });
    expect(input(view, APPROVE_FORM_BLOCK.tags)!.hint?.text).toMatch(/Separate tags with commas/);
    expect(input(view, APPROVE_FORM_BLOCK.note)).toMatchObject({
      optional: true,
      label: { text: 'Note for the permissions log' },
      element: { type: 'plain_text_input', action_id: INPUT_ACTION, multiline: true, max_length: TEXT_LIMIT.note },
    });
    const notify = input(view, APPROVE_FORM_BLOCK.notify)!;
    expect(notify.optional).toBe(true);
    expect(notify.element).toMatchObject({
      type: 'checkboxes',
      action_id: INPUT_ACTION,
      options: [{ value: 'notify', text: { text: 'Tell the requester' } }],
    });
    expect(values(notify.element.initial_options)).toEqual(['notify']);
  });

  it('warns that approving replaces what an already connected requester holds', () => {
    const form = approveFormView({ request: requestCard({ currentConnection: connection() }), catalog: CATALOG }, METADATA);
    expect(checkView(form, 'modal')).toEqual([]);
    const text = allText(form);
    expect(text).toContain('already connected');
    expect(text).toMatch(/replaces their current permissions with exactly what is checked/);
    expect(text).toContain('• Download software\n• Esri access');
    // Esri access is held but not asked for, so it starts unticked and says what that means.
    const esri = (
      input(form, APPROVE_FORM_BLOCK.accessPermissions)!.element.options as Array<{ value: string; description?: { text: string } }>
    ).find((option) => option.value === PERMISSION.esriAccess);
    expect(esri?.description?.text).toMatch(/hold this now/);
  });

  it("starts with a connected member's start date, end date and tags, so a plain Approve keeps them", () => {
    const form = approveFormView(
      { request: requestCard({ currentConnection: connection({ tags: ['planning', 'gis'] }) }), catalog: CATALOG },
      METADATA,
    );
    expect(checkView(form, 'modal')).toEqual([]);
    expect(input(form, APPROVE_FORM_BLOCK.startsOn)!.element.initial_date).toBe('2026-01-01');
    expect(input(form, APPROVE_FORM_BLOCK.endsOn)!.element.initial_date).toBe('2099-12-31');
    expect(input(form, APPROVE_FORM_BLOCK.tags)!.element.initial_value).toBe('planning, gis');
    expect(allText(form)).toContain('approving keeps them unless you change them');
    // Someone new starts with nothing filled in.
    expect(input(view, APPROVE_FORM_BLOCK.endsOn)!.element.initial_date).toBeUndefined();
    expect(input(view, APPROVE_FORM_BLOCK.tags)!.element.initial_value).toBeUndefined();
  });

  it('leaves out an end date already passed, and says approving restores the access', () => {
    const form = approveFormView(
      { request: requestCard({ currentConnection: connection({ status: 'EXPIRED', endsOn: '2026-01-31' }) }), catalog: CATALOG },
      METADATA,
    );
    expect(input(form, APPROVE_FORM_BLOCK.endsOn)!.element.initial_date).toBeUndefined();
    expect(input(form, APPROVE_FORM_BLOCK.startsOn)!.element.initial_date).toBe('2026-01-01');
    expect(allText(form)).toContain('their access has ended, so approving restores it');
  });

  it('keeps user text inert and stays within limits for a maximal request', () => {
    const form = approveFormView(
      {
        request: requestCard({
          requester: person({ displayName: EVIL, email: EVIL }),
          organization: organization({ name: EVIL + 'N'.repeat(200), acronym: EVIL }),
          purpose: EVIL + 'x'.repeat(1000),
          currentConnection: connection({ organization: organization({ name: EVIL }), permissions: CATALOG }),
          requested: CATALOG,
        }),
        catalog: CATALOG,
      },
      METADATA,
    );
    expect(checkView(form, 'modal')).toEqual([]);
    expectInert(form);
  });
});

describe('denyFormView', () => {
  const view = denyFormView(requestCard(), METADATA);

  it('is a valid modal with the agreed ids, title and metadata', () => {
    expect(checkView(view, 'modal')).toEqual([]);
    expect(view).toMatchObject({ callback_id: CALLBACK.denyForm, title: { text: 'Deny request' }, submit: { text: 'Deny' } });
    expect(decodeMetadata(decisionFormMetadata, view.private_metadata)).toEqual(METADATA);
    expect(allText(view)).toContain('City of Redlands (COR)');
  });

  it('requires a reason and offers to tell the requester', () => {
    const reason = input(view, DENY_FORM_BLOCK.reason)!;
    expect(reason.optional).toBeFalsy();
    expect(reason.element).toMatchObject({
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      multiline: true,
      max_length: TEXT_LIMIT.reason,
    });
    expect(values(input(view, DENY_FORM_BLOCK.notify)!.element.initial_options)).toEqual(['notify']);
  });

  it('reassures that current access stays when the requester is connected', () => {
    expect(allText(view)).not.toContain('current access stays');
    const connected = denyFormView(requestCard({ currentConnection: connection() }), { ...METADATA, inTriage: true });
    expect(checkView(connected, 'modal')).toEqual([]);
    expect(allText(connected)).toContain('Their current access stays as it is.');
  });

  it('keeps user text inert for an unlisted organization', () => {
    const form = denyFormView(
      requestCard({
        organization: null,
        unlisted: { customerNumber: EVIL, name: EVIL, acronym: EVIL, department: EVIL, city: EVIL },
        purpose: EVIL,
      }),
      METADATA,
    );
    expect(checkView(form, 'modal')).toEqual([]);
    expectInert(form);
  });
});
