import { PERMISSION } from './permission-catalog.js';
import type { ConnectionStatus } from './read-models.js';

/** What policy needs to know about someone's connection to an organization. */
export interface ConnectionFacts {
  organizationId: number;
  status: ConnectionStatus;
  permissions: readonly string[];
  startsAt: Date | null;
  endsAt: Date | null;
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: PolicyDecision = { allowed: true };
const refuse = (reason: string): PolicyDecision => ({ allowed: false, reason });

/**
 * A connection counts only while it is active and inside its time range; outside it the person
 * looks disconnected and none of their permissions count.
 */
export function isConnectionEffective(connection: ConnectionFacts | null | undefined, now: Date): boolean {
  if (!connection || connection.status !== 'ACTIVE') return false;
  if (connection.startsAt && now < connection.startsAt) return false;
  if (connection.endsAt && now >= connection.endsAt) return false;
  return true;
}

export function effectivePermissions(connection: ConnectionFacts | null | undefined, now: Date): string[] {
  return isConnectionEffective(connection, now) ? [...connection!.permissions] : [];
}

export interface AdminRoles {
  administrator: boolean;
  trainingAdmin: boolean;
  authorizedCallerAdmin: boolean;
}

export function adminRolesOf(connection: ConnectionFacts | null | undefined, now: Date): AdminRoles {
  const held = new Set(effectivePermissions(connection, now));
  return {
    administrator: held.has(PERMISSION.administrator),
    trainingAdmin: held.has(PERMISSION.assignTraining),
    authorizedCallerAdmin: held.has(PERMISSION.assignAuthorizedCallers),
  };
}

export interface RequestFacts {
  requesterId: number;
  organizationId: number | null;
  organizationName: string | null;
}

export interface ActorFacts {
  memberId: number | null;
  /** The actor's connection to the request's organization, if any. */
  connection: ConnectionFacts | null;
}

/** Only an Administrator of the request's organization decides it, and never their own request. */
export function mayDecideRequest(actor: ActorFacts, request: RequestFacts, now: Date): PolicyDecision {
  if (actor.memberId !== null && actor.memberId === request.requesterId) {
    return refuse("You can't decide your own request; another Administrator has to.");
  }
  if (request.organizationId === null) {
    return refuse('This request is waiting to be matched to an organization by an operator.');
  }
  if (actor.connection?.organizationId !== request.organizationId || !adminRolesOf(actor.connection, now).administrator) {
    return refuse(`Only Administrators of ${request.organizationName ?? 'this organization'} can decide this request.`);
  }
  return ALLOWED;
}

/** Where a request stands, for a triage action on it. */
export interface TriageFacts {
  status: string;
  inTriage: boolean;
}

export const NOT_IN_TRIAGE = "This request is no longer in triage: it was sent to its organization's Administrators, who decide it now.";

/**
 * Operators sort out requests that no organization's admins can take, and only while they are in
 * triage: once routed, a request is its organization's Administrators' to decide. (A request no
 * longer pending is not refused here, so the actor can be told how it ended.)
 */
export function mayTriage(actorSlackUserId: string, operatorSlackUserIds: readonly string[], request?: TriageFacts): PolicyDecision {
  if (!operatorSlackUserIds.includes(actorSlackUserId)) return refuse("Only Gatehouse's operators can match or deny requests in triage.");
  if (request && request.status === 'PENDING' && !request.inTriage) return refuse(NOT_IN_TRIAGE);
  return ALLOWED;
}

export function mayWithdrawRequest(actorMemberId: number | null, request: RequestFacts): PolicyDecision {
  return actorMemberId !== null && actorMemberId === request.requesterId
    ? ALLOWED
    : refuse('Only the person who asked can withdraw a request.');
}

/** Someone whose access a change touches, or who makes it: either may be known only by an address. */
export interface PersonFacts {
  memberId: number | null;
  email: string | null;
}

export const OWN_ACCESS_RULE = 'Nobody changes their own access: changes to your own end date or permissions need another Administrator.';

function samePerson(actor: PersonFacts, subject: PersonFacts): boolean {
  if (actor.memberId !== null && actor.memberId === subject.memberId) return true;
  return actor.email !== null && subject.email !== null && actor.email.toLowerCase() === subject.email.toLowerCase();
}

/**
 * As with deciding one's own request, a change to someone's own end date or permissions (an end
 * date moved, an invitation to their own address edited or accepted) needs another Administrator.
 */
export function mayChangeAccessOf(actor: PersonFacts, subject: PersonFacts): PolicyDecision {
  return samePerson(actor, subject) ? refuse(OWN_ACCESS_RULE) : ALLOWED;
}
