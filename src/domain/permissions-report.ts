/**
 * `/access report`: who holds each permission in one organization, as plain data for the view.
 * Holders are members whose access is active now (the members list's Active filter), so a count
 * opens `/access users` on exactly those people.
 */
import type { PermissionInfo, PersonSummary, OrganizationSummary } from './read-models.js';

/** How many holders the report names under each permission; the rest are counted. */
export const REPORT_NAMED_HOLDERS = 5;

export interface PermissionHolders {
  permission: PermissionInfo;
  count: number;
  /** The first holders by name, at most REPORT_NAMED_HOLDERS. */
  first: PersonSummary[];
}

export interface PermissionsReportModel {
  organization: OrganizationSummary;
  /** Organizations the viewer is an Administrator of, by name, for the picker. */
  organizations: OrganizationSummary[];
  /** Members of the organization (removed ones aside), by how their access stands. */
  members: { total: number; active: number; expired: number; disabled: number };
  holders: PermissionHolders[];
}
