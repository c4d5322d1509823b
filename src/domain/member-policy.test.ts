import { describe, expect, it } from 'vitest';
import { MANAGEMENT_ACTIONS, type BulkAction, type ManagementAction } from './member-management.js';
import {
  bulkOutcome,
  logScopeOf,
  mayLeaveOrganization,
  mayTake,
  raisesAccess,
  rowCapabilities,
  type ManagerFacts,
  type PolicyContext,
  type SubjectFacts,
  type SubjectOutcome,
} from './member-policy.js';
import { PERMISSION } from './permission-catalog.js';
import type { AdminRoles } from './policy.js';

const TODAY = '2031-03-02';
const CONTEXT: PolicyContext = { today: TODAY, otherAdministrators: 1 };
const ADMINISTRATORS = [{ slackUserId: 'U0ADA', displayName: 'Ada Admin', email: 'ada@example.com' }];
const SUPPORT = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];

function actor(roles: Partial<AdminRoles>, memberId = 1): ManagerFacts {
  return {
    memberId,
    email: `actor${memberId}@example.com`,
    roles: { administrator: false, trainingAdmin: false, authorizedCallerAdmin: false, ...roles },
    organizationName: 'City of Redlands',
    administrators: ADMINISTRATORS,
  };
}

const ACTORS = {
  administrator: actor({ administrator: true }),
  training: actor({ trainingAdmin: true }),
  callers: actor({ authorizedCallerAdmin: true }),
  member: actor({}),
} as const;

function subject(facts: Partial<SubjectFacts> = {}): SubjectFacts {
  return {
    memberId: 9,
    email: 'rita@example.com',
    status: 'ACTIVE',
    isEffectiveAdministrator: false,
    restorable: false,
    permissions: [PERMISSION.eLearning],
    tags: [],
    startsOn: null,
    endsOn: null,
    ...facts,
  };
}

const LEARNER = subject();
const INVITATION = subject({ memberId: null, email: 'new@example.org', status: 'INVITATION' });
const CALLER = subject({ permissions: SUPPORT });

function bulk(action: BulkAction, on: SubjectFacts = LEARNER) {
  return { subject: on, after: bulkOutcome(on, action) };
}

function role(permission: string, grant: boolean) {
  return { subject: grant ? LEARNER : subject({ permissions: [PERMISSION.eLearning, permission] }) };
}

/**
 * Every action, the row it is tried on, and who may take it, in the order administrator, training
 * admin, callers admin, plain member. A `Record` over the actions: a new action without its row does
 * not compile, and the test below also checks the keys at run time.
 */
const MATRIX: Record<
  ManagementAction,
  { facts: { subject?: SubjectFacts; after?: SubjectOutcome }; allowed: [boolean, boolean, boolean, boolean] }
