import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { endOfDayIn } from '../../src/domain/dates.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { addAdministrator, removeAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { changeEndDate, sweepTimeLimits } from '../../src/services/lifecycle.js';
import { createOrganization } from '../../src/services/organizations.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { mrkdwnTexts, person, postsIn, seedOrganization, settle } from '../support/flows.js';

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
        where: {
          organization: { customerNumber: CUSTOMER_NUMBER },
          status: 'ACTIVE',
          permissions: { some: { permissionKey: PERMISSION.administrator } },
        },
        include: { member: true },
      })
    )
      .map((connection) => connection.member.slackUserId)
      .sort();

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
      expect(
        outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason),
      ).toEqual([expect.objectContaining({ code: 'last_administrator' })]);
      expect(await administrators()).toHaveLength(1);
    }
  });
});

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Admin');
const OPERATOR = person('U0OPERATOR', 'Olga Operator');
const DAY = 24 * 60 * 60 * 1000;
const LEFT_WITHOUT = /will be left without an Administrator/;

describe.each(DATABASE_KINDS)('warning before the last Administrators lose access, on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('warns the last Administrators and the operators once per end date and lead time, and not while someone stays', async () => {
    let clock = new Date();
    app = await startTestApp(kind, { OPERATOR_USER_IDS: [OPERATOR.id] }, { now: () => clock });
    app.emulator.addUser(OPERATOR);
    const organization = await seedOrganization(app, { name: 'City of <!channel> Redlands', customerNumber: '100200' }, [ADA, BOB]);
    const { prisma } = app.db.database;
    const settings = { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS, operatorUserIds: [OPERATOR.id] };
    const setEnd = async (who: typeof ADA, endsOn: string | null) =>
      prisma.connection.updateMany({
        where: { organizationId: organization.id, member: { slackUserId: who.id } },
        data: { endsOn, endsAt: endsOn ? endOfDayIn(endsOn, 'UTC') : null },
      });
    const warningsTo = (someone: typeof ADA) =>
      postsIn(app, someone.id).filter((message) => LEFT_WITHOUT.test(mrkdwnTexts(message).join('\n')));

    // Ada's access ends; Bob has no end, so the organization keeps an Administrator.
    await setEnd(ADA, '2031-01-31');
    const adaEnds = endOfDayIn('2031-01-31', 'UTC');
    clock = new Date(adaEnds.getTime() - 7 * DAY);
    await sweepTimeLimits(prisma, settings, clock);
    await settle(app);
    expect(warningsTo(ADA)).toEqual([]);
    expect(warningsTo(OPERATOR)).toEqual([]);

    // Bob's ends earlier: once Ada's ends, nobody is left.
    await setEnd(BOB, '2031-01-28');
    await sweepTimeLimits(prisma, settings, clock);
    await sweepTimeLimits(prisma, settings, new Date(clock.getTime() + 60_000));
    await settle(app);
    for (const someone of [ADA, BOB, OPERATOR]) {
      expect(warningsTo(someone), someone.id).toHaveLength(1);
      const text = mrkdwnTexts(warningsTo(someone)[0]!).join('\n');
      expect(text).toContain('January 31, 2031');
      expect(text).not.toContain('<!channel>');
    }
    expect(mrkdwnTexts(warningsTo(OPERATOR)[0]!).join('\n')).toContain('gatehouse admin add 100200');

    // Ada extends her access by a day: the warning is for the new end date.
    const adaConnection = await prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: ADA.id } } });
    await changeEndDate(prisma, { actorSlackUserId: BOB.id, connectionId: adaConnection.id, endsOn: '2031-02-01', note: null }, clock);
    clock = new Date(clock.getTime() + 120_000);
    await sweepTimeLimits(prisma, settings, clock);
    await settle(app);
    for (const someone of [ADA, BOB, OPERATOR]) expect(warningsTo(someone), someone.id).toHaveLength(2);
    expect(mrkdwnTexts(warningsTo(OPERATOR)[1]!).join('\n')).toContain('February 1, 2031');

    // The 1-day warning is queued, but another Administrator is added before it goes out: it is dropped.
    clock = new Date(endOfDayIn('2031-02-01', 'UTC').getTime() - DAY);
    await app.gatehouse.dispatcher.stop();
    await sweepTimeLimits(prisma, settings, clock);
    await addAdministrator(prisma, { customerNumber: '100200', slackUserId: 'U0CAROL' });
    app.gatehouse.dispatcher.start();
    await settle(app);
    for (const someone of [ADA, OPERATOR]) expect(warningsTo(someone), someone.id).toHaveLength(2);
    clock = new Date(clock.getTime() + 60_000);
    await sweepTimeLimits(prisma, settings, clock);
    await settle(app);
    for (const someone of [ADA, OPERATOR]) expect(warningsTo(someone), someone.id).toHaveLength(2);
  });
});
