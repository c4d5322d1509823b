import { describe, expect, it } from 'vitest';
import { PERMISSION } from './permission-catalog.js';
import {
  adminRolesOf,
  effectivePermissions,
  isConnectionEffective,
  mayChangeAccessOf,
  mayDecideRequest,
  mayTriage,
  OWN_ACCESS_RULE,
  mayWithdrawRequest,
  type ConnectionFacts,
} from './policy.js';

const now = new Date('2026-11-25T12:00:00Z');
const adminConnection: ConnectionFacts = {
  organizationId: 1,
  status: 'ACTIVE',
  permissions: [PERMISSION.administrator],
  startsAt: null,
  endsAt: null,
};
const request = { requesterId: 7, organizationId: 1, organizationName: 'City of Redlands' };

describe('who counts as connected', () => {
  it('counts an active connection inside its time range', () => {
    expect(isConnectionEffective(adminConnection, now)).toBe(true);
    expect(isConnectionEffective({ ...adminConnection, endsAt: new Date('2026-11-26T00:00:00Z') }, now)).toBe(true);
  });

  it('does not count a connection before its start, from its end, or when not active', () => {
    expect(isConnectionEffective({ ...adminConnection, startsAt: new Date('2026-11-26T00:00:00Z') }, now)).toBe(false);
    expect(isConnectionEffective({ ...adminConnection, endsAt: now }, now)).toBe(false);
    for (const status of ['EXPIRED', 'SUSPENDED', 'REMOVED'] as const) {
      expect(isConnectionEffective({ ...adminConnection, status }, now)).toBe(false);
      expect(effectivePermissions({ ...adminConnection, status }, now)).toEqual([]);
      expect(adminRolesOf({ ...adminConnection, status }, now).administrator).toBe(false);
    }
  });

  it('reads the limited admin roles', () => {
    expect(adminRolesOf({ ...adminConnection, permissions: [PERMISSION.assignTraining] }, now)).toEqual({
      administrator: false,
      trainingAdmin: true,
      authorizedCallerAdmin: false,
    });
  });
});

describe('deciding a request', () => {
  it('lets an Administrator of the organization decide', () => {
    expect(mayDecideRequest({ memberId: 3, connection: adminConnection }, request, now)).toEqual({ allowed: true });
  });

  it('refuses the requester, non-admins, admins of other organizations and expired admins', () => {
    expect(mayDecideRequest({ memberId: 7, connection: adminConnection }, request, now)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/own request/),
    });
    expect(
      mayDecideRequest({ memberId: 3, connection: { ...adminConnection, permissions: [PERMISSION.esriAccess] } }, request, now).allowed,
    ).toBe(false);
    expect(mayDecideRequest({ memberId: 3, connection: { ...adminConnection, organizationId: 2 } }, request, now).allowed).toBe(false);
    expect(mayDecideRequest({ memberId: 3, connection: { ...adminConnection, endsAt: now } }, request, now).allowed).toBe(false);
    expect(mayDecideRequest({ memberId: 3, connection: null }, request, now)).toMatchObject({
      reason: expect.stringContaining('City of Redlands'),
    });
  });

  it('leaves a request without an organization to the operators', () => {
    expect(mayDecideRequest({ memberId: 3, connection: adminConnection }, { ...request, organizationId: null }, now).allowed).toBe(false);
    expect(mayTriage('U0OP', ['U0OP'])).toEqual({ allowed: true });
    expect(mayTriage('U0ADA', ['U0OP']).allowed).toBe(false);
  });

  it('lets operators act only on a pending request while it is in triage', () => {
    expect(mayTriage('U0OP', ['U0OP'], { status: 'PENDING', inTriage: true })).toEqual({ allowed: true });
    expect(mayTriage('U0OP', ['U0OP'], { status: 'PENDING', inTriage: false })).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/no longer in triage/),
    });
    // A decided request is not refused, so the operator can be told how it ended.
    expect(mayTriage('U0OP', ['U0OP'], { status: 'DENIED', inTriage: true })).toEqual({ allowed: true });
    expect(mayTriage('U0ADA', ['U0OP'], { status: 'PENDING', inTriage: true }).allowed).toBe(false);
  });

  it('lets only the requester withdraw', () => {
    expect(mayWithdrawRequest(7, request)).toEqual({ allowed: true });
    expect(mayWithdrawRequest(3, request).allowed).toBe(false);
    expect(mayWithdrawRequest(null, request).allowed).toBe(false);
  });
});

describe("changing someone's access", () => {
  it("refuses a change to one's own access, whether known by member or by address", () => {
    expect(mayChangeAccessOf({ memberId: 3, email: null }, { memberId: 3, email: null })).toEqual({
      allowed: false,
      reason: OWN_ACCESS_RULE,
    });
    expect(mayChangeAccessOf({ memberId: 3, email: 'Ada@Example.com' }, { memberId: null, email: 'ada@example.com' }).allowed).toBe(false);
    expect(OWN_ACCESS_RULE).toMatch(/another Administrator/);
  });

  it("allows a change to someone else's access", () => {
    expect(mayChangeAccessOf({ memberId: 3, email: 'ada@example.com' }, { memberId: 4, email: 'bob@example.com' })).toEqual({
      allowed: true,
    });
    expect(mayChangeAccessOf({ memberId: 3, email: null }, { memberId: null, email: null })).toEqual({ allowed: true });
  });
});
