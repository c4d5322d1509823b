/**
 * What members do for themselves: leave an organization, and write to its Administrators. The
 * rules live here and in member-policy.ts (who may leave); the services apply them under locks.
 */
import { z } from 'zod';
import type { ConnectionStatus, OrganizationSummary, PermissionInfo, PersonSummary } from './read-models.js';
import { tooLongMessage } from './text-limits.js';

/** The longest message `/access contact` takes: room for a question, not a document. */
export const CONTACT_MESSAGE_LIMIT = 1000;

/**
 * How many messages one person may send one organization's Administrators in a rolling window.
 * Every message reaches every Administrator, so a few a day is plenty and keeps it from being spam.
 */
export const CONTACT_LIMIT = { messages: 3, windowHours: 24 } as const;

export const contactMessageSchema = z
  .string()
  .trim()
  .min(1, 'Write what you want to tell the Administrators.')
  .max(CONTACT_MESSAGE_LIMIT, tooLongMessage(CONTACT_MESSAGE_LIMIT));

/** The start of the window the limit counts messages in. */
export function contactWindowStart(now: Date): Date {
  return new Date(now.getTime() - CONTACT_LIMIT.windowHours * 60 * 60 * 1000);
}

/** Why one more message is refused, or null while the person is under the limit. */
export function contactLimitReason(sentInWindow: number, organizationName: string): string | null {
  if (sentInWindow < CONTACT_LIMIT.messages) return null;
  return (
    `You have sent ${organizationName}'s Administrators ${CONTACT_LIMIT.messages} messages in the last ${CONTACT_LIMIT.windowHours} ` +
    'hours, as many as Gatehouse sends for one person in a day. Try again tomorrow, or reply in one of the conversations already open.'
  );
}

/** One of my organizations, as `/access leave` and `/access contact` offer it. */
export interface MyOrganization {
  organization: OrganizationSummary;
  status: ConnectionStatus;
  permissions: PermissionInfo[];
  /** Its effective Administrators other than me. */
  administrators: PersonSummary[];
  /** Whether I am one of its effective Administrators myself. */
  isAdministrator: boolean;
}

/** Whom someone can ask for help with an organization that has no Administrator. */
export interface HelpContacts {
  /** Gatehouse's operators, who can add an Administrator. */
  operators: PersonSummary[];
}

/** What an organization's Administrators are told when a member leaves it (from the log entry). */
export interface MemberLeftNotice {
  logEntryId: number;
  organization: OrganizationSummary;
  member: PersonSummary;
  /** What they held before leaving. */
  permissions: PermissionInfo[];
  /** Why they left, if they said. */
  note: string | null;
  at: Date;
}

/** A member's message to an organization's Administrators, as each of them gets it. */
export interface AdminContactNotice {
  organization: OrganizationSummary;
  from: PersonSummary;
  message: string;
  at: Date;
}
