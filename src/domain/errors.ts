/** Every reason a rule can say no. Listeners and the CLI show the message; the code is for code and logs. */
export const ERROR_CODES = [
  'already_administrator',
  'bad_date',
  'bad_start_date',
  'catalog_missing',
  'changed',
  'customer_number_taken',
  'duplicate',
  'forbidden',
  /** One or more fields of a form are wrong; `fieldErrors` says which and why. */
  'invalid_fields',
  'invalid_time_zone',
  'job_failed',
  'last_administrator',
  'no_administrator',
  'not_administrator',
  'not_in_triage',
  'not_pending',
  'not_restorable',
  'nothing_granted',
  'own_access',
  /** Someone sent as many of something as Gatehouse allows in a while (`/access contact`'s daily limit). */
  'rate_limited',
  /** An admin's selection holds SELECTION_LIMIT rows already. */
  'selection_full',
  'too_long',
  /** A form or button came back in a shape Gatehouse did not write: forged, or from an older version. */
  'unreadable',
  'unknown_connection',
  'unknown_draft',
  'unknown_invitation',
  'unknown_organization',
  'unknown_permission',
  'unknown_request',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field name → what is wrong with it, written for the person who filled the form in. */
export type FieldErrors<Field extends string = string> = Partial<Record<Field, string>>;

/**
 * A rule said no: the one error type of Gatehouse's rules and services, which throw it. The
 * message is written for the person who asked, so listeners and the CLI show it as it is; when a
 * form is involved, `fieldErrors` says which fields are wrong, and the message says it all in one.
 * src/slack/refusals.ts shows it in Slack; anything else thrown is a failure, not a refusal.
 */
export class DomainError extends Error {
  readonly fieldErrors: Readonly<FieldErrors>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    fieldErrors: FieldErrors = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.fieldErrors = fieldErrors;
  }

  /** The refusal of a form with these wrong fields; the message joins theirs. */
  static ofFields(fieldErrors: FieldErrors, code: ErrorCode = 'invalid_fields'): DomainError {
    const wrong = Object.fromEntries(Object.entries(fieldErrors).filter((entry): entry is [string, string] => Boolean(entry[1])));
    return new DomainError(code, Object.values(wrong).join(' '), wrong);
  }
}

/** Throws the refusal of a form when any field is wrong. */
export function refuseFields(fieldErrors: FieldErrors, code: ErrorCode = 'invalid_fields'): void {
  if (Object.values(fieldErrors).some((message) => message)) throw DomainError.ofFields(fieldErrors, code);
}
