/**
 * The organizations someone belongs to, as `/access leave` and `/access contact` offer them: what
 * they hold there and who administers each.
 */
import { connectionsOfMember, memberBySlackId } from '../../db/joined-reads.js';
import type { SqlTarget } from '../../db/sql.js';
import { adminRolesOf } from '../../domain/policy.js';
import type { PersonSummary } from '../../domain/read-models.js';
import type { HelpContacts, MyOrganization } from '../../domain/self-service.js';
import {
  administratorsOf,
  connectionFacts,
  organizationSummary,
  permissionCatalog,
  permissionsFor,
  personSummary,
} from '../read-models.js';

/** Every organization the person is connected to (removed connections aside), by name. Empty for someone Gatehouse does not know. */
export async function myOrganizations(reader: SqlTarget, slackUserId: string, now: Date): Promise<MyOrganization[]> {
  const member = await memberBySlackId(reader, slackUserId);
  if (!member) return [];
  const catalog = permissionCatalog();
  const connections = await connectionsOfMember(reader, member.id);
  const organizations = await Promise.all(
    connections.map(async (connection) => {
      const administrators = (await administratorsOf(reader, connection.organizationId, now)).map(personSummary);
      return {
        organization: organizationSummary(connection.organization),
        status: connection.status,
        permissions: permissionsFor(
          connection.permissions.map((grant) => grant.permissionKey),
          catalog,
        ),
        administrators: administrators.filter((administrator) => administrator.slackUserId !== slackUserId),
        isAdministrator: adminRolesOf(connectionFacts(connection), now).administrator,
      };
    }),
  );
  return organizations.sort((a, b) => a.organization.name.localeCompare(b.organization.name));
}

/** Gatehouse's operators, who add Administrators to an organization that has none. */
export function helpContacts(operatorUserIds: readonly string[]): HelpContacts {
  const operators: PersonSummary[] = operatorUserIds.map((slackUserId) => ({ slackUserId, displayName: slackUserId, email: null }));
  return { operators };
}
