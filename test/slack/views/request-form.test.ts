import { describe, expect, it } from 'vitest';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import type { RequestFormModel } from '../../../src/domain/read-models.js';
import { checkView } from '../../../src/sandbox/index.js';
import { ACTION, CALLBACK, INPUT_ACTION, REQUEST_FORM_BLOCK, TEXT_LIMIT } from '../../../src/slack/views/ids.js';
import { decodeMetadata, requestFormMetadata } from '../../../src/slack/views/metadata.js';
import { requestFormView } from '../../../src/slack/views/request-form.js';
import { allText, blockById, CATALOG, EVIL, expectInert, findAll, organization, permissions } from './fixtures.js';

const REDLANDS = organization();
const SPRINGFIELD = organization({ id: 8, name: 'Springfield Water Department', acronym: 'SWD', customerNumber: '300400' });

function formModel(overrides: Partial<RequestFormModel> = {}): RequestFormModel {
  return {
    organizationOptions: [REDLANDS, SPRINGFIELD],
    selectedOrganization: null,
    held: [],
    requestable: CATALOG,
    unlisted: false,
    ...overrides,
  };
}

const NOTHING_CHOSEN = { organizationId: null, unlisted: false };

type Input = {
  element: Record<string, unknown>;
  optional?: boolean;
  dispatch_action?: boolean;
  label: { text: string };
  hint?: { text: string };
};
const input = (view: { blocks: unknown[] }, blockId: string) => blockById(view, blockId) as unknown as Input | undefined;
const optionValues = (element: Record<string, unknown>, key = 'options') =>
  (element[key] as Array<{ value: string }> | undefined)?.map((option) => option.value);