> = {
  'users.list': { facts: {}, allowed: [true, true, false, false] },
  'member.edit': { facts: { subject: LEARNER, after: { ...LEARNER, tags: ['x'] } }, allowed: [true, true, false, false] },
  'member.disconnect': {
    facts: { subject: LEARNER, after: { ...LEARNER, status: 'REMOVED', permissions: [] } },
    allowed: [true, true, false, false],
  },
  'member.restore': {
    facts: { subject: subject({ status: 'EXPIRED', restorable: true, endsOn: '2031-02-20' }), after: { ...LEARNER, endsOn: null } },
    allowed: [true, true, false, false],
  },
  'invitation.edit': { facts: { subject: INVITATION }, allowed: [true, true, false, false] },
  'invitation.resend': { facts: { subject: INVITATION }, allowed: [true, true, false, false] },
  'invitation.revoke': { facts: { subject: INVITATION }, allowed: [true, true, false, false] },
  'bulk.add_tag': { facts: bulk({ kind: 'add_tag', tag: 'gis' }), allowed: [true, true, false, false] },
  'bulk.remove_tag': { facts: bulk({ kind: 'remove_tag', tag: 'gis' }), allowed: [true, true, false, false] },
  'bulk.set_end_date': { facts: bulk({ kind: 'set_end_date', endsOn: '2031-06-30' }), allowed: [true, true, false, false] },
  'bulk.clear_end_date': { facts: bulk({ kind: 'clear_end_date' }), allowed: [true, true, false, false] },
  'bulk.add_permission': {
    facts: bulk({ kind: 'add_permission', permission: PERMISSION.downloadSoftware }),
    allowed: [true, false, false, false],
  },
  'bulk.remove_permission': {
    facts: bulk({ kind: 'remove_permission', permission: PERMISSION.eLearning }),
    allowed: [true, true, false, false],
  },
  'bulk.resend': { facts: bulk({ kind: 'resend' }, INVITATION), allowed: [true, true, false, false] },
  'bulk.disconnect': { facts: bulk({ kind: 'disconnect' }), allowed: [true, true, false, false] },
  'callers.list': { facts: {}, allowed: [true, false, true, false] },
  'callers.add': { facts: {}, allowed: [true, false, true, false] },
  'callers.promote': { facts: { subject: LEARNER }, allowed: [true, false, true, false] },
  'callers.edit': { facts: { subject: CALLER }, allowed: [true, false, true, false] },
  'callers.remove': { facts: { subject: CALLER }, allowed: [true, false, true, false] },
  'role.grant.administrator': { facts: role(PERMISSION.administrator, true), allowed: [true, false, false, false] },
  'role.revoke.administrator': { facts: role(PERMISSION.administrator, false), allowed: [true, false, false, false] },
  'role.grant.assign_training': { facts: role(PERMISSION.assignTraining, true), allowed: [true, false, false, false] },
  'role.revoke.assign_training': { facts: role(PERMISSION.assignTraining, false), allowed: [true, false, false, false] },
  'role.grant.assign_authorized_callers': { facts: role(PERMISSION.assignAuthorizedCallers, true), allowed: [true, false, false, false] },
  'role.revoke.assign_authorized_callers': { facts: role(PERMISSION.assignAuthorizedCallers, false), allowed: [true, false, false, false] },
  // Every admin reads and exports the log (logScopeOf narrows what they see); only Administrators see the report.
  'log.view': { facts: {}, allowed: [true, true, true, false] },
  'log.export': { facts: {}, allowed: [true, true, true, false] },
  'report.view': { facts: {}, allowed: [true, false, false, false] },
  'report.export': { facts: {}, allowed: [true, false, false, false] },
};

