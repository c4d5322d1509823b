// Self-service for members, through the local Slack: leaving an organization, writing to its
// Administrators (within the daily limit), and each organization's details in `/access me` and App Home.
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION, PERMISSION_CATALOG } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { CONTACT_LIMIT } from '../../src/domain/self-service.js';
import type { AppConfig } from '../../src/config/env.js';
import type { EmulatedView, StoredMessage } from '../../src/sandbox/index.js';
import { ACTION, CALLBACK, INPUT_ACTION, SELF_SERVICE_BLOCK } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, plainTexts, postsIn, seedOrganization, settle, type Person } from '../support/flows.js';
import { connect } from '../support/member-fixtures.js';
import { waitUntil } from '../support/members.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Builder');
const RITA = person('U0RITA', 'Rita Member');
const OPS = person('U0OPS', 'Olga Operator');
const TIME_ZONE = 'America/Los_Angeles';
// 10:00 on March 2, 2031 in Redlands.
const NOW = new Date('2031-03-02T18:00:00.000Z');

function descriptionOf(key: string): string {
  return PERMISSION_CATALOG.find((permission) => permission.key === key)!.description;
}

describe.each(DATABASE_KINDS)('self-service on %s', (kind) => {
  let app: TestApp;
  let redlands: number;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  /** Redlands with two Administrators, and Rita connected to it with e-Learning and downloads. */
  async function start(overrides: Partial<AppConfig> = {}): Promise<void> {
    app = await startTestApp(kind, overrides, { now: () => NOW });
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', timeZone: TIME_ZONE }, [
      ADA,
      BOB,
    ]);
    redlands = organization.id;
    app.emulator.addUser(RITA);
    await connect(app.db.database.prisma, redlands, RITA, {
      permissions: [PERMISSION.eLearning, PERMISSION.downloadSoftware],
      endsOn: '2031-06-30',
      timeZone: TIME_ZONE,
    });
  }

  /** A second organization; its Administrators as given (none: nobody administers it). */
  async function anotherOrganization(name: string, customerNumber: string, admins: Person[]): Promise<number> {
    return (await seedOrganization(app, { name, customerNumber, timeZone: TIME_ZONE }, admins)).id;
  }

  /** Runs a subcommand that opens a modal, and returns the modal. */
  async function openModal(who: Person, text: string): Promise<EmulatedView> {
    const before = app.emulator.callsTo('views.open').length;
    const response = await app.driver.slashCommand({ userId: who.id, text });
    expect(response.status).toBe(200);
    const [opened] = (await app.emulator.waitForCalls('views.open', before + 1, 10_000)).slice(before);
    const id = (opened!.response as { view: { id: string } }).view.id;
    return app.emulator.getView(id)!;
  }

  /** What a subcommand answered privately, when it opened nothing. */
  async function commandReply(who: Person, text: string): Promise<string> {
    const response = await app.driver.slashCommand({ userId: who.id, text });
    expect(response.status).toBe(200);
    return (response.json as { text: string }).text;
  }

  function textsTo(who: Person): string {
    return postsIn(app, who.id)
      .flatMap((message) => [...mrkdwnTexts(message), ...plainTexts(message)])
      .join('\n');
  }

  function viewText(view: EmulatedView): string {
    return JSON.stringify(app.emulator.getView(view.id)!.definition);
  }

  async function connectionOf(who: Person, organizationId: number) {
    return app.db.database.prisma.connection.findFirstOrThrow({
      where: { organizationId, member: { slackUserId: who.id } },
      include: { permissions: true },
    });
  }

  it('leaves after confirming: permissions removed, logged as the member’s own, every Administrator told', async () => {
    await start();
    const form = await openModal(RITA, 'leave');
    expect(form.definition.callback_id).toBe(CALLBACK.selfLeave);

    const chosen = await app.driver.submitView(form, { [SELF_SERVICE_BLOCK.leaveOrganization]: { [INPUT_ACTION]: String(redlands) } });
    expect(chosen.status).toBe(200);
    // Nothing changes until the confirmation, which says what goes and who is told.
    expect((await connectionOf(RITA, redlands)).status).toBe('ACTIVE');
    const confirm = app.emulator.getView(form.id)!;
    expect(confirm.definition.callback_id).toBe(CALLBACK.selfLeaveConfirm);
    expect(viewText(confirm)).toContain('Leave City of Redlands?');
    expect(viewText(confirm)).toContain('Access e-Learning');
    expect(viewText(confirm)).toContain('<@U0ADA>, <@U0BOB>');

    await app.driver.submitView(confirm, { [SELF_SERVICE_BLOCK.leaveNote]: { [INPUT_ACTION]: 'Moved to *another* city' } });
    expect(viewText(form)).toContain('You left *City of Redlands*');
    const connection = await connectionOf(RITA, redlands);
    expect(connection.status).toBe('REMOVED');
    expect(connection.permissions).toEqual([]);
    const [entry] = await app.db.database.prisma.permissionLogEntry.findMany({ where: { action: LOG_ACTION.memberLeft } });
    const rita = await app.db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId: RITA.id } });
    expect(entry).toMatchObject({ organizationId: redlands, actorId: rita.id, subjectMemberId: rita.id, note: 'Moved to *another* city' });
    expect(entry!.before).toMatchObject({ status: 'ACTIVE', permissions: [PERMISSION.downloadSoftware, PERMISSION.eLearning] });
    expect(entry!.after).toMatchObject({ status: 'REMOVED', permissions: [] });

    await settle(app);
    for (const admin of [ADA, BOB]) {
      expect(textsTo(admin)).toContain('<@U0RITA> left *City of Redlands* themselves');
      expect(textsTo(admin)).toContain('• Download software');
      // The reason is the member's text: escaped, so it is shown as typed.
      expect(textsTo(admin)).toContain('*Their reason:* Moved to \u2217another\u2217 city');
    }
    expect(app.emulator.callsTo('views.publish').some((call) => call.args.user_id === RITA.id)).toBe(true);

    // Nothing is left to leave.
    expect(await commandReply(RITA, 'leave')).toContain('not connected to any organization');
  });

  it('refuses the last Administrator, at the choice and again under the lock, and changes nothing', async () => {
    await start();
    const solo = await anotherOrganization('Town of Loma Linda', '100300', []);
    await connect(app.db.database.prisma, solo, ADA, { permissions: [PERMISSION.administrator] });

    const form = await openModal(ADA, 'leave');
    const refused = await app.driver.submitView(form, { [SELF_SERVICE_BLOCK.leaveOrganization]: { [INPUT_ACTION]: String(solo) } });
    expect(refused.json).toMatchObject({ response_action: 'errors' });
    expect(app.emulator.viewErrors(form.id)[SELF_SERVICE_BLOCK.leaveOrganization]).toContain(
      'You are the last Administrator of Town of Loma Linda',
    );
    expect((await connectionOf(ADA, solo)).status).toBe('ACTIVE');

    // Ada and Bob both reach the confirmation for Redlands; confirmed at once, only one of them may go.
    const forms = [await openModal(ADA, 'leave'), await openModal(BOB, 'leave')];
    for (const [index, opened] of forms.entries()) {
      await app.driver.submitView(
        opened,
        { [SELF_SERVICE_BLOCK.leaveOrganization]: { [INPUT_ACTION]: String(redlands) } },
        [ADA, BOB][index]!.id,
      );
    }
    const answers = await Promise.all(
      forms.map((opened, index) => app.driver.submitView(app.emulator.getView(opened.id)!, {}, [ADA, BOB][index]!.id)),
    );
    const outcomes = answers.map((answer) => (answer.json as { response_action: string }).response_action).sort();
    expect(outcomes).toEqual(['errors', 'update']);
    const statuses = [(await connectionOf(ADA, redlands)).status, (await connectionOf(BOB, redlands)).status].sort();
    expect(statuses).toEqual(['ACTIVE', 'REMOVED']);
    expect(await app.db.database.prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.memberLeft } })).toBe(1);
    const refusedForm = forms[answers.findIndex((answer) => (answer.json as { response_action: string }).response_action === 'errors')]!;
    expect(app.emulator.viewErrors(refusedForm.id)[SELF_SERVICE_BLOCK.leaveNote]).toContain(
      'You are the last Administrator of City of Redlands',
    );
  });

  it('sends a message to every Administrator, shown as typed, with who sent it and how to reply', async () => {
    await start();
    const form = await openModal(RITA, 'contact');
    expect(form.definition.callback_id).toBe(CALLBACK.selfContact);
    const message = 'Could I get *licensing* too? <!channel> `/access` & more';
    await app.driver.submitView(form, {
      [SELF_SERVICE_BLOCK.contactOrganization]: { [INPUT_ACTION]: String(redlands) },
      [SELF_SERVICE_BLOCK.contactMessage]: { [INPUT_ACTION]: message },
    });
    expect(viewText(form)).toContain('Sent to the 2 Administrators of *City of Redlands*');
    expect(await app.db.database.prisma.adminContact.count()).toBe(1);

    await settle(app);
    for (const admin of [ADA, BOB]) {
      const [dm] = postsIn(app, admin.id);
      expect(mrkdwnTexts(dm!).join('\n')).toContain('<@U0RITA> wrote to the Administrators of *City of Redlands*');
      expect(mrkdwnTexts(dm!).join('\n')).toContain('To reply, write to <@U0RITA> directly');
      // The message itself is plain text: no markup, no broadcast.
      expect(plainTexts(dm!)).toContain(message);
      expect(mrkdwnTexts(dm!).join('\n')).not.toContain('<!channel>');
    }
    expect(postsIn(app, RITA.id)).toEqual([]);

    // An empty message is refused on its field, and nothing is sent.
    const again = await openModal(RITA, 'contact');
    const empty = await app.driver.submitView(
      again,
      {
        [SELF_SERVICE_BLOCK.contactOrganization]: { [INPUT_ACTION]: String(redlands) },
        [SELF_SERVICE_BLOCK.contactMessage]: { [INPUT_ACTION]: '   ' },
      },
      RITA.id,
    );
    expect(empty.json).toMatchObject({ response_action: 'errors' });
    expect(app.emulator.viewErrors(again.id)[SELF_SERVICE_BLOCK.contactMessage]).toContain('Write what you want to tell');
    expect(await app.db.database.prisma.adminContact.count()).toBe(1);
  });

  it(`holds the limit of ${CONTACT_LIMIT.messages} messages a day when many are sent at once`, async () => {
    await start();
    const forms: EmulatedView[] = [];
    for (let index = 0; index < 6; index += 1) forms.push(await openModal(RITA, 'contact'));
    const answers = await Promise.all(
      forms.map((form, index) =>
        app.driver.submitView(form, {
          [SELF_SERVICE_BLOCK.contactOrganization]: { [INPUT_ACTION]: String(redlands) },
          [SELF_SERVICE_BLOCK.contactMessage]: { [INPUT_ACTION]: `Message ${index}` },
        }),
      ),
    );
    const outcomes = answers.map((answer) => (answer.json as { response_action: string }).response_action);
    expect(outcomes.filter((outcome) => outcome === 'update')).toHaveLength(CONTACT_LIMIT.messages);
    expect(outcomes.filter((outcome) => outcome === 'errors')).toHaveLength(6 - CONTACT_LIMIT.messages);
    const refused = forms.find((_, index) => outcomes[index] === 'errors')!;
    expect(app.emulator.viewErrors(refused.id)[SELF_SERVICE_BLOCK.contactMessage]).toContain('in the last 24 hours');
    expect(await app.db.database.prisma.adminContact.count()).toBe(CONTACT_LIMIT.messages);
    expect(await app.db.database.prisma.outboxMessage.count({ where: { kind: 'admins.contacted' } })).toBe(2 * CONTACT_LIMIT.messages);
    await settle(app);
    expect(postsIn(app, ADA.id)).toHaveLength(CONTACT_LIMIT.messages);
  });

  it('offers only organizations with an Administrator, and says who can help with the others', async () => {
    await start({ OPERATOR_USER_IDS: [OPS.id] });
    const orphan = await anotherOrganization('Town of Yucaipa', '100400', []);
    await connect(app.db.database.prisma, orphan, RITA, { permissions: [PERMISSION.eLearning] });

    const form = await openModal(RITA, 'contact');
    const text = viewText(form);
    expect(text).toContain('No Administrator yet for *Town of Yucaipa*');
    expect(text).toContain("Gatehouse's operators (<@U0OPS>) can add one");
    const blocks = (form.definition as { blocks: Array<{ block_id?: string }> }).blocks;
    const select = JSON.stringify(blocks.find((block) => block.block_id === SELF_SERVICE_BLOCK.contactOrganization));
    expect(select).toContain('City of Redlands');
    expect(select).not.toContain('Town of Yucaipa');

    // A forged choice of the organization nobody administers is refused on the form, and nothing is sent.
    const forged = await app.driver.viewSubmission({
      view: form,
      stateValues: {
        [SELF_SERVICE_BLOCK.contactOrganization]: { [INPUT_ACTION]: { type: 'static_select', selected_option: { value: String(orphan) } } },
        [SELF_SERVICE_BLOCK.contactMessage]: { [INPUT_ACTION]: { type: 'plain_text_input', value: 'Hello?' } },
      },
    });
    expect(forged.json).toMatchObject({ response_action: 'errors' });
    expect(app.emulator.viewErrors(form.id)[SELF_SERVICE_BLOCK.contactOrganization]).toContain(
      'Town of Yucaipa has no other Administrator',
    );
    expect(await app.db.database.prisma.adminContact.count()).toBe(0);

    // Someone who is the only Administrator of an organization has nobody else to write to there.
    const mentone = await anotherOrganization('Town of Mentone', '100500', []);
    await connect(app.db.database.prisma, mentone, ADA, { permissions: [PERMISSION.administrator] });
    expect(viewText(await openModal(ADA, 'contact'))).toContain('You are the only Administrator of *Town of Mentone*');

    // With no Administrator anywhere, there is no form: the reply says who can help.
    await app.db.database.prisma.connection.updateMany({
      where: { organizationId: redlands, member: { slackUserId: RITA.id } },
      data: { status: 'REMOVED' },
    });
    expect(await commandReply(RITA, 'contact')).toContain('No Administrator yet for *Town of Yucaipa*');
  });

  it('opens one organization’s details in App Home and in /access me: permissions with what they are for, dates, Administrators', async () => {
    await start();
    await app.driver.event({ event: { type: 'app_home_opened', user: RITA.id, tab: 'home' } });
    await waitUntil(() => app.emulator.homeView(RITA.id) !== undefined);
    const home = app.emulator.homeView(RITA.id)!;
    expect(JSON.stringify(home.definition)).not.toContain(descriptionOf(PERMISSION.eLearning));

    const published = app.emulator.callsTo('views.publish').length;
    await app.driver.clickButton({ userId: RITA.id, view: home, actionId: ACTION.myAccessExpand });
    await app.emulator.waitForCalls('views.publish', published + 1, 10_000);
    const opened = JSON.stringify(app.emulator.homeView(RITA.id)!.definition);
    expect(opened).toContain(`*Access e-Learning*: ${descriptionOf(PERMISSION.eLearning)}`);
    expect(opened).toContain(`*Download software*: ${descriptionOf(PERMISSION.downloadSoftware)}`);
    expect(opened).toContain('*Administrators:* <@U0ADA>, <@U0BOB>');
    expect(opened).toContain('June 30, 2031');
    expect(opened).toContain(ACTION.myAccessCollapse);

    await app.driver.clickButton({ userId: RITA.id, view: app.emulator.homeView(RITA.id)!, actionId: ACTION.myAccessCollapse });
    await app.emulator.waitForCalls('views.publish', published + 2, 10_000);
    expect(JSON.stringify(app.emulator.homeView(RITA.id)!.definition)).not.toContain(descriptionOf(PERMISSION.eLearning));

    // `/access me` is an ephemeral message: the click replaces it with the details open.
    await app.driver.slashCommand({ userId: RITA.id, text: 'me' });
    const reply = app.emulator.ephemeralsFor(RITA.id).at(-1)!;
    const message = { ...reply, type: 'message' } as unknown as StoredMessage;
    await app.driver.clickButton({ userId: RITA.id, message, actionId: ACTION.myAccessExpand });
    await waitUntil(() => app.emulator.ephemeralsFor(RITA.id).at(-1)!.edited === true);
    const replaced = JSON.stringify(app.emulator.ephemeralsFor(RITA.id).at(-1)!.blocks);
    expect(replaced).toContain(descriptionOf(PERMISSION.eLearning));
    expect(replaced).toContain('*Administrators:* <@U0ADA>, <@U0BOB>');
  });
});
