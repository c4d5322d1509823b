import type { Db } from '../db/client.js';
import { PERMISSION_CATALOG } from '../domain/permission-catalog.js';

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

export function listPermissionCatalog(prisma: Db) {
  return prisma.permission.findMany({ orderBy: { sortOrder: 'asc' } });
}
