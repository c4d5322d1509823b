import { describe, expect, it } from 'vitest';
import type { RequestCardModel } from '../../../src/domain/read-models.js';
import { checkMessage } from '../../../src/sandbox/index.js';
import { ACTION } from '../../../src/slack/views/ids.js';
import { requestCardMessage, requesterReceiptMessage } from '../../../src/slack/views/request-card.js';
import {
  allText,
  blockById,
  buttons,
  CATALOG,
  connection,
  decision,
  DECIDED_AT,
  EVIL,
  expectInert,
  findAll,
  organization,
  person,
  plainTexts,
  requestCard,
} from './fixtures.js';

const ORGANIZATIONS = [
  organization(),
  organization({ id: 8, name: 'Springfield Water Department', acronym: 'SWD', customerNumber: '300400' }),
];
const UNLISTED: RequestCardModel['unlisted'] = {
  customerNumber: '999999',
  name: 'Redlands Planning Dept',
  acronym: 'RPD',
  department: 'Long-range planning',
  city: 'Redlands',
};

const decided: Record<string, Partial<RequestCardModel>> = {
  approved: { status: 'APPROVED', decision: decision() },
  denied: { status: 'DENIED', decision: decision({ outcome: 'DENIED', granted: [], note: 'Finance handles orders', endsOn: null }) },
  withdrawn: { status: 'WITHDRAWN', withdrawnAt: DECIDED_AT },
  expired: { status: 'EXPIRED' },
};

describe('requestCardMessage for admins', () => {
  it('shows who asks, for what, where and why, with Approve and Deny while pending', () => {
    const message = requestCardMessage(requestCard(), 'admin');
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('<@U0RITA>');
    expect(text).toContain('Rita Requester · rita@redlands.example');
    expect(text).toContain('City of Redlands (COR)');
    expect(text).toContain('Customer number 100200');
    expect(text).toContain('Redlands, United States');
    expect(text).toContain('Download software');
    expect(text).toContain('Access e-Learning');
    expect(text).toContain('I install ArcGIS Pro for the planning team.');
    expect(text).toMatch(/<!date\^\d+\^/);

    const actions = blockById(message, 'request_actions_12');
    expect(actions?.type).toBe('actions');
    expect(buttons(message)).toEqual([
      expect.objectContaining({ action_id: ACTION.approve, value: '12', style: 'primary' }),
      expect.objectContaining({ action_id: ACTION.deny, value: '12', style: 'danger' }),
    ]);
    expect(message.text).toContain('Rita Requester');
    expect(message.text).toContain('City of Redlands');
  });

  it('says what the requester already holds, and that approving replaces it', () => {
    const message = requestCardMessage(requestCard({ currentConnection: connection() }), 'admin');
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('Already connected');
    expect(text).toContain('Esri access');
    expect(text).toMatch(/replaces what they hold/);
  });

  it.each(Object.entries(decided))('has no buttons once %s, and an outcome line instead', (_, state) => {
    const message = requestCardMessage(requestCard(state), 'admin');
    expect(checkMessage(message)).toEqual([]);
    expect(buttons(message)).toEqual([]);
    expect(findAll(message.blocks, (node) => node.type === 'actions')).toEqual([]);
  });

  it('says who approved, when, what was granted, until when, and the note', () => {
    const text = allText(requestCardMessage(requestCard(decided.approved), 'admin'));
    expect(text).toMatch(/Approved by <@U0ADA> on <!date\^\d+\^\{date_short\} at \{time\}\|2026-11-21 09:05 UTC>/);
    expect(text).toContain('*Granted*\n• Download software\n• Esri access');
    expect(text).toMatch(/Access ends <!date\^\d+\^\{date_long\} at \{time\}\|December 31, 2099, end of day>/);
    expect(text).toContain('Note: Esri access instead of e-Learning for now');
  });

  it('says who denied, when and why', () => {
    const text = allText(requestCardMessage(requestCard(decided.denied), 'admin'));
    expect(text).toMatch(/Denied by <@U0ADA> on <!date/);
    expect(text).toContain('Reason: Finance handles orders');
  });

  it('says when the requester withdrew, and when it expired', () => {
    expect(allText(requestCardMessage(requestCard(decided.withdrawn), 'admin'))).toMatch(/Withdrawn by the requester on <!date/);
    expect(allText(requestCardMessage(requestCard(decided.expired), 'admin'))).toContain('Expired unanswered');
  });

  it('labels an unlisted organization as typed by the requester', () => {
    const message = requestCardMessage(requestCard({ organization: null, unlisted: UNLISTED }), 'admin');
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('not listed in Gatehouse');
    expect(text).toContain('Redlands Planning Dept (RPD)');
    expect(text).toContain('Customer number 999999');
    expect(text).toContain('Department: Long-range planning');
    expect(text).toContain('City: Redlands');
  });
});

