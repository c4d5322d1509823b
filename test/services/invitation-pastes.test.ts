import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { checkAddresses } from '../../src/services/invitations/invite-drafts.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const ADMIN = 'UADMIN0001';

describe.each(DATABASE_KINDS)('pasting addresses in rounds on %s', (kind) => {
  let database: TestDatabase;
  let organizationId: number;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await seedPermissionCatalog(database.database.prisma);
    organizationId = (await createOrganization(database.database.prisma, { name: 'City of Redlands', customerNumber: '123456' })).id;
    await addAdministrator(database.database.prisma, { customerNumber: '123456', slackUserId: ADMIN });
  });
  afterAll(async () => {
    await database.drop();
  });

  it('adds each paste to what is stored without reading the stored entries again', async () => {
    const paste = async (text: string, draftId: number | null) => {
      const checked = await checkAddresses(
        database.database.prisma,
        { actorSlackUserId: ADMIN, organizationId, text, draftId },
        new Date(),
      );
      return checked;
    };
    // A mail client's "Name <address>" with a space inside the brackets is one invalid entry, as typed.
    const first = await paste('Ada <ada lovelace@example.org>, Bob@Example.org, bob@example.org', null);
    expect(first).toMatchObject({ invalid: ['ada lovelace@example.org'], fresh: ['bob@example.org'], duplicates: 1 });

    const second = await paste('carol@example.org\nBOB@example.org\ncarol@example.org', first.draftId);
    expect(second).toMatchObject({ invalid: ['ada lovelace@example.org'], fresh: ['bob@example.org', 'carol@example.org'], duplicates: 3 });
    const stored = await database.database.prisma.inviteDraft.findUniqueOrThrow({ where: { id: first.draftId } });
    expect(stored).toMatchObject({
      addresses: ['bob@example.org', 'carol@example.org'],
      invalidEntries: ['ada lovelace@example.org'],
      duplicates: 3,
    });
  });
});
