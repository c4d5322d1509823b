import { afterEach, describe, expect, it } from 'vitest';
import { invitationSealingKey } from '../../src/domain/invitation-tokens.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { broadcastMentionsIn, startSlackEmulator } from '../../src/sandbox/index.js';
import { checkAddresses, chooseGrant, saveSendingChoices } from '../../src/services/invitations/invite-drafts.js';
import { revokeInvitation } from '../../src/services/invitations/revoke-invitation.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { parseAcceptButtonValue } from '../../src/slack/views/invitation-messages.js';
import { ACTION, APPROVE_FORM_BLOCK, DENY_FORM_BLOCK, INPUT_ACTION, REQUEST_FORM_BLOCK } from '../../src/slack/views/ids.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  buttonsIn,
  mrkdwnTexts,
  openRequestForm,
  postsIn,
  requestAccess,
  seedOrganization,
  settle,
  type Person,
} from '../support/flows.js';

/** Everything mrkdwn can turn into a broadcast, a mention, a link or formatting. */
const HOSTILE = '<!channel> <!subteam^S0HOSTILE> *bold* <@U0NOBODY> & <http://evil.example|click>';
/** What must never reach Slack live from user data. */
const LIVE = ['<!channel>', '<!subteam^S0HOSTILE>', '*bold*', '<@U0NOBODY>', '<http://evil.example|click>'];

function hostilePerson(id: string, name: string): Person {
  return { id, name: name.toLowerCase(), realName: `${name} ${HOSTILE}`, email: `${name.toLowerCase()}@example.com` };
}

const ADA = hostilePerson('U0ADA', 'Ada');
const RITA = hostilePerson('U0RITA', 'Rita');
const BOB = hostilePerson('U0BOB', 'Bob');
const IRIS = hostilePerson('U0IRIS', 'Iris');
const MALLORY = hostilePerson('U0MALLORY', 'Mallory');

describe('the emulator', () => {
  it('records a broadcast mention in anything the app sends as a violation, and not escaped text', async () => {
    const emulator = await startSlackEmulator({ token: 'xoxb-t' });
    try {
      emulator.addUser({ id: 'U0ANY', name: 'any', realName: 'Any One' });
      const post = (body: Record<string, unknown>) =>
        fetch(`${emulator.url}chat.postMessage`, {
          method: 'POST',
          headers: { authorization: 'Bearer xoxb-t', 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'U0ANY', ...body }),
        });
      await post({ text: 'fine &lt;!channel&gt;' });
      await post({ text: 'plain', blocks: [{ type: 'section', text: { type: 'plain_text', text: '<!channel> is literal here' } }] });
      expect(emulator.violations).toEqual([]);
      await post({ text: 'hello <!here>' });
      await post({ text: 'x', blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'by <!subteam^S1|admins>' }] }] });
      expect(emulator.violations.map((violation) => [violation.source, violation.error])).toEqual([
        ['chat.postMessage', 'broadcast_mention'],
        ['chat.postMessage', 'broadcast_mention'],
      ]);
      expect(broadcastMentionsIn({ text: '<!everyone> and <!channel|channel>' })).toEqual(['<!everyone>', '<!channel|channel>']);
    } finally {
      await emulator.close();
    }
  });
});

