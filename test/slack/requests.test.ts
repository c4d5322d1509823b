import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { ACTION, CALLBACK, APPROVE_FORM_BLOCK, DENY_FORM_BLOCK, INPUT_ACTION, REQUEST_FORM_BLOCK } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  buttonsIn,
  mrkdwnTexts,
  openRequestForm,
  plainTexts,
  person,
  postsIn,
  requestAccess,
  seedOrganization,
  settle,
  submitRequestForm,
} from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Admin');
const RITA = person('U0RITA', 'Rita Requester');
const MALLORY = person('U0MALLORY', 'Mallory Outsider');
const ADMIN_CHANNEL = 'C0ADMINS';
const AUDIT_CHANNEL = 'C0AUDIT';
const TRIAGE_CHANNEL = 'C0TRIAGE';
const OPERATOR = person('U0OPERATOR', 'Olga Operator');

describe.each(DATABASE_KINDS)('access requests on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  async function startWithOrganization() {
    app = await startTestApp(kind, { TRIAGE_CHANNEL_ID: TRIAGE_CHANNEL, OPERATOR_USER_IDS: [OPERATOR.id] });
    app.emulator.addChannel(TRIAGE_CHANNEL);
    for (const someone of [RITA, MALLORY, OPERATOR]) app.emulator.addUser(someone);
    const organization = await seedOrganization(
      app,
      { name: 'City of Redlands', customerNumber: '100200', acronym: 'COR', adminChannelId: ADMIN_CHANNEL, auditChannelId: AUDIT_CHANNEL },
      [ADA, BOB],
    );
    return organization;
  }

  const prisma = () => app.db.database.prisma;

  /** Opens the request form and ticks "not listed", which redraws it with the free-text fields. */
  async function openUnlistedForm() {
    const opened = await openRequestForm(app, RITA.id);
    const updatesBefore = app.emulator.callsTo('views.update').length;
    await app.driver.interact({ userId: RITA.id, actionId: ACTION.toggleUnlisted, view: opened, value: ['unlisted'] });
    return (await app.emulator.waitForCalls('views.update', updatesBefore + 1, 10_000))[updatesBefore]!;
  }

  /** The approval card an admin got in their DM for the latest request. */
  const cardFor = (admin: typeof ADA) => {
    const card = postsIn(app, admin.id).at(-1);
    expect(card, `${admin.id} should have a card`).toBeDefined();
    return card!;
  };

  async function clickAndSubmit(admin: typeof ADA, actionId: string, values: Record<string, Record<string, string | string[] | null>>) {
    const card = cardFor(admin);
    const opensBefore = app.emulator.callsTo('views.open').length;
    const click = await app.driver.clickButton({ userId: admin.id, actionId, message: { channel: card.channel, ts: card.ts } });
    expect(click.status).toBe(200);
    const opened = (await app.emulator.waitForCalls('views.open', opensBefore + 1, 10_000))[opensBefore]!;
    return app.driver.submitView(opened, values, admin.id);
  }

  it('stores a request, confirms it to the requester with Withdraw, and sends every admin a card', async () => {
    const organization = await startWithOrganization();
    const requestId = await requestAccess(app, RITA, {
      organizationId: organization.id,
      accessPermissions: [PERMISSION.downloadSoftware, PERMISSION.eLearning],
      purpose: 'I install ArcGIS for the planning team.',
    });

    const stored = await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(stored).toMatchObject({
      status: 'PENDING',
      organizationId: organization.id,
      purpose: 'I install ArcGIS for the planning team.',
    });
    expect([...(stored.requestedPermissions as string[])].sort()).toEqual([PERMISSION.eLearning, PERMISSION.downloadSoftware].sort());

    const receipt = postsIn(app, RITA.id).at(-1)!;
    expect(buttonsIn(receipt)).toEqual([expect.objectContaining({ action_id: ACTION.withdraw, value: String(requestId) })]);

    for (const admin of [ADA, BOB]) {
      const card = cardFor(admin);
      expect(
        buttonsIn(card)
          .map((button) => button.action_id)
          .sort(),
      ).toEqual([ACTION.approve, ACTION.deny].sort());
      expect(JSON.stringify(card.blocks)).toContain('I install ArcGIS for the planning team.');
      expect(JSON.stringify(card.blocks)).toContain('Download software');
      expect(JSON.stringify(card.blocks)).toContain(`<@${RITA.id}>`);
    }
    expect(postsIn(app, ADMIN_CHANNEL)).toHaveLength(1);
    const recorded = await prisma().requestMessage.findMany({ where: { requestId } });
    expect(recorded.map((message) => message.audience).sort()).toEqual(['admin', 'admin', 'admin', 'requester:admins']);
  });

  it('refuses an unknown customer number with a field error and stores nothing', async () => {
    await startWithOrganization();
    // Setting the organization up queued its audit lines; the refused request adds nothing.
    const queuedBefore = await prisma().outboxMessage.count();
    const update = await openUnlistedForm();
    const response = await app.driver.submitView(
      update,
      {
        [REQUEST_FORM_BLOCK.unlistedToggle]: { [ACTION.toggleUnlisted]: ['unlisted'] },
        [REQUEST_FORM_BLOCK.unlistedCustomerNumber]: { [INPUT_ACTION]: '999999' },
        [REQUEST_FORM_BLOCK.unlistedName]: { [INPUT_ACTION]: 'Springfield Water' },
        [REQUEST_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: 'Training' },
      },
      RITA.id,
    );
    expect(response.json).toEqual({
      response_action: 'errors',
      errors: { [REQUEST_FORM_BLOCK.unlistedCustomerNumber]: expect.stringContaining('999999') },
    });
    expect(await prisma().accessRequest.count()).toBe(0);
    expect(await prisma().outboxMessage.count()).toBe(queuedBefore);
  });

  it('sends a request for an unlisted organization to triage, where an operator routes it to the admins', async () => {
    const organization = await startWithOrganization();
    const update = await openUnlistedForm();
    const response = await app.driver.submitView(
      update,
      {
        [REQUEST_FORM_BLOCK.unlistedToggle]: { [ACTION.toggleUnlisted]: ['unlisted'] },
        [REQUEST_FORM_BLOCK.unlistedName]: { [INPUT_ACTION]: 'Redlands Planning Dept' },
        [REQUEST_FORM_BLOCK.unlistedCity]: { [INPUT_ACTION]: 'Redlands' },
        [REQUEST_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: 'Forum access' },
      },
      RITA.id,
    );
    expect(response.body).toBe('');
    await settle(app);
    const request = await prisma().accessRequest.findFirstOrThrow();
    expect(request).toMatchObject({ organizationId: null, unlistedName: 'Redlands Planning Dept', status: 'PENDING' });
    expect(postsIn(app, ADA.id)).toHaveLength(0);
    const triageCard = postsIn(app, TRIAGE_CHANNEL).at(-1)!;
    expect(JSON.stringify(triageCard.blocks)).toContain('Redlands Planning Dept');

    // Only an operator may route it.
    await app.driver.interact({ userId: MALLORY.id, actionId: ACTION.triageRoute, message: triageCard, value: String(organization.id) });
    expect((await prisma().accessRequest.findFirstOrThrow()).organizationId).toBeNull();
    await app.driver.interact({ userId: OPERATOR.id, actionId: ACTION.triageRoute, message: triageCard, value: String(organization.id) });
    await settle(app);
    expect((await prisma().accessRequest.findFirstOrThrow()).organizationId).toBe(organization.id);
    expect(buttonsIn(cardFor(ADA)).map((button) => button.action_id)).toContain(ACTION.approve);
    expect(app.emulator.ephemeralMessages.find((message) => message.user === MALLORY.id)?.text).toMatch(/operators/i);
  });

  it('lets an operator deny a request in triage with a reason, and tells the requester', async () => {
    await startWithOrganization();
    const update = await openUnlistedForm();
    await app.driver.submitView(
      update,
      {
        [REQUEST_FORM_BLOCK.unlistedToggle]: { [ACTION.toggleUnlisted]: ['unlisted'] },
        [REQUEST_FORM_BLOCK.unlistedName]: { [INPUT_ACTION]: 'Nowhere Inc' },
        [REQUEST_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: 'Forum access' },
      },
      RITA.id,
    );
    await settle(app);
    const triageCard = postsIn(app, TRIAGE_CHANNEL).at(-1)!;
    const opensBefore = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: OPERATOR.id, actionId: ACTION.triageDeny, message: triageCard });
    const denyForm = (await app.emulator.waitForCalls('views.open', opensBefore + 1, 10_000))[opensBefore]!;
    await app.driver.submitView(
      denyForm,
      {
        [DENY_FORM_BLOCK.reason]: { [INPUT_ACTION]: 'We do not serve this organization' },
        [DENY_FORM_BLOCK.notify]: { [INPUT_ACTION]: ['notify'] },
      },
      OPERATOR.id,
    );
    await settle(app);
    expect(await prisma().accessRequest.findFirstOrThrow()).toMatchObject({
      status: 'DENIED',
      decisionNote: 'We do not serve this organization',
    });
    expect(JSON.stringify(postsIn(app, RITA.id).at(-1))).toContain('We do not serve this organization');
    expect(buttonsIn(app.emulator.findMessage(triageCard.channel, triageCard.ts)!)).toEqual([]);
  });

  it('sends a request for an organization with no admin to triage and tells the requester', async () => {
    await startWithOrganization();
    const lonely = await seedOrganization(app, { name: 'Lonely Borough', customerNumber: '300400' }, []);
    await requestAccess(app, RITA, { organizationId: lonely.id, accessPermissions: [PERMISSION.esriAccess] });
    expect(postsIn(app, TRIAGE_CHANNEL)).toHaveLength(1);
    expect(JSON.stringify(postsIn(app, RITA.id).at(-1))).toMatch(/no administrator/i);
  });

  it('approves with edits: grants what the admin chose, logs it, tells everyone, and updates every card', async () => {
    const organization = await startWithOrganization();
    const requestId = await requestAccess(app, RITA, {
      organizationId: organization.id,
      accessPermissions: [PERMISSION.downloadSoftware, PERMISSION.eLearning],
    });
    const response = await clickAndSubmit(ADA, ACTION.approve, {
      [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.downloadSoftware, PERMISSION.esriAccess] },
      [APPROVE_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: '2099-12-31' },
      [APPROVE_FORM_BLOCK.tags]: { [INPUT_ACTION]: 'planning, gis' },
      [APPROVE_FORM_BLOCK.note]: { [INPUT_ACTION]: 'Esri access instead of e-Learning for now' },
      [APPROVE_FORM_BLOCK.notify]: { [INPUT_ACTION]: ['notify'] },
    });
    expect(response.body).toBe('');
    await settle(app);

    const connection = await prisma().connection.findFirstOrThrow({
      where: { member: { slackUserId: RITA.id } },
      include: { permissions: true },
    });
    expect(connection.permissions.map((grant) => grant.permissionKey).sort()).toEqual(
      [PERMISSION.downloadSoftware, PERMISSION.esriAccess].sort(),
    );
    expect(connection).toMatchObject({ status: 'ACTIVE', endsOn: '2099-12-31', tags: ['planning', 'gis'] });
    expect(await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: 'APPROVED' });

    const log = await prisma().permissionLogEntry.findFirstOrThrow({ where: { action: 'request.approved' } });
    expect(log).toMatchObject({
      note: 'Esri access instead of e-Learning for now',
      before: { requestId },
      after: expect.objectContaining({ permissions: [PERMISSION.downloadSoftware, PERMISSION.esriAccess].sort() }),
    });

    const outcome = postsIn(app, RITA.id).at(-1)!;
    const outcomeText = JSON.stringify(outcome);
    expect(outcomeText).toContain('Esri access');
    expect(outcomeText).toMatch(/not granted/i);
    expect(postsIn(app, BOB.id).some((message) => /changed/i.test(JSON.stringify(message)))).toBe(true);
    expect(postsIn(app, AUDIT_CHANNEL).filter((message) => /Approved a request/.test(JSON.stringify(message)))).toHaveLength(1);

    for (const posted of await prisma().requestMessage.findMany({ where: { requestId } })) {
      const message = app.emulator.findMessage(posted.channelId, posted.ts)!;
      expect(buttonsIn(message).filter((button) => button.action_id !== ACTION.withdraw)).toEqual([]);
      if (posted.audience === 'admin') expect(JSON.stringify(message.blocks)).toMatch(/Approved by/);
    }
  });

  it('approves with a time range: before its first day and after its last the person looks not connected', async () => {
    const organization = await startWithOrganization();
    await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const refused = await clickAndSubmit(ADA, ACTION.approve, {
      [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
      [APPROVE_FORM_BLOCK.startsOn]: { [INPUT_ACTION]: '2031-03-01' },
      [APPROVE_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: '2031-02-01' },
    });
    expect(JSON.stringify(refused.body)).toContain('Access has to start on or before its last day.');
    await clickAndSubmit(ADA, ACTION.approve, {
      [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
      [APPROVE_FORM_BLOCK.startsOn]: { [INPUT_ACTION]: '2031-03-01' },
      [APPROVE_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: '2031-03-31' },
    });
    await settle(app);
    const connection = await prisma().connection.findFirstOrThrow({
      where: { member: { slackUserId: RITA.id } },
      include: { permissions: true },
    });
    expect(connection).toMatchObject({ startsOn: '2031-03-01', endsOn: '2031-03-31' });
    const facts = { ...connection, permissions: connection.permissions.map((grant) => grant.permissionKey) };
    const { isConnectionEffective } = await import('../../src/domain/policy.js');
    expect(isConnectionEffective(facts, new Date(connection.startsAt!.getTime() - 1))).toBe(false);
    expect(isConnectionEffective(facts, connection.startsAt!)).toBe(true);
    expect(isConnectionEffective(facts, connection.endsAt!)).toBe(false);
  });

  it('replaces an existing connection’s permissions on approval, and leaves it as it was on denial', async () => {
    const organization = await startWithOrganization();
    const first = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.downloadSoftware] });
    await clickAndSubmit(ADA, ACTION.approve, {
      [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.downloadSoftware] },
    });
    await settle(app);
    expect((await prisma().accessRequest.findUniqueOrThrow({ where: { id: first } })).status).toBe('APPROVED');

    // Asking for more, and approved with a different set: the set replaces what she held.
    await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.manageLicensing] });
    await clickAndSubmit(BOB, ACTION.approve, {
      [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.manageLicensing, PERMISSION.esriAccess] },
    });
    // The form started with what she held and what she asked for, so a plain Approve only adds.
    const form = app.emulator.callsTo('views.open').at(-1)!.args.view as {
      blocks: Array<{ block_id?: string; element?: { initial_options?: Array<{ value: string }> } }>;
    };
    const ticked = form.blocks
      .find((block) => block.block_id === APPROVE_FORM_BLOCK.accessPermissions)
      ?.element?.initial_options?.map((option) => option.value);
    expect(ticked?.sort()).toEqual([PERMISSION.downloadSoftware, PERMISSION.manageLicensing].sort());
    await settle(app);
    const held = async () =>
      (await prisma().connectionPermission.findMany({ where: { connection: { member: { slackUserId: RITA.id } } } }))
        .map((grant) => grant.permissionKey)
        .sort();
    expect(await held()).toEqual([PERMISSION.esriAccess, PERMISSION.manageLicensing].sort());

    await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.viewTransactions] });
    await clickAndSubmit(ADA, ACTION.deny, {
      [DENY_FORM_BLOCK.reason]: { [INPUT_ACTION]: 'Finance handles orders' },
      [DENY_FORM_BLOCK.notify]: { [INPUT_ACTION]: ['notify'] },
    });
    await settle(app);
    expect(await held()).toEqual([PERMISSION.esriAccess, PERMISSION.manageLicensing].sort());
    expect(JSON.stringify(postsIn(app, RITA.id).at(-1))).toContain('Finance handles orders');
  });

  it('decides exactly once when 50 approvals and denials race, and tells the late admins who won', async () => {
    const organization = await startWithOrganization();
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const openForm = async (admin: typeof ADA, actionId: string) => {
      const card = cardFor(admin);
      const before = app.emulator.callsTo('views.open').length;
      await app.driver.clickButton({ userId: admin.id, actionId, message: { channel: card.channel, ts: card.ts } });
      return (await app.emulator.waitForCalls('views.open', before + 1, 10_000))[before]!;
    };
    const approveForm = await openForm(ADA, ACTION.approve);
    const denyForm = await openForm(BOB, ACTION.deny);
    const submissions = Array.from({ length: 50 }, (_, index) =>
      index % 2 === 0
        ? app.driver.viewSubmission({
            view: approveForm,
            userId: ADA.id,
            values: {
              [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
              [APPROVE_FORM_BLOCK.notify]: { [INPUT_ACTION]: ['notify'] },
            },
          })
        : app.driver.viewSubmission({
            view: denyForm,
            userId: BOB.id,
            values: { [DENY_FORM_BLOCK.reason]: { [INPUT_ACTION]: 'No' }, [DENY_FORM_BLOCK.notify]: { [INPUT_ACTION]: ['notify'] } },
          }),
    );
    const responses = await Promise.all(submissions);
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    await settle(app);

    const request = await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId }, include: { decidedBy: true } });
    expect(['APPROVED', 'DENIED']).toContain(request.status);
    const decisions = await prisma().permissionLogEntry.count({ where: { action: { in: ['request.approved', 'request.denied'] } } });
    expect(decisions).toBe(1);
    const outcomeDms = await prisma().outboxMessage.count({ where: { kind: 'request.outcome' } });
    expect(outcomeDms).toBe(1);
    expect(postsIn(app, RITA.id)).toHaveLength(2); // the receipt and one outcome
    const word = request.status === 'APPROVED' ? 'approved' : 'denied';
    // Late admins are told after their modal has closed, so the notes may trail the acks.
    await app.emulator.waitForCalls('chat.postEphemeral', 49, 10_000);
    const lateNotes = app.emulator.ephemeralMessages.filter((message) => message.text.startsWith('Already'));
    expect(lateNotes).toHaveLength(49);
    for (const note of lateNotes) expect(note.text).toContain(`Already ${word} by <@${request.decidedBy!.slackUserId}>`);
    for (const posted of await prisma().requestMessage.findMany({ where: { requestId } })) {
      const message = app.emulator.findMessage(posted.channelId, posted.ts)!;
      expect(message.edited, `${posted.audience} card in ${posted.channelId} was updated`).toBeDefined();
      expect(buttonsIn(message)).toEqual([]);
    }
  });

  it('creates no second request when Slack retries the same submission', async () => {
    const organization = await startWithOrganization();
    const opened = await openRequestForm(app, RITA.id);
    const answers = { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] };
    const first = await submitRequestForm(app, RITA.id, opened, answers);
    const retry = await app.driver.sendPayload(app.driver.lastPayload()!, { retryNum: 1, retryReason: 'http_timeout' });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await settle(app);
    expect(await prisma().accessRequest.count()).toBe(1);
    expect(postsIn(app, ADA.id)).toHaveLength(1);
    expect(postsIn(app, RITA.id)).toHaveLength(1);
  });

  it('refuses an Approve forged by someone who is not an admin, and changes nothing', async () => {
    const organization = await startWithOrganization();
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const card = cardFor(ADA);
    const opensBefore = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: MALLORY.id, actionId: ACTION.approve, message: { channel: card.channel, ts: card.ts } });
    await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000);
    expect(app.emulator.callsTo('views.open')).toHaveLength(opensBefore);
    expect(app.emulator.ephemeralMessages.at(-1)).toMatchObject({ user: MALLORY.id, text: expect.stringMatching(/Only Administrators/) });

    // A view_submission built by hand, as if Mallory had the Approve form.
    const forged = await app.driver.sendPayload({
      type: 'view_submission',
      team: { id: 'T0SANDBOX01', domain: 'sandbox' },
      user: { id: MALLORY.id, team_id: 'T0SANDBOX01' },
      api_app_id: 'A0GATEHOUSE',
      trigger_id: app.emulator.issueTriggerId(MALLORY.id),
      view: {
        id: 'V0FORGED',
        type: 'modal',
        callback_id: CALLBACK.approveForm,
        hash: '1.x',
        private_metadata: JSON.stringify({ requestId, channelId: card.channel }),
        state: {
          values: {
            [APPROVE_FORM_BLOCK.accessPermissions]: {
              [INPUT_ACTION]: { type: 'checkboxes', selected_options: [{ value: PERMISSION.administrator }] },
            },
          },
        },
      },
    });
    expect(forged.status).toBe(200);
    await settle(app);
    expect(await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: 'PENDING',
      decidedById: null,
    });
    expect(await prisma().connection.count({ where: { member: { slackUserId: { in: [RITA.id, MALLORY.id] } } } })).toBe(0);
    expect(await prisma().permissionLogEntry.count({ where: { action: 'request.approved' } })).toBe(0);
  });

  it('does not let an admin decide their own request', async () => {
    const organization = await startWithOrganization();
    await requestAccess(app, ADA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    // Bob is the only other admin, so only he gets a card.
    expect(postsIn(app, BOB.id)).toHaveLength(1);
    const bobCard = postsIn(app, BOB.id)[0]!;
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.approve, message: { channel: bobCard.channel, ts: bobCard.ts } });
    await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000);
    expect(app.emulator.ephemeralMessages.at(-1)?.text).toMatch(/own request/);
  });

  it('shows a purpose of <!channel> *x* inert everywhere', async () => {
    const organization = await startWithOrganization();
    await requestAccess(app, RITA, {
      organizationId: organization.id,
      accessPermissions: [PERMISSION.esriAccess],
      purpose: '<!channel> *x* <@U0BOB>',
    });
    const everything = [...postsIn(app, ADA.id), ...postsIn(app, ADMIN_CHANNEL), ...postsIn(app, RITA.id)];
    expect(everything.length).toBeGreaterThan(0);
    for (const message of everything) {
      for (const text of mrkdwnTexts(message)) {
        expect(text).not.toContain('<!channel>');
        expect(text).not.toContain('<@U0BOB>');
        expect(text).not.toContain('*x*');
      }
    }
    // The purpose is still shown, literally, as plain text.
    expect(plainTexts(cardFor(ADA))).toContainEqual(expect.stringContaining('<!channel> *x* <@U0BOB>'));
  });

  it('lets the requester withdraw: the cards say so, nobody is notified, and the log has it', async () => {
    const organization = await startWithOrganization();
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    // Only the audit channel hears of a withdrawal; no person is notified.
    const personalPosts = () => app.emulator.callsTo('chat.postMessage').filter((call) => call.args.channel !== AUDIT_CHANNEL);
    const postsBefore = personalPosts().length;
    const auditBefore = postsIn(app, AUDIT_CHANNEL).length;
    const receipt = postsIn(app, RITA.id).at(-1)!;
    await app.driver.clickButton({ userId: RITA.id, actionId: ACTION.withdraw, message: { channel: receipt.channel, ts: receipt.ts } });
    await settle(app);
    expect(await prisma().accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: 'WITHDRAWN' });
    expect(personalPosts()).toHaveLength(postsBefore);
    expect(
      postsIn(app, AUDIT_CHANNEL)
        .slice(auditBefore)
        .map((message) => JSON.stringify(message.blocks)),
    ).toEqual([expect.stringContaining('Withdrew a request')]);
    for (const admin of [ADA, BOB]) {
      const card = cardFor(admin);
      expect(buttonsIn(card)).toEqual([]);
      expect(JSON.stringify(card.blocks)).toMatch(/withdrawn/i);
    }
    expect(await prisma().permissionLogEntry.count({ where: { action: 'request.withdrawn', organizationId: organization.id } })).toBe(1);
  });

  it('shows /access me and App Home: connections, pending requests with Withdraw, and what awaits an admin', async () => {
    const organization = await startWithOrganization();
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const mine = await app.driver.slashCommand({ userId: RITA.id, text: 'me' });
    expect(mine.json).toMatchObject({ response_type: 'ephemeral' });
    expect(buttonsIn(mine.json as object)).toContainEqual(
      expect.objectContaining({ action_id: ACTION.withdraw, value: String(requestId) }),
    );

    const adminView = await app.driver.slashCommand({ userId: ADA.id, text: 'me' });
    expect(JSON.stringify(adminView.json)).toContain('City of Redlands');
    expect(buttonsIn(adminView.json as object).map((button) => button.action_id)).toEqual(
      expect.arrayContaining([ACTION.approve, ACTION.deny]),
    );

    await app.driver.event({ event: { type: 'app_home_opened', user: ADA.id, tab: 'home', channel: 'D0ADA' } });
    await settle(app);
    const home = app.emulator.homeView(ADA.id);
    expect(JSON.stringify(home)).toMatch(/\(1\)|1 request/);
  });
});
