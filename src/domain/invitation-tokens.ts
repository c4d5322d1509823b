import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { addWeeks } from 'date-fns';

/** An invitation is good for six weeks from when it was issued (or last resent). */
export const INVITATION_LIFETIME_WEEKS = 6;
const TOKEN_BYTES = 32;

/** A new invitation code: 32 random bytes, URL- and Slack-safe. Shown once, never stored. */
export function newInvitationToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** What is stored instead of the code: its SHA-256, hex. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token.trim(), 'utf8').digest('hex');
}

/** Compares a presented code with a stored hash in constant time. */
export function invitationTokenMatches(presented: string, storedHash: string): boolean {
  const presentedHash = Buffer.from(hashInvitationToken(presented), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presentedHash.length && timingSafeEqual(presentedHash, stored);
}

export function invitationExpiresAt(issuedAt: Date): Date {
  return addWeeks(issuedAt, INVITATION_LIFETIME_WEEKS);
}

export function isInvitationExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}
