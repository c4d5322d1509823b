import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  decisionFormMetadata,
  decodeMetadata,
  encodeMetadata,
  extendFormMetadata,
  invitationFormMetadata,
  inviteMetadata,
  requestFormMetadata,
} from '../../../src/slack/views/metadata.js';

/** Slack keeps at most 3000 characters of private_metadata. */
const PRIVATE_METADATA_MAX = 3000;

describe('private_metadata of the modals', () => {
  it('reads back what it wrote, for every form', () => {
    const roundTrip = <T>(schema: z.ZodType<T>, value: T) => {
      const encoded = encodeMetadata(schema, value);
      expect(encoded.length).toBeLessThanOrEqual(PRIVATE_METADATA_MAX);
      expect(decodeMetadata(schema, encoded)).toEqual(value);
    };
    roundTrip(inviteMetadata, { draftId: 7, organizationId: 3, revision: 2 });
    roundTrip(inviteMetadata, { draftId: null, organizationId: null, revision: 0 });
    roundTrip(invitationFormMetadata, { invitationId: 90 });
    roundTrip(requestFormMetadata, { organizationId: null, unlisted: true });
    roundTrip(decisionFormMetadata, { requestId: 5, channelId: 'C0ADMINS', inTriage: true });
    roundTrip(extendFormMetadata, { connectionId: 11 });
  });

  it('refuses to write what it could not read back', () => {
    expect(() => encodeMetadata(inviteMetadata, { draftId: -1, organizationId: null, revision: 0 })).toThrow();
    expect(() => encodeMetadata(invitationFormMetadata, { invitationId: 1.5 })).toThrow();
  });

  it('reads a forged or missing value as null, never as a partial one', () => {
    for (const raw of [
      undefined,
      null,
      42,
      '',
      'not json',
      '{',
      '[]',
      'null',
      '{"draftId":"7","organizationId":null,"revision":0}',
      '{"draftId":7,"organizationId":null}',
      '{"draftId":0,"organizationId":null,"revision":0}',
      '{"draftId":7,"organizationId":null,"revision":-1}',
    ]) {
      expect(decodeMetadata(inviteMetadata, raw)).toBeNull();
    }
    expect(decodeMetadata(invitationFormMetadata, '{"invitationId":"90"}')).toBeNull();
  });
});
