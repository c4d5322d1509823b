import { describe, expect, it } from 'vitest';
import { LOG_ACTION } from '../../../src/domain/permissions-log.js';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import type { AuditEntry, AuditLinesModel } from '../../../src/services/audit-entries.js';
import { permissionCatalog, permissionsFor } from '../../../src/services/read-models.js';
import { checkMessage } from '../../../src/sandbox/index.js';
import { auditLinesMessage } from '../../../src/slack/views/audit-lines.js';

const EVIL = '<!channel> *bold* <https://evil.example|click>';
const ORGANIZATION = {
  id: 1,
  name: 'City of Redlands',
  acronym: 'COR',
  customerNumber: '100200',
  city: null,
  country: null,
  timeZone: 'UTC',
};
const ADA = { slackUserId: 'U0ADA', displayName: 'Ada Admin', email: 'ada@example.com' };
const RITA = { slackUserId: 'U0RITA', displayName: 'Rita Member', email: 'rita@example.com' };
const AT = new Date('2026-11-30T10:00:00Z');

function entry(sequence: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    sequence,
    action: LOG_ACTION.requestApproved,
    actor: ADA,
    actorLabel: null,
    subject: RITA,
    subjectEmail: null,
    permissions: permissionsFor([PERMISSION.esriAccess], permissionCatalog()),
    at: AT,
    ...overrides,
  };
}

function model(entries: AuditEntry[], fromSequence: number, toSequence: number): AuditLinesModel {
  return { organization: ORGANIZATION, fromSequence, toSequence, entries };
}

const textOf = (message: { text: string; blocks: unknown }) => `${message.text}\n${JSON.stringify(message.blocks)}`;

describe('auditLinesMessage', () => {
  it('draws one change as one line with its sequence number, who, what and to whom', () => {
    const message = auditLinesMessage(model([entry(42)], 42, 42));
    expect(checkMessage(message)).toEqual([]);
    expect(textOf(message)).toContain('`#42`  ·  <@U0ADA>  ·  Approved a request  ·  <@U0RITA>  ·  Esri access');
    expect(message.text).toContain('#42');
    expect(message.text).toContain('Ada Admin');
    expect(message.text).not.toContain('<@');
  });

  it('draws a batch as one post naming its range, its first entries and how many more', () => {
    const entries = Array.from({ length: 10 }, (_, index) =>
      entry(120 + index, { action: LOG_ACTION.invitationSent, subject: null, subjectEmail: `person${index}@example.com` }),
    );
    const message = auditLinesMessage(model(entries, 120, 1119));
    expect(checkMessage(message)).toEqual([]);
    const text = textOf(message);
    expect(text).toContain('*1000 log entries* (#120–#1119)');
    expect(text).toContain('`#129`  ·  <@U0ADA>  ·  Invited  ·  person9@example.com');
    expect(text).toContain('and 990 more');
  });

  it('names the system when no member acted, and keeps user text inert', () => {
    const message = auditLinesMessage({
      ...model(
        [entry(7, { actor: null, actorLabel: 'system', action: LOG_ACTION.connectionExpired, subject: { ...RITA, displayName: EVIL } })],
        7,
        7,
      ),
      organization: { ...ORGANIZATION, name: EVIL, acronym: null },
    });
    const text = textOf(message);
    expect(text).toContain('Gatehouse  ·  Access expired');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
  });
});
