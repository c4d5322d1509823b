import { afterEach, describe, expect, it } from 'vitest';
import { endOfDayIn } from '../../src/domain/dates.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { changeEndDate, sweepTimeLimits } from '../../src/services/lifecycle.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Member');
const DAY = 24 * 60 * 60 * 1000;
const settings = { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS };

describe.each(DATABASE_KINDS)('time-limit messages on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('warns the person, then tells them, the admins and the audit channel when access expires', async () => {
    // The app's clock is the one the sweeps run at, so the dispatcher finds their messages due.
    let clock = new Date();
    app = await startTestApp(kind, {}, { now: () => clock });
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of <!channel> Redlands', customerNumber: '100200', auditChannelId: 'C0AUDIT' }, [ADA]);
    const { prisma } = app.db.database;
    const member = await prisma.member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName, email: RITA.email } });
    const endsAt = endOfDayIn('2031-01-31', 'UTC');
    const connection = await prisma.connection.create({
      data: { organizationId: organization.id, memberId: member.id, endsOn: '2031-01-31', endsAt, permissions: { create: [{ permissionKey: PERMISSION.esriAccess }] } },
    });

    clock = new Date(endsAt.getTime() - 7 * DAY);
    await sweepTimeLimits(prisma, settings, clock);
    await settle(app);
    const warning = mrkdwnTexts(postsIn(app, RITA.id).at(-1)!).join('\n');
    expect(warning).toContain('ends in 7 days, at the end of January 31, 2031');
    expect(warning).not.toContain('<!channel>');

    // An end date moved later makes the pending 1-day warning for the old date void.
    clock = new Date(endsAt.getTime() - DAY);
    await app.gatehouse.dispatcher.stop();
    await sweepTimeLimits(prisma, settings, clock);
    await changeEndDate(prisma, { actorSlackUserId: ADA.id, connectionId: connection.id, endsOn: '2031-02-28', note: null }, clock);
    app.gatehouse.dispatcher.start();
    await settle(app);
    expect(postsIn(app, RITA.id).filter((message) => mrkdwnTexts(message).join('\n').includes('ends tomorrow'))).toEqual([]);

    clock = endOfDayIn('2031-02-28', 'UTC');
    await sweepTimeLimits(prisma, settings, clock);
    await settle(app);
    expect(mrkdwnTexts(postsIn(app, RITA.id).at(-1)!).join('\n')).toContain('ended on February 28, 2031. An administrator can restore it until');
    expect(mrkdwnTexts(postsIn(app, ADA.id).at(-1)!).join('\n')).toContain(`<@${RITA.id}>`);
    expect(postsIn(app, 'C0AUDIT')).toHaveLength(1);
  });
});
