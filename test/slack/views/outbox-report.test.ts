import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/sandbox/index.js';
import { parkedMessagesReport, type ParkedMessageLine } from '../../../src/slack/views/outbox-report.js';
import { allText, EVIL, expectInert } from './fixtures.js';

const QUEUED_AT = new Date('2026-11-20T16:30:00Z');

function parked(count: number, overrides: Partial<ParkedMessageLine> = {}): ParkedMessageLine[] {
  return Array.from({ length: count }, (_, index) => ({
    id: 100 + index,
    kind: 'audit.entries',
    attempts: 290,
    lastError: 'An HTTP protocol error occurred: statusCode = 503',
    createdAt: QUEUED_AT,
    ...overrides,
  }));
}

describe('parkedMessagesReport', () => {
  it('names each parked message, why it failed, and how to resend it', () => {
    const message = parkedMessagesReport(parked(2));
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('2 outbox messages were parked as failed');
    expect(text).toContain(
      '• #100 audit.entries, queued <!date^1795192200^{date_short} at {time}|2026-11-20 16:30 UTC>, 290 attempts: An HTTP protocol error occurred: statusCode = 503',
    );
    expect(text).toContain('• #101 audit.entries');
    expect(text).toContain('`npx gatehouse outbox retry ID…`');
    expect(message.text).toBe('2 outbox messages were parked as failed and will not be retried');
  });

  it('shows the first 10 of a long list and says how many more there are, however long the errors', () => {
    for (const lastError of ['An HTTP protocol error occurred: statusCode = 503', '&'.repeat(1000)]) {
      const message = parkedMessagesReport(parked(500, { lastError, kind: 'connections.ended.summary' }));
      expect(checkMessage(message)).toEqual([]);
      const text = allText(message);
      expect(text).toContain('• #109 ');
      expect(text).not.toContain('• #110 ');
      expect(text).toContain('…and 490 more.');
    }
  });

  it('keeps error text from Slack inert', () => {
    const message = parkedMessagesReport(parked(1, { lastError: EVIL, kind: EVIL }));
    expect(checkMessage(message)).toEqual([]);
    expectInert(message);
  });
});
