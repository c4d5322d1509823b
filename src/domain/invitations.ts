/** Rules for inviting people: who may invite to what, and what makes an authorized-caller invitation. */
import { PERMISSION_CATALOG, PERMISSION, type AdminScope } from './permission-catalog.js';
import type { AdminRoles, PolicyDecision } from './policy.js';
import type { CallerSettings } from './read-models.js';
import { refuseFields } from './errors.js';
import { overLongTexts, tagsProblem } from './text-limits.js';

/** Both of these together make an invitation an authorized-caller invitation. */
export const AUTHORIZED_CALLER_PERMISSIONS: readonly string[] = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];

/** Caller levels a Premium support caller can be given, as My Esri names them. */
export const PREMIUM_CALLER_LEVELS = ['Primary', 'Secondary', 'Backup'] as const;

export const INVITATION_TEXT_LIMIT = { personalMessage: 1000, note: 1000, tag: 50, tags: 10 } as const;

export type InvitationTextField = 'tags' | 'personalMessage' | 'note';

/**
 * Free text on an invitation form that is over its limit, keyed by field; empty when everything
 * fits. `tagsText` is the tags box as typed, when there is one, so a long run of repeats is caught too.
 */
export function checkInvitationTexts(texts: {
  tagsText?: string | null;
  tags?: readonly string[];
  personalMessage?: string | null;
  note?: string | null;
}): Partial<Record<InvitationTextField, string>> {
  const errors: Partial<Record<InvitationTextField, string>> = overLongTexts(
    { personalMessage: texts.personalMessage, note: texts.note },
    { personalMessage: INVITATION_TEXT_LIMIT.personalMessage, note: INVITATION_TEXT_LIMIT.note },
  );
  const tags = texts.tags ? tagsProblem(texts.tagsText, texts.tags, INVITATION_TEXT_LIMIT) : null;
  if (tags) errors.tags = tags;
  return errors;
}

/** Refuses over-long invitation text, on the fields that hold it. */
export function requireInvitationTextsFit(texts: Parameters<typeof checkInvitationTexts>[0]): void {
  refuseFields(checkInvitationTexts(texts), 'too_long');
}

/** How many wrong codes one person may try before Gatehouse makes them wait. */
export const CODE_ATTEMPT_LIMIT = { attempts: 5, windowMinutes: 15 } as const;

export type InvitationField = 'addresses' | 'permissions' | 'startsOn' | 'endsOn' | 'callerLevel' | 'supportLevel';
export type InvitationFieldErrors = Partial<Record<InvitationField, string>>;

const SCOPE_OF = new Map<string, AdminScope>(PERMISSION_CATALOG.map((permission) => [permission.key, permission.adminScope]));

export function isAuthorizedCallerInvitation(permissions: readonly string[]): boolean {
  return AUTHORIZED_CALLER_PERMISSIONS.every((key) => permissions.includes(key));
}

/** Whether someone with these roles may grant a permission: Administrators grant all, limited admins their own scope. */
export function mayGrant(roles: AdminRoles, permissionKey: string): boolean {
  if (roles.administrator) return true;
  const scope = SCOPE_OF.get(permissionKey);
  return (scope === 'TRAINING' && roles.trainingAdmin) || (scope === 'AUTHORIZED_CALLER' && roles.authorizedCallerAdmin);
}

export function hasAnyAdminRole(roles: AdminRoles): boolean {
  return roles.administrator || roles.trainingAdmin || roles.authorizedCallerAdmin;
}

/** Who may invite people to an organization at all, whatever they grant. */
export function mayInvite(roles: AdminRoles, organizationName: string): PolicyDecision {
  return hasAnyAdminRole(roles)
    ? { allowed: true }
    : { allowed: false, reason: `Only administrators of ${organizationName} can invite people to it.` };
}

/** The permissions an admin with these roles can put in an invitation, in catalog order. */
export function grantablePermissions(roles: AdminRoles): string[] {
  return PERMISSION_CATALOG.map((permission) => permission.key).filter((key) => mayGrant(roles, key));
}

