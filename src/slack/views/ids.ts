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
  /** `/access users`: the members list of one organization (a modal; App Home draws the same list). */
  usersList: 'users_list',
  /** Forms pushed from a row of the list. */
  memberEdit: 'member_edit',
  memberDisconnect: 'member_disconnect',
  memberRestore: 'member_restore',
  /** The selection: review and trim it, choose the action; then confirm it with one note. */
  bulkReview: 'bulk_review',
  bulkConfirm: 'bulk_confirm',
  /** `/access callers` and its forms. */
  callersList: 'callers_list',
  callerAdd: 'caller_add',
  callerEdit: 'caller_edit',
  callerRemove: 'caller_remove',
  /** `/access log`: the permissions log of one organization, filtered and paged. */
  permissionsLog: 'permissions_log',
  /** `/access report`: who holds each permission, and the grid's summary. */
  permissionsReport: 'permissions_report',
  /** `/access settings`: my language and where App Home opens. */
  settings: 'my_settings',
  /** `/access leave`: pick an organization, then confirm (the same modal, updated). */
  selfLeave: 'self_leave',
  selfLeaveConfirm: 'self_leave_confirm',
  /** `/access contact`: a message to an organization's Administrators. */
  selfContact: 'self_contact',
} as const;

export const ACTION = {
  /** "Export CSV" in `/access log`: the log with the filters the modal has on (its metadata is `logViewMetadata`). */
  logExport: 'log_export',
  /** "Export CSV" buttons of `/access report`; the value is the organization id. */
  reportExport: 'report_export',
  gridExport: 'grid_export',
  /** `/access log`'s controls; each redraws the log with the filter, page or expanded entry it names. */
  logPickOrganization: 'log_pick_organization',
  logFilterMember: 'log_filter_member',
  logFilterActor: 'log_filter_actor',
  logFilterAction: 'log_filter_action',
  logFilterPermission: 'log_filter_permission',
  logFilterFrom: 'log_filter_from',
  logFilterTo: 'log_filter_to',
  logClearFilters: 'log_clear_filters',
  logPreviousPage: 'log_previous_page',
  logNextPage: 'log_next_page',
  /** "Details" on an entry; the value is the entry's id. */
  logDetails: 'log_details',
  /** A holder count in `/access report`: opens `/access users` on those holders; the value is `<organization id>:<permission key>`. */
  reportHolders: 'report_holders',
  /** Organization picker in `/access report`, for an Administrator of several. */
  reportPickOrganization: 'report_pick_organization',
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
  /** Buttons on each person in the admins' expiry digest; values are `extend:<connection id>` and `remove:<connection id>`. */
  extendEndDate: 'digest_extend_end_date',
  removeEndDate: 'digest_remove_end_date',
  /** The members list's controls, in the modal and in App Home alike. */
  usersPickOrganization: 'users_pick_organization',
  usersSearch: 'users_search',
  usersFilterTag: 'users_filter_tag',
  usersFilterPermission: 'users_filter_permission',
  usersFilterStatus: 'users_filter_status',
  usersFilterEndsWithin: 'users_filter_ends_within',
  usersSort: 'users_sort',
  usersPreviousPage: 'users_previous_page',
  usersNextPage: 'users_next_page',
  /** Overflow menu on each row; values are `<verb>:<m|i>:<id>` (see member-values.ts). */
  usersManageRow: 'users_manage_row',
  usersSelectPage: 'users_select_page',
  usersClearSelection: 'users_clear_selection',
  usersReviewSelection: 'users_review_selection',
  /** In the bulk review form: take rows out of the selection. */
  bulkUnselect: 'bulk_unselect',
  /** In the member Edit form: show the message the member would get. */
  memberEditPreview: 'member_edit_preview',
  /** App Home's section buttons for admins: their own access, or an organization's members. */
  homeShowAccess: 'home_show_access',
  homeShowMembers: 'home_show_members',
  /** `/access callers`. */
  callersPickOrganization: 'callers_pick_organization',
  callersManageRow: 'callers_manage_row',
  callersAdd: 'callers_add',
  /** `/access me` and App Home's own access: open one organization's details (value: its id), or close them. */
  myAccessExpand: 'my_access_expand',
  myAccessCollapse: 'my_access_collapse',
} as const;

/** `/access leave` and `/access contact`. */
export const SELF_SERVICE_BLOCK = {
  leaveOrganization: 'self_leave_organization',
  leaveNote: 'self_leave_note',
  contactOrganization: 'self_contact_organization',
  contactMessage: 'self_contact_message',
} as const;

/** `/access settings`' inputs. */
export const SETTINGS_FORM_BLOCK = {
  language: 'settings_language',
  homeStart: 'settings_home_start',
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
  /** Shown once both support permissions are ticked: the approval makes an authorized caller. */
  supportLevel: 'support_level',
  callerLevel: 'caller_level',
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

/** The members list's inputs (search and tag are text boxes that dispatch on Enter). */
export const USERS_LIST_BLOCK = {
  organization: 'users_organization',
  search: 'users_search',
  filters: 'users_filters',
  tag: 'users_tag',
  selection: 'users_selection',
  paging: 'users_paging',
} as const;

/** `/access log`: each entry's section is `log_entry:<entry id>`, its details `log_details:<entry id>`. */
export const LOG_VIEW_BLOCK = {
  organization: 'log_organization',
  people: 'log_people',
  filters: 'log_filters',
  dates: 'log_dates',
  paging: 'log_paging',
} as const;

/** The Edit form of a member: invitation step 2's fields, tags, a note, and whether to tell the member. */
export const MEMBER_EDIT_BLOCK = {
  adminPermissions: 'member_edit_admin',
  accessPermissions: 'member_edit_access',
  startsOn: 'member_starts_on',
  endsOn: 'member_ends_on',
  supportLevel: 'member_support_level',
  callerLevel: 'member_caller_level',
  tags: 'member_tags',
  note: 'member_note',
  notify: 'member_notify',
  preview: 'member_preview',
} as const;

export const MEMBER_DISCONNECT_BLOCK = {
  note: 'disconnect_note',
  notify: 'disconnect_notify',
} as const;

export const MEMBER_RESTORE_BLOCK = {
  endsOn: 'restore_ends_on',
  note: 'restore_note',
} as const;

export const BULK_REVIEW_BLOCK = {
  unselect: 'bulk_unselect',
  action: 'bulk_action',
  tag: 'bulk_tag',
  endsOn: 'bulk_ends_on',
  permission: 'bulk_permission',
} as const;

export const BULK_CONFIRM_BLOCK = {
  note: 'bulk_note',
  notify: 'bulk_notify',
} as const;

export const CALLER_FORM_BLOCK = {
  /** Add: invite someone by address, or promote a member picked from Slack. */
  address: 'caller_address',
  member: 'caller_member',
  supportLevel: 'caller_support_level',
  callerLevel: 'caller_caller_level',
  note: 'caller_note',
} as const;

/** Every input element uses this action id inside its block; blocks tell the inputs apart. */
export const INPUT_ACTION = 'value';

/** Limits on free text live with the rules, where the server checks them too. */
export { TEXT_LIMIT } from '../../domain/text-limits.js';
