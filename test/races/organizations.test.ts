import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { createOrganization, setOrganizationChannels } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

/*
 * Operator commands run as separate processes, so two can run at once. Each opens its own
 * connection, as here: one call per connection-pool slot, all in flight together.
 */
describe.each(DATABASE_KINDS)('organization races on %s', (kind) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db.drop();
  });

  it('creates an organization once when 10 operators create it at once, and tells the others it exists', async () => {
    db = await createTestDatabase(kind);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        createOrganization(db.database.prisma, { name: `Redlands ${index}`, customerNumber: '100200' }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(DomainError);
        expect((result.reason as DomainError).code).toBe('customer_number_taken');
      }
    }
    expect(await db.database.prisma.organization.count()).toBe(1);
    expect(await db.database.prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.organizationCreated } })).toBe(1);
  });

  it('logs 10 channel changes made at once one after another, each from what the last left', async () => {
    db = await createTestDatabase(kind);
    await createOrganization(db.database.prisma, { name: 'City of Redlands', customerNumber: '100200' });
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        setOrganizationChannels(db.database.prisma, '100200', { adminChannelId: `C0ADMIN${index}` }),
      ),
    );
    const changes = await db.database.prisma.permissionLogEntry.findMany({
      where: { action: LOG_ACTION.organizationChannelsChanged },
      orderBy: { id: 'asc' },
    });
    expect(changes).toHaveLength(10);
    const adminChannelOf = (snapshot: unknown) => (snapshot as { adminChannelId: string | null }).adminChannelId;
    expect(adminChannelOf(changes[0]!.before)).toBeNull();
    for (let index = 1; index < changes.length; index += 1)
      expect(adminChannelOf(changes[index]!.before)).toBe(adminChannelOf(changes[index - 1]!.after));
  });
});