describe('mayTake', () => {
  it('has a row for every management action', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...MANAGEMENT_ACTIONS].sort());
  });

  const cases = MANAGEMENT_ACTIONS.flatMap((action) =>
    (Object.keys(ACTORS) as Array<keyof typeof ACTORS>).map((kind, index) => ({ action, kind, allowed: MATRIX[action].allowed[index]! })),
  );
  it.each(cases)('$action by $kind: allowed $allowed', ({ action, kind, allowed }) => {
    const decision = mayTake(action, { actor: ACTORS[kind], ...MATRIX[action].facts, context: CONTEXT });
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).not.toBe('');
  });

  it('names the Administrators when it refuses a plain member', () => {
    expect(mayTake('users.list', { actor: ACTORS.member, context: CONTEXT })).toEqual({
      allowed: false,
      code: 'forbidden',
      reason: 'Only Administrators of City of Redlands can do this: ask Ada Admin.',
    });
  });

  it('keeps the last Administrator: no removal, demotion, disconnection or end date in the past', () => {
    const last = subject({ memberId: 7, isEffectiveAdministrator: true, permissions: [PERMISSION.administrator, PERMISSION.eLearning] });
    const alone: PolicyContext = { today: TODAY, otherAdministrators: 0 };
    const outcomes: Array<[ManagementAction, SubjectOutcome | undefined]> = [
      ['member.edit', { ...last, permissions: [PERMISSION.eLearning] }],
      ['member.edit', { ...last, endsOn: '2031-03-01' }],
      ['member.disconnect', { ...last, status: 'REMOVED', permissions: [] }],
      ['role.revoke.administrator', undefined],
      ['bulk.disconnect', bulkOutcome(last, { kind: 'disconnect' })],
      ['bulk.remove_permission', bulkOutcome(last, { kind: 'remove_permission', permission: PERMISSION.administrator })],
    ];
    for (const [action, after] of outcomes) {
      expect(mayTake(action, { actor: ACTORS.administrator, subject: last, after, context: alone }), action).toMatchObject({
        allowed: false,
        code: 'last_administrator',
      });
      expect(mayTake(action, { actor: ACTORS.administrator, subject: last, after, context: CONTEXT }).allowed, action).toBe(true);
    }
    // An end on today keeps them an Administrator today.
    expect(
      mayTake('member.edit', { actor: ACTORS.administrator, subject: last, after: { ...last, endsOn: TODAY }, context: alone }).allowed,
    ).toBe(true);
  });

  it('refuses raising one own access and allows lowering it', () => {
    const self = subject({ memberId: 1, permissions: [PERMISSION.administrator], isEffectiveAdministrator: true, endsOn: '2031-12-31' });
    const may = (after: SubjectOutcome) => mayTake('member.edit', { actor: ACTORS.administrator, subject: self, after, context: CONTEXT });
    expect(may({ ...self, permissions: [PERMISSION.administrator, PERMISSION.eLearning] })).toMatchObject({
      allowed: false,
      code: 'own_access',
    });
    expect(may({ ...self, endsOn: null })).toMatchObject({ allowed: false, code: 'own_access' });
    expect(may({ ...self, endsOn: '2032-01-01' })).toMatchObject({ allowed: false, code: 'own_access' });
    expect(may({ ...self, endsOn: '2031-06-30' }).allowed).toBe(true);
    expect(may({ ...self, tags: ['mine'] }).allowed).toBe(true);
    // The same person known only by address (an invitation to oneself) counts too.
    const toSelf = subject({ memberId: null, email: 'ACTOR1@example.com', status: 'INVITATION' });
    expect(
      mayTake('invitation.edit', {
        actor: ACTORS.administrator,
        subject: toSelf,
        after: { ...toSelf, permissions: [PERMISSION.esriAccess] },
        context: CONTEXT,
      }),
    ).toMatchObject({ allowed: false, code: 'own_access' });
  });

  it('lets a training admin touch only e-Learning-only people and grant only e-Learning', () => {
    const may = (on: SubjectFacts, after?: SubjectOutcome) =>
      mayTake('member.edit', { actor: ACTORS.training, subject: on, after, context: CONTEXT }).allowed;
    expect(may(LEARNER, { ...LEARNER, endsOn: '2031-05-01' })).toBe(true);
    expect(may(LEARNER, { ...LEARNER, permissions: [PERMISSION.eLearning, PERMISSION.downloadSoftware] })).toBe(false);
    expect(may(subject({ permissions: [PERMISSION.eLearning, PERMISSION.viewSupport] }))).toBe(false);
    expect(may(subject({ permissions: [] }), { ...LEARNER })).toBe(true);
  });

  it('refuses restoring access whose 30 days are over, also by bulk end dates', () => {
    const lapsed = subject({ status: 'EXPIRED', restorable: false, endsOn: '2031-01-10' });
    expect(mayTake('member.restore', { actor: ACTORS.administrator, subject: lapsed, context: CONTEXT })).toMatchObject({
      code: 'not_restorable',
    });
    expect(
      mayTake('bulk.clear_end_date', { actor: ACTORS.administrator, ...bulk({ kind: 'clear_end_date' }, lapsed), context: CONTEXT }),
    ).toMatchObject({
      code: 'not_restorable',
    });
    expect(
      mayTake('member.edit', { actor: ACTORS.administrator, subject: subject({ status: 'REMOVED' }), context: CONTEXT }),
    ).toMatchObject({
      code: 'not_restorable',
    });
  });
});

describe('raisesAccess', () => {
  const terms = { status: 'ACTIVE' as const, permissions: [PERMISSION.eLearning], tags: [], startsOn: '2031-03-10', endsOn: '2031-06-30' };
  it.each([
    ['a new permission', { ...terms, permissions: [PERMISSION.eLearning, PERMISSION.esriAccess] }, true],
    ['a later end', { ...terms, endsOn: '2031-07-01' }, true],
    ['no end', { ...terms, endsOn: null }, true],
    ['an earlier start', { ...terms, startsOn: '2031-03-09' }, true],
    ['no start', { ...terms, startsOn: null }, true],
    ['expired access back', { ...terms }, true],
    ['an earlier end', { ...terms, endsOn: '2031-06-01' }, false],
    ['a later start', { ...terms, startsOn: '2031-04-01' }, false],
    ['fewer permissions', { ...terms, permissions: [] }, false],
    ['other tags', { ...terms, tags: ['x'] }, false],
  ] as const)('%s: %s', (name, after, raises) => {
    const before = name === 'expired access back' ? { ...terms, status: 'EXPIRED' as const } : terms;
    expect(raisesAccess(before, after)).toBe(raises);
  });
});

