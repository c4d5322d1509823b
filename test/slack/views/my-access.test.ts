import { describe, expect, it } from 'vitest';
import type { MyAccessModel } from '../../../src/domain/read-models.js';
import { checkMessage, checkView, countBlockTextCharacters } from '../../../src/sandbox/index.js';
import { ACTION } from '../../../src/slack/views/ids.js';
import { myAccessHome, myAccessMessage } from '../../../src/slack/views/my-access.js';
import {
  allText,
  buttons,
  CATALOG,
  connection,
  EVIL,
  expectInert,
  myAccessModel,
  organization,
  pendingRequest,
  person,
  requestCard,
} from './fixtures.js';

function adminModel(overrides: Partial<MyAccessModel> = {}): MyAccessModel {
  return myAccessModel({
    isAdmin: true,
    awaitingDecision: [
      requestCard({ requestId: 40 }),
      requestCard({ requestId: 41, requester: person({ slackUserId: 'U0BOB', displayName: 'Bob' }) }),
    ],
    awaitingCount: 2,
    ...overrides,
  });
}

/** The most any surface could be asked to show. */
function maximalModel(): MyAccessModel {
  const long = 'p'.repeat(1000);
  const hugeOrganization = (id: number) => organization({ id, name: `Organization ${id} ${'N'.repeat(190)}`, acronym: 'A'.repeat(30) });
  return {
    person: person(),
    connections: Array.from({ length: 60 }, (_, index) => connection({ organization: hugeOrganization(index + 1), permissions: CATALOG })),
    pendingRequests: Array.from({ length: 40 }, (_, index) =>
      pendingRequest({ requestId: 100 + index, organizationLabel: 'L'.repeat(200), requested: CATALOG, purpose: long }),
    ),
    awaitingDecision: Array.from({ length: 20 }, (_, index) =>
      requestCard({
        requestId: 500 + index,
        organization: hugeOrganization(index),
        requested: CATALOG,
        purpose: long,
        requester: person({ displayName: 'R'.repeat(300) }),
      }),
    ),
    awaitingCount: 200,
    isAdmin: true,
  };
}

describe('myAccessHome', () => {
  it('lists connections with permissions, status and a Slack-formatted end date', () => {
    const home = myAccessHome(myAccessModel());
    expect(checkView(home, 'home')).toEqual([]);
    const text = allText(home);
    expect(text).toContain(
      '*City of Redlands (COR)*  ·  Active  ·  access ends <!date^4102473599^{date_long} at {time}|December 31, 2099, end of day>',
    );
    expect(text).toContain('Download software, Esri access');
  });

  it('lists pending requests, each with a Withdraw button', () => {
    const home = myAccessHome(myAccessModel({ pendingRequests: [pendingRequest(), pendingRequest({ requestId: 32 })] }));
    expect(checkView(home, 'home')).toEqual([]);
    expect(buttons(home).filter((button) => button.action_id !== ACTION.myAccessExpand)).toEqual([
      expect.objectContaining({ action_id: ACTION.withdraw, value: '31', confirm: expect.anything() }),
      expect.objectContaining({ action_id: ACTION.withdraw, value: '32', confirm: expect.anything() }),
    ]);
    expect(allText(home)).toContain('Your requests waiting for an answer (2)');
    expect(allText(home)).toContain('I manage our ArcGIS licenses.');
  });

  it('shows an admin what waits for their decision, with Approve and Deny', () => {
    const home = myAccessHome(adminModel());
    expect(checkView(home, 'home')).toEqual([]);
    expect(allText(home)).toContain('Waiting for your decision (2)');
    const decisions = buttons(home).filter((button) => button.action_id === ACTION.approve || button.action_id === ACTION.deny);
    expect(decisions.map((button) => [button.action_id, button.value])).toEqual([
      [ACTION.approve, '40'],
      [ACTION.deny, '40'],
      [ACTION.approve, '41'],
      [ACTION.deny, '41'],
    ]);
  });

  it('tells an admin with nothing waiting that all is quiet', () => {
    const home = myAccessHome(adminModel({ awaitingDecision: [], awaitingCount: 0 }));
    expect(checkView(home, 'home')).toEqual([]);
    expect(allText(home)).toContain('Waiting for your decision (0)');
    expect(allText(home)).toContain('Nothing right now');
  });

  it('does not show the decision list to someone who is not an admin', () => {
    expect(allText(myAccessHome(myAccessModel()))).not.toContain('Waiting for your decision');
  });

  it('welcomes someone with nothing yet and points to /access request and /access help', () => {
    const home = myAccessHome(myAccessModel({ connections: [], pendingRequests: [] }));
    expect(checkView(home, 'home')).toEqual([]);
    const text = allText(home);
    expect(text).toContain('Welcome to Gatehouse');
    expect(text).toContain('`/access request`');
    expect(text).toContain('`/access help`');
    expect(buttons(home)).toEqual([]);
  });

  it('mentions the commands on a full home tab too', () => {
    const text = allText(myAccessHome(adminModel()));
    expect(text).toContain('`/access request`');
    expect(text).toContain('`/access help`');
  });

  it('shows the first items of long lists, says how many more, and stays within 100 blocks', () => {
    const home = myAccessHome(maximalModel());
    expect(checkView(home, 'home')).toEqual([]);
    expect(home.blocks.length).toBeLessThanOrEqual(95);
    const text = allText(home);
    expect(text).toContain('Waiting for your decision (200)');
    expect(text).toMatch(/…and 185 more requests\./);
    expect(text).toMatch(/…and 30 more requests\./);
    expect(text).toContain('Your organizations (60)');
    expect(text).toMatch(/…and \d+ more organizations\./);
  });
});