describe.each(DATABASE_KINDS)('hostile names and text on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  /** Every mrkdwn string Gatehouse sent: Web API calls, response_url posts, and the acks given here. */
  function everythingSent(acks: unknown[]): string[] {
    const fromCalls = app.emulator.calls.flatMap((call) => [
      ...mrkdwnTexts({ text: call.args.text ?? call.args.initial_comment, blocks: call.args.blocks }),
      ...mrkdwnTexts({ blocks: call.args.view }),
    ]);
    const fromResponses = app.emulator.responses.flatMap((response) => mrkdwnTexts(response.body as { text?: unknown; blocks?: unknown }));
    const fromAcks = acks.flatMap((ack) =>
      mrkdwnTexts((ack ?? {}) as { text?: unknown; blocks?: unknown }).concat(
        mrkdwnTexts({ blocks: (ack as { view?: unknown } | undefined)?.view }),
      ),
    );
    return [...fromCalls, ...fromResponses, ...fromAcks];
  }

  function expectNothingLive(acks: unknown[]): void {
    const sent = everythingSent(acks);
    expect(sent.length).toBeGreaterThan(10);
    for (const text of sent) for (const token of LIVE) expect(text, text).not.toContain(token);
  }

  async function clickAndSubmit(admin: Person, actionId: string, values: Record<string, Record<string, string | string[]>>) {
    const card = postsIn(app, admin.id).at(-1)!;
    const opensBefore = app.emulator.callsTo('views.open').length;
    await app.driver.clickButton({ userId: admin.id, actionId, message: card });
    const opened = (await app.emulator.waitForCalls('views.open', opensBefore + 1, 10_000))[opensBefore]!;
    return app.driver.submitView(opened, values, admin.id);
  }

  it('walks request, refusal, approve, deny, end dates and an unknown subcommand with nothing live reaching Slack', async () => {
    app = await startTestApp(kind);
    for (const someone of [RITA, BOB, MALLORY]) app.emulator.addUser(someone);
    const { id: organizationId } = await seedOrganization(
      app,
      { name: `Redlands ${HOSTILE}`, customerNumber: '100200', acronym: 'COR', adminChannelId: 'C0ADMINS', auditChannelId: 'C0AUDIT' },
      [ADA],
    );
    const acks: unknown[] = [];

    await requestAccess(app, RITA, { organizationId, accessPermissions: [PERMISSION.esriAccess], purpose: `Purpose ${HOSTILE}` });
    // Mallory is no Administrator: she is told so, with the organization's name in it.
    const card = postsIn(app, ADA.id).at(-1)!;
    await app.driver.clickButton({ userId: MALLORY.id, actionId: ACTION.approve, message: card });
    await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000);
    expect(app.emulator.ephemeralMessages.at(-1)?.text).toMatch(/^Only Administrators of Redlands &lt;!channel&gt;/);

    acks.push(
      (
        await clickAndSubmit(ADA, ACTION.approve, {
          [APPROVE_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
          [APPROVE_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: '2099-12-31' },
          [APPROVE_FORM_BLOCK.tags]: { [INPUT_ACTION]: `tag ${HOSTILE}`.slice(0, 40) },
          [APPROVE_FORM_BLOCK.note]: { [INPUT_ACTION]: `Note ${HOSTILE}` },
        })
      ).json,
    );
    await settle(app);

    await requestAccess(app, BOB, { organizationId, accessPermissions: [PERMISSION.esriAccess], purpose: HOSTILE });
    acks.push((await clickAndSubmit(ADA, ACTION.deny, { [DENY_FORM_BLOCK.reason]: { [INPUT_ACTION]: `Reason ${HOSTILE}` } })).json);
    await settle(app);

    // Mallory tries to remove Rita's end date: refused, naming the organization.
    const connection = await app.db.database.prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: RITA.id } } });
    const postsBefore = app.emulator.callsTo('chat.postMessage').length;
    await app.driver.blockActions({
      userId: MALLORY.id,
      actions: [
        { action_id: ACTION.removeEndDate, block_id: `end_date_${connection.id}`, type: 'button', value: `remove:${connection.id}` },
      ],
    });
    // The refusal is sent after the ack, to Mallory's DM: wait for it rather than for the steps below.
    await app.emulator.waitForCalls('chat.postMessage', postsBefore + 1, 10_000);
    await settle(app);

    for (const text of [HOSTILE, `request ${HOSTILE}`, 'me']) {
      const reply = await app.driver.slashCommand({ userId: RITA.id, text });
      expect(reply.status).toBe(200);
      acks.push(reply.json);
    }
    const unknown = acks.at(-3) as { text: string };
    expect(unknown.text).toContain('"&lt;!channel&gt;" is not a Gatehouse command');
    await app.driver.event({ event: { type: 'app_home_opened', user: RITA.id, channel: 'D0RITA', tab: 'home' } });
    await app.emulator.waitForCalls('views.publish', 1, 10_000);

    expect(JSON.stringify(app.emulator.calls.map((call) => call.args))).toContain('can change end dates there');
    expectNothingLive(acks);
  });

  it('walks an unlisted request through triage to the admins, with nothing live reaching Slack', async () => {
    const operator = hostilePerson('U0OPERATOR', 'Olga');
    app = await startTestApp(kind, { TRIAGE_CHANNEL_ID: 'C0TRIAGE', OPERATOR_USER_IDS: [operator.id] });
    app.emulator.addChannel('C0TRIAGE');
    for (const someone of [RITA, operator]) app.emulator.addUser(someone);
    const { id: organizationId } = await seedOrganization(app, { name: `Redlands ${HOSTILE}`, customerNumber: '100200' }, [ADA]);
    const opened = await openRequestForm(app, RITA.id);
    const updatesBefore = app.emulator.callsTo('views.update').length;
    await app.driver.interact({ userId: RITA.id, actionId: ACTION.toggleUnlisted, view: opened, value: ['unlisted'] });
    const unlistedForm = (await app.emulator.waitForCalls('views.update', updatesBefore + 1, 10_000))[updatesBefore]!;
    const submitted = await app.driver.submitView(
      unlistedForm,
      {
        [REQUEST_FORM_BLOCK.unlistedToggle]: { [ACTION.toggleUnlisted]: ['unlisted'] },
        [REQUEST_FORM_BLOCK.unlistedName]: { [INPUT_ACTION]: `Planning ${HOSTILE}` },
        [REQUEST_FORM_BLOCK.unlistedCity]: { [INPUT_ACTION]: `City ${HOSTILE}` },
        [REQUEST_FORM_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: `Purpose ${HOSTILE}` },
      },
      RITA.id,
    );
    expect(submitted.body).toBe('');
    await settle(app);
    const triageCard = postsIn(app, 'C0TRIAGE').at(-1)!;
    await app.driver.interact({ userId: operator.id, actionId: ACTION.triageRoute, message: triageCard, value: String(organizationId) });
    await settle(app);
    await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000);
    expect(app.emulator.ephemeralMessages.at(-1)?.text).toMatch(/^Sent to the Administrators of Redlands &lt;!channel&gt;/);
    expectNothingLive([]);
  });

  it('walks inviting and accepting, with accepted, used and withdrawn codes, with nothing live reaching Slack', async () => {
    app = await startTestApp(kind);
    for (const someone of [RITA, IRIS]) app.emulator.addUser(someone);
    const { id: organizationId } = await seedOrganization(
      app,
      { name: `Redlands ${HOSTILE}`, customerNumber: '100200', auditChannelId: 'C0AUDIT' },
      [ADA],
    );
    const { prisma } = app.db.database;
    const settings = { sealingKey: invitationSealingKey(SIGNING_SECRET) };
    const now = new Date();
    for (const invitee of [RITA, IRIS]) {
      const checked = await checkAddresses(prisma, { actorSlackUserId: ADA.id, organizationId, text: invitee.email, draftId: null }, now);
      const draftId = checked.draftId;
      await chooseGrant(
        prisma,
        { actorSlackUserId: ADA.id, draftId, permissions: [PERMISSION.esriAccess], endsOn: null, caller: null },
        now,
      );
      await saveSendingChoices(
        prisma,
        {
          actorSlackUserId: ADA.id,
          draftId,
          tags: ['t'],
          personalMessage: `Welcome ${HOSTILE}`,
          language: 'en',
          logNote: `Log ${HOSTILE}`,
        },
        now,
      );
      await sendInvitations(prisma, { actorSlackUserId: ADA.id, draftId }, settings, now);
    }
    await settle(app);
    const codeFor = (invitee: Person) => {
      const [accept] = buttonsIn(postsIn(app, invitee.id)[0]!);
      return parseAcceptButtonValue(accept!.value!)!;
    };
    const rita = codeFor(RITA);
    const iris = codeFor(IRIS);
    await revokeInvitation(prisma, { actorSlackUserId: ADA.id, invitationId: iris.invitationId, note: null }, now);
    await settle(app);

    const acks: unknown[] = [];
    const accepted = await app.driver.slashCommand({ userId: RITA.id, text: `accept ${rita.code}` });
    expect(accepted.json).toMatchObject({ text: expect.stringContaining('Redlands &lt;!channel&gt;') });
    const used = await app.driver.slashCommand({ userId: RITA.id, text: `accept ${rita.code}` });
    expect(used.json).toMatchObject({ text: expect.stringMatching(/^This invitation to Redlands &lt;!channel&gt;.* accepted already/) });
    const withdrawn = await app.driver.slashCommand({ userId: IRIS.id, text: `accept ${iris.code}` });
    expect(withdrawn.json).toMatchObject({ text: expect.stringMatching(/^This invitation to Redlands &lt;!channel&gt;.* withdrawn/) });
    acks.push(accepted.json, used.json, withdrawn.json);
    await settle(app);
    expectNothingLive(acks);
  });
});
