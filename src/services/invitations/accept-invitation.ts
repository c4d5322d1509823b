import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { activateConnection } from '../../db/connection-writes.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { connectionsTo } from '../../db/joined-reads.js';
import { appendLogEntry } from '../../db/permission-log.js';
import { calendarDateIn, endOfDayIn, startOfDayIn } from '../../domain/dates.js';
import { CODE_ATTEMPT_LIMIT, isAuthorizedCallerInvitation, type CodeRefusal } from '../../domain/invitations.js';
import { hashInvitationToken, isInvitationExpired } from '../../domain/invitation-tokens.js';
import type { OutboxItem } from '../../domain/outbox-messages.js';
import { connectionSnapshot, LOG_ACTION } from '../../domain/permissions-log.js';
import { accessAfter, lossesConfirmed, type AccessChange } from '../../domain/admin-scope.js';
import { mayChangeAccessOf } from '../../domain/policy.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { memberFor, type SlackProfile } from '../members.js';
import { enqueue } from '../outbox.js';
import { administratorsOf, organizationSummary } from '../read-models.js';
import { callerOf, heldAccess, invitationOffer } from './stored-invitation.js';

const UNKNOWN_CODE_MESSAGE =
  "That invitation code doesn't work. Check that you copied all of it. If your administrator resent the invitation, only the newest " +
  'code works.';

/** Why an invitation that is no longer waiting cannot be accepted; null while it still can. */
function closedInvitationRefusal(
  invitation: { status: string; expiresAt: Date; organization: { name: string; timeZone: string } },
  now: Date,
): AcceptResult | null {
  const organizationName = invitation.organization.name;
  if (invitation.status === 'ACCEPTED') {
    return {
      ok: false,
      refusal: 'used',
      message: `This invitation to ${organizationName} has been accepted already; each code works once.`,
    };
  }
  if (invitation.status === 'REVOKED') {
    return { ok: false, refusal: 'revoked', message: `This invitation to ${organizationName} was withdrawn by an administrator.` };
  }
  if (invitation.status === 'EXPIRED' || isInvitationExpired(invitation.expiresAt, now)) {
    return {
      ok: false,
      refusal: 'expired',
      message:
        `This invitation to ${organizationName} expired on ` +
        `${calendarDateIn(invitation.expiresAt, invitation.organization.timeZone)}. Ask an administrator to resend it.`,
    };
  }
  return null;
}

export type AcceptResult =
  | { ok: true; organization: OrganizationSummary; permissions: string[] }
  | { ok: false; refusal: CodeRefusal; message: string }
  /** Accepting would take permissions away that the person has not agreed to lose yet. */
  | { ok: false; refusal: 'confirm'; invitationId: number; organization: OrganizationSummary; change: AccessChange };

/**
 * Connects the person an invitation was for. Every code is bound to the invitee's Slack account:
 * the email on their Slack profile must be the invited address, and other accounts are refused
 * and logged. Wrong codes are counted per person, and too many in a short time make them wait.
 * Accepting changes only what the invitation's scope covers; when it would take permissions away,
 * the person must have agreed to lose them (`confirmedLosses`) after being shown what changes.
 */
export async function acceptInvitation(
  prisma: Db,
  input: { code: string; acceptor: SlackProfile; fromButton: { invitationId: number } | null; confirmedLosses?: readonly string[] },
  now: Date,
): Promise<AcceptResult> {
  try {
    return await acceptInOneTransaction(prisma, input, now);
  } catch (error) {
    if (error instanceof RefusedAfterClaim) return error.result;
    throw error;
  }
}

/**
 * A refusal that can only be judged once the invitation is claimed: thrown, so that the claim
 * rolls back with everything else and the invitation stays pending.
 */
class RefusedAfterClaim extends Error {
  constructor(readonly result: AcceptResult) {
    super('refused after claim');
  }
}