describe('requestCardMessage in triage', () => {
  it('offers a confirmed route select of the organizations and a Deny button while pending', () => {
    const message = requestCardMessage(requestCard({ organization: null, unlisted: UNLISTED, inTriage: true }), 'triage', ORGANIZATIONS);
    expect(checkMessage(message)).toEqual([]);
    const actions = blockById(message, 'triage_12') as { elements: Array<Record<string, unknown>> } | undefined;
    expect(actions).toBeDefined();
    const [select, deny] = actions!.elements;
    expect(select).toMatchObject({ type: 'static_select', action_id: ACTION.triageRoute });
    expect((select!.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['7', '8']);
    expect(select!.confirm).toBeDefined();
    expect(deny).toMatchObject({ type: 'button', action_id: ACTION.triageDeny, value: '12' });
    expect(buttons(message).map((button) => button.action_id)).not.toContain(ACTION.approve);
    expect(allText(message)).toMatch(/couldn't find their organization/);
  });

  it('searches organizations when none are listed inline', () => {
    for (const options of [null, undefined]) {
      const message = requestCardMessage(requestCard({ organization: null, unlisted: UNLISTED, inTriage: true }), 'triage', options);
      expect(checkMessage(message)).toEqual([]);
      const select = (blockById(message, 'triage_12') as { elements: Array<Record<string, unknown>> }).elements[0];
      expect(select).toMatchObject({ type: 'external_select', action_id: ACTION.triageRoute, min_query_length: 1 });
    }
  });

  it('explains an organization with no Administrator yet', () => {
    const message = requestCardMessage(requestCard({ inTriage: true }), 'triage', ORGANIZATIONS);
    expect(allText(message)).toMatch(/has no Administrator in Gatehouse yet/);
  });

  it.each(Object.entries(decided))('drops the select and Deny once %s', (_, state) => {
    const message = requestCardMessage(requestCard({ ...state, organization: null, unlisted: UNLISTED }), 'triage', ORGANIZATIONS);
    expect(checkMessage(message)).toEqual([]);
    expect(blockById(message, 'triage_12')).toBeUndefined();
    expect(buttons(message)).toEqual([]);
  });
});

describe('requesterReceiptMessage', () => {
  it('confirms what was asked and where it went, with a confirmed Withdraw while pending', () => {
    const message = requesterReceiptMessage(requestCard(), 'admins');
    expect(checkMessage(message)).toEqual([]);
    expect(buttons(message)).toEqual([expect.objectContaining({ action_id: ACTION.withdraw, value: '12', confirm: expect.anything() })]);
    const text = allText(message);
    expect(text).toContain('The Administrators of City of Redlands (COR) have it');
    expect(text).toContain('Download software');
    expect(text).toContain('I install ArcGIS Pro for the planning team.');
  });

  it('explains triage for an organization with no administrator and for an unlisted one', () => {
    expect(allText(requesterReceiptMessage(requestCard({ inTriage: true }), 'triage-no-admin'))).toMatch(
      /has no administrator in Gatehouse yet, so Gatehouse's operators/,
    );
    const unlisted = requesterReceiptMessage(requestCard({ organization: null, unlisted: UNLISTED, inTriage: true }), 'triage-unlisted');
    expect(checkMessage(unlisted)).toEqual([]);
    expect(allText(unlisted)).toMatch(/operators will match your request/);
  });

  it.each(Object.entries(decided))('shows the status instead of Withdraw once %s', (name, state) => {
    const message = requesterReceiptMessage(requestCard(state), 'admins');
    expect(checkMessage(message)).toEqual([]);
    expect(buttons(message)).toEqual([]);
    expect(allText(message).toLowerCase()).toContain(name === 'withdrawn' ? 'you withdrew' : name);
  });

  it('leaves the reason for the outcome message, which the admin may choose not to send', () => {
    expect(allText(requesterReceiptMessage(requestCard(decided.denied), 'admins'))).not.toContain('Finance handles orders');
  });
});

describe('user text on request messages', () => {
  const hostile = requestCard({
    requester: person({ displayName: EVIL, email: `${EVIL}@example.com` }),
    organization: organization({ name: EVIL, acronym: EVIL, city: EVIL, country: EVIL }),
    purpose: EVIL,
    currentConnection: connection({ organization: organization({ name: EVIL }) }),
  });
  const hostileUnlisted = requestCard({
    organization: null,
    unlisted: { customerNumber: EVIL, name: EVIL, acronym: EVIL, department: EVIL, city: EVIL },
    purpose: EVIL,
  });
  const hostileDecision = {
    status: 'APPROVED' as const,
    decision: decision({ note: EVIL, by: person({ slackUserId: '<!channel>', displayName: EVIL }) }),
  };

  it.each([
    ['admin card', requestCardMessage(hostile, 'admin')],
    ['triage card', requestCardMessage(hostileUnlisted, 'triage', [organization({ name: EVIL })])],
    ['decided card', requestCardMessage({ ...hostile, ...hostileDecision }, 'admin')],
    ['receipt', requesterReceiptMessage(hostile, 'triage-no-admin')],
    ['decided receipt', requesterReceiptMessage({ ...hostileUnlisted, ...hostileDecision }, 'triage-unlisted')],
  ])('renders inert on the %s', (_, message) => {
    expect(checkMessage(message)).toEqual([]);
    expectInert(message);
    // Still readable: the text is there, literally, as plain text.
    expect(plainTexts(message).some((text) => text.includes(EVIL))).toBe(true);
  });

  it('mentions only real user ids', () => {
    const message = requestCardMessage(requestCard({ requester: person({ slackUserId: 'U1><!channel', displayName: 'Rita' }) }), 'admin');
    expect(allText(message)).not.toContain('<@U1');
    expect(allText(message)).toContain('Rita');
  });
});

describe('long requests', () => {
  it('stay within Slack limits with a maximal purpose, names and every permission', () => {
    const long = 'x'.repeat(1000);
    const model = requestCard({
      requester: person({ displayName: 'R'.repeat(300), email: `${'e'.repeat(300)}@example.com` }),
      organization: organization({ name: 'N'.repeat(200), acronym: 'A'.repeat(30), city: 'C'.repeat(100), country: 'K'.repeat(100) }),
      requested: requestCard().requested.concat(connection().permissions),
      purpose: long,
      currentConnection: connection(),
    });
    for (const message of [
      requestCardMessage(model, 'admin'),
      requestCardMessage({ ...model, status: 'APPROVED', decision: decision({ note: long }) }, 'admin'),
      requestCardMessage(
        {
          ...model,
          organization: null,
          unlisted: {
            customerNumber: 'X'.repeat(32),
            name: 'N'.repeat(200),
            acronym: 'A'.repeat(30),
            department: 'D'.repeat(200),
            city: 'C'.repeat(100),
          },
        },
        'triage',
        ORGANIZATIONS,
      ),
      requesterReceiptMessage(model, 'admins'),
    ]) {
      expect(checkMessage(message)).toEqual([]);
      expect(allText(message)).toContain(long);
    }
  });

  it('lists the whole catalog, and says so when no permission is named', () => {
    const everything = requestCardMessage(requestCard({ requested: CATALOG }), 'admin');
    expect(checkMessage(everything)).toEqual([]);
    expect(allText(everything)).toContain('View User Conference registrations');
    expect(allText(requestCardMessage(requestCard({ requested: [] }), 'admin'))).toContain('No permissions named');
  });
});

describe('requestCardMessage once routed from triage', () => {
  it('says where the request went and keeps no controls', () => {
    const message = requestCardMessage(requestCard({ inTriage: false }), 'triage', ORGANIZATIONS);
    expect(checkMessage(message)).toEqual([]);
    expect(blockById(message, 'triage_12')).toBeUndefined();
    expect(buttons(message)).toEqual([]);
    expect(allText(message)).toContain('Sent to the Administrators of City of Redlands (COR)');
    expect(allText(message)).not.toMatch(/has no Administrator/);
  });

  it('tells the requester the admins have it now, and the truth when nobody can take it', () => {
    expect(allText(requesterReceiptMessage(requestCard({ inTriage: false }), 'triage-no-admin'))).toContain(
      'The Administrators of City of Redlands (COR) have it',
    );
    const unattended = requesterReceiptMessage(
      requestCard({ organization: null, unlisted: UNLISTED, inTriage: true }),
      'unattended-unlisted',
    );
    expect(checkMessage(unattended)).toEqual([]);
    expect(allText(unattended)).toMatch(/nobody in Gatehouse can handle your request/);
    expect(allText(unattended)).not.toMatch(/operators will/);
  });
});
