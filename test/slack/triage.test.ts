import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { createLogger } from '../../src/logger.js';
import { startSlackEmulator } from '../../src/sandbox/index.js';
import { startGatehouse } from '../../src/server.js';
import { ACTION, DENY_FORM_BLOCK, INPUT_ACTION, REQUEST_FORM_BLOCK } from '../../src/slack/views/ids.js';
import { claimPendingRequest } from '../../src/db/connection-writes.js';
import { decideRequest, routeTriagedRequest, submitAccessRequest } from '../../src/services/access-requests.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import { BOT_TOKEN, startTestApp, testAppConfig, type TestApp } from '../support/app.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/databases.js';
import { buttonsIn, openRequestForm, person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Requester');
const OPERATOR = person('U0OPERATOR', 'Olga Operator');
const OTTO = person('U0OTTO', 'Otto Operator');
const TRIAGE_CHANNEL = 'C0TRIAGE';

async function waitUntil(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DATABASE_KINDS)('triage on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  const prisma = () => app.db.database.prisma;

  async function start(overrides: Parameters<typeof startTestApp>[1]) {
    app = await startTestApp(kind, overrides);
    app.emulator.addChannel(TRIAGE_CHANNEL);
    for (const someone of [RITA, OPERATOR, OTTO]) app.emulator.addUser(someone);
    return seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
  }

  /** Rita asks for access for an organization Gatehouse does not list. */
  async function requestForUnlisted(name = 'Redlands Planning Dept') {
    const opened = await openRequestForm(app, RITA.id);
    const updatesBefore = app.emulator.callsTo('views.update').length;
    await app.driver.interact({ userId: RITA.id, actionId: ACTION.toggleUnlisted, view: opened, value: ['unlisted'] });
    const form = (await app.emulator.waitForCalls('views.update', updatesBefore + 1, 10_000))[updatesBefore]!;
    const response = await app.driver.submitView(
      form,
      {
        [REQUEST_FORM_BLOCK.unlistedToggle]: { [ACTION.toggleUnlisted]: ['unlisted'] },
        [REQUEST_FORM_BLOCK.unlistedName]: { [INPUT_ACTION]: name },
        [REQUEST_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: 'Forum access' },
      },
      RITA.id,
    );
    expect(response.body).toBe('');
    await settle(app);
    return prisma().accessRequest.findFirstOrThrow({ orderBy: { id: 'desc' } });
  }

  /** Clicks Deny on a triage card; the form Slack was asked to open, or null when Gatehouse answered with a note instead. */
  async function openTriageDenyForm(operator: typeof OPERATOR, card: { channel: string; ts: string }, requestId: number) {
    const opensBefore = app.emulator.callsTo('views.open').length;
    const notesBefore = app.emulator.ephemeralMessages.length;
    await app.driver.blockActions({
      userId: operator.id,
      message: card,
      actions: [{ action_id: ACTION.triageDeny, block_id: `triage_${requestId}`, type: 'button', value: String(requestId) }],
    });
    await waitUntil(() => app.emulator.callsTo('views.open').length > opensBefore || app.emulator.ephemeralMessages.length > notesBefore);
    return app.emulator.callsTo('views.open')[opensBefore] ?? null;
  }

  it('refuses a triage denial once the request was routed to the admins, and redraws the triage card without buttons', async () => {
    const organization = await start({ TRIAGE_CHANNEL_ID: TRIAGE_CHANNEL, OPERATOR_USER_IDS: [OPERATOR.id, OTTO.id] });
    const request = await requestForUnlisted();
    const triageCard = postsIn(app, TRIAGE_CHANNEL).at(-1)!;

    // Otto opens the deny form while the request is still in triage; Olga routes it meanwhile.
    const denyForm = await openTriageDenyForm(OTTO, triageCard, request.id);
    expect(denyForm).not.toBeNull();
    await app.driver.interact({ userId: OPERATOR.id, actionId: ACTION.triageRoute, message: triageCard, value: String(organization.id) });
    await settle(app);
    expect(await prisma().accessRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      organizationId: organization.id,
      status: 'PENDING',
    });

    const redrawn = app.emulator.findMessage(triageCard.channel, triageCard.ts)!;
    expect(buttonsIn(redrawn)).toEqual([]);
    expect(JSON.stringify(redrawn.blocks)).not.toContain(ACTION.triageRoute);
    expect(JSON.stringify(redrawn.blocks)).toMatch(/Sent to the Administrators of City of Redlands/);

    // The stale form, submitted now, changes nothing: the request is the admins' to decide.
    await app.driver.submitView(
      denyForm!,
      {
        [DENY_FORM_BLOCK.reason]: { [INPUT_ACTION]: 'Not ours' },
        [DENY_FORM_BLOCK.notify]: { [INPUT_ACTION]: ['notify'] },
      },
      OTTO.id,
    );
    await settle(app);
    expect(await prisma().accessRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: 'PENDING',
      decidedById: null,
    });
    expect(await prisma().permissionLogEntry.count({ where: { action: 'request.denied' } })).toBe(0);
    await waitUntil(() => /no longer in triage/i.test(app.emulator.ephemeralMessages.at(-1)?.text ?? ''));

    // A forged click on the old card no longer opens a form either.
    expect(await openTriageDenyForm(OTTO, triageCard, request.id)).toBeNull();
    expect(app.emulator.ephemeralMessages.at(-1)?.text).toMatch(/no longer in triage/i);

    // Routing it a second time is refused too.
    const other = await seedOrganization(app, { name: 'Other Town', customerNumber: '500600' }, [person('U0BEA', 'Bea Admin')]);
    await app.driver.blockActions({
      userId: OPERATOR.id,
      message: triageCard,
      actions: [
        {
          action_id: ACTION.triageRoute,
          block_id: `triage_${request.id}`,
          type: 'static_select',
          selected_option: { value: String(other.id), text: { type: 'plain_text', text: 'Other Town' } },
        },
      ],
    });
    await settle(app);
    expect((await prisma().accessRequest.findUniqueOrThrow({ where: { id: request.id } })).organizationId).toBe(organization.id);
  });

  it('without a triage channel, sends the triage card to each operator by DM', async () => {
    const organization = await start({ OPERATOR_USER_IDS: [OPERATOR.id, OTTO.id] });
    const request = await requestForUnlisted();
    for (const operator of [OPERATOR, OTTO]) {
      const card = postsIn(app, operator.id).at(-1);
      expect(card, `${operator.id} should get the triage card`).toBeDefined();
      expect(JSON.stringify(card!.blocks)).toContain('Redlands Planning Dept');
      expect(buttonsIn(card!).map((button) => button.action_id)).toContain(ACTION.triageDeny);
    }
    expect(JSON.stringify(postsIn(app, RITA.id).at(-1))).toMatch(/operators will match/i);

    // Routing from one operator's DM redraws both operators' cards.
    const card = postsIn(app, OPERATOR.id).at(-1)!;
    await app.driver.interact({ userId: OPERATOR.id, actionId: ACTION.triageRoute, message: card, value: String(organization.id) });
    await settle(app);
    expect((await prisma().accessRequest.findUniqueOrThrow({ where: { id: request.id } })).organizationId).toBe(organization.id);
    for (const operator of [OPERATOR, OTTO]) {
      const redrawn = postsIn(app, operator.id).at(-1)!;
      expect(JSON.stringify(redrawn.blocks)).toMatch(/Sent to the Administrators of City of Redlands/);
      expect(buttonsIn(redrawn)).toEqual([]);
    }
    expect(buttonsIn(postsIn(app, ADA.id).at(-1)!).map((button) => button.action_id)).toContain(ACTION.approve);
  });

  it('with neither a triage channel nor operators, tells the requester nobody can handle the request yet', async () => {
    await start({});
    await requestForUnlisted();
    const receipt = JSON.stringify(postsIn(app, RITA.id).at(-1));
    expect(receipt).not.toMatch(/operators will/i);
    expect(receipt).toMatch(/nobody in Gatehouse can handle/i);

    const lonely = await seedOrganization(app, { name: 'Lonely Borough', customerNumber: '300400' }, []);
    const opened = await openRequestForm(app, RITA.id);
    await app.driver.submitView(
      opened,
      {
        [REQUEST_FORM_BLOCK.organization]: { [ACTION.pickOrganization]: String(lonely.id) },
        [REQUEST_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: 'Forum access' },
      },
      RITA.id,
    );
    await settle(app);
    const second = JSON.stringify(postsIn(app, RITA.id).at(-1));
    expect(second).toMatch(/Lonely Borough has no Administrator/i);
    expect(second).toMatch(/nobody in Gatehouse can handle/i);
  });
});

