/**
 * What a change by an admin leaves a person holding. Administrators decide all of a person's
 * permissions; a limited admin (training, authorized callers) decides only those in their scope,
 * and whatever else the person holds stays as it is, dates included.
 */
import { grantablePermissions, INVITATION_TEXT_LIMIT } from './invitations.js';
import { PERMISSION_CATALOG } from './permission-catalog.js';
import type { AdminRoles } from './policy.js';

/** The permissions a change by someone with these roles may set or take away. */
export function scopeOf(roles: AdminRoles): string[] {
  return grantablePermissions(roles);
}

const KNOWN_KEYS = new Set(PERMISSION_CATALOG.map((permission) => permission.key));
const SCOPE_OF_KEY = new Map(PERMISSION_CATALOG.map((permission) => [permission.key, permission.adminScope]));

/**
 * The scope an invitation was sent with. Invitations from before scopes were recorded are read
 * by what they grant: one granting only training or only support permissions changes only those,
 * so no older invitation reaches further than a limited admin could have sent it.
 */
export function recordedScope(recorded: unknown, granted: readonly string[]): string[] {
  if (Array.isArray(recorded)) return recorded.filter((key): key is string => typeof key === 'string' && KNOWN_KEYS.has(key));
  const scopes = new Set(granted.map((key) => SCOPE_OF_KEY.get(key)));
  if (scopes.size === 0 || scopes.has('FULL') || scopes.has(undefined)) return [...KNOWN_KEYS];
  return PERMISSION_CATALOG.filter((permission) => scopes.has(permission.adminScope)).map((permission) => permission.key);
}

/** A connection's access as a change finds it, or will leave it. */
export interface AccessTerms {
  permissions: readonly string[];
  tags: readonly string[];
  startsOn: string | null;
  endsOn: string | null;
}

/** Exactly what a change does to someone's permissions, in catalog order. */
export interface AccessChange {
  keeps: string[];
  gains: string[];
  loses: string[];
}

export interface AccessOutcome extends AccessTerms {
  permissions: string[];
  tags: string[];
  change: AccessChange;
  /** True when permissions outside the scope stay, so the connection keeps its own dates. */
  keepsOtherAccess: boolean;
}

function inCatalogOrder(keys: Iterable<string>): string[] {
  const wanted = new Set(keys);
  const known = PERMISSION_CATALOG.map((permission) => permission.key).filter((key) => wanted.has(key));
  return [...known, ...[...wanted].filter((key) => !KNOWN_KEYS.has(key)).sort()];
}

/**
 * What someone holds after a change offered within a scope. `held` is what they effectively hold
 * now (null when not connected). Inside the scope they end up with exactly what is offered;
 * outside it they keep what they held. When they keep anything outside the scope, the dates of
 * their connection are not the offer's to move, and tags are added to theirs.
 */
export function accessAfter(held: AccessTerms | null, offer: AccessTerms, scope: readonly string[]): AccessOutcome {
  const inScope = new Set(scope);
  const before = new Set(held?.permissions ?? []);
  const kept = [...before].filter((key) => !inScope.has(key));
  // With nothing kept, the offer stands as it was written; merged lists go in catalog order.
  const permissions = kept.length === 0 ? [...new Set(offer.permissions)] : inCatalogOrder([...kept, ...offer.permissions]);
  const after = new Set(permissions);
  const change: AccessChange = {
    keeps: permissions.filter((key) => before.has(key)),
    gains: permissions.filter((key) => !before.has(key)),
    loses: inCatalogOrder([...before].filter((key) => !after.has(key))),
  };
  if (kept.length === 0 || !held) {
    return { permissions, tags: [...offer.tags], startsOn: offer.startsOn, endsOn: offer.endsOn, change, keepsOtherAccess: false };
  }
  const tags = [...new Set([...held.tags, ...offer.tags])].slice(0, INVITATION_TEXT_LIMIT.tags);
  return { permissions, tags, startsOn: held.startsOn, endsOn: held.endsOn, change, keepsOtherAccess: true };
}

/** Whether every permission a change would take away is among those the person agreed to lose. */
export function lossesConfirmed(change: AccessChange, confirmed: readonly string[]): boolean {
  return change.loses.every((key) => confirmed.includes(key));
}
