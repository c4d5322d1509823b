/**
 * What Gatehouse's operators are told when outbox messages are parked as failed: which ones, why,
 * and the commands that show and resend them.
 */
import type { KnownBlock } from '@slack/types';
import { context, fallbackText, header, LIMIT, mrkdwn, oneLine, onDateTime, section } from './format.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

export interface ParkedMessageLine {
  id: number;
  kind: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/** Enough to see the pattern, and within one section even at the longest; the CLI lists them all. */
const LINES_SHOWN = 10;
const ERROR_SHOWN = 120;
const KIND_SHOWN = 40;

export function parkedMessagesReport(parked: readonly ParkedMessageLine[]): { text: string; blocks: KnownBlock[] } {
  const count = parked.length === 1 ? '1 outbox message was' : `${parked.length} outbox messages were`;
  const lines = parked.slice(0, LINES_SHOWN).map((message) => {
    // Cut after escaping, so escaped characters cannot push a line past its share of the section.
    const reason = truncate(escapeMrkdwn(oneLine(message.lastError ?? 'no error recorded')), ERROR_SHOWN);
    const tries = message.attempts === 1 ? '1 attempt' : `${message.attempts} attempts`;
    return (
      `• #${message.id} ${truncate(escapeMrkdwn(oneLine(message.kind)), KIND_SHOWN)}, queued ${onDateTime(message.createdAt)}, ` +
      `${tries}: ${reason}`
    );
  });
  const more = parked.length > LINES_SHOWN ? `\n…and ${parked.length - LINES_SHOWN} more.` : '';
  return {
    text: fallbackText(`${count} parked as failed and will not be retried`),
    blocks: [
      header('Outbox messages parked'),
      section(
        mrkdwn(
          `:warning: ${count} parked as failed: Slack refused them for good, or kept failing for the whole retry window. They will ` +
            `not be sent unless retried.`,
        ),
      ),
      section(mrkdwn(`${lines.join('\n')}${more}`, LIMIT.sectionText)),
      context(
        mrkdwn(
          '`npx gatehouse outbox failed` lists them with their errors; once the cause is fixed, `npx gatehouse outbox retry ID…` ' +
            '(or `--all`) sends them again.',
        ),
      ),
    ],
  };
}
