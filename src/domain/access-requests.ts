/** Rules for what a person may ask for, independent of where the request comes from. */
import { TEXT_LIMIT } from './text-limits.js';

export const PURPOSE_LENGTH = { min: 3, max: TEXT_LIMIT.purpose } as const;

export type RequestField =
  | 'organization'
  | 'customerNumber'
  | 'unlistedName'
  | 'unlistedAcronym'
  | 'unlistedDepartment'
  | 'unlistedCity'
  | 'permissions'
  | 'purpose';
export type FieldErrors = Partial<Record<RequestField, string>>;

export interface RequestedAccess {
  permissions: readonly string[];
  purpose: string;
}

/** Problems with the permissions and purpose, given the catalog and what the person already holds. */
export function checkRequestedAccess(
  requested: RequestedAccess,
  catalogKeys: ReadonlySet<string>,
  alreadyHeld: ReadonlySet<string>,
): FieldErrors {
  const errors: FieldErrors = {};
  const unknown = requested.permissions.filter((key) => !catalogKeys.has(key));
  const fresh = requested.permissions.filter((key) => catalogKeys.has(key) && !alreadyHeld.has(key));
  if (unknown.length > 0) errors.permissions = 'Some of these permissions no longer exist; please choose again.';
  else if (requested.permissions.length === 0) errors.permissions = 'Choose at least one permission.';
  else if (fresh.length === 0) errors.permissions = 'You already hold these; choose at least one you do not have yet.';
  const purpose = requested.purpose.trim();
  if (purpose.length < PURPOSE_LENGTH.min) errors.purpose = 'Say in a few words what you need this access for.';
  else if (purpose.length > PURPOSE_LENGTH.max) errors.purpose = `Keep it to at most ${PURPOSE_LENGTH.max} characters.`;
  return errors;
}

/** The permissions worth asking for: the requested ones the person does not hold yet. */
export function permissionsToRequest(requested: readonly string[], alreadyHeld: ReadonlySet<string>): string[] {
  return [...new Set(requested)].filter((key) => !alreadyHeld.has(key));
}

export interface PermissionDifference {
  added: string[];
  removed: string[];
}

/** What was granted beyond, and short of, what was asked. */
export function compareGrant(requested: readonly string[], granted: readonly string[]): PermissionDifference {
  const asked = new Set(requested);
  const given = new Set(granted);
  return {
    added: granted.filter((key) => !asked.has(key)),
    removed: requested.filter((key) => !given.has(key)),
  };
}

/** Tags as admins type them: comma-separated, trimmed, de-duplicated, empty ones dropped. */
export function parseTags(text: string | null | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}