async function acceptInOneTransaction(prisma: Db, input: Parameters<typeof acceptInvitation>[1], now: Date): Promise<AcceptResult> {
  return prisma.$transaction(async (tx) => {
    // One code of a person's at a time, so that the count below is the count when this one is judged.
    await lockKeys(tx, LOCK.codeAttempts(input.acceptor.slackUserId));
    const windowStart = new Date(now.getTime() - CODE_ATTEMPT_LIMIT.windowMinutes * 60_000);
    const recentFailures = await tx.invitationCodeAttempt.count({
      where: { slackUserId: input.acceptor.slackUserId, createdAt: { gt: windowStart } },
    });
    if (recentFailures >= CODE_ATTEMPT_LIMIT.attempts) {
      return {
        ok: false,
        refusal: 'throttled',
        message:
          `That is too many codes that did not work. Wait ${CODE_ATTEMPT_LIMIT.windowMinutes} minutes, then try again, or ` +
          `ask your administrator to resend the invitation.`,
      };
    }
    let invitation = await tx.invitation.findUnique({
      where: { tokenHash: hashInvitationToken(input.code) },
      include: { organization: true, invitedBy: true },
    });
    if (!invitation || (input.fromButton && input.fromButton.invitationId !== invitation.id)) {
      await tx.invitationCodeAttempt.create({ data: { slackUserId: input.acceptor.slackUserId, createdAt: now } });
      return {
        ok: false,
        refusal: 'unknown',
        message: UNKNOWN_CODE_MESSAGE,
      };
    }
    const closed = closedInvitationRefusal(invitation, now);
    if (closed) return closed;
    const inviter = invitation.invitedBy.displayName;
    if (input.acceptor.email?.toLowerCase() !== invitation.email) {
      const known = await tx.member.findUnique({ where: { slackUserId: input.acceptor.slackUserId } });
      await appendLogEntry(tx, {
        organizationId: invitation.organizationId,
        actorId: known?.id ?? null,
        subjectEmail: invitation.email,
        action: LOG_ACTION.invitationRefusedWrongAccount,
        after: {
          invitationId: invitation.id,
          slackUserId: input.acceptor.slackUserId,
          slackEmail: input.acceptor.email?.toLowerCase() ?? null,
        },
        createdAt: now,
      });
      return {
        ok: false,
        refusal: 'wrong_account',
        message: input.acceptor.email
          ? `This invitation is for ${invitation.email}, and your Slack account uses another address, so it can't be accepted by ` +
            `you. ${inviter} sent it; ask them to invite the address your Slack account uses.`
          : `This invitation is for ${invitation.email}, and Gatehouse couldn't read the email address of your Slack account to ` +
            `check that it is yours. Try again in a moment, or ask ${inviter}, who sent it.`,
      };
    }

    // Compare-and-set: of acceptances at once, of a resend or a revocation racing this one, one wins.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, status: 'PENDING', tokenHash: invitation.tokenHash },
      data: { status: 'ACCEPTED', acceptedAt: now, updatedAt: now },
    });
    if (claimed.count === 0) {
      const current = await tx.invitation.findUnique({ where: { id: invitation.id }, include: { organization: true } });
      // Still pending with another code: it was resent meanwhile.
      return (current && closedInvitationRefusal(current, now)) ?? { ok: false, refusal: 'unknown', message: UNKNOWN_CODE_MESSAGE };
    }
    const acceptor = await memberFor(tx, input.acceptor);
    const own = mayChangeAccessOf(
      { memberId: invitation.invitedById, email: invitation.invitedBy.email },
      { memberId: acceptor.id, email: invitation.email },
    );
    if (!own.allowed) {
      throw new RefusedAfterClaim({
        ok: false,
        refusal: 'own_access',
        message: `${own.reason} You sent this invitation yourself, so another Administrator has to invite you.`,
      });
    }
    // Read again as of the claim: an edit committed just before it changes what accepting grants.
    invitation = await tx.invitation.update({
      where: { id: invitation.id },
      data: { acceptedById: acceptor.id },
      include: { organization: true, invitedBy: true },
    });
    const organization = invitation.organization;
    await lockKeys(tx, LOCK.connection(organization.id, acceptor.id));
    const [existing] = await connectionsTo(tx, organization.id, [acceptor.id]);
    const before = existing && existing.status !== 'REMOVED' ? existing : null;
    const { offer, scope } = invitationOffer(invitation);
    const outcome = accessAfter(heldAccess(before, now), offer, scope);
    if (!lossesConfirmed(outcome.change, input.confirmedLosses ?? [])) {
      throw new RefusedAfterClaim({
        ok: false,
        refusal: 'confirm',
        invitationId: invitation.id,
        organization: organizationSummary(organization),
        change: outcome.change,
      });
    }
    const { permissions, tags, startsOn, endsOn } = outcome;
    // Caller settings outside the invitation's reach stay with the support permissions they belong to.
    const caller = outcome.keepsOtherAccess && !isAuthorizedCallerInvitation(offer.permissions) ? undefined : callerOf(invitation);
    await activateConnection(tx, {
      organizationId: organization.id,
      memberId: acceptor.id,
      permissions,
      tags,
      startsOn,
      startsAt: startsOn ? startOfDayIn(startsOn, organization.timeZone) : null,
      endsOn,
      endsAt: endsOn ? endOfDayIn(endsOn, organization.timeZone) : null,
      caller,
      connectedById: invitation.invitedById,
      at: now,
    });
    const logEntryId = await appendLogEntry(tx, {
      organizationId: organization.id,
      actorId: acceptor.id,
      subjectMemberId: acceptor.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationAccepted,
      before: before
        ? {
            ...connectionSnapshot({ ...before, permissions: before.permissions.map((grant) => grant.permissionKey) }),
            invitationId: invitation.id,
          }
        : { invitationId: invitation.id },
      after: { ...connectionSnapshot({ status: 'ACTIVE', permissions, tags, startsOn, endsOn }), invitationId: invitation.id },
      note: invitation.logNote,
      createdAt: now,
    });
    const admins = await administratorsOf(tx, organization.id, now);
    const items: OutboxItem[] = admins
      .filter((admin) => admin.id !== acceptor.id)
      .map((admin) => ({ kind: 'permissions.changed', logEntryId, userId: admin.slackUserId }));
    const homes = new Set([acceptor.slackUserId, ...admins.map((admin) => admin.slackUserId)]);
    items.push(...[...homes].map((userId): OutboxItem => ({ kind: 'home.refresh', userId })));
    await enqueue(tx, items, now);
    return { ok: true, organization: organizationSummary(organization), permissions };
  }, TRANSACTION_OPTIONS);
}
