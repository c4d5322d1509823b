import { describe, expect, it } from 'vitest';
import {
  callerSettingsFor,
  checkInvitationGrant,
  classifyAddresses,
  grantablePermissions,
  isAuthorizedCallerInvitation,
  mayInvite,
} from './invitations.js';
import { PERMISSION } from './permission-catalog.js';

const ADMINISTRATOR = { administrator: true, trainingAdmin: false, authorizedCallerAdmin: false };
const TRAINING_ADMIN = { administrator: false, trainingAdmin: true, authorizedCallerAdmin: false };
const CALLER_ADMIN = { administrator: false, trainingAdmin: false, authorizedCallerAdmin: true };
const NOBODY = { administrator: false, trainingAdmin: false, authorizedCallerAdmin: false };
const CALLER = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];

describe('who may invite to what', () => {
  it('lets Administrators grant everything and limited admins only their scope', () => {
    expect(grantablePermissions(ADMINISTRATOR)).toHaveLength(11);
    expect(grantablePermissions(TRAINING_ADMIN)).toEqual([PERMISSION.eLearning]);
    expect(grantablePermissions(CALLER_ADMIN)).toEqual(CALLER);
    expect(grantablePermissions(NOBODY)).toEqual([]);
    expect(mayInvite(NOBODY, 'City of Redlands')).toEqual({
      allowed: false,
      reason: 'Only administrators of City of Redlands can invite people to it.',
    });
    expect(mayInvite(TRAINING_ADMIN, 'City of Redlands').allowed).toBe(true);
  });

  it('refuses permissions outside a limited admin role, naming the role', () => {
    const one = { addressCount: 3, caller: null };
    expect(checkInvitationGrant({ ...one, permissions: [PERMISSION.eLearning] }, TRAINING_ADMIN)).toEqual({});
    expect(checkInvitationGrant({ ...one, permissions: [PERMISSION.eLearning, PERMISSION.esriAccess] }, TRAINING_ADMIN).permissions).toBe(
      'As a training administrator you can invite people to e-Learning only.',
    );
    expect(checkInvitationGrant({ ...one, permissions: [PERMISSION.eLearning] }, CALLER_ADMIN).permissions).toBe(
      'As an authorized-caller administrator you can invite support callers only.',
    );
    expect(checkInvitationGrant({ ...one, permissions: [] }, ADMINISTRATOR).permissions).toBe('Choose at least one permission to grant.');
    expect(checkInvitationGrant({ ...one, permissions: ['made_up'] }, ADMINISTRATOR).permissions).toMatch(/no longer exist/);
  });
});

describe('authorized-caller invitations', () => {
  it('need both support permissions, one address and a support level; Premium needs a caller level', () => {
    expect(isAuthorizedCallerInvitation([PERMISSION.viewSupport])).toBe(false);
    expect(isAuthorizedCallerInvitation(CALLER)).toBe(true);
    const standard = { supportLevel: 'STANDARD' as const, callerLevel: null };
    expect(checkInvitationGrant({ permissions: CALLER, addressCount: 1, caller: standard }, CALLER_ADMIN)).toEqual({});
    expect(checkInvitationGrant({ permissions: CALLER, addressCount: 2, caller: standard }, ADMINISTRATOR).addresses).toMatch(
      /one person at a time; this one has 2 addresses/,
    );
    expect(checkInvitationGrant({ permissions: CALLER, addressCount: 1, caller: null }, ADMINISTRATOR).supportLevel).toBeDefined();
    const premium = { supportLevel: 'PREMIUM' as const, callerLevel: null };
    expect(checkInvitationGrant({ permissions: CALLER, addressCount: 1, caller: premium }, ADMINISTRATOR).callerLevel).toBe(
      'Premium support callers need a caller level.',
    );
    expect(
      checkInvitationGrant({ permissions: CALLER, addressCount: 1, caller: { ...premium, callerLevel: 'Boss' } }, ADMINISTRATOR)
        .callerLevel,
    ).toBeDefined();
    expect(
      checkInvitationGrant({ permissions: CALLER, addressCount: 1, caller: { ...premium, callerLevel: 'Primary' } }, ADMINISTRATOR),
    ).toEqual({});
    // One support permission alone is an ordinary invitation: any number of people, no caller fields.
    expect(checkInvitationGrant({ permissions: [PERMISSION.viewSupport], addressCount: 40, caller: null }, CALLER_ADMIN)).toEqual({});
  });

  it('keeps caller settings only where they apply', () => {
    expect(callerSettingsFor([PERMISSION.esriAccess], { supportLevel: 'PREMIUM', callerLevel: 'Primary' })).toBeNull();
    expect(callerSettingsFor(CALLER, { supportLevel: 'STANDARD', callerLevel: 'Primary' })).toEqual({
      supportLevel: 'STANDARD',
      callerLevel: null,
    });
    expect(callerSettingsFor(CALLER, { supportLevel: 'PREMIUM', callerLevel: 'Backup' })).toEqual({
      supportLevel: 'PREMIUM',
      callerLevel: 'Backup',
    });
  });
});

describe('classifyAddresses', () => {
  it('sorts addresses into active, pending and new, keeping the pasted order', () => {
    const standing = { 'a@x.org': 'connected', 'b@x.org': 'pending' } as const;
    const result = classifyAddresses(
      { valid: ['c@x.org', 'a@x.org', 'b@x.org', 'd@x.org'], invalid: ['nope'], duplicates: 2 },
      (address) => standing[address as keyof typeof standing] ?? 'new',
    );
    expect(result).toEqual({
      invalid: ['nope'],
      connected: ['a@x.org'],
      pending: ['b@x.org'],
      fresh: ['c@x.org', 'd@x.org'],
      duplicates: 2,
    });
  });
});
