/**
 * Who manages an organization's members: the actor's admin roles there, read with the facts the
 * domain policy needs, and the refusals that name whom to ask instead.
 */
import { organizationAndMember } from '../../db/invite-drafts.js';
import { connectionsOfMember, connectionsTo, memberBySlackId, type ConnectionWithPermissions } from '../../db/joined-reads.js';
import type { SqlTarget } from '../../db/sql.js';
import { calendarDateIn } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { hasAnyAdminRole } from '../../domain/invitations.js';
import { onlyAdministrators, type ManagerFacts, type PolicyContext, type SubjectFacts } from '../../domain/member-policy.js';
import { adminRolesOf, type AdminRoles } from '../../domain/policy.js';
import type { CallerSettings, OrganizationSummary, PersonSummary } from '../../domain/read-models.js';
import { graceEndsAt } from '../../domain/time-limits.js';
import { administratorsOf, connectionFacts, organizationSummary, personSummary } from '../read-models.js';

export interface ManagingAdmin {
  member: { id: number; slackUserId: string; displayName: string; email: string | null };
  organization: OrganizationSummary & { auditChannelId: string | null };
  roles: AdminRoles;
  /** Effective Administrators of the organization. */
  administrators: PersonSummary[];
  facts: ManagerFacts;
}

const NO_ROLES: AdminRoles = { administrator: false, trainingAdmin: false, authorizedCallerAdmin: false };

/** Roles a connection gives now; a removed one gives none. */
function rolesOf(connection: ConnectionWithPermissions | undefined, now: Date): AdminRoles {
  return connection && connection.status !== 'REMOVED' ? adminRolesOf(connectionFacts(connection), now) : NO_ROLES;
}

/**
 * The actor in an organization; refuses (naming its Administrators) anyone with no admin role there.
 * `what` words the refusal ("change end dates there"); it defaults to "do this".
 */
export async function managingAdmin(
  reader: SqlTarget,
  actorSlackUserId: string,
  organizationId: number,
  now: Date,
  what?: string,
): Promise<ManagingAdmin> {
  const row = await organizationAndMember(reader, organizationId, actorSlackUserId);
  if (!row) throw new DomainError('unknown_organization', 'That organization no longer exists.');
  const [connection] = row.memberId !== null ? await connectionsTo(reader, organizationId, [row.memberId]) : [];
  const roles = rolesOf(connection, now);
  const organization = { ...organizationSummary(row), auditChannelId: row.auditChannelId };
  const administrators = (await administratorsOf(reader, organizationId, now)).map(personSummary);
  if (row.memberId === null || !hasAnyAdminRole(roles)) {
    throw new DomainError('forbidden', onlyAdministrators(organization.name, administrators, what));
  }
  const member = {
    id: row.memberId,
    slackUserId: actorSlackUserId,
    displayName: row.memberDisplayName ?? actorSlackUserId,
    email: row.memberEmail,
  };
  return {
    member,
    organization,
    roles,
    administrators,
    facts: { memberId: member.id, email: member.email, roles, organizationName: organization.name, administrators },
  };
}

/** Organizations where the actor holds any admin role (Administrator, training, callers), by name. Empty for none. */
export async function managedOrganizations(
  reader: SqlTarget,
  actorSlackUserId: string,
  now: Date,
): Promise<Array<OrganizationSummary & { roles: AdminRoles }>> {
  const member = await memberBySlackId(reader, actorSlackUserId);
  if (!member) return [];
  return (await connectionsOfMember(reader, member.id))
    .map((connection) => ({ ...organizationSummary(connection.organization), roles: rolesOf(connection, now) }))
    .filter((organization) => hasAnyAdminRole(organization.roles))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** How many organizations a refusal names the Administrators of. */
const NAMED_ORGANIZATIONS = 3;

/** Refusal text for someone who manages no organization: names the Administrators of organizations they belong to, if any. */
export async function noManagedOrganizationReason(reader: SqlTarget, actorSlackUserId: string, now: Date, what: string): Promise<string> {
  const lead = `Only Administrators of an organization can ${what}.`;
  const member = await memberBySlackId(reader, actorSlackUserId);
  if (!member) return lead;
  const organizations = (await connectionsOfMember(reader, member.id))
    .map((connection) => organizationSummary(connection.organization))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, NAMED_ORGANIZATIONS);
  const named = await Promise.all(
    organizations.map(async (organization) =>
      onlyAdministrators(organization.name, (await administratorsOf(reader, organization.id, now)).map(personSummary), what),
    ),
  );
  return [lead, ...named].join(' ');
}

/** The connection fields the policy and the log read. */
export type ManagedConnection = ConnectionWithPermissions;

export function permissionKeysOf(connection: ManagedConnection): string[] {
  return connection.permissions.map((grant) => grant.permissionKey);
}

export function tagsOf(connection: { tags: unknown }): string[] {
  return Array.isArray(connection.tags) ? connection.tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

export function callerOfConnection(connection: {
  callerSupportLevel: 'STANDARD' | 'PREMIUM' | null;
  callerLevel: string | null;
}): CallerSettings | null {
  return connection.callerSupportLevel ? { supportLevel: connection.callerSupportLevel, callerLevel: connection.callerLevel } : null;
}

/** Expired access can be restored until its 30 days are over. */
export function isRestorable(connection: ManagedConnection, now: Date): boolean {
  return (
    connection.status === 'EXPIRED' && connection.endsAt !== null && now < graceEndsAt(connection.endsAt, connection.organization.timeZone)
  );
}

/** The person a management action is about, as the policy sees them. */
export function subjectFactsOf(connection: ManagedConnection, email: string | null, now: Date): SubjectFacts {
  return {
    memberId: connection.memberId,
    email,
    status: connection.status,
    isEffectiveAdministrator: rolesOf(connection, now).administrator,
    restorable: isRestorable(connection, now),
    permissions: permissionKeysOf(connection),
    tags: tagsOf(connection),
    startsOn: connection.startsOn,
    endsOn: connection.endsOn,
  };
}

export function policyContextFor(admin: ManagingAdmin, subjectSlackUserId: string | null, now: Date): PolicyContext {
  return {
    today: calendarDateIn(now, admin.organization.timeZone),
    otherAdministrators: admin.administrators.filter((person) => person.slackUserId !== subjectSlackUserId).length,
  };
}
