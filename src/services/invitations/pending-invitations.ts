import type { Db } from '../../db/client.js';
import { DomainError } from '../../domain/errors.js';
import { addElapsedDays } from '../../domain/dates.js';
import type { AcceptedInvitation, InvitationSummary } from '../../domain/read-models.js';
import { organizationSummary, permissionCatalog, personSummary } from '../read-models.js';
import { invitationSummary } from './stored-invitation.js';
import { invitableOrganizations } from './invitable-organizations.js';

/** How many pending invitations an admin's list shows at once. */
const PENDING_LISTED = 25;

/** How long an accepted invitation stays in the admins' list under "recently accepted". */
const RECENTLY_ACCEPTED_DAYS = 14;
const RECENTLY_ACCEPTED_LISTED = 10;

/**
 * Pending invitations of the organizations this person administers, newest first, and the ones
 * accepted in the last two weeks.
 */
export async function pendingInvitations(
  prisma: Db,
  actorSlackUserId: string,
  now: Date,
): Promise<{ invitations: InvitationSummary[]; total: number; recentlyAccepted: AcceptedInvitation[] }> {
  const organizations = await invitableOrganizations(prisma, actorSlackUserId, now);
  if (organizations.length === 0) throw new DomainError('forbidden', 'Only administrators can see invitations.');
  const organizationIds = { in: organizations.map((organization) => organization.id) };
  const where = { organizationId: organizationIds, status: 'PENDING' as const };
  const since = addElapsedDays(now, -RECENTLY_ACCEPTED_DAYS);
  const [rows, total, accepted] = await Promise.all([
    prisma.invitation.findMany({
      where,
      include: { organization: true, invitedBy: true },
      orderBy: { issuedAt: 'desc' },
      take: PENDING_LISTED,
    }),
    prisma.invitation.count({ where }),
    prisma.invitation.findMany({
      where: { organizationId: organizationIds, status: 'ACCEPTED', acceptedAt: { gte: since } },
      include: { organization: true, acceptedBy: true },
      orderBy: { acceptedAt: 'desc' },
      take: RECENTLY_ACCEPTED_LISTED,
    }),
  ]);
  const catalog = permissionCatalog();
  return {
    total,
    invitations: rows.map((row) => invitationSummary(row, catalog)),
    recentlyAccepted: accepted.flatMap((row) =>
      row.acceptedBy && row.acceptedAt
        ? [
            {
              invitationId: row.id,
              organization: organizationSummary(row.organization),
              email: row.email,
              acceptedBy: personSummary(row.acceptedBy),
              acceptedAt: row.acceptedAt,
            },
          ]
        : [],
    ),
  };
}
