import type { ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { PREMIUM_CALLER_LEVELS } from '../../../src/domain/invitations.js';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import type {
  InvitationMessageModel,
  InvitationSummary,
  InviteChoices,
  InviteDraftModel,
  InviteStepModel,
} from '../../../src/domain/read-models.js';
import { checkView } from '../../../src/sandbox/index.js';
import {
  ACTION,
  CALLBACK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_RESEND_BLOCK,
  INVITATION_REVOKE_BLOCK,
  INVITE_ADDRESSES_BLOCK,
  INVITE_GRANT_BLOCK,
  INVITE_SENDING_BLOCK,
} from '../../../src/slack/views/ids.js';
import { addressesBlockId, inviteAddressesView } from '../../../src/slack/views/invite-addresses-form.js';
import { invitationEditView } from '../../../src/slack/views/invitation-edit-form.js';
import { invitationResendView } from '../../../src/slack/views/invitation-resend-form.js';
import { invitationRevokeView } from '../../../src/slack/views/invitation-revoke-form.js';
import { inviteGrantView } from '../../../src/slack/views/invite-grant-form.js';
import { inviteSendingView, inviteSentView } from '../../../src/slack/views/invite-sending-form.js';
import { INVITATION_EDIT_PERMISSION_TOGGLE, INVITE_GRANT_PERMISSION_TOGGLE } from '../../../src/slack/routes.js';
import { decodeMetadata, invitationFormMetadata, inviteMetadata } from '../../../src/slack/views/metadata.js';
import {
  ADA,
  allText,
  blockById,
  buttons,
  CATALOG,
  EVIL,
  expectInert,
  findAll,
  mrkdwnTexts,
  organization,
  permissions,
  person,
} from './fixtures.js';

/** The hostile entry the brief names: a broadcast, a mention and bold, all of which must stay inert. */
const HOSTILE = '<!channel> <@U1> *x*';
const METADATA = { draftId: 41, organizationId: 7, revision: 2 };
const REDLANDS = organization();
const PORTLAND = organization({ id: 8, name: 'City of Portland', acronym: null, customerNumber: '300400' });

type Node = Record<string, unknown>;
type Input = {
  type: 'input';
  block_id: string;
  optional?: boolean;
  dispatch_action?: boolean;
  label: { text: string };
  hint?: { text: string };
  element: Node;
};

function input(view: { blocks: unknown[] }, blockId: string): Input | undefined {
  const block = blockById(view, blockId);
  return block?.type === 'input' ? (block as unknown as Input) : undefined;
}

function optionValues(options: unknown): string[] | undefined {
  return (options as Array<{ value: string }> | undefined)?.map((option) => option.value);
}

function optionValue(option: unknown): string | undefined {
  return (option as { value?: string } | undefined)?.value;
}

/** Asserts nothing of HOSTILE can ping or format, on top of the shared checks for EVIL. */
function expectHostileInert(payload: { text?: unknown; blocks?: unknown }): void {
  expectInert(payload);
  for (const text of mrkdwnTexts(payload)) {
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U1>');
    expect(text).not.toContain('*x*');
  }
}

function expectValidModal(view: ModalView): void {
  expect(checkView(view, 'modal')).toEqual([]);
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  for (const label of [view.title, view.submit, view.close]) {
    if (label) expect(label.text.length).toBeLessThanOrEqual(24);
  }
}

function addresses(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index + 1}@redlands.example`);
}

function draft(overrides: Partial<InviteDraftModel> = {}): InviteDraftModel {
  return {
    draftId: 41,
    organization: REDLANDS,
    invalid: [],
    connected: ['ada@redlands.example'],
    pending: ['pat@redlands.example'],
    fresh: ['nina@redlands.example', 'noor@redlands.example'],
    duplicates: 0,
    ...overrides,
  };
}

/** 1000 entries in all: 37 invalid, 20 active users, 10 pending and 933 new. */
function fullDraft(): InviteDraftModel {
  const invalid = [HOSTILE, ...Array.from({ length: 36 }, (_, index) => `not-an-address-${index + 1}`)];
  return draft({
    invalid,
    connected: addresses('user', 20),
    pending: addresses('pending', 10),
    fresh: addresses('new', 933),
    duplicates: 5,
  });
}

function choices(overrides: Partial<InviteChoices> = {}): InviteChoices {
  return {
    permissions: [PERMISSION.downloadSoftware, PERMISSION.esriAccess],
    startsOn: null,
    endsOn: '2099-12-31',
    tags: ['planning', 'contractor'],
    personalMessage: 'Welcome to the planning team!',
    language: 'es',
    logNote: 'Spring onboarding',
    caller: null,
    ...overrides,
  };
}

function step(overrides: Partial<InviteStepModel> = {}): InviteStepModel {
  return { draft: draft(), inviter: ADA, grantable: CATALOG, choices: choices(), ...overrides };
}

const CALLER_KEYS = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];

function preview(overrides: Partial<InvitationMessageModel> = {}): InvitationMessageModel {
  return {
    invitationId: 0,
    language: 'en',
    organization: REDLANDS,
    invitedBy: ADA,
    inviteeEmail: 'nina@redlands.example',
    permissions: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    endsOn: '2099-12-31',
    caller: null,
    personalMessage: 'Welcome to the planning team!',
    expiresAt: new Date('2027-01-06T18:30:00Z'),
    code: 'PREVIEW-CODE-0000000000',
    ...overrides,
  };
}

function invitation(overrides: Partial<InvitationSummary> = {}): InvitationSummary {
  return {
    invitationId: 90,
    organization: REDLANDS,
    email: 'rita@redlands.example',
    permissions: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    tags: ['planning'],
    startsOn: null,
    endsOn: '2099-12-31',
    caller: null,
    language: 'fr',
    invitedBy: ADA,
    issuedAt: new Date('2026-11-20T16:30:00Z'),
    expiresAt: new Date('2027-01-01T16:30:00Z'),
    resendCount: 2,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Step 1
// ---------------------------------------------------------------------------------------------

describe('inviteAddressesView', () => {
  const fresh = inviteAddressesView(
    { organizations: [REDLANDS, PORTLAND], selectedOrganizationId: PORTLAND.id, draft: null },
    { draftId: null, organizationId: null, revision: 0 },
  );

  it('starts with an organization picker and an empty, required addresses box', () => {
    expectValidModal(fresh);
    expect(fresh).toMatchObject({
      callback_id: CALLBACK.inviteAddresses,
      title: { text: 'Invite people' },
      submit: { text: 'Check addresses' },
      close: { text: 'Cancel' },
      notify_on_close: true,
    });
    expect(decodeMetadata(inviteMetadata, fresh.private_metadata)).toEqual({ draftId: null, organizationId: null, revision: 0 });

    const picker = input(fresh, INVITE_ADDRESSES_BLOCK.organization)!;
    expect(picker.element).toMatchObject({ type: 'static_select', action_id: INPUT_ACTION });
    expect(optionValues(picker.element.options)).toEqual(['7', '8']);
    expect(optionValue(picker.element.initial_option)).toBe('8');

    const box = input(fresh, addressesBlockId(0))!;
    expect(box.optional).toBe(false);
    expect(box.element).toMatchObject({ type: 'plain_text_input', action_id: INPUT_ACTION, multiline: true, max_length: 3000 });
    expect(box.element.initial_value).toBeUndefined();
    expect(box.hint?.text).toContain(
      'Paste addresses separated by new lines, commas, semicolons or spaces. Up to 1000 in all; paste more, or leave this empty and press Next',
    );
  });

  it('shows the only organization as text instead of a picker', () => {
    const view = inviteAddressesView(
      { organizations: [REDLANDS], selectedOrganizationId: null, draft: null },
      { ...METADATA, draftId: null },
    );
    expectValidModal(view);
    expect(input(view, INVITE_ADDRESSES_BLOCK.organization)).toBeUndefined();
    expect(allText(view)).toContain('City of Redlands (COR)');
  });

  it('moves the addresses box to a new block id with each revision, so it redraws empty', () => {
    expect(addressesBlockId(0)).not.toBe(addressesBlockId(1));
    expect(addressesBlockId(3)).toBe(`${INVITE_ADDRESSES_BLOCK.addresses}_3`);
    const later = inviteAddressesView(
      { organizations: [REDLANDS], selectedOrganizationId: 7, draft: draft() },
      { ...METADATA, revision: 3 },
    );
    expect(input(later, addressesBlockId(3))).toBeDefined();
    expect(input(later, addressesBlockId(2))).toBeUndefined();
    expect(input(later, addressesBlockId(0))).toBeUndefined();
    expect(decodeMetadata(inviteMetadata, later.private_metadata)?.revision).toBe(3);
  });

  it('fixes the organization once a draft exists and says Next when every entry is an address', () => {
    const view = inviteAddressesView({ organizations: [REDLANDS, PORTLAND], selectedOrganizationId: 8, draft: draft() }, METADATA);
    expectValidModal(view);
    expect(input(view, INVITE_ADDRESSES_BLOCK.organization)).toBeUndefined();
    expect(view.submit?.text).toBe('Next');
    expect(input(view, addressesBlockId(2))?.optional).toBe(true);
    const text = allText(view);
    expect(text).toContain('*Organization:* City of Redlands (COR)');
    expect(text).toContain('*Active users: 1*');
    expect(text).toContain('re-inviting changes their permissions only when they accept');
    expect(text).toContain('*Pending users: 1*');
    expect(text).toContain('Their unaccepted invitation will be replaced');
    expect(text).toContain('*New: 2*');
    expect(text).toContain('• noor@redlands.example');
    expect(text).not.toContain('Duplicates folded');
    expect(buttons(view)).toEqual([]);
  });

  it('lists a 1000-address draft within the limits: samples, counts and invalid entries with Remove buttons', () => {
    const big = fullDraft();
    const view = inviteAddressesView({ organizations: [REDLANDS], selectedOrganizationId: 7, draft: big }, METADATA);
    expectValidModal(view);
    expect(view.submit?.text).toBe('Check addresses');
    const text = allText(view);
    expect(text).toContain('*1000 entries so far*');
    expect(text).toContain('*Active users: 20*');
    expect(text).toContain('*Pending users: 10*');
    expect(text).toContain('*New: 933*');
    expect(text).toContain('Not addresses: 37');
    expect(text).toContain('must be removed before you can go on');
    expect(text).toContain('Duplicates folded: 5');
    // Ten per group, then a count of the rest.
    expect(text).toContain('• new10@redlands.example');
    expect(text).not.toContain('new11@redlands.example');
    expect(text).toContain('…and 923 more');
    expect(text).toContain('…and 10 more');
    expect(text).toContain('…and 22 more');

    const removeOne = buttons(view).filter((found) => found.action_id === ACTION.inviteRemoveInvalid);
    expect(removeOne.map((found) => found.value)).toEqual(big.invalid.slice(0, 15));
    const removeAll = buttons(view).filter((found) => found.action_id === ACTION.inviteRemoveAllInvalid);
    expect(removeAll).toHaveLength(1);
    expect(blockById(view, INVITE_ADDRESSES_BLOCK.removeAllInvalid)?.type).toBe('actions');
    expectHostileInert(view);
  });

  it('gives an entry too long to be a button value no Remove button of its own', () => {
    const long = `${'x'.repeat(80)}@`;
    const view = inviteAddressesView(
      { organizations: [REDLANDS], selectedOrganizationId: 7, draft: draft({ invalid: [long, 'bob@'] }) },
      METADATA,
    );
    expectValidModal(view);
    expect(
      buttons(view)
        .filter((found) => found.action_id === ACTION.inviteRemoveInvalid)
        .map((found) => found.value),
    ).toEqual(['bob@']);
    expect(buttons(view).some((found) => found.action_id === ACTION.inviteRemoveAllInvalid)).toBe(true);
    expect(view.submit?.text).toBe('Check addresses');
  });

  it('shows an error as a warning, inert, and keeps hostile organization names inert', () => {
    const hostileOrganization = organization({ name: `${HOSTILE} ${EVIL}`, acronym: EVIL });
    const view = inviteAddressesView(
      {
        organizations: [hostileOrganization, PORTLAND],
        selectedOrganizationId: null,
        draft: draft({ organization: hostileOrganization, invalid: [HOSTILE, EVIL.slice(0, 60)] }),
        error: `That makes 1004 addresses; one invitation goes to at most 1000. ${HOSTILE}`,
      },
      METADATA,
    );
    expectValidModal(view);
    expect(allText(view)).toContain(':warning: That makes 1004 addresses; one invitation goes to at most 1000.');
    expectHostileInert(view);
  });
});

// ---------------------------------------------------------------------------------------------
// Step 2
// ---------------------------------------------------------------------------------------------

describe('inviteGrantView', () => {
  const view = inviteGrantView({ step: step(), showCallerFields: false }, METADATA);

  it('is a pushed step with Back, Next and a short title', () => {
    expectValidModal(view);
    expect(view).toMatchObject({
      callback_id: CALLBACK.inviteGrant,
      title: { text: 'Invite: permissions' },
      submit: { text: 'Next' },
      close: { text: 'Back' },
    });
    expect(decodeMetadata(inviteMetadata, view.private_metadata)).toEqual(METADATA);
  });

  it('says who will be invited', () => {
    expect(allText(view)).toContain('4 people: 2 new, 1 active user, 1 pending');
    const many = inviteGrantView({ step: step({ draft: fullDraft() }), showCallerFields: false }, METADATA);
    expect(allText(many)).toContain('963 people: 933 new, 20 active users, 10 pending');
  });

  it('offers the grantable permissions in two dispatching groups, ticked from the choices', () => {
    const admin = input(view, INVITE_GRANT_BLOCK.adminPermissions)!;
    const access = input(view, INVITE_GRANT_BLOCK.accessPermissions)!;
    for (const group of [admin, access]) {
      expect(group.dispatch_action).toBe(true);
      expect(group.element).toMatchObject({ type: 'checkboxes', action_id: INPUT_ACTION });
      expect(INVITE_GRANT_PERMISSION_TOGGLE.action_id).toBe(INPUT_ACTION);
      expect(INVITE_GRANT_PERMISSION_TOGGLE.block_id.test(group.block_id)).toBe(true);
    }
    expect([...optionValues(admin.element.options)!, ...optionValues(access.element.options)!]).toHaveLength(CATALOG.length);
    expect(optionValues(access.element.initial_options)).toEqual([PERMISSION.downloadSoftware, PERMISSION.esriAccess]);
    expect(admin.element.initial_options).toBeUndefined();
    const described = (access.element.options as Array<{ value: string; description?: { text: string } }>).find(
      (option) => option.value === PERMISSION.downloadSoftware,
    );
    expect(described?.description?.text).toBe(CATALOG.find((permission) => permission.key === PERMISSION.downloadSoftware)?.description);
    expect(input(view, INVITE_GRANT_BLOCK.endsOn)).toMatchObject({
      optional: true,
      element: { type: 'datepicker', action_id: INPUT_ACTION, initial_date: '2099-12-31' },
    });
  });

  it('offers only what the admin may grant', () => {
    const trainingAdmin = inviteGrantView(
      { step: step({ grantable: permissions(PERMISSION.eLearning), choices: choices({ permissions: [] }) }), showCallerFields: false },
      METADATA,
    );
    expectValidModal(trainingAdmin);
    expect(input(trainingAdmin, INVITE_GRANT_BLOCK.adminPermissions)).toBeUndefined();
    expect(optionValues(input(trainingAdmin, INVITE_GRANT_BLOCK.accessPermissions)!.element.options)).toEqual([PERMISSION.eLearning]);
  });

  it('shows caller fields only when asked, preselected from the choices', () => {
    expect(input(view, INVITE_GRANT_BLOCK.supportLevel)).toBeUndefined();
    expect(input(view, INVITE_GRANT_BLOCK.callerLevel)).toBeUndefined();
    expect(allText(view)).not.toContain('authorized-caller invitation');

    const callerStep = step({
      draft: draft({ connected: [], pending: [], fresh: ['cal@redlands.example'] }),
      choices: choices({ permissions: CALLER_KEYS, caller: { supportLevel: 'PREMIUM', callerLevel: 'Secondary' } }),
    });
    const withCaller = inviteGrantView({ step: callerStep, showCallerFields: true }, METADATA);
    expectValidModal(withCaller);
    expect(allText(withCaller)).toContain('authorized-caller invitation');
    expect(allText(withCaller)).toContain('one person only');
    const support = input(withCaller, INVITE_GRANT_BLOCK.supportLevel)!;
    expect(support.element).toMatchObject({ type: 'radio_buttons', action_id: INPUT_ACTION });
    expect(optionValues(support.element.options)).toEqual(['STANDARD', 'PREMIUM']);
    expect(optionValue(support.element.initial_option)).toBe('PREMIUM');
    const level = input(withCaller, INVITE_GRANT_BLOCK.callerLevel)!;
    expect(level.optional).toBe(true);
    expect(level.hint?.text).toMatch(/required for premium/i);
    expect(level.element).toMatchObject({ type: 'static_select', action_id: INPUT_ACTION });
    expect(optionValues(level.element.options)).toEqual([...PREMIUM_CALLER_LEVELS]);
    expect(optionValue(level.element.initial_option)).toBe('Secondary');
    expect(optionValues(input(withCaller, INVITE_GRANT_BLOCK.accessPermissions)!.element.initial_options)).toEqual(CALLER_KEYS);
  });

  it('warns when an authorized-caller invitation has more than one address', () => {
    const crowded = inviteGrantView({ step: step({ choices: choices({ permissions: CALLER_KEYS }) }), showCallerFields: true }, METADATA);
    expectValidModal(crowded);
    expect(allText(crowded)).toContain('This invitation has 4 addresses');
  });

  it('keeps a hostile organization name inert', () => {
    const hostile = inviteGrantView(
      { step: step({ draft: draft({ organization: organization({ name: HOSTILE, acronym: EVIL }) }) }), showCallerFields: true },
      METADATA,
    );
    expectValidModal(hostile);
    expectHostileInert(hostile);
  });
});

// ---------------------------------------------------------------------------------------------
// Step 3
// ---------------------------------------------------------------------------------------------

describe('inviteSendingView', () => {
  const view = inviteSendingView({ step: step(), preview: null }, METADATA);

  it('is a pushed step that reports closing, with Send', () => {
    expectValidModal(view);
    expect(view).toMatchObject({
      callback_id: CALLBACK.inviteSending,
      title: { text: 'Invite: send' },
      submit: { text: 'Send' },
      close: { text: 'Back' },
      notify_on_close: true,
    });
    expect(decodeMetadata(inviteMetadata, view.private_metadata)).toEqual(METADATA);
  });

  it('fills every field from the choices', () => {
    expect(input(view, INVITE_SENDING_BLOCK.tags)).toMatchObject({
      optional: true,
      element: { type: 'plain_text_input', action_id: INPUT_ACTION, initial_value: 'planning, contractor' },
    });
    expect(input(view, INVITE_SENDING_BLOCK.tags)!.element.multiline).toBeUndefined();
    expect(input(view, INVITE_SENDING_BLOCK.personalMessage)).toMatchObject({
      element: { type: 'plain_text_input', multiline: true, max_length: 1000, initial_value: 'Welcome to the planning team!' },
    });
    expect(input(view, INVITE_SENDING_BLOCK.note)).toMatchObject({
      element: { type: 'plain_text_input', initial_value: 'Spring onboarding' },
    });
    const language = input(view, INVITE_SENDING_BLOCK.language)!;
    expect(language.element).toMatchObject({ type: 'static_select', action_id: INPUT_ACTION });
    expect(
      (language.element.options as Array<{ text: { text: string }; value: string }>).map((option) => [option.value, option.text.text]),
    ).toEqual([
      ['en', 'English'],
      ['es', 'Español'],
      ['fr', 'Français'],
    ]);
    expect(optionValue(language.element.initial_option)).toBe('es');
  });

  it('sums up what will be sent', () => {
    const text = allText(view);
    expect(text).toContain('*Invitation to City of Redlands (COR)*');
    expect(text).toContain('4 people: 2 new, 1 active user, 1 pending');
    expect(text).toContain('Download software, Esri access');
    expect(text).toContain('December 31, 2099');
    const caller = inviteSendingView(
      {
        step: step({
          choices: choices({ permissions: CALLER_KEYS, endsOn: null, caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' } }),
        }),
        preview: null,
      },
      METADATA,
    );
    expect(allText(caller)).toContain('Premium support, caller level Primary');
    expect(allText(caller)).toContain('no end date');
  });

  it('offers a Preview button and shows no invitation until asked', () => {
    const preview = buttons(view).filter((found) => found.action_id === ACTION.invitePreview);
    expect(preview).toHaveLength(1);
    expect(preview[0]?.value).toBe('41');
    expect(blockById(view, INVITE_SENDING_BLOCK.preview)?.type).toBe('actions');
    expect(allText(view)).not.toContain('will receive');
  });

  it('previews the invitee DM without a live Accept button', () => {
    const shown = inviteSendingView({ step: step(), preview: preview() }, METADATA);
    expectValidModal(shown);
    const text = allText(shown);
    expect(text).toContain('This is what nina@redlands.example will receive:');
    expect(text).toContain('<@U0ADA> invited you to join *City of Redlands (COR)*.');
    expect(text).toContain('Welcome to the planning team!');
    expect(text).toContain('(Accept button)');
    expect(buttons(shown).some((found) => found.action_id === ACTION.acceptInvitation)).toBe(false);
    expect(findAll(shown.blocks, (node) => node.action_id === ACTION.acceptInvitation)).toEqual([]);
  });

  it('keeps hostile text inert and the preview within the limits', () => {
    const hostileOrganization = organization({ name: `${HOSTILE} ${'N'.repeat(200)}`, acronym: EVIL });
    const shown = inviteSendingView(
      {
        step: step({
          draft: draft({ organization: hostileOrganization }),
          choices: choices({ personalMessage: `${HOSTILE} ${EVIL} ${'m'.repeat(2000)}`, tags: [EVIL], logNote: EVIL.repeat(40) }),
        }),
        preview: preview({
          organization: hostileOrganization,
          personalMessage: `${HOSTILE}\n${EVIL}`,
          permissions: CATALOG,
          inviteeEmail: EVIL,
          invitedBy: person({ slackUserId: 'not-an-id', displayName: HOSTILE }),
        }),
      },
      METADATA,
    );
    expectValidModal(shown);
    expect(input(shown, INVITE_SENDING_BLOCK.personalMessage)!.element.initial_value).toHaveLength(1000);
    expectHostileInert(shown);
  });
});

// ---------------------------------------------------------------------------------------------
// After sending
// ---------------------------------------------------------------------------------------------

describe('inviteSentView', () => {
  it('says what was sent, with Done and no submit', () => {
    const view = inviteSentView({ organization: REDLANDS, sent: 25, replaced: 2, reinvited: 3 });
    expectValidModal(view);
    expect(view.submit).toBeUndefined();
    expect(view.close?.text).toBe('Done');
    const text = allText(view);
    expect(text).toContain('Sent 25 invitations to City of Redlands (COR).');
    expect(text).toContain('3 were already connected');
    expect(text).toContain('2 pending invitations were replaced');
    expect(text).toContain('People in this workspace get a DM with an Accept button; others get an email');
    expect(text).toContain('you get their codes in a DM to hand over');
    expect(text).toContain('Each code works once and expires in 6 weeks.');
  });

  it('leaves out what did not happen, and keeps the organization name inert', () => {
    const view = inviteSentView({ organization: organization({ name: HOSTILE }), sent: 1, replaced: 0, reinvited: 0 });
    expectValidModal(view);
    expect(allText(view)).toContain('Sent 1 invitation to');
    expect(allText(view)).not.toContain('already connected');
    expect(allText(view)).not.toContain('replaced');
    expectHostileInert(view);
  });
});

// ---------------------------------------------------------------------------------------------
// Managing invitations
// ---------------------------------------------------------------------------------------------

describe('invitationEditView', () => {
  const view = invitationEditView({ invitation: invitation(), grantable: CATALOG, showCallerFields: false }, { invitationId: 90 });

  it('is a valid form with the agreed ids, prefilled from the invitation', () => {
    expectValidModal(view);
    expect(view).toMatchObject({ callback_id: CALLBACK.invitationEdit, title: { text: 'Edit invitation' }, submit: { text: 'Save' } });
    expect(decodeMetadata(invitationFormMetadata, view.private_metadata)).toEqual({ invitationId: 90 });
    expect(allText(view)).toContain('rita@redlands.example');
    const access = input(view, INVITATION_EDIT_BLOCK.accessPermissions)!;
    expect(access.dispatch_action).toBe(true);
    expect(input(view, INVITATION_EDIT_BLOCK.adminPermissions)?.dispatch_action).toBe(true);
    expect(INVITATION_EDIT_PERMISSION_TOGGLE.block_id.test(INVITATION_EDIT_BLOCK.accessPermissions)).toBe(true);
    expect(optionValues(access.element.initial_options)).toEqual([PERMISSION.downloadSoftware, PERMISSION.esriAccess]);
    expect(input(view, INVITATION_EDIT_BLOCK.endsOn)?.element.initial_date).toBe('2099-12-31');
    expect(input(view, INVITATION_EDIT_BLOCK.tags)?.element.initial_value).toBe('planning');
    expect(input(view, INVITATION_EDIT_BLOCK.note)).toMatchObject({
      optional: true,
      element: { type: 'plain_text_input', multiline: true },
    });
    expect(input(view, INVITATION_EDIT_BLOCK.supportLevel)).toBeUndefined();
    expect(input(view, INVITATION_EDIT_BLOCK.callerLevel)).toBeUndefined();
  });

  it('shows caller fields only when asked, from the invitation', () => {
    const caller = invitationEditView(
      {
        invitation: invitation({
          permissions: permissions(PERMISSION.viewSupport, PERMISSION.authorizedCallerActions),
          caller: { supportLevel: 'STANDARD', callerLevel: null },
        }),
        grantable: CATALOG,
        showCallerFields: true,
      },
      { invitationId: 90 },
    );
    expectValidModal(caller);
    expect(optionValue(input(caller, INVITATION_EDIT_BLOCK.supportLevel)?.element.initial_option)).toBe('STANDARD');
    expect(input(caller, INVITATION_EDIT_BLOCK.callerLevel)?.element.initial_option).toBeUndefined();
  });

  it('says which permissions the admin cannot keep', () => {
    const limited = invitationEditView(
      { invitation: invitation(), grantable: permissions(PERMISSION.eLearning), showCallerFields: false },
      { invitationId: 90 },
    );
    expectValidModal(limited);
    expect(allText(limited)).toContain('It also grants Download software, Esri access, which your role does not cover');
  });
});

describe('invitationResendView', () => {
  it('explains the new code and the new expiry, in the invitation’s language', () => {
    const view = invitationResendView(invitation(), { invitationId: 90 });
    expectValidModal(view);
    expect(view).toMatchObject({ callback_id: CALLBACK.invitationResend, submit: { text: 'Resend' } });
    expect(decodeMetadata(invitationFormMetadata, view.private_metadata)).toEqual({ invitationId: 90 });
    expect(optionValue(input(view, INVITATION_RESEND_BLOCK.language)?.element.initial_option)).toBe('fr');
    expect(input(view, INVITATION_RESEND_BLOCK.personalMessage)).toMatchObject({
      optional: true,
      element: { multiline: true, max_length: 1000 },
    });
    expect(input(view, INVITATION_RESEND_BLOCK.note)?.optional).toBe(true);
    const text = allText(view);
    expect(text).toContain('A new code is issued and the old one stops working');
    expect(text).toContain('valid for 6 weeks from now');
  });
});

describe('invitationRevokeView', () => {
  it('asks to confirm, with an optional note', () => {
    const view = invitationRevokeView(invitation({ email: HOSTILE }), { invitationId: 90 });
    expectValidModal(view);
    expect(view).toMatchObject({
      callback_id: CALLBACK.invitationRevoke,
      title: { text: 'Revoke invitation' },
      submit: { text: 'Revoke' },
    });
    expect(allText(view)).toContain('Its code stops working at once');
    expect(input(view, INVITATION_REVOKE_BLOCK.note)).toMatchObject({
      optional: true,
      element: { type: 'plain_text_input', action_id: INPUT_ACTION },
    });
    expectHostileInert(view);
  });
});
