import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { addAdministrator, removeAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const CUSTOMER_NUMBER = '100200';

describe.each(DATABASE_KINDS)('the last Administrator on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    await seedPermissionCatalog(db.database.prisma);
    await createOrganization(db.database.prisma, { name: 'City of Redlands', customerNumber: CUSTOMER_NUMBER });
  });
  afterEach(async () => {
    await db.drop();
  });

  const administrators = async () =>
    (
      await db.database.prisma.connection.findMany({
        where: { organization: { customerNumber: CUSTOMER_NUMBER }, status: 'ACTIVE', permissions: { some: { permissionKey: PERMISSION.administrator } } },
        include: { member: true },
      })
    ).map((connection) => connection.member.slackUserId).sort();

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { DATABASE_URL: db.url });
    return { status, out, err };
  };

  it('refuses `admin remove` on the only Administrator, with exit 1 and a reason, and changes nothing', async () => {
    await addAdministrator(db.database.prisma, { customerNumber: CUSTOMER_NUMBER, slackUserId: 'U0ADA' });
    const logBefore = await db.database.prisma.permissionLogEntry.count();
    const result = await cli('admin', 'remove', CUSTOMER_NUMBER, 'U0ADA');
    expect(result.status).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(/U0ADA is the only Administrator of City of Redlands.*admin add/)]);
    expect(await administrators()).toEqual(['U0ADA']);
    expect(await db.database.prisma.permissionLogEntry.count()).toBe(logBefore);

    // With a second Administrator, either one may go.
    await addAdministrator(db.database.prisma, { customerNumber: CUSTOMER_NUMBER, slackUserId: 'U0BOB' });
    expect(await cli('admin', 'remove', CUSTOMER_NUMBER, 'U0ADA')).toMatchObject({ status: 0 });
    expect(await administrators()).toEqual(['U0BOB']);
  });

  it('keeps one of the last two Administrators when both are removed at once', async () => {
    for (let round = 0; round < 10; round += 1) {
      for (const slackUserId of ['U0ADA', 'U0BOB']) {
        if (!(await administrators()).includes(slackUserId)) {
          await addAdministrator(db.database.prisma, { customerNumber: CUSTOMER_NUMBER, slackUserId });
        }
      }
      const outcomes = await Promise.allSettled(
        ['U0ADA', 'U0BOB'].map((slackUserId) => removeAdministrator(db.database.prisma, { customerNumber: CUSTOMER_NUMBER, slackUserId })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason)).toEqual([
        expect.objectContaining({ code: 'last_administrator' }),
      ]);
      expect(await administrators()).toHaveLength(1);
    }
  });
});
