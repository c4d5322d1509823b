import type { Db } from '../../db/client.js';
import { hasAnyAdminRole } from '../../domain/invitations.js';
import { adminRolesOf } from '../../domain/policy.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { connectionFacts, organizationSummary } from '../read-models.js';

/** Organizations this person can invite people to, with their roles there. */
export async function invitableOrganizations(prisma: Db, actorSlackUserId: string, now: Date): Promise<OrganizationSummary[]> {
  const member = await prisma.member.findUnique({ where: { slackUserId: actorSlackUserId } });
  if (!member) return [];
  const connections = await prisma.connection.findMany({
    where: { memberId: member.id, status: 'ACTIVE' },
    include: { organization: true, permissions: { select: { permissionKey: true } } },
    orderBy: { organization: { name: 'asc' } },
  });
  return connections
    .filter((connection) => hasAnyAdminRole(adminRolesOf(connectionFacts(connection), now)))
    .map((connection) => organizationSummary(connection.organization));
}
