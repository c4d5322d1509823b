import { describe, expect, it } from 'vitest';
import { checkRequestedAccess, compareGrant, parseTags, permissionsToRequest } from './access-requests.js';

const catalog = new Set(['a', 'b', 'c']);

describe('what may be asked for', () => {
  it('needs at least one permission the person does not hold, and a purpose', () => {
    expect(checkRequestedAccess({ permissions: ['a'], purpose: 'Licenses' }, catalog, new Set())).toEqual({});
    expect(checkRequestedAccess({ permissions: [], purpose: 'Licenses' }, catalog, new Set()).permissions).toMatch(/at least one/);
    expect(checkRequestedAccess({ permissions: ['a'], purpose: 'Licenses' }, catalog, new Set(['a'])).permissions).toMatch(/already hold/);
    expect(checkRequestedAccess({ permissions: ['zzz'], purpose: 'Licenses' }, catalog, new Set()).permissions).toMatch(/no longer exist/);
    expect(checkRequestedAccess({ permissions: ['a'], purpose: '  ' }, catalog, new Set()).purpose).toBeDefined();
    expect(checkRequestedAccess({ permissions: ['a'], purpose: 'x'.repeat(1001) }, catalog, new Set()).purpose).toMatch(/1000/);
  });

  it('asks only for what is not held yet', () => {
    expect(permissionsToRequest(['a', 'b', 'a'], new Set(['b']))).toEqual(['a']);
  });

  it('marks what a grant adds and leaves out', () => {
    expect(compareGrant(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
  });

  it('reads tags as admins type them', () => {
    expect(parseTags(' gis, planning,,gis ')).toEqual(['gis', 'planning']);
    expect(parseTags(null)).toEqual([]);
  });
});