export interface InvitationGrant {
  permissions: readonly string[];
  addressCount: number;
  caller: CallerSettings | null;
}

/** Problems with what an invitation grants, given who is sending it and to how many people. */
export function checkInvitationGrant(grant: InvitationGrant, roles: AdminRoles): InvitationFieldErrors {
  const errors: InvitationFieldErrors = {};
  const unknown = grant.permissions.filter((key) => !SCOPE_OF.has(key));
  if (grant.permissions.length === 0) errors.permissions = 'Choose at least one permission to grant.';
  else if (unknown.length > 0) errors.permissions = 'Some of these permissions no longer exist; please choose again.';
  else if (grant.permissions.some((key) => !mayGrant(roles, key))) {
    errors.permissions =
      roles.trainingAdmin && !roles.authorizedCallerAdmin
        ? 'As a training administrator you can invite people to e-Learning only.'
        : roles.authorizedCallerAdmin && !roles.trainingAdmin
          ? 'As an authorized-caller administrator you can invite support callers only.'
          : 'You can only grant the permissions your administrator role covers.';
  }
  if (isAuthorizedCallerInvitation(grant.permissions)) {
    if (grant.addressCount > 1) {
      errors.addresses =
        `Authorized-caller invitations go to one person at a time; this one has ${grant.addressCount} addresses. ` +
        `Go back and keep one, or grant other permissions.`;
    }
    Object.assign(errors, callerSettingErrors(grant.caller));
  }
  return errors;
}

/** What is missing or wrong in an authorized caller's settings: a support level, and for Premium a caller level. */
export function callerSettingErrors(caller: CallerSettings | null): InvitationFieldErrors {
  if (!caller) return { supportLevel: 'Choose the support level for this authorized caller.' };
  if (caller.supportLevel === 'PREMIUM' && !caller.callerLevel) return { callerLevel: 'Premium support callers need a caller level.' };
  if (caller.callerLevel && !(PREMIUM_CALLER_LEVELS as readonly string[]).includes(caller.callerLevel)) {
    return { callerLevel: 'Choose one of the caller levels offered.' };
  }
  return {};
}

/** Caller settings only belong to authorized-caller invitations; Standard support has no caller level. */
export function callerSettingsFor(permissions: readonly string[], caller: CallerSettings | null): CallerSettings | null {
  if (!isAuthorizedCallerInvitation(permissions) || !caller) return null;
  return { supportLevel: caller.supportLevel, callerLevel: caller.supportLevel === 'PREMIUM' ? caller.callerLevel : null };
}

/** How an address stands with the organization when an admin pastes it. */
export type AddressStanding = 'new' | 'connected' | 'pending';

export interface ClassifiedAddresses {
  invalid: string[];
  /** Active users: re-inviting changes their permissions only when they accept. */
  connected: string[];
  /** Pending users: a new invitation replaces the one they have not accepted yet. */
  pending: string[];
  fresh: string[];
  duplicates: number;
}

/** Sorts valid addresses by standing, keeping the order they were pasted in. */
export function classifyAddresses(
  parsed: { valid: readonly string[]; invalid: readonly string[]; duplicates: number },
  standingOf: (address: string) => AddressStanding,
): ClassifiedAddresses {
  const result: ClassifiedAddresses = {
    invalid: [...parsed.invalid],
    connected: [],
    pending: [],
    fresh: [],
    duplicates: parsed.duplicates,
  };
  for (const address of parsed.valid) {
    const standing = standingOf(address);
    if (standing === 'connected') result.connected.push(address);
    else if (standing === 'pending') result.pending.push(address);
    else result.fresh.push(address);
  }
  return result;
}

/** Why a presented code does not work, worded for the person who typed or clicked it. */
export type CodeRefusal = 'unknown' | 'used' | 'revoked' | 'expired' | 'wrong_account' | 'own_access' | 'throttled';
