/**
 * What admins manage in `/access users` and `/access callers`: the actions there are, how a list of
 * members is asked for, and the plain data the views draw. Nothing here does I/O; the rules about
 * who may take each action are in member-policy.ts.
 */
import { z } from 'zod';
import type { AdminRoles } from './policy.js';
import type { CallerSettings, OrganizationSummary, PermissionInfo, PersonSummary } from './read-models.js';

/**
 * Every action an admin can take on members, pending invitations and callers. The authorization
 * matrix test has rows for each one, so adding an action here without its rows fails that test.
 */
export const MANAGEMENT_ACTIONS = [
  'users.list',
  'member.edit',
  'member.disconnect',
  'member.restore',
  'invitation.edit',
  'invitation.resend',
  'invitation.revoke',
  'bulk.add_tag',
  'bulk.remove_tag',
  'bulk.set_end_date',
  'bulk.clear_end_date',
  'bulk.add_permission',
  'bulk.remove_permission',
  'bulk.resend',
  'bulk.disconnect',
  'callers.list',
  'callers.add',
  'callers.promote',
  'callers.edit',
  'callers.remove',
  'role.grant.administrator',
  'role.revoke.administrator',
  'role.grant.assign_training',
  'role.revoke.assign_training',
  'role.grant.assign_authorized_callers',
  'role.revoke.assign_authorized_callers',
  'log.view',
  'log.export',
  'report.view',
  'report.export',
] as const;

export type ManagementAction = (typeof MANAGEMENT_ACTIONS)[number];

export const BULK_ACTIONS = [
  'add_tag',
  'remove_tag',
  'set_end_date',
  'clear_end_date',
  'add_permission',
  'remove_permission',
  'resend',
  'disconnect',
] as const;

export type BulkActionKind = (typeof BULK_ACTIONS)[number];

/** A bulk action as the admin chose it, with what it needs. */
export type BulkAction =
  | { kind: 'add_tag' | 'remove_tag'; tag: string }
  | { kind: 'set_end_date'; endsOn: string }
  | { kind: 'clear_end_date' }
  | { kind: 'add_permission' | 'remove_permission'; permission: string }
  | { kind: 'resend' }
  | { kind: 'disconnect' };

/** How many rows one admin may select for a bulk action. */
export const SELECTION_LIMIT = 100;

/** Rows per page of `/access users`; each row is one section, well inside Slack's 100 blocks per view. */
export const MEMBER_PAGE_SIZE = 20;

/** The filters of `/access users`. */
export const MEMBER_STATUS_FILTERS = ['active', 'pending', 'expired', 'disabled'] as const;
export type MemberStatusFilter = (typeof MEMBER_STATUS_FILTERS)[number];

export const MEMBER_SORTS = ['name', 'connected', 'ends'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

/** The "ends within" filter's choices, in days. */
export const ENDS_WITHIN_DAYS = [7, 14, 30, 60, 90] as const;

/** One page of one organization's members and pending invitations, as an admin asked for it. */
export interface MemberListQuery {
  organizationId: number;
  /** A prefix of the name, of any word in it, or of the email; case-insensitive. */
  search: string | null;
  /** An exact tag, case-insensitive. */
  tag: string | null;
  permission: string | null;
  status: MemberStatusFilter | null;
  endsWithinDays: number | null;
  sort: MemberSort;
  /** 0-based. */
  page: number;
}

/**
 * A MemberListQuery as it travels outside the process (a view's private_metadata, App Home's stored
 * section): parsed with this wherever it comes back, as a forged or older one can hold anything.
 */
export const memberListQuerySchema = z.object({
  organizationId: z.number().int().positive(),
  search: z.string().max(100).nullable(),
  tag: z.string().max(50).nullable(),
  permission: z.string().max(60).nullable(),
  status: z.enum(MEMBER_STATUS_FILTERS).nullable(),
  endsWithinDays: z.number().int().positive().max(3660).nullable(),
  sort: z.enum(MEMBER_SORTS),
  page: z.number().int().min(0).max(1_000_000),
}) satisfies z.ZodType<MemberListQuery>;

/** How a row stands: the mark the list shows next to the name. */
export type MemberMark = 'ACTIVE' | 'PENDING_INVITATION' | 'EXPIRED' | 'DISABLED';

/** A row of the list is a member's connection or a pending invitation; ids are of those. */
export type MemberRowKey = { kind: 'member'; connectionId: number } | { kind: 'invitation'; invitationId: number };

/** What the viewing admin may do to one row, as the domain policy decides it. */
export interface RowCapabilities {
  edit: boolean;
  disconnect: boolean;
  restore: boolean;
  resend: boolean;
  revoke: boolean;
  select: boolean;
}

export interface MemberRow {
  key: MemberRowKey;
  /** The member; null for an invitation to someone Gatehouse does not know yet. */
  person: PersonSummary | null;
  email: string | null;
  mark: MemberMark;
  /** Expired access: until when it can be restored. */
  restorableUntil: Date | null;
  permissions: PermissionInfo[];
  tags: string[];
  startsOn: string | null;
  endsOn: string | null;
  endsAt: Date | null;
  /** When they were connected, or when the invitation was sent. */
  since: Date;
  caller: CallerSettings | null;
  selected: boolean;
  can: RowCapabilities;
}

export interface MemberListModel {
  organization: OrganizationSummary;
  /** Every organization the viewer manages, for the picker; one means no picker. */
  organizations: OrganizationSummary[];
  query: MemberListQuery;
  rows: MemberRow[];
  /** Rows matching the search and filters, on every page. */
  total: number;
  pageSize: number;
  /** The viewer's selection in this organization, on any page. */
  selectedCount: number;
  viewerRoles: AdminRoles;
}

/** One authorized caller of an organization, as `/access callers` lists it. */
export interface CallerRow {
  key: MemberRowKey;
  person: PersonSummary | null;
  email: string | null;
  mark: MemberMark;
  caller: CallerSettings | null;
  endsOn: string | null;
  since: Date;
}

export interface CallerListModel {
  organization: OrganizationSummary;
  organizations: OrganizationSummary[];
  callers: CallerRow[];
  /** Can add callers, by invitation or by promoting a member. */
  canAdd: boolean;
}
