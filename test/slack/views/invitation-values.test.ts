import { describe, expect, it } from 'vitest';
import { manageValue, parseManageValue } from '../../../src/slack/views/invitation-values.js';

describe('the ⋯ menu values of a pending invitation', () => {
  it('round-trips every verb', () => {
    for (const verb of ['resend', 'edit', 'revoke'] as const) {
      expect(parseManageValue(manageValue(verb, 90))).toEqual({ verb, invitationId: 90 });
    }
    expect(manageValue('revoke', 12)).toBe('revoke:12');
  });

  it('round-trips the largest id the database hands out, within the 75 characters Slack allows a value', () => {
    const value = manageValue('resend', Number.MAX_SAFE_INTEGER);
    expect(value.length).toBeLessThanOrEqual(75);
    expect(parseManageValue(value)).toEqual({ verb: 'resend', invitationId: Number.MAX_SAFE_INTEGER });
  });

  it('rejects anything else', () => {
    for (const junk of [
      '',
      'delete:1',
      'resend:0',
      'resend:-1',
      'resend:01',
      'resend:1x',
      ' edit:1',
      'edit:',
      'edit:1:2',
      'EDIT:1',
      'resend:99999999999999999',
      'revoke:9007199254740993',
    ]) {
      expect(parseManageValue(junk)).toBeNull();
    }
  });
});
