/** Reading invitations and drafts as they are stored (JSON lists, caller columns, scope) into read models. */
import type { Db, Tx } from '../../db/client.js';
import type { InviteDraftRow } from '../../db/invite-drafts.js';
import { recordedScope, type AccessChange, type AccessTerms } from '../../domain/admin-scope.js';
import { isConnectionEffective } from '../../domain/policy.js';
import {
  INVITATION_LANGUAGES,
  type CallerSettings,
  type InvitationLanguage,
  type InvitationSummary,
  type InviteChoices,
  type PermissionChangeInfo,
  type PermissionInfo,
} from '../../domain/read-models.js';
import { connectionFacts, organizationSummary, permissionsFor, personSummary, type permissionCatalog } from '../read-models.js';

export type Reader = Db | Tx;

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function languageOf(value: string): InvitationLanguage {
  return (INVITATION_LANGUAGES as readonly string[]).includes(value) ? (value as InvitationLanguage) : 'en';
}

export function callerOf(row: { callerSupportLevel: 'STANDARD' | 'PREMIUM' | null; callerLevel: string | null }): CallerSettings | null {
  return row.callerSupportLevel ? { supportLevel: row.callerSupportLevel, callerLevel: row.callerLevel } : null;
}

export function choicesOf(
  draft: Pick<
    InviteDraftRow,
    'permissions' | 'startsOn' | 'endsOn' | 'tags' | 'personalMessage' | 'language' | 'logNote' | 'callerSupportLevel' | 'callerLevel'
  >,
): InviteChoices {
  return {
    permissions: stringList(draft.permissions),
    startsOn: draft.startsOn,
    endsOn: draft.endsOn,
    tags: stringList(draft.tags),
    personalMessage: draft.personalMessage,
    language: languageOf(draft.language),
    logNote: draft.logNote,
    caller: callerOf(draft),
  };
}

/** What someone effectively holds in an organization now, as the scope rule reads it; null when not connected. */
export function heldAccess(
  connection:
    (Parameters<typeof connectionFacts>[0] & { tags: unknown; startsOn: string | null; endsOn: string | null }) | null | undefined,
  now: Date,
): AccessTerms | null {
  if (!connection || !isConnectionEffective(connectionFacts(connection), now)) return null;
  return {
    permissions: connectionFacts(connection).permissions,
    tags: stringList(connection.tags),
    startsOn: connection.startsOn,
    endsOn: connection.endsOn,
  };
}

/** What an invitation offers, and within which scope, as it is stored. */
export function invitationOffer(invitation: {
  permissions: unknown;
  tags: unknown;
  startsOn: string | null;
  endsOn: string | null;
  scope: unknown;
}) {
  const permissions = stringList(invitation.permissions);
  const offer: AccessTerms = { permissions, tags: stringList(invitation.tags), startsOn: invitation.startsOn, endsOn: invitation.endsOn };
  return { offer, scope: recordedScope(invitation.scope, permissions) };
}

export function invitationSummary(
  row: Awaited<ReturnType<Db['invitation']['findUniqueOrThrow']>> & {
    organization: Parameters<typeof organizationSummary>[0];
    invitedBy: { slackUserId: string; displayName: string; email: string | null };
  },
  catalog: ReturnType<typeof permissionCatalog>,
): InvitationSummary {
  return {
    invitationId: row.id,
    organization: organizationSummary(row.organization),
    email: row.email,
    permissions: permissionsFor(stringList(row.permissions), catalog),
    tags: stringList(row.tags),
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    caller: callerOf(row),
    language: languageOf(row.language),
    invitedBy: personSummary(row.invitedBy),
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    resendCount: row.resendCount,
  };
}

export function permissionChangeInfo(change: AccessChange, catalog: PermissionInfo[]): PermissionChangeInfo {
  return {
    keeps: permissionsFor(change.keeps, catalog),
    gains: permissionsFor(change.gains, catalog),
    loses: permissionsFor(change.loses, catalog),
  };
}
