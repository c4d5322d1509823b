import { describe, expect, it } from 'vitest';
import { profileNeedsRefresh } from '../../src/services/members.js';

describe('a profile learned from Slack', () => {
  const learned = new Date('2026-03-07T18:00:00.000Z');
  const member = { email: 'rita@example.org', displayName: 'Rita', updatedAt: learned };

  it('is trusted for 24 elapsed hours, even across a daylight-saving change', () => {
    // Los Angeles springs forward on March 8, 2026: the calendar day after is 23 hours on, the profile still fresh.
    expect(profileNeedsRefresh('U0RITA', member, new Date('2026-03-08T17:00:00.000Z'))).toBe(false);
    expect(profileNeedsRefresh('U0RITA', member, new Date('2026-03-08T18:00:00.000Z'))).toBe(false);
    expect(profileNeedsRefresh('U0RITA', member, new Date('2026-03-08T18:00:00.001Z'))).toBe(true);
  });

  it('is looked up at once while Gatehouse lacks the email or the name', () => {
    expect(profileNeedsRefresh('U0RITA', { ...member, email: null }, learned)).toBe(true);
    expect(profileNeedsRefresh('U0RITA', { ...member, displayName: 'U0RITA' }, learned)).toBe(true);
    expect(profileNeedsRefresh('U0RITA', null, learned)).toBe(true);
  });
});
