/**
 * The callback and action ids Gatehouse's views use. Listeners route on them, so they are named
 * once here and never typed twice.
 */
export const CALLBACK = {
  requestForm: 'access_request_form',
  approveForm: 'access_request_approve',
  denyForm: 'access_request_deny',
  /** `/access invite` step 1 (the root view): paste addresses, in as many rounds as needed. */
  inviteAddresses: 'invite_addresses',
  /** Step 2, pushed on step 1: permissions, end date and caller settings. */
  inviteGrant: 'invite_grant',
  /** Step 3, pushed on step 2: tags, message, language, note, preview and Send. */
  inviteSending: 'invite_sending',
  /** Forms opened from the overflow menu of `/access invitations`. */
  invitationEdit: 'invitation_edit',
  invitationResend: 'invitation_resend',
  invitationRevoke: 'invitation_revoke',
  /** Extend an end date, from the admins' daily digest. */
  extendEndDate: 'connection_extend_end_date',
} as const;

export const ACTION = {
  /** Organization picker in the request form (static or external select). */
  pickOrganization: 'request_pick_organization',
  /** "My organization is not listed" checkbox in the request form. */
  toggleUnlisted: 'request_toggle_unlisted',
  /** Buttons on approval cards and in App Home; the value is the request id. */
  approve: 'request_approve',
  deny: 'request_deny',
  /** Withdraw button on the requester's DM, in App Home and in `/access me`; the value is the request id. */
  withdraw: 'request_withdraw',
  /** Organization picker on a triage card (external or static select); the block's request id travels in block_id. */
  triageRoute: 'triage_route',
  /** Deny from triage (opens the deny modal); the value is the request id. */
  triageDeny: 'triage_deny',
  /** Accept button on an invitation DM; the value is `<invitation id>.<code>`. */
  acceptInvitation: 'invitation_accept',
  /** "Remove" next to one invalid entry in invite step 1; the value is the entry exactly as stored. */
  inviteRemoveInvalid: 'invite_remove_invalid',
  /** "Remove invalid addresses" in invite step 1: drops every invalid entry. */
  inviteRemoveAllInvalid: 'invite_remove_all_invalid',
  /** "Preview" in invite step 3; the value is the draft id. */
  invitePreview: 'invite_preview',
  /** Overflow menu on each pending invitation; option values are `resend:<id>`, `edit:<id>`, `revoke:<id>`. */
  manageInvitation: 'invitation_manage',
  /** Buttons on each person in the admins' expiry digest; values are `extend:<connection id>` and `remove:<connection id>`. */
  extendEndDate: 'digest_extend_end_date',
  removeEndDate: 'digest_remove_end_date',
} as const;

/** The Extend form's date input. */
export const EXTEND_FORM_BLOCK = {
  endsOn: 'extend_ends_on',
  note: 'extend_note',
} as const;

/** Block ids of the request form's inputs; field errors are reported against these. */
export const REQUEST_FORM_BLOCK = {
  organization: 'organization',
  unlistedToggle: 'unlisted_toggle',
  unlistedCustomerNumber: 'unlisted_customer_number',
  unlistedName: 'unlisted_name',
  unlistedAcronym: 'unlisted_acronym',
  unlistedDepartment: 'unlisted_department',
  unlistedCity: 'unlisted_city',
  /** Permissions come in two checkbox groups (Slack allows ten options per group). */
  adminPermissions: 'permissions_admin',
  accessPermissions: 'permissions_access',
  purpose: 'purpose',
} as const;

export const APPROVE_FORM_BLOCK = {
  adminPermissions: 'grant_admin',
  accessPermissions: 'grant_access',
  startsOn: 'starts_on',
  endsOn: 'ends_on',
  tags: 'tags',
  note: 'note',
  notify: 'notify',
} as const;

export const DENY_FORM_BLOCK = {
  reason: 'reason',
  notify: 'notify',
} as const;

/**
 * Invite step 1. The addresses input's real block_id carries the view's revision (see
 * `addressesBlockId` in invite-addresses-form.ts), so each redraw shows an empty box.
 */
export const INVITE_ADDRESSES_BLOCK = {
  organization: 'invite_organization',
  addresses: 'invite_addresses',
  /** The actions block holding "Remove invalid addresses". */
  removeAllInvalid: 'invite_remove_all_invalid',
} as const;

/** Invite step 2. Both permission groups dispatch a block action (action id INPUT_ACTION) when ticked. */
export const INVITE_GRANT_BLOCK = {
  adminPermissions: 'invite_grant_admin',
  accessPermissions: 'invite_grant_access',
  startsOn: 'invite_starts_on',
  endsOn: 'invite_ends_on',
  supportLevel: 'invite_support_level',
  callerLevel: 'invite_caller_level',
} as const;

/** Invite step 3. */
export const INVITE_SENDING_BLOCK = {
  tags: 'invite_tags',
  personalMessage: 'invite_personal_message',
  language: 'invite_language',
  note: 'invite_note',
  /** The actions block holding the Preview button. */
  preview: 'invite_preview',
} as const;

/** The Edit form of a pending invitation: step 2's fields plus tags and a log note. */
export const INVITATION_EDIT_BLOCK = {
  adminPermissions: 'invitation_edit_admin',
  accessPermissions: 'invitation_edit_access',
  startsOn: 'invitation_starts_on',
  endsOn: 'invitation_ends_on',
  supportLevel: 'invitation_support_level',
  callerLevel: 'invitation_caller_level',
  tags: 'invitation_tags',
  note: 'invitation_note',
} as const;

export const INVITATION_RESEND_BLOCK = {
  language: 'invitation_language',
  personalMessage: 'invitation_personal_message',
  note: 'invitation_note',
} as const;

export const INVITATION_REVOKE_BLOCK = {
  note: 'invitation_note',
} as const;

/** Every input element uses this action id inside its block; blocks tell the inputs apart. */
export const INPUT_ACTION = 'value';

/** Limits on free text live with the rules, where the server checks them too. */
export { TEXT_LIMIT } from '../../domain/text-limits.js';
