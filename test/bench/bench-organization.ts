import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { ensurePermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';

/**
 * The start of every benchmark's database: migrated, the permission catalog, one organization and
 * its Administrator, through the real services. The caller seeds the rest and closes the database.
 */
export async function openBenchOrganization(
  url: string,
  organization: { name: string; customerNumber: string; timeZone: string; adminSlackUserId: string },
) {
  const target = parseDatabaseUrl(url);
  await applyPendingMigrations(target);
  const database = await openDatabase(target);
  await ensurePermissionCatalog(database.prisma);
  const created = await createOrganization(database.prisma, {
    name: organization.name,
    customerNumber: organization.customerNumber,
    timeZone: organization.timeZone,
  });
  await addAdministrator(database.prisma, {
    customerNumber: organization.customerNumber,
    slackUserId: organization.adminSlackUserId,
    displayName: 'Admin',
    email: 'admin@example.com',
  });
  const admin = await database.prisma.member.findUniqueOrThrow({ where: { slackUserId: organization.adminSlackUserId } });
  return { database, organization: created, admin };
}
