/**
 * Plain data that services hand to the Slack views. Nothing here knows about Prisma or Block Kit,
 * so views stay pure functions of these shapes and services never build messages.
 */
import type { BulkAction } from './member-management.js';
import type { AdminScope } from './permission-catalog.js';

export type RequestStatus = 'PENDING' | 'APPROVED' | 'DENIED' | 'WITHDRAWN' | 'EXPIRED';
export type ConnectionStatus = 'ACTIVE' | 'EXPIRED' | 'SUSPENDED' | 'REMOVED';

export interface PermissionInfo {
  key: string;
  name: string;
  description: string;
  adminScope: AdminScope;
}

export interface OrganizationSummary {
  id: number;
  name: string;
  acronym: string | null;
  customerNumber: string;
  city: string | null;
  country: string | null;
  timeZone: string;
}

/** What a requester typed about an organization Gatehouse does not list. */
export interface UnlistedOrganization {
  customerNumber: string | null;
  name: string;
  acronym: string | null;
  department: string | null;
  city: string | null;
}

export interface PersonSummary {
  slackUserId: string;
  displayName: string;
  email: string | null;
}

/** A person's connection to an organization, as they or an admin see it. */
export interface ConnectionSummary {
  organization: OrganizationSummary;
  status: ConnectionStatus;
  permissions: PermissionInfo[];
  tags: string[];
  /** Calendar dates, YYYY-MM-DD, in the organization's time zone. */
  startsOn: string | null;
  endsOn: string | null;
  /** The instant access ends, for Slack's date formatting in the viewer's time zone. */
  endsAt: Date | null;
}

export interface RequestDecision {
  outcome: 'APPROVED' | 'DENIED';
  by: PersonSummary;
  at: Date;
  /** What was granted (approvals only). */
  granted: PermissionInfo[];
  /** The log note of an approval, or the reason for a denial. */
  note: string | null;
  endsOn: string | null;
}

/** Everything a card about one request shows, in its current state. */
export interface RequestCardModel {
  requestId: number;
  status: RequestStatus;
  requester: PersonSummary;
  organization: OrganizationSummary | null;
  unlisted: UnlistedOrganization | null;
  requested: PermissionInfo[];
  purpose: string;
  createdAt: Date;
  /** The requester's connection to the organization when the card is drawn, if any. */
  currentConnection: ConnectionSummary | null;
  decision: RequestDecision | null;
  /** When the request was withdrawn, if it was. */
  withdrawnAt: Date | null;
  /** Waiting for Gatehouse's operators to route or deny it; false once it went to an organization's Administrators. */
  inTriage: boolean;
}

/** Who a card is for: the organization's admins, or the operators in triage. */
export type CardAudience = 'admin' | 'triage';

/** The `/access request` modal's contents. */
export interface RequestFormModel {
  /** The organizations to pick from inline; null when there are too many and the select searches. */
  organizationOptions: OrganizationSummary[] | null;
  selectedOrganization: OrganizationSummary | null;
  /** What the person already holds in the selected organization. */
  held: PermissionInfo[];
  /** The permissions that may still be asked for. */
  requestable: PermissionInfo[];
  unlisted: boolean;
}

/** The Approve modal, prefilled from the request. */
export interface ApproveFormModel {
  request: RequestCardModel;
  catalog: PermissionInfo[];
}

export interface PermissionChange {
  added: PermissionInfo[];
  removed: PermissionInfo[];
}

/** The requester's DM once a request is decided. */
export interface RequestOutcomeModel {
  request: RequestCardModel;
  decision: RequestDecision;
  /** Granted compared with what was asked for. */
  differences: PermissionChange;
}

/** Tells an admin that someone's permissions in their organization changed. */
export interface PermissionsChangedNotice {
  organization: OrganizationSummary;
  subject: PersonSummary;
  actor: PersonSummary;
  before: PermissionInfo[];
  after: PermissionInfo[];
  requestId: number | null;
  /** Set when the change is someone accepting an invitation. */
  invitationId?: number | null;
  note: string | null;
}

export interface PendingRequestSummary {
  requestId: number;
  organizationLabel: string;
  requested: PermissionInfo[];
  purpose: string;
  createdAt: Date;
}

/** `/access me` and the App Home tab. */
export interface MyAccessModel {
  person: PersonSummary;
  connections: ConnectionSummary[];
  pendingRequests: PendingRequestSummary[];
  /** Requests this person may decide, newest first; empty for non-admins. */
  awaitingDecision: RequestCardModel[];
  /** All requests awaiting this person, which may be more than are listed. */
  awaitingCount: number;
  isAdmin: boolean;
  /** The one organization whose details are open, if any: who administers it and since when the person is connected. */
  expanded?: ExpandedConnection | null;
}

/** What opening one organization in `/access me` or App Home adds to its summary. */
export interface ExpandedConnection {
  organizationId: number;
  connectedAt: Date;
  administrators: PersonSummary[];
}

/** Languages an invitation can be written in. */
export const INVITATION_LANGUAGES = ['en', 'es', 'fr'] as const;
export type InvitationLanguage = (typeof INVITATION_LANGUAGES)[number];

