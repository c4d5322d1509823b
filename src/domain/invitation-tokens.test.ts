import { describe, expect, it } from 'vitest';
import {
  cleanPresentedCode,
  hashInvitationToken,
  invitationExpiresAt,
  invitationTokenMatches,
  isInvitationExpired,
  invitationSealingKey,
  newInvitationToken,
  openInvitationCode,
  sealInvitationCode,
} from './invitation-tokens.js';

describe('invitation codes', () => {
  it('are 32 random bytes, different every time, and safe to paste', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newInvitationToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('are stored as their SHA-256 and matched against it', () => {
    const token = newInvitationToken();
    const stored = hashInvitationToken(token);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(token);
    expect(invitationTokenMatches(token, stored)).toBe(true);
    expect(invitationTokenMatches(` ${token}\n`, stored)).toBe(true);
    expect(invitationTokenMatches(newInvitationToken(), stored)).toBe(false);
    expect(invitationTokenMatches(token, 'not-a-hash')).toBe(false);
  });

  it('expire six weeks after they are issued', () => {
    const issued = new Date('2026-11-25T10:00:00Z');
    const expires = invitationExpiresAt(issued, 'UTC');
    expect(expires.toISOString()).toBe('2027-01-06T10:00:00.000Z');
    expect(isInvitationExpired(expires, new Date('2027-01-06T09:59:59Z'))).toBe(false);
    expect(isInvitationExpired(expires, expires)).toBe(true);
  });

  // Six weeks on the organization's calendar: an invitation sent at 09:00 there expires at 09:00
  // there 42 days later, even when the clocks change in between.
  it.each([
    ['America/Los_Angeles', 'March', '2026-02-10T17:00:00.000Z', '2026-03-24T16:00:00.000Z', 1007],
    ['America/Los_Angeles', 'November', '2026-10-01T16:00:00.000Z', '2026-11-12T17:00:00.000Z', 1009],
    ['Europe/Berlin', 'March', '2026-03-01T08:00:00.000Z', '2026-04-12T07:00:00.000Z', 1007],
    ['Europe/Berlin', 'October', '2026-10-01T07:00:00.000Z', '2026-11-12T08:00:00.000Z', 1009],
    ['Asia/Kolkata', 'March (no DST)', '2026-02-10T03:30:00.000Z', '2026-03-24T03:30:00.000Z', 1008],
    ['UTC', 'a leap February', '2028-02-01T09:00:00.000Z', '2028-03-14T09:00:00.000Z', 1008],
  ])('in %s across %s, at the same wall-clock time 42 days later', (timeZone, _when, issuedAt, expiresAt, hours) => {
    const issued = new Date(issuedAt);
    const expires = invitationExpiresAt(issued, timeZone);
    expect(expires.toISOString()).toBe(expiresAt);
    expect((expires.getTime() - issued.getTime()) / 3_600_000).toBe(hours);
  });

  it('are sealed for the outbox so that only the server secret opens them', () => {
    const key = invitationSealingKey('server secret');
    const code = newInvitationToken();
    const sealed = sealInvitationCode(code, key);
    expect(sealed).not.toContain(code);
    expect(sealInvitationCode(code, key)).not.toBe(sealed);
    expect(openInvitationCode(sealed, key)).toBe(code);
    expect(openInvitationCode(sealed, invitationSealingKey('another secret'))).toBeNull();
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[tampered.length - 1]! ^= 1;
    expect(openInvitationCode(tampered.toString('base64url'), key)).toBeNull();
    expect(openInvitationCode('short', key)).toBeNull();
  });
});

describe('codes as people paste them', () => {
  it('drops the quotes, brackets and punctuation pasted around a code', () => {
    expect(cleanPresentedCode('  `<abcdefghijklmnopqrstuvwxyz>`.  ')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(cleanPresentedCode('"abc.def";')).toBe('abc.def');
  });

  // Quadratic trimming took about 15 s on this input; linear trimming takes milliseconds.
  it('trims a 100,000-character run of trailing punctuation in linear time', () => {
    const pasted = `a${'.'.repeat(100_000)}b`;
    expect(cleanPresentedCode(pasted)).toBe(pasted);
    expect(cleanPresentedCode(`code${'.,;'.repeat(50_000)}`)).toBe('code');
  }, 5_000);
});
