import { describe, expect, it } from 'vitest';
import { PERMISSION_CATALOG, PERMISSION_DESCRIPTION_LIMIT } from './permission-catalog.js';

describe('the permission catalog', () => {
  it("has My Esri's eleven permissions, each with a description that fits a checkbox", () => {
    expect(PERMISSION_CATALOG.map((permission) => permission.name)).toEqual([
      'Administrator',
      'Assign training permissions',
      'Assign authorized callers',
      'Access e-Learning',
      'View technical support information',
      'Take authorized caller actions',
      'Download software',
      'Manage licensing',
      'View transactions and order history',
      'View User Conference registrations',
      'Esri access',
    ]);
    for (const permission of PERMISSION_CATALOG) {
      expect(permission.description.length).toBeLessThanOrEqual(PERMISSION_DESCRIPTION_LIMIT);
    }
  });
});
