import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { addWeeksIn } from './dates.js';
import { stripEnds } from './trim.js';

/** An invitation is good for six calendar weeks from when it was issued (or last resent). */
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

/**
 * Six weeks on the organization's calendar: the same wall-clock time there, 42 days later, however
 * many hours a daylight-saving change makes that. An instant, whatever zone the server runs in.
 */
export function invitationExpiresAt(issuedAt: Date, timeZone: string): Date {
  return addWeeksIn(issuedAt, INVITATION_LIFETIME_WEEKS, timeZone);
}

export function isInvitationExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() >= expiresAt.getTime();
}

/**
 * The key that seals codes while they wait in the outbox, derived from a server secret so that a
 * copy of the database alone does not reveal codes that have not been delivered yet.
 */
export function invitationSealingKey(serverSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', serverSecret, 'gatehouse', 'invitation codes in the outbox', 32));
}

/** Encrypts a code for the outbox (AES-256-GCM); the result is base64url text. */
export function sealInvitationCode(code: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** Decrypts a sealed code; null when it was sealed with another key or tampered with. */
export function openInvitationCode(sealed: string, key: Buffer): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 29) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** A code as someone pasted it, without the quotes, brackets and punctuation that came with it. */
export function cleanPresentedCode(pasted: string): string {
  return stripEnds(pasted.trim(), '`\'"<', '`\'">.,;');
}
