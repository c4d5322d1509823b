import { afterEach, describe, expect, it } from 'vitest';
import { endOfDayIn } from '../../src/domain/dates.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { changeEndDate, sweepTimeLimits } from '../../src/services/lifecycle.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { buttonsIn, mrkdwnTexts, person, postsIn, requestAccess, seedOrganization, settle } from '../support/flows.js';
import { ACTION, EXTEND_FORM_BLOCK, INPUT_ACTION } from '../../src/slack/views/ids.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Member');
const DAY = 24 * 60 * 60 * 1000;

/** The block of a digest holding the buttons for this connection. */
function buttonsBlockFor(message: { blocks?: unknown }, connectionId: number): string {
  const blocks = (message.blocks ?? []) as Array<{ block_id?: string; elements?: Array<{ value?: string }> }>;
  const block = blocks.find((candidate) => candidate.elements?.some((element) => element.value === `extend:${connectionId}`));
  if (!block?.block_id) throw new Error(`no buttons for connection ${connectionId}`);
  return block.block_id;
}
const settings = { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS };

/** Rita, connected to the organization until the end of `endsOn` (UTC). */
async function ritaWithAccessUntil(app: TestApp, organizationId: number, endsOn: string) {
  const { prisma } = app.db.database;
  const member = await prisma.member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName, email: RITA.email } });
  const endsAt = endOfDayIn(endsOn, 'UTC');
  const connection = await prisma.connection.create({
    data: { organizationId, memberId: member.id, endsOn, endsAt, permissions: { create: [{ permissionKey: PERMISSION.esriAccess }] } },
  });
  return { connection, endsAt };
}

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
    const organization = await seedOrganization(
      app,
      { name: 'City of <!channel> Redlands', customerNumber: '100200', auditChannelId: 'C0AUDIT' },
      [ADA],
    );
    const { prisma } = app.db.database;
    const { connection, endsAt } = await ritaWithAccessUntil(app, organization.id, '2031-01-31');

    clock = new Date(endsAt.getTime() - 7 * DAY);
    await sweepTimeLimits(prisma, settings, clock);
    await settle(app);
    const warning = mrkdwnTexts(postsIn(app, RITA.id).at(-1)!).join('\n');
    // Seven times 24 hours before the end is the morning of January 25: the 31st is six days on.
    expect(warning).toContain('ends in 6 days, at the end of January 31, 2031');
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
    expect(mrkdwnTexts(postsIn(app, RITA.id).at(-1)!).join('\n')).toContain(
      'ended on February 28, 2031. An administrator can restore it until',
    );
    const adminSummary = postsIn(app, ADA.id).at(-1)!;
    expect(mrkdwnTexts(adminSummary).join('\n')).toContain(`<@${RITA.id}>`);
    // The admin can restore from the summary itself; the audit channel gets the record, no buttons.
    expect(buttonsIn(adminSummary).map((button) => button.value)).toEqual([`extend:${connection.id}`, `remove:${connection.id}`]);
    // The audit channel's line for the expiry is the record only, without buttons.
    const expiries = postsIn(app, 'C0AUDIT').filter((message) => mrkdwnTexts(message).join('\n').includes('Access expired'));
    expect(expiries).toHaveLength(1);
    expect(buttonsIn(expiries[0]!)).toEqual([]);
    const opened = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: ADA.id, actionId: buttonsIn(adminSummary)[0]!.action_id, message: adminSummary });
    await app.emulator.waitForCalls('views.open', opened + 1);
    expect(JSON.stringify(app.emulator.callsTo('views.open').at(-1)!.args.view)).toContain('Extend access');
  });

  it('names the days really left when access is given closer to its end than the first warning', async () => {
    let clock = new Date();
    app = await startTestApp(kind, {}, { now: () => clock });
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const { prisma } = app.db.database;
    const { endsAt } = await ritaWithAccessUntil(app, organization.id, '2031-01-31');
    // Noon on January 28: the 14-day warning is the one due, and the 31st is three days on.
    clock = new Date(endsAt.getTime() - 3.5 * DAY);
    await sweepTimeLimits(prisma, settings, clock);
    await settle(app);
    const warning = mrkdwnTexts(postsIn(app, RITA.id).at(-1)!).join('\n');
    expect(warning).toContain('ends in 3 days, at the end of January 31, 2031');
    expect(warning).not.toContain('14 days');
  });

  it("delivers a sweep's messages through a Slack outage, each once and none before Retry-After", async () => {
    // A clock that runs, set to the end date: retries are scheduled by it and must come due.
    let offsetMs = 0;
    app = await startTestApp(kind, {}, { now: () => new Date(Date.now() + offsetMs) });
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', auditChannelId: 'C0AUDIT' }, [
      ADA,
    ]);
    const { prisma } = app.db.database;
    const endsAt = endOfDayIn('2031-01-31', 'UTC');
    const people = Array.from({ length: 20 }, (_, index) => person(`U0END${String(index).padStart(3, '0')}`, `Ending ${index}`));
    for (const someone of people) {
      app.emulator.addUser(someone);
      const member = await prisma.member.create({ data: { slackUserId: someone.id, displayName: someone.realName } });
      await prisma.connection.create({ data: { organizationId: organization.id, memberId: member.id, endsOn: '2031-01-31', endsAt } });
    }
    app.emulator.failNext('chat.postMessage', { status: 503 }, 3);
    app.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1);
    offsetMs = endsAt.getTime() - Date.now();
    expect((await sweepTimeLimits(prisma, settings, new Date(Date.now() + offsetMs))).expired).toBe(20);
    app.gatehouse.dispatcher.wake();
    await settle(app, 60_000);

    const posts = app.emulator.callsTo('chat.postMessage');
    expect(posts.filter((call) => call.faulted).map((call) => call.status)).toEqual([503, 503, 503, 429]);
    const limitedAt = posts.find((call) => call.status === 429)!.at.getTime();
    const next = posts.find((call) => call.at.getTime() > limitedAt && !call.faulted)!;
    expect(next.at.getTime() - limitedAt).toBeGreaterThanOrEqual(2000);
    for (const someone of people) expect(postsIn(app, someone.id), someone.id).toHaveLength(1);
    expect(postsIn(app, ADA.id)).toHaveLength(1);
    expect(postsIn(app, 'C0AUDIT').filter((message) => mrkdwnTexts(message).join('\n').includes('Access expired'))).toHaveLength(1);
  });

  it('treats someone whose access expired as not connected: they cannot act as an admin', async () => {
    app = await startTestApp(kind);
    const BOB = person('U0BOB', 'Bob Backup');
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA, BOB]);
    const { prisma } = app.db.database;
    // Bob's access ended yesterday; the sweep has not even run yet.
    const bob = await prisma.member.findUniqueOrThrow({ where: { slackUserId: BOB.id } });
    await prisma.connection.updateMany({
      where: { memberId: bob.id },
      data: { endsOn: '2020-01-01', endsAt: new Date('2020-01-02T00:00:00.000Z') },
    });
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    // Only Ada, who is still in effect, got a card.
    expect(postsIn(app, BOB.id)).toEqual([]);
    const card = postsIn(app, ADA.id)[0]!;
    // Bob clicks Approve on Ada's card anyway (a forwarded or old card): refused, nothing decided.
    await app.driver.clickButton({ userId: BOB.id, actionId: ACTION.approve, message: card });
    const refusal = await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000);
    expect(JSON.stringify(refusal.at(-1)!.args)).toContain('Only Administrators of City of Redlands can decide this request.');
    expect(app.emulator.callsTo('views.open')).toHaveLength(1);
    expect((await prisma.accessRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe('PENDING');
  });

  it('sends each admin one digest a day, whose Extend and Remove end date buttons work for admins only', async () => {
    let clock = new Date();
    app = await startTestApp(kind, {}, { now: () => clock });
    const SAM = person('U0SAM', 'Sam Soon');
    for (const someone of [RITA, SAM]) app.emulator.addUser(someone);
    const organization = await seedOrganization(
      app,
      { name: 'City of Redlands', customerNumber: '100200', timeZone: 'America/Los_Angeles' },
      [ADA],
    );
    const { prisma } = app.db.database;
    const endsAt = endOfDayIn('2031-01-31', 'America/Los_Angeles');
    const connections = [];
    for (const someone of [RITA, SAM]) {
      const member = await prisma.member.create({ data: { slackUserId: someone.id, displayName: someone.realName } });
      connections.push(
        await prisma.connection.create({ data: { organizationId: organization.id, memberId: member.id, endsOn: '2031-01-31', endsAt } }),
      );
    }
    clock = new Date(endsAt.getTime() - 5 * DAY);
    await sweepTimeLimits(prisma, settings, clock);
    await sweepTimeLimits(prisma, settings, new Date(clock.getTime() + 60 * 60 * 1000));
    await settle(app);
    const digests = postsIn(app, ADA.id);
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(mrkdwnTexts(digest).join('\n')).toContain(`<@${RITA.id}>  ·  ends at the end of January 31, 2031`);

    // Extend Rita from the menu: a form opens, and saving gives her access until the new date.
    const opened = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({
      userId: ADA.id,
      actionId: ACTION.extendEndDate,
      blockId: buttonsBlockFor(digest, connections[0]!.id),
      message: digest,
    });
    await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
    const form = app.emulator.currentModal(ADA.id)!;
    await app.driver.submitView(form, { [EXTEND_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: '2031-06-30' } }, ADA.id);
    expect(await prisma.connection.findUniqueOrThrow({ where: { id: connections[0]!.id } })).toMatchObject({
      status: 'ACTIVE',
      endsOn: '2031-06-30',
      endsAt: endOfDayIn('2031-06-30', 'America/Los_Angeles'),
    });
    // Remove Sam's end date outright; Ada is told it is done.
    const toldBefore = app.emulator.callsTo('chat.postEphemeral').length;
    await app.driver.clickButton({
      userId: ADA.id,
      actionId: ACTION.removeEndDate,
      blockId: buttonsBlockFor(digest, connections[1]!.id),
      message: digest,
    });
    for (let waited = 0; waited < 10_000; waited += 20) {
      if ((await prisma.connection.findUniqueOrThrow({ where: { id: connections[1]!.id } })).endsOn === null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await prisma.connection.findUniqueOrThrow({ where: { id: connections[1]!.id } })).toMatchObject({
      status: 'ACTIVE',
      endsOn: null,
      endsAt: null,
    });
    expect(await prisma.permissionLogEntry.count({ where: { action: 'connection.end_date_changed' } })).toBe(2);
    const done = await app.emulator.waitForCalls('chat.postEphemeral', toldBefore + 1, 10_000);
    expect(JSON.stringify(done.at(-1)!.args)).toContain(`Done: <@${SAM.id}> now has access with no end date.`);
    // Someone who is not an Administrator cannot do the same with a copy of the menu.
    await app.driver.clickButton({
      userId: RITA.id,
      actionId: ACTION.removeEndDate,
      blockId: buttonsBlockFor(digest, connections[0]!.id),
      message: digest,
    });
    const refusal = await app.emulator.waitForCalls('chat.postEphemeral', toldBefore + 2, 10_000);
    expect(JSON.stringify(refusal.at(-1)!.args)).toContain(
      'Only Administrators of City of Redlands can change end dates there: ask Ada Admin.',
    );
    expect((await prisma.connection.findUniqueOrThrow({ where: { id: connections[0]!.id } })).endsOn).toBe('2031-06-30');
  });
});
