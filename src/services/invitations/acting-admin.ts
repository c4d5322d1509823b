/** Who may act on an invitation or a draft: the checks every invitation use case starts with. */
import type { Tx } from '../../db/client.js';
import { organizationAndMember, readDraft } from '../../db/invite-drafts.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { connectionsTo } from '../../db/joined-reads.js';
import { DomainError } from '../../domain/errors.js';
import { mayGrant, mayInvite } from '../../domain/invitations.js';
import { adminRolesOf, type AdminRoles } from '../../domain/policy.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { connectionFacts, organizationSummary } from '../read-models.js';
import { type Reader, stringList } from './stored-invitation.js';

export interface ActingAdmin {
  member: { id: number; slackUserId: string; displayName: string; email: string | null };
  organization: OrganizationSummary & { auditChannelId: string | null };
  roles: AdminRoles;
}

/** The actor's admin roles in an organization, refusing anyone who holds none there. */
export async function actingAdmin(reader: Reader, actorSlackUserId: string, organizationId: number, now: Date): Promise<ActingAdmin> {
  const row = await organizationAndMember(reader, organizationId, actorSlackUserId);
  if (!row) throw new DomainError('unknown_organization', 'That organization no longer exists.');
  const [connection] = row.memberId !== null ? await connectionsTo(reader, organizationId, [row.memberId]) : [];
  const roles = adminRolesOf(connection && connection.status !== 'REMOVED' ? connectionFacts(connection) : null, now);
  const verdict = mayInvite(roles, row.name);
  if (!verdict.allowed || row.memberId === null) {
    throw new DomainError('forbidden', verdict.allowed ? 'Only administrators can invite people.' : verdict.reason);
  }
  return {
    member: {
      id: row.memberId,
      slackUserId: actorSlackUserId,
      displayName: row.memberDisplayName ?? actorSlackUserId,
      email: row.memberEmail,
    },
    organization: { ...organizationSummary(row), auditChannelId: row.auditChannelId },
    roles,
  };
}

export async function loadDraft(reader: Reader, draftId: number, actorSlackUserId: string, now: Date) {
  const draft = await readDraft(reader, draftId);
  if (!draft || draft.authorSlackUserId !== actorSlackUserId) {
    throw new DomainError('unknown_draft', 'This invitation was closed or sent already. Start again with `/access invite`.');
  }
  const admin = await actingAdmin(reader, actorSlackUserId, draft.organizationId, now);
  return { draft, admin };
}

/** A pending invitation the actor manages, refusing anyone whose role does not cover what it grants. */
export async function managedInvitation(tx: Tx, actorSlackUserId: string, invitationId: number, now: Date) {
  // Admin changes to one invitation take turns, so each reads what the one before it left.
  await lockKeys(tx, LOCK.invitation(invitationId));
  const invitation = await tx.invitation.findUnique({ where: { id: invitationId } });
  if (!invitation) throw new DomainError('unknown_invitation', 'That invitation no longer exists.');
  const admin = await actingAdmin(tx, actorSlackUserId, invitation.organizationId, now);
  if (!stringList(invitation.permissions).every((key) => mayGrant(admin.roles, key))) {
    throw new DomainError(
      'forbidden',
      'This invitation grants more than your administrator role covers, so an Administrator has to manage it.',
    );
  }
  if (invitation.status !== 'PENDING') {
    throw new DomainError('not_pending', `This invitation was ${invitation.status.toLowerCase()} already.`);
  }
  return { invitation, admin };
}