describe('bulkOutcome', () => {
  const tagged = subject({ tags: ['GIS'], status: 'EXPIRED' });
  it('adds and removes tags case-insensitively, once', () => {
    expect(bulkOutcome(tagged, { kind: 'add_tag', tag: 'gis' }).tags).toEqual(['GIS']);
    expect(bulkOutcome(tagged, { kind: 'add_tag', tag: 'field' }).tags).toEqual(['GIS', 'field']);
    expect(bulkOutcome(tagged, { kind: 'remove_tag', tag: 'gis' }).tags).toEqual([]);
  });
  it('brings expired access back with an end date change, and disconnects to nothing', () => {
    expect(bulkOutcome(tagged, { kind: 'set_end_date', endsOn: '2031-06-30' })).toMatchObject({ status: 'ACTIVE', endsOn: '2031-06-30' });
    expect(bulkOutcome(tagged, { kind: 'clear_end_date' })).toMatchObject({ status: 'ACTIVE', endsOn: null });
    expect(bulkOutcome(LEARNER, { kind: 'disconnect' })).toMatchObject({ status: 'REMOVED', permissions: [] });
    expect(bulkOutcome(LEARNER, { kind: 'add_permission', permission: PERMISSION.eLearning }).permissions).toEqual([PERMISSION.eLearning]);
    expect(bulkOutcome(LEARNER, { kind: 'resend' })).toMatchObject({ permissions: LEARNER.permissions, tags: LEARNER.tags });
  });
});

describe('rowCapabilities', () => {
  it('offers each row only what mayTake allows the viewer', () => {
    const expired = subject({ status: 'EXPIRED', restorable: true, endsOn: '2031-02-20' });
    expect(rowCapabilities(ACTORS.administrator, expired, CONTEXT)).toEqual({
      edit: true,
      disconnect: true,
      restore: true,
      resend: false,
      revoke: false,
      select: true,
    });
    expect(rowCapabilities(ACTORS.training, INVITATION, CONTEXT)).toEqual({
      edit: true,
      disconnect: false,
      restore: false,
      resend: true,
      revoke: true,
      select: true,
    });
    const none = { edit: false, disconnect: false, restore: false, resend: false, revoke: false, select: false };
    expect(rowCapabilities(ACTORS.training, CALLER, CONTEXT)).toEqual(none);
    expect(rowCapabilities(ACTORS.callers, LEARNER, CONTEXT)).toEqual(none);
    expect(rowCapabilities(ACTORS.member, LEARNER, CONTEXT)).toEqual(none);
  });
});

describe('logScopeOf', () => {
  it('gives Administrators the whole log and limited admins the entries of their kind of member', () => {
    const roles = (administrator: boolean, trainingAdmin: boolean, authorizedCallerAdmin: boolean) => ({
      administrator,
      trainingAdmin,
      authorizedCallerAdmin,
    });
    expect(logScopeOf(roles(true, true, false))).toEqual({ all: true });
    expect(logScopeOf(roles(false, true, false))).toEqual({ all: false, eLearning: true, callers: false });
    expect(logScopeOf(roles(false, false, true))).toEqual({ all: false, eLearning: false, callers: true });
    expect(logScopeOf(roles(false, true, true))).toEqual({ all: false, eLearning: true, callers: true });
  });
});

describe('mayLeaveOrganization', () => {
  const ADMINISTRATOR = subject({ isEffectiveAdministrator: true, permissions: [PERMISSION.administrator] });

  it('lets anyone connected leave, whatever they hold, and refuses only the last Administrator', () => {
    expect(mayLeaveOrganization(LEARNER, CONTEXT, 'City of Redlands')).toEqual({ allowed: true });
    expect(mayLeaveOrganization(subject({ status: 'EXPIRED' }), { ...CONTEXT, otherAdministrators: 0 }, 'X')).toEqual({ allowed: true });
    expect(mayLeaveOrganization(ADMINISTRATOR, CONTEXT, 'City of Redlands')).toEqual({ allowed: true });
    expect(mayLeaveOrganization(ADMINISTRATOR, { ...CONTEXT, otherAdministrators: 0 }, 'City of Redlands')).toMatchObject({
      allowed: false,
      code: 'last_administrator',
      reason: expect.stringContaining('You are the last Administrator of City of Redlands') as unknown,
    });
    // An Administrator whose own access is no longer in effect is not the one keeping the organization administered.
    const lapsed = subject({ status: 'EXPIRED', isEffectiveAdministrator: false, permissions: [PERMISSION.administrator] });
    expect(mayLeaveOrganization(lapsed, { ...CONTEXT, otherAdministrators: 0 }, 'City of Redlands')).toEqual({ allowed: true });
  });

  it('has nothing to leave for someone no longer connected', () => {
    expect(mayLeaveOrganization(subject({ status: 'REMOVED' }), CONTEXT, 'City of Redlands')).toMatchObject({
      allowed: false,
      code: 'forbidden',
    });
    expect(mayLeaveOrganization(INVITATION, CONTEXT, 'City of Redlands')).toMatchObject({ allowed: false });
  });
});