describe.each(DATABASE_KINDS)("an operator's denial in triage, on %s", (kind) => {
  it('is a compare-and-set on the request still being in triage, so it loses to a routing committed first', async () => {
    const db = await createTestDatabase(kind);
    try {
      const { prisma, sql } = db.database;
      await seedPermissionCatalog(prisma);
      const organization = await createOrganization(prisma, { name: 'City of Redlands', customerNumber: '100200' });
      await addAdministrator(prisma, { customerNumber: '100200', slackUserId: ADA.id });
      const settings = { triageChannelId: TRIAGE_CHANNEL, operatorUserIds: [OPERATOR.id, OTTO.id] };
      const submitted = await submitAccessRequest(
        prisma,
        {
          requester: { slackUserId: RITA.id },
          organizationId: null,
          unlisted: { customerNumber: null, name: 'Redlands Planning', acronym: null, department: null, city: null },
          permissions: [PERMISSION.esriAccess],
          purpose: 'Forum access',
          submissionKey: 'only',
        },
        settings,
        new Date(),
      );
      const otto = await prisma.member.create({ data: { slackUserId: OTTO.id, displayName: OTTO.realName } });
      const denial = {
        requestId: submitted.requestId,
        outcome: 'DENIED' as const,
        decidedById: otto.id,
        note: 'Not ours',
        granted: null,
        onlyInTriage: true,
      };

      await routeTriagedRequest(
        prisma,
        { requestId: submitted.requestId, organizationId: organization.id, actor: { slackUserId: OPERATOR.id } },
        settings,
        new Date(),
      );
      // Read before the routing, decided after it: the write itself refuses.
      expect(await claimPendingRequest(sql, { ...denial, at: new Date() })).toBe(false);
      expect(await prisma.accessRequest.findUniqueOrThrow({ where: { id: submitted.requestId } })).toMatchObject({
        status: 'PENDING',
        inTriage: false,
        decidedById: null,
      });
      await expect(
        decideRequest(
          sql,
          {
            requestId: submitted.requestId,
            actor: { slackUserId: OTTO.id },
            outcome: 'DENIED',
            note: 'Not ours',
            notify: true,
            inTriage: true,
          },
          settings,
          new Date(),
        ),
      ).rejects.toMatchObject({ message: expect.stringMatching(/no longer in triage/) });
    } finally {
      await db.drop();
    }
  });
});