describe('requestFormView', () => {
  it('is a valid modal with the agreed ids, title and buttons', () => {
    const view = requestFormView(formModel(), NOTHING_CHOSEN);
    expect(checkView(view, 'modal')).toEqual([]);
    expect(view).toMatchObject({
      callback_id: CALLBACK.requestForm,
      title: { text: 'Request access' },
      submit: { text: 'Send request' },
      close: { text: 'Cancel' },
    });
    expect(decodeMetadata(requestFormMetadata, view.private_metadata)).toEqual(NOTHING_CHOSEN);
  });

  it('offers the organizations inline, labelled with their acronyms, and redraws on a pick', () => {
    const view = requestFormView(formModel(), NOTHING_CHOSEN);
    const picker = input(view, REQUEST_FORM_BLOCK.organization)!;
    expect(picker.dispatch_action).toBe(true);
    expect(picker.optional).toBe(false);
    expect(picker.label.text).toBe('Organization');
    expect(picker.element).toMatchObject({ type: 'static_select', action_id: ACTION.pickOrganization });
    expect(picker.element.options).toEqual([
      { text: { type: 'plain_text', text: 'City of Redlands (COR)' }, value: '7' },
      { text: { type: 'plain_text', text: 'Springfield Water Department (SWD)' }, value: '8' },
    ]);
    expect(picker.element.initial_option).toBeUndefined();
  });

  it('searches when there are too many organizations to list, and keeps the choice', () => {
    const view = requestFormView(formModel({ organizationOptions: null, selectedOrganization: SPRINGFIELD }), {
      organizationId: 8,
      unlisted: false,
    });
    expect(checkView(view, 'modal')).toEqual([]);
    const picker = input(view, REQUEST_FORM_BLOCK.organization)!;
    expect(picker.element).toMatchObject({ type: 'external_select', action_id: ACTION.pickOrganization, min_query_length: 1 });
    expect(picker.element.initial_option).toMatchObject({ value: '8' });
  });

  it('preselects the chosen organization and says what the person already holds there', () => {
    const held = permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess);
    const view = requestFormView(
      formModel({ selectedOrganization: REDLANDS, held, requestable: CATALOG.filter((permission) => !held.includes(permission)) }),
      { organizationId: 7, unlisted: false },
    );
    expect(checkView(view, 'modal')).toEqual([]);
    expect(input(view, REQUEST_FORM_BLOCK.organization)!.element.initial_option).toEqual({
      text: { type: 'plain_text', text: 'City of Redlands (COR)' },
      value: '7',
    });
    expect(allText(view)).toContain('you already hold: Download software, Esri access');
    expect(optionValues(input(view, REQUEST_FORM_BLOCK.accessPermissions)!.element)).not.toContain(PERMISSION.downloadSoftware);
  });

  it('offers permissions in two optional checkbox groups with descriptions', () => {
    const view = requestFormView(formModel(), NOTHING_CHOSEN);
    const admin = input(view, REQUEST_FORM_BLOCK.adminPermissions)!;
    const access = input(view, REQUEST_FORM_BLOCK.accessPermissions)!;
    for (const group of [admin, access]) {
      expect(group.optional).toBe(true);
      expect(group.element).toMatchObject({ type: 'checkboxes', action_id: INPUT_ACTION });
    }
    expect(admin.label.text).toBe('Admin roles');
    expect(access.label.text).toBe('Access');
    expect(optionValues(admin.element)).toEqual([PERMISSION.administrator, PERMISSION.assignTraining, PERMISSION.assignAuthorizedCallers]);
    expect(optionValues(access.element)).toHaveLength(8);
    const descriptions = findAll(view.blocks, (node) => 'description' in node).map((node) => (node.description as { text: string }).text);
    expect(descriptions).toHaveLength(11);
    expect(descriptions.every((text) => text.length <= 75)).toBe(true);
  });

  it('leaves out a group with nothing to offer, and says so when nothing at all is left', () => {
    const onlyAccess = requestFormView(formModel({ requestable: permissions(PERMISSION.esriAccess) }), NOTHING_CHOSEN);
    expect(blockById(onlyAccess, REQUEST_FORM_BLOCK.adminPermissions)).toBeUndefined();
    expect(blockById(onlyAccess, REQUEST_FORM_BLOCK.accessPermissions)).toBeDefined();

    const everything = requestFormView(formModel({ selectedOrganization: REDLANDS, held: CATALOG, requestable: [] }), {
      organizationId: 7,
      unlisted: false,
    });
    expect(checkView(everything, 'modal')).toEqual([]);
    expect(blockById(everything, REQUEST_FORM_BLOCK.adminPermissions)).toBeUndefined();
    expect(blockById(everything, REQUEST_FORM_BLOCK.accessPermissions)).toBeUndefined();
    expect(allText(everything)).toContain('You already hold every permission in City of Redlands (COR)');
  });

  it('asks for the purpose in a multiline input within the limits', () => {
    const purpose = input(requestFormView(formModel(), NOTHING_CHOSEN), REQUEST_FORM_BLOCK.purpose)!;
    expect(purpose.label.text).toBe('What do you need it for?');
    expect(purpose.optional).toBeFalsy();
    expect(purpose.element).toMatchObject({
      type: 'plain_text_input',
      action_id: INPUT_ACTION,
      multiline: true,
      min_length: 3,
      max_length: TEXT_LIMIT.purpose,
    });
  });

  it('has an unticked "not listed" toggle that redraws the form', () => {
    const view = requestFormView(formModel(), NOTHING_CHOSEN);
    const toggle = input(view, REQUEST_FORM_BLOCK.unlistedToggle)!;
    expect(toggle).toMatchObject({ optional: true, dispatch_action: true });
    expect(toggle.element).toMatchObject({
      type: 'checkboxes',
      action_id: ACTION.toggleUnlisted,
      options: [{ value: 'unlisted', text: { text: 'My organization is not listed' } }],
    });
    expect(toggle.element.initial_options).toBeUndefined();
    expect(blockById(view, REQUEST_FORM_BLOCK.unlistedName)).toBeUndefined();
  });

  it('asks for the unlisted organization’s details once ticked', () => {
    const view = requestFormView(formModel({ unlisted: true }), { organizationId: null, unlisted: true });
    expect(checkView(view, 'modal')).toEqual([]);
    expect(input(view, REQUEST_FORM_BLOCK.organization)!.optional).toBe(true);
    expect(optionValues(input(view, REQUEST_FORM_BLOCK.unlistedToggle)!.element, 'initial_options')).toEqual(['unlisted']);
    const fields = {
      [REQUEST_FORM_BLOCK.unlistedCustomerNumber]: { optional: true, max: TEXT_LIMIT.customerNumber },
      [REQUEST_FORM_BLOCK.unlistedName]: { optional: false, max: TEXT_LIMIT.organizationName },
      [REQUEST_FORM_BLOCK.unlistedAcronym]: { optional: true, max: TEXT_LIMIT.acronym },
      [REQUEST_FORM_BLOCK.unlistedDepartment]: { optional: true, max: TEXT_LIMIT.department },
      [REQUEST_FORM_BLOCK.unlistedCity]: { optional: true, max: TEXT_LIMIT.city },
    };
    for (const [blockId, expected] of Object.entries(fields)) {
      const field = input(view, blockId)!;
      expect(field, blockId).toBeDefined();
      expect(field.optional, blockId).toBe(expected.optional);
      expect(field.element, blockId).toMatchObject({ type: 'plain_text_input', action_id: INPUT_ACTION, max_length: expected.max });
    }
    expect(input(view, REQUEST_FORM_BLOCK.unlistedCustomerNumber)!.hint?.text).toMatch(/If you know it/);
  });

  it('keeps organization names from operators inert and within option limits', () => {
    const evil = organization({ id: 9, name: `${EVIL} ${'Very long name '.repeat(20)}`, acronym: EVIL });
    const view = requestFormView(
      formModel({ organizationOptions: [evil], selectedOrganization: evil, held: permissions(PERMISSION.esriAccess) }),
      {
        organizationId: 9,
        unlisted: false,
      },
    );
    expect(checkView(view, 'modal')).toEqual([]);
    expectInert(view);
  });

  it('searches rather than breaking when handed more organizations than a static select holds', () => {
    const many = Array.from({ length: 150 }, (_, index) => organization({ id: index + 1, name: `Organization ${index + 1}` }));
    const view = requestFormView(formModel({ organizationOptions: many }), NOTHING_CHOSEN);
    expect(checkView(view, 'modal')).toEqual([]);
    expect(input(view, REQUEST_FORM_BLOCK.organization)!.element.type).toBe('external_select');
  });
});
