import { describe, expect, it } from 'vitest';
import { accessAfter, lossesConfirmed, recordedScope, scopeOf, type AccessTerms } from './admin-scope.js';
import { PERMISSION, PERMISSION_CATALOG } from './permission-catalog.js';

const ALL = PERMISSION_CATALOG.map((permission) => permission.key);
const training = scopeOf({ administrator: false, trainingAdmin: true, authorizedCallerAdmin: false });
const callers = scopeOf({ administrator: false, trainingAdmin: false, authorizedCallerAdmin: true });
const full = scopeOf({ administrator: true, trainingAdmin: false, authorizedCallerAdmin: false });
const administrator: AccessTerms = {
  permissions: [PERMISSION.manageLicensing, PERMISSION.administrator],
  tags: ['gis'],
  startsOn: '2026-01-01',
  endsOn: '2099-12-31',
};
const offer = (permissions: string[], terms: Partial<AccessTerms> = {}): AccessTerms => ({
  permissions,
  tags: [],
  startsOn: null,
  endsOn: null,
  ...terms,
});

describe('what an admin may change', () => {
  it('gives each role its scope', () => {
    expect(training).toEqual([PERMISSION.eLearning]);
    expect(callers).toEqual([PERMISSION.viewSupport, PERMISSION.authorizedCallerActions]);
    expect(full).toEqual(ALL);
  });

  it('reads a recorded scope, and an unrecorded one from what the invitation grants', () => {
    expect(recordedScope([PERMISSION.eLearning, 'no_such_permission', 7], [PERMISSION.eLearning])).toEqual([PERMISSION.eLearning]);
    expect(recordedScope(null, [PERMISSION.eLearning])).toEqual([PERMISSION.eLearning]);
    expect(recordedScope(null, [PERMISSION.authorizedCallerActions])).toEqual(callers);
    expect(recordedScope(null, [PERMISSION.eLearning, PERMISSION.esriAccess])).toEqual(ALL);
    expect(recordedScope(null, [])).toEqual(ALL);
  });
});

describe('what a change leaves someone holding', () => {
  it("keeps everything outside a training admin's scope, dates included, and adds the tags", () => {
    const outcome = accessAfter(administrator, offer([PERMISSION.eLearning], { endsOn: '2027-01-31', tags: ['course'] }), training);
    expect(outcome.permissions).toEqual([PERMISSION.administrator, PERMISSION.eLearning, PERMISSION.manageLicensing]);
    expect(outcome.change).toEqual({
      keeps: [PERMISSION.administrator, PERMISSION.manageLicensing],
      gains: [PERMISSION.eLearning],
      loses: [],
    });
    expect(outcome).toMatchObject({ startsOn: '2026-01-01', endsOn: '2099-12-31', tags: ['gis', 'course'], keepsOtherAccess: true });
  });

  it("decides everything inside a callers admin's scope, taking away what is not offered there", () => {
    const held = { ...administrator, permissions: [PERMISSION.administrator, PERMISSION.viewSupport] };
    const outcome = accessAfter(held, offer([PERMISSION.authorizedCallerActions]), callers);
    expect(outcome.permissions).toEqual([PERMISSION.administrator, PERMISSION.authorizedCallerActions]);
    expect(outcome.change.loses).toEqual([PERMISSION.viewSupport]);
  });

  it('replaces everything, dates and tags too, for an Administrator or someone only holding what is in scope', () => {
    const replaced = accessAfter(administrator, offer([PERMISSION.esriAccess], { endsOn: '2027-01-31' }), full);
    expect(replaced).toMatchObject({
      permissions: [PERMISSION.esriAccess],
      endsOn: '2027-01-31',
      startsOn: null,
      tags: [],
      keepsOtherAccess: false,
    });
    expect(replaced.change).toEqual({
      keeps: [],
      gains: [PERMISSION.esriAccess],
      loses: [PERMISSION.administrator, PERMISSION.manageLicensing],
    });
    const learner = accessAfter(
      { ...administrator, permissions: [PERMISSION.eLearning] },
      offer([PERMISSION.eLearning], { endsOn: '2027-01-31' }),
      training,
    );
    expect(learner).toMatchObject({ endsOn: '2027-01-31', keepsOtherAccess: false });
    expect(learner.change).toEqual({ keeps: [PERMISSION.eLearning], gains: [], loses: [] });
  });

  it('gives someone not connected exactly the offer', () => {
    const outcome = accessAfter(null, offer([PERMISSION.eLearning], { tags: ['x'] }), training);
    expect(outcome).toMatchObject({
      permissions: [PERMISSION.eLearning],
      tags: ['x'],
      change: { keeps: [], gains: [PERMISSION.eLearning], loses: [] },
    });
  });

  it('goes ahead only when every loss was agreed to', () => {
    const change = { keeps: [], gains: [PERMISSION.esriAccess], loses: [PERMISSION.administrator, PERMISSION.manageLicensing] };
    expect(lossesConfirmed(change, [])).toBe(false);
    expect(lossesConfirmed(change, [PERMISSION.administrator])).toBe(false);
    expect(lossesConfirmed(change, [PERMISSION.manageLicensing, PERMISSION.administrator])).toBe(true);
    expect(lossesConfirmed({ ...change, loses: [] }, [])).toBe(true);
  });
});
