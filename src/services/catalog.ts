import type { Db } from '../db/client.js';
import { PERMISSION_CATALOG, type PermissionDefinition } from '../domain/permission-catalog.js';

export interface SeedResult {
  created: number;
  updated: number;
}

/** Brings the stored catalog in line with the built-in one; safe to run any number of times. */
export async function seedPermissionCatalog(prisma: Db): Promise<SeedResult> {
  return prisma.$transaction(async (tx) => {
    const existing = new Set((await tx.permission.findMany({ select: { key: true } })).map((row) => row.key));
    let created = 0;
    let updated = 0;
    for (const [sortOrder, permission] of PERMISSION_CATALOG.entries()) {
      const data = { ...permission, sortOrder };
      if (existing.has(permission.key)) {
        await tx.permission.update({ where: { key: permission.key }, data });
        updated += 1;
      } else {
        await tx.permission.create({ data });
        created += 1;
      }
    }
    return { created, updated };
  });
}

function storedMatchesBuiltIn(stored: Array<PermissionDefinition & { sortOrder: number }>): boolean {
  return (
    stored.length === PERMISSION_CATALOG.length &&
    PERMISSION_CATALOG.every((permission, sortOrder) => {
      const row = stored[sortOrder];
      return (
        row?.key === permission.key &&
        row.name === permission.name &&
        row.description === permission.description &&
        row.adminScope === permission.adminScope &&
        row.sortOrder === sortOrder
      );
    })
  );
}

/**
 * Makes the stored catalog the built-in one, writing only when they differ. Replicas starting at
 * once may race to insert the same keys; the one that loses finds the rows there and updates them.
 */
export async function ensurePermissionCatalog(prisma: Db): Promise<SeedResult> {
  if (storedMatchesBuiltIn(await listPermissionCatalog(prisma))) return { created: 0, updated: 0 };
  try {
    return await seedPermissionCatalog(prisma);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return seedPermissionCatalog(prisma);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';
}

export function listPermissionCatalog(prisma: Db) {
  return prisma.permission.findMany({ orderBy: { sortOrder: 'asc' } });
}