/** Caller settings of an authorized-caller invitation. */
export interface CallerSettings {
  supportLevel: 'STANDARD' | 'PREMIUM';
  /** Premium support only: the caller level the admin chose. */
  callerLevel: string | null;
}

/**
 * Everything an invitee is told, in their invitation's language: by Slack DM (with an Accept
 * button) when the address belongs to someone in the workspace, otherwise by email with the code.
 */
export interface InvitationMessageModel {
  invitationId: number;
  language: InvitationLanguage;
  organization: OrganizationSummary;
  invitedBy: PersonSummary;
  inviteeEmail: string;
  /** What accepting grants, in catalog order. */
  permissions: PermissionInfo[];
  /** Calendar date, YYYY-MM-DD, in the organization's time zone; null for access without an end. */
  endsOn: string | null;
  caller: CallerSettings | null;
  personalMessage: string | null;
  expiresAt: Date;
  /**
   * For someone already connected, what accepting does to what they hold, as it stands when the
   * message is drawn; absent for a preview or someone new.
   */
  change?: PermissionChangeInfo | null;
  /** The invitation code in plain text. It exists only while the message is being delivered. */
  code: string;
}

/** What a change does to someone's permissions, each list in catalog order. */
export interface PermissionChangeInfo {
  keeps: PermissionInfo[];
  gains: PermissionInfo[];
  loses: PermissionInfo[];
}

/** Invitees Gatehouse could reach neither in Slack nor by email; their admin hands the codes over. */
export interface InvitationCodeHandover {
  organization: OrganizationSummary;
  /** `slackError` is set when the invitee has a Slack account that refused the DM, with Slack's reason. */
  invitations: Array<{ invitationId: number; email: string; code: string; expiresAt: Date; slackError?: string }>;
  /** Why these could not be sent: no Slack account with the address, or one that refused the DM, and no email. */
  emailConfigured: boolean;
}

/** An invitation being written: the addresses of step 1, sorted by how they stand with the organization. */
export interface InviteDraftModel {
  draftId: number;
  organization: OrganizationSummary;
  /** Entries that are not addresses; all must be removed before step 2. */
  invalid: string[];
  /** Active users: re-inviting changes their permissions only when they accept. */
  connected: string[];
  /** Pending users: their unaccepted invitation is replaced. */
  pending: string[];
  fresh: string[];
  duplicates: number;
}

/** What steps 2 and 3 of an invitation have chosen so far. */
export interface InviteChoices {
  permissions: string[];
  startsOn: string | null;
  endsOn: string | null;
  tags: string[];
  personalMessage: string | null;
  language: InvitationLanguage;
  logNote: string | null;
  caller: CallerSettings | null;
}

/** Everything the invitation modal's steps show. */
export interface InviteStepModel {
  draft: InviteDraftModel;
  inviter: PersonSummary;
  /** What this admin may grant, in catalog order. */
  grantable: PermissionInfo[];
  choices: InviteChoices;
}

export type InvitationStatus = 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';

/** A pending invitation as its organization's admins manage it. */
export interface InvitationSummary {
  invitationId: number;
  organization: OrganizationSummary;
  email: string;
  permissions: PermissionInfo[];
  tags: string[];
  startsOn: string | null;
  endsOn: string | null;
  caller: CallerSettings | null;
  language: InvitationLanguage;
  invitedBy: PersonSummary;
  issuedAt: Date;
  expiresAt: Date;
  resendCount: number;
}

/** Someone's access as a change notice shows it, before or after the change. */
export interface AccessSnapshot {
  /** ACTIVE, EXPIRED, SUSPENDED or REMOVED; PENDING for an invitation not accepted yet. */
  status: string;
  permissions: PermissionInfo[];
  tags: string[];
  startsOn: string | null;
  endsOn: string | null;
  caller: CallerSettings | null;
}

/** What an admin changed about one person's access, from its permissions-log entry. */
export interface AccessChangeNotice {
  logEntryId: number;
  organization: OrganizationSummary;
  /** The member; null for a pending invitation to someone Gatehouse does not know. */
  subject: PersonSummary | null;
  subjectEmail: string | null;
  actor: PersonSummary;
  action: 'edited' | 'disconnected' | 'restored' | 'end_date_changed' | 'caller_changed' | 'invitation_edited';
  before: AccessSnapshot | null;
  after: AccessSnapshot | null;
  note: string | null;
  at: Date;
}

/** One admin's summary of a bulk action: who acted, what they did, and to whom. */
export interface BulkSummaryModel {
  organization: OrganizationSummary;
  actor: PersonSummary;
  action: BulkAction;
  /** The permission an add or remove acted on; null for other actions. */
  permission: PermissionInfo | null;
  /** The people changed, one per log entry, in the order changed; person is null for an invitation to someone unknown. */
  changed: Array<{ person: PersonSummary | null; email: string | null }>;
  /** Selected rows the action was not allowed on, left as they were. */
  skipped: number;
  /** The copy for the admin who acted: their receipt. */
  forActor: boolean;
}
