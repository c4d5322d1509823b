import { afterEach, describe, expect, it } from 'vitest';
import { calendarDateIn, endOfDayIn } from '../../src/domain/dates.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import type { RecordedCall } from '../../src/sandbox/index.js';
import { ACTION, APPROVE_FORM_BLOCK, EXTEND_FORM_BLOCK, INPUT_ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  expectNoServerErrors,
  openRequestForm,
  person,
  postsIn,
  requestAccess,
  seedOrganization,
  settle,
  submitRequestForm,
} from '../support/flows.js';

/*
 * Races on requests and end dates, fired at the HTTP endpoint with every signed request in flight
 * at once. See test/races/invitations.test.ts for why PostgreSQL is where these show.
 */

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Requester');
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Changes to one person's requests or one connection take turns by design, so the last of these
 * waits for all the others, and still has to answer within Slack's 3-second ack.
 */
const SAME_KEY_RACERS = 50;

describe.each(DATABASE_KINDS)('request and end-date races on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  const prisma = () => app.db.database.prisma;

  async function start() {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    return seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', timeZone: 'America/Los_Angeles' }, [ADA]);
  }

  it(`stores one request when ${SAME_KEY_RACERS} forms for the same organization are submitted at once`, async () => {
    const organization = await start();
    const forms: RecordedCall[] = [];
    for (let index = 0; index < SAME_KEY_RACERS; index += 1) forms.push(await openRequestForm(app, RITA.id));

    const responses = await Promise.all(
      forms.map((form) =>
        submitRequestForm(app, RITA.id, form, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] }),
      ),
    );
    expectNoServerErrors(responses);
    expect(responses.filter((response) => response.body === '')).toHaveLength(1);
    const refused = responses.filter((response) => response.body.includes('"response_action":"errors"'));
    expect(refused).toHaveLength(SAME_KEY_RACERS - 1);
    for (const response of refused) expect(response.body).toContain('You already have a request waiting for City of Redlands');
    expect(await prisma().accessRequest.count()).toBe(1);
    expect(await prisma().permissionLogEntry.count({ where: { action: LOG_ACTION.requestSubmitted } })).toBe(1);
    expect(await prisma().outboxMessage.count({ where: { kind: 'request.receipt' } })).toBe(1);
    await settle(app);
    expect(postsIn(app, ADA.id)).toHaveLength(1);
  });

  it('withdraws once when Withdraw is clicked 50 times at once', async () => {
    const organization = await start();
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const receipt = postsIn(app, RITA.id).at(-1)!;
    const refreshes = await prisma().outboxMessage.count({ where: { kind: 'request.refresh' } });

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        app.driver.clickButton({ userId: RITA.id, actionId: ACTION.withdraw, message: { channel: receipt.channel, ts: receipt.ts } }),
      ),
    );
    expectNoServerErrors(responses);
    expect(await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: 'WITHDRAWN' });
    expect(await prisma().permissionLogEntry.count({ where: { action: LOG_ACTION.requestWithdrawn } })).toBe(1);
    expect(await prisma().outboxMessage.count({ where: { kind: 'request.refresh' } })).toBe(refreshes + 1);
    await app.emulator.waitForCalls('chat.postEphemeral', 49, 10_000);
  });

  it('ends a request once when it is withdrawn and approved 50 times at once', async () => {
    const organization = await start();
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const receipt = postsIn(app, RITA.id).at(-1)!;
    const card = postsIn(app, ADA.id).at(-1)!;
    const opens = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.approve, message: { channel: card.channel, ts: card.ts } });
    const approveForm = (await app.emulator.waitForCalls('views.open', opens + 1, 10_000))[opens]!;

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        index % 2 === 0
          ? app.driver.clickButton({ userId: RITA.id, actionId: ACTION.withdraw, message: { channel: receipt.channel, ts: receipt.ts } })
          : app.driver.viewSubmission({
              view: approveForm,
              userId: ADA.id,
              values: { [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] } },
            }),
      ),
    );
    expectNoServerErrors(responses);
    const request = await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId } });
    const endings = await prisma().permissionLogEntry.count({
      where: { action: { in: [LOG_ACTION.requestWithdrawn, LOG_ACTION.requestApproved] } },
    });
    expect(endings).toBe(1);
    expect(await prisma().connection.count({ where: { member: { slackUserId: RITA.id } } })).toBe(request.status === 'APPROVED' ? 1 : 0);
  });

  it(`applies ${SAME_KEY_RACERS} end-date changes sent at once one after another, each logged from what the last left`, async () => {
    const organization = await start();
    const rita = await prisma().member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName, email: RITA.email } });
    const today = calendarDateIn(new Date(), organization.timeZone);
    const endsOn = calendarDateIn(new Date(Date.now() + 5 * DAY_MS), organization.timeZone);
    const connection = await prisma().connection.create({
      data: { organizationId: organization.id, memberId: rita.id, endsOn, endsAt: endOfDayIn(endsOn, organization.timeZone) },
    });
    const opens = app.emulator.callsTo('views.open').length;
    await app.driver.blockActions({
      userId: ADA.id,
      channel: app.emulator.dmChannelFor(ADA.id),
      actions: [{ action_id: ACTION.extendEndDate, value: `extend:${connection.id}` }],
    });
    const extendForm = (await app.emulator.waitForCalls('views.open', opens + 1, 10_000))[opens]!;
    const dates = Array.from({ length: SAME_KEY_RACERS }, (_, index) =>
      calendarDateIn(new Date(Date.now() + (10 + index) * DAY_MS), organization.timeZone),
    );
    expect(dates[0]! > today).toBe(true);

    const responses = await Promise.all(
      dates.map((date) =>
        app.driver.viewSubmission({ view: extendForm, userId: ADA.id, values: { [EXTEND_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: date } } }),
      ),
    );
    expectNoServerErrors(responses);
    const changes = await prisma().permissionLogEntry.findMany({ where: { action: LOG_ACTION.endDateChanged }, orderBy: { id: 'asc' } });
    expect(changes).toHaveLength(SAME_KEY_RACERS);
    const endOf = (snapshot: unknown) => (snapshot as { endsOn: string | null }).endsOn;
    expect(endOf(changes[0]!.before)).toBe(endsOn);
    for (let index = 1; index < changes.length; index += 1) expect(endOf(changes[index]!.before)).toBe(endOf(changes[index - 1]!.after));
    expect(await prisma().connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
      endsOn: endOf(changes.at(-1)!.after),
    });
  });
});
