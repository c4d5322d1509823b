import { describe, expect, it } from 'vitest';
import { PERMISSION } from '../../../src/domain/permission-catalog.js';
import type { PermissionsChangedNotice, RequestOutcomeModel } from '../../../src/domain/read-models.js';
import { checkMessage } from '../../../src/sandbox/index.js';
import { alreadyDecidedText, permissionsChangedMessage, requestOutcomeMessage } from '../../../src/slack/views/notices.js';
import {
  ADA,
  allText,
  CATALOG,
  decision,
  DECIDED_AT,
  EVIL,
  expectInert,
  organization,
  permissions,
  person,
  requestCard,
  RITA,
} from './fixtures.js';

function approvedOutcome(overrides: Partial<RequestOutcomeModel> = {}): RequestOutcomeModel {
  const granted = permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess);
  return {
    request: requestCard({ status: 'APPROVED', decision: decision({ granted }) }),
    decision: decision({ granted }),
    differences: { added: permissions(PERMISSION.esriAccess), removed: permissions(PERMISSION.eLearning) },
    ...overrides,
  };
}

function deniedOutcome(): RequestOutcomeModel {
  const denial = decision({ outcome: 'DENIED', granted: [], note: 'Finance handles orders', endsOn: null });
  return { request: requestCard({ status: 'DENIED', decision: denial }), decision: denial, differences: { added: [], removed: [] } };
}

describe('requestOutcomeMessage', () => {
  it('tells the requester what was granted, marking what differs from the request', () => {
    const message = requestOutcomeMessage(approvedOutcome());
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('<@U0ADA> approved your request for access to *City of Redlands (COR)*');
    expect(text).toContain('• Download software\n• Esri access  _(added by your administrator)_');
    expect(text).toContain('*Asked for but not granted*\n• Access e-Learning');
    expect(text).toMatch(/Your access ends <!date\^\d+\^\{date_long\} at \{time\}\|December 31, 2099, end of day>/);
    expect(text).toContain('Esri access instead of e-Learning for now');
    expect(message.text).toBe('Your request for access to City of Redlands (COR) was approved by Ada Admin.');
  });

  it('leaves out differences, end date and note when there are none', () => {
    const granted = permissions(PERMISSION.downloadSoftware);
    const plainApproval = decision({ granted, note: null, endsOn: null });
    const message = requestOutcomeMessage({
      request: requestCard({ requested: granted, status: 'APPROVED', decision: plainApproval }),
      decision: plainApproval,
      differences: { added: [], removed: [] },
    });
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).not.toMatch(/not granted|added by|ends|Note/);
  });

  it('tells the requester who denied it and why', () => {
    const message = requestOutcomeMessage(deniedOutcome());
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('was denied by <@U0ADA>');
    expect(text).toContain('Finance handles orders');
    expect(text).toContain('/access request');
  });

  it('keeps notes, reasons and names inert', () => {
    const hostile = approvedOutcome({
      request: requestCard({ organization: organization({ name: EVIL, acronym: EVIL }) }),
      decision: decision({ note: EVIL, by: person({ slackUserId: 'not-an-id', displayName: EVIL }) }),
    });
    const denial = { ...deniedOutcome(), decision: decision({ outcome: 'DENIED', note: EVIL, granted: [] }) };
    for (const message of [requestOutcomeMessage(hostile), requestOutcomeMessage(denial)]) {
      expect(checkMessage(message)).toEqual([]);
      expectInert(message);
    }
  });

  it('stays within limits with a 1000-character note and the whole catalog', () => {
    const message = requestOutcomeMessage(
      approvedOutcome({
        decision: decision({ granted: CATALOG, note: 'n'.repeat(1000) }),
        differences: { added: CATALOG, removed: CATALOG },
      }),
    );
    expect(checkMessage(message)).toEqual([]);
  });
});

describe('permissionsChangedMessage', () => {
  const notice: PermissionsChangedNotice = {
    organization: organization(),
    subject: RITA,
    actor: ADA,
    before: permissions(PERMISSION.downloadSoftware),
    after: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    requestId: 12,
    note: 'Esri access for the forums',
  };

  it('tells another admin who changed whose permissions where, before and after, with the note', () => {
    const message = permissionsChangedMessage(notice);
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain("<@U0ADA> changed <@U0RITA>'s permissions in *City of Redlands (COR)*");
    expect(text).toContain('*Before*\n• Download software');
    expect(text).toContain('*After*\n• Download software\n• Esri access  _(new)_');
    expect(text).toContain('request #12');
    expect(text).toContain('Note: Esri access for the forums');
    expect(message.text).toBe("Ada Admin changed Rita Requester's permissions in City of Redlands (COR).");
  });

  it('marks removals and an empty side', () => {
    const text = allText(permissionsChangedMessage({ ...notice, after: [], requestId: null, note: null }));
    expect(text).toContain('• Download software  _(removed)_');
    expect(text).toContain('*After*\n_None_');
  });

  it('keeps names and notes inert', () => {
    const message = permissionsChangedMessage({
      ...notice,
      organization: organization({ name: EVIL }),
      subject: person({ displayName: EVIL, email: EVIL }),
      note: EVIL,
    });
    expect(checkMessage(message)).toEqual([]);
    expectInert(message);
  });
});

describe('alreadyDecidedText', () => {
  it('tells a late admin who decided first, and when', () => {
    expect(alreadyDecidedText(decision())).toMatch(
      /^Already approved by <@U0ADA> on <!date\^\d+\^\{date_short\} at \{time\}\|2026-11-21 09:05 UTC>\.$/,
    );
    expect(alreadyDecidedText(decision({ outcome: 'DENIED' }))).toMatch(/^Already denied by <@U0ADA> on <!date/);
    expect(alreadyDecidedText({ outcome: 'WITHDRAWN', at: DECIDED_AT })).toMatch(/^The requester withdrew this request on <!date/);
    expect(alreadyDecidedText({ outcome: 'EXPIRED', at: DECIDED_AT })).toMatch(/^This request expired on <!date.*without an answer\.$/);
  });

  it('never lets a decider’s name ping anyone', () => {
    const text = alreadyDecidedText(decision({ by: person({ slackUserId: '<!channel>', displayName: EVIL }) }));
    expectInert({ text });
  });
});
