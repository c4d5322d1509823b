import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('debug', stream), records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('logging', () => {
  it('writes structured JSON with a level name and time', () => {
    const { logger, records } = capture();
    logger.info({ organizationId: 7 }, 'approved');
    expect(records()[0]).toMatchObject({ level: 'info', msg: 'approved', organizationId: 7, service: 'gatehouse' });
    expect(typeof records()[0]?.time).toBe('string');
  });

  it('redacts tokens, secrets and invitation codes wherever they are', () => {
    const { logger, records } = capture();
    logger.info(
      {
        token: 'xoxb-123-456-secret',
        config: { SLACK_SIGNING_SECRET: 'shh', DATABASE_URL: 'postgresql://app:hunter2@db/gatehouse' },
        invitation: { code: 'c0de-c0de', invitationCode: 'c0de-2', email: 'a@example.com' },
        headers: { authorization: 'Bearer xoxb-1', 'x-slack-signature': 'v0=abc' },
        note: 'called with xoxb-999-888-leaked and xapp-1-A-2-leaked',
        command: { text: 'accept Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg' },
        action: { value: '42.QmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXhxdXg', sealedCode: 'c2VhbGVk' },
      },
      'request failed for postgresql://app:hunter2@db/gatehouse using xoxb-777-secret',
    );
    const text = JSON.stringify(records());
    for (const secret of [
      'xoxb-123',
      'shh',
      'hunter2',
      'c0de',
      'Bearer',
      'v0=abc',
      'xoxb-999',
      'xapp-1-A',
      'xoxb-777',
      'Zm9vYmFy',
      'QmFyYmF6',
      'c2VhbGVk',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('a@example.com');
  });

  it('redacts secrets in logged errors', () => {
    const { logger, records } = capture();
    logger.error({ err: new Error('invalid_auth for xoxb-42-secret') }, 'Slack call failed');
    expect(JSON.stringify(records())).not.toContain('xoxb-42');
    expect(JSON.stringify(records())).toContain('invalid_auth');
  });
});
