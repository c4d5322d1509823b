/**
 * The callback and action ids Gatehouse's views use. Listeners route on them, so they are named
 * once here and never typed twice.
 */
export const CALLBACK = {
  requestForm: 'access_request_form',
  approveForm: 'access_request_approve',
  denyForm: 'access_request_deny',
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
  endsOn: 'ends_on',
  tags: 'tags',
  note: 'note',
  notify: 'notify',
} as const;

export const DENY_FORM_BLOCK = {
  reason: 'reason',
  notify: 'notify',
} as const;

/** Every input element uses this action id inside its block; blocks tell the inputs apart. */
export const INPUT_ACTION = 'value';

/** Limits on free text, shared by the forms' max_length and the server-side checks. */
export const TEXT_LIMIT = {
  purpose: 1000,
  note: 1000,
  reason: 1000,
  organizationName: 200,
  acronym: 30,
  department: 200,
  city: 100,
  customerNumber: 32,
  tag: 40,
  tags: 10,
} as const;