describe('start-up without anyone to triage requests', () => {
  it('logs a warning naming TRIAGE_CHANNEL_ID and OPERATOR_USER_IDS', async () => {
    const db = await createTestDatabase('sqlite');
    const emulator = await startSlackEmulator({ token: BOT_TOKEN });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = testAppConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'info', SLACK_API_URL: emulator.url });
    const warnings = () => lines.map((line) => JSON.parse(line) as { level: string; msg: string }).filter((line) => line.level === 'warn');
    try {
      const alone = await startGatehouse(
        { ...config, OPERATOR_USER_IDS: [] },
        { host: '127.0.0.1', logger: createLogger('info', sink), scheduleJobs: false },
      );
      await alone.stop();
      expect(warnings().map((line) => line.msg)).toEqual([
        expect.stringMatching(/TRIAGE_CHANNEL_ID.*OPERATOR_USER_IDS|OPERATOR_USER_IDS.*TRIAGE_CHANNEL_ID/),
      ]);

      lines.length = 0;
      const staffed = await startGatehouse(
        { ...config, OPERATOR_USER_IDS: [OPERATOR.id] },
        { host: '127.0.0.1', logger: createLogger('info', sink), scheduleJobs: false },
      );
      await staffed.stop();
      expect(warnings()).toEqual([]);
    } finally {
      await emulator.close();
      await db.drop();
    }
  });
});
