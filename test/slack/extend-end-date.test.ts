import { afterEach, describe, expect, it } from 'vitest';
import { endOfDayIn } from '../../src/domain/dates.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { sweepTimeLimits } from '../../src/services/lifecycle.js';
import { ACTION, EXTEND_FORM_BLOCK, INPUT_ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Member');

describe.each(DATABASE_KINDS)('the Extend access form on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('suggests the day 30 calendar days on in the organization, and saves only real dates', async () => {
    // 23:30 on March 1, 2031 in Redlands (07:30 UTC on the 2nd). The clocks spring forward on March 9,
    // so 30 times 24 hours later is already April 1 there; 30 calendar days on is March 31.
    const clock = new Date('2031-03-02T07:30:00.000Z');
    app = await startTestApp(kind, {}, { now: () => clock });
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(
      app,
      { name: 'City of Redlands', customerNumber: '100200', timeZone: 'America/Los_Angeles' },
      [ADA],
    );
    const { prisma } = app.db.database;
    const member = await prisma.member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName } });
    const connection = await prisma.connection.create({
      data: {
        organizationId: organization.id,
        memberId: member.id,
        endsOn: '2031-03-05',
        endsAt: endOfDayIn('2031-03-05', 'America/Los_Angeles'),
      },
    });
    await sweepTimeLimits(prisma, { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS }, clock);
    await settle(app);
    const digest = postsIn(app, ADA.id).at(-1)!;

    const opened = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.extendEndDate, message: digest });
    await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
    const form = app.emulator.currentModal(ADA.id)!;
    expect(JSON.stringify(form.definition)).toContain('"initial_date":"2031-03-31"');

    // A day that does not exist, or no date at all, is refused on the field and changes nothing.
    for (const notADay of ['2031-02-30', '2031-02-29', 'next week']) {
      const refused = await app.driver.submitView(form, { [EXTEND_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: notADay } }, ADA.id);
      expect(refused.json, notADay).toEqual({
        response_action: 'errors',
        errors: { [EXTEND_FORM_BLOCK.endsOn]: 'The end date is not a date.' },
      });
    }
    expect(await prisma.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ endsOn: '2031-03-05' });

    // February 29 of a leap year is a day like any other.
    await app.driver.submitView(form, { [EXTEND_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: '2032-02-29' } }, ADA.id);
    expect(await prisma.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      status: 'ACTIVE',
      endsOn: '2032-02-29',
      endsAt: new Date('2032-03-01T08:00:00.000Z'),
    });
  });
});