describe('myAccessMessage', () => {
  it('is an ephemeral reply with the same content as App Home', () => {
    const message = myAccessMessage(adminModel());
    expect(message.response_type).toBe('ephemeral');
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('City of Redlands (COR)');
    expect(text).toContain('Waiting for your decision (2)');
    expect(text).toMatch(/<!date\^\d+\^\{date_long\}/);
    expect(buttons(message).map((button) => button.action_id)).toEqual([
      ACTION.approve,
      ACTION.deny,
      ACTION.approve,
      ACTION.deny,
      ACTION.withdraw,
      ACTION.myAccessExpand,
    ]);
    expect(message.text).toBe(
      'Your access in Gatehouse: connected to 1 organization, 1 request waiting for an answer, 2 requests waiting for your decision.',
    );
  });

  it('says how to ask when the person is not connected anywhere', () => {
    const message = myAccessMessage(myAccessModel({ connections: [], pendingRequests: [] }));
    expect(checkMessage(message)).toEqual([]);
    expect(allText(message)).toContain("You're not connected to any organization yet. Ask to join one with `/access request`.");
    expect(message.text).toContain('not connected to any organization yet');
  });

  it('shows the first items of long lists and points to App Home for the rest, well within limits', () => {
    const message = myAccessMessage(maximalModel());
    expect(checkMessage(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(45);
    expect(countBlockTextCharacters(message.blocks)).toBeLessThanOrEqual(11_000);
    const text = allText(message);
    expect(text).toContain('Waiting for your decision (200)');
    expect(text).toMatch(/…and 19\d more requests: open the Gatehouse App Home to see them\./);
    expect(text).toMatch(/…and \d+ more organizations: open the Gatehouse App Home/);
    expect(buttons(message).length).toBeGreaterThan(0);
  });
});

describe('user text in my access', () => {
  const hostile: MyAccessModel = adminModel({
    person: person({ slackUserId: 'nope', displayName: EVIL }),
    connections: [connection({ organization: organization({ name: EVIL, acronym: EVIL }) })],
    pendingRequests: [pendingRequest({ organizationLabel: EVIL, purpose: EVIL })],
    awaitingDecision: [
      requestCard({
        requester: person({ displayName: EVIL, slackUserId: 'x' }),
        organization: organization({ name: EVIL }),
        purpose: EVIL,
      }),
    ],
    awaitingCount: 1,
  });

  it('renders inert in App Home and in /access me', () => {
    const home = myAccessHome(hostile);
    expect(checkView(home, 'home')).toEqual([]);
    expectInert(home);
    const message = myAccessMessage(hostile);
    expect(checkMessage(message)).toEqual([]);
    expectInert(message);
  });
});

describe("one organization's details in /access me and App Home", () => {
  const ADMINISTRATORS = [person({ slackUserId: 'U0ADA', displayName: 'Ada' }), person({ slackUserId: 'U0BOB', displayName: 'Bob' })];
  const expanded = { organizationId: organization().id, connectedAt: new Date('2026-01-05T17:00:00Z'), administrators: ADMINISTRATORS };

  it('shows each permission with what it is for, the dates and the Administrators, with a button to close them', () => {
    for (const surface of [myAccessHome(myAccessModel({ expanded })), myAccessMessage(myAccessModel({ expanded }))]) {
      const text = allText(surface);
      expect(text).toContain('*Download software*: Download the software and updates your organization is licensed for.');
      expect(text).toContain('starts January 1, 2026');
      expect(text).toContain('ends <!date^4102473599^{date_long} at {time}|December 31, 2099, end of day>');
      expect(text).toContain('*Administrators:* <@U0ADA>, <@U0BOB>');
      expect(buttons(surface).map((button) => [button.action_id, button.value])).toContainEqual([
        ACTION.myAccessCollapse,
        String(organization().id),
      ]);
    }
    const closed = allText(myAccessHome(myAccessModel()));
    expect(closed).not.toContain('Download the software and updates');
  });

  it('stays within the limits with the most to show, and keeps the open organization even when it is far down the list', () => {
    const model = maximalModel();
    const last = model.connections.at(-1)!.organization.id;
    const many = Array.from({ length: 40 }, (_, index) => person({ slackUserId: `U0A${index}`, displayName: 'A'.repeat(300) }));
    const open = { ...model, expanded: { ...expanded, organizationId: last, administrators: many } };
    const home = myAccessHome(open);
    expect(checkView(home, 'home')).toEqual([]);
    expect(home.blocks.length).toBeLessThanOrEqual(95);
    expect(allText(home)).toContain('and 30 more  ·');
    const message = myAccessMessage(open);
    expect(checkMessage(message)).toEqual([]);
    expect(countBlockTextCharacters(message.blocks)).toBeLessThanOrEqual(11_000);
    for (const surface of [home, message]) {
      expect(buttons(surface).map((button) => [button.action_id, button.value])).toContainEqual([ACTION.myAccessCollapse, String(last)]);
    }
  });

  it('renders user text inert', () => {
    const hostile = myAccessModel({
      connections: [connection({ organization: organization({ name: EVIL }) })],
      expanded: { ...expanded, administrators: [person({ slackUserId: 'x', displayName: EVIL })] },
    });
    expectInert(myAccessHome(hostile));
    expectInert(myAccessMessage(hostile));
  });
});

describe('expired access in /access me and App Home', () => {
  it('says when it expired and until when an admin can restore it, and that it is not in effect', () => {
    const expired = connection({
      status: 'EXPIRED',
      endsOn: '2027-01-31',
      endsAt: new Date('2027-02-01T08:00:00.000Z'),
      permissions: CATALOG.slice(0, 2),
    });
    const message = myAccessMessage(myAccessModel({ connections: [expired] }));
    expect(checkMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('Expired on');
    // The grace period ends 30 days after the end: March 3, 2027 at 08:00 UTC.
    expect(text).toContain('your admin can restore it until <!date^1804060800^');
    expect(text).toContain('Not in effect:');
    expect(checkView(myAccessHome(myAccessModel({ connections: [expired] })))).toEqual([]);
  });
});
