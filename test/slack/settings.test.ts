// `/access settings`: a member's language reaches every notice Gatehouse sends them, and App Home
// opens on the section they chose. Forged choices are refused with a field error and change nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { endOfDayIn } from '../../src/domain/dates.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { DEFAULT_WARNING_LEAD_DAYS } from '../../src/domain/time-limits.js';
import { decideRequest } from '../../src/services/access-requests.js';
import { changeEndDate, sweepTimeLimits } from '../../src/services/lifecycle.js';
import { ACTION, CALLBACK, INPUT_ACTION, SETTINGS_FORM_BLOCK } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, postsIn, requestAccess, seedOrganization, settle, type Person } from '../support/flows.js';
import { hasControl, privateTexts, shownSince, waitUntil } from '../support/members.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Miembro');
const DAY = 24 * 60 * 60 * 1000;

describe.each(DATABASE_KINDS)('/access settings on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  async function openSettings(who: Person) {
    const before = app.emulator.callsTo('views.open').length;
    const response = await app.driver.slashCommand({ userId: who.id, text: 'settings' });
    expect(response.status).toBe(200);
    await app.emulator.waitForCalls('views.open', before + 1, 10_000);
    const view = app.emulator.getView((app.emulator.callsTo('views.open')[before]!.response as { view: { id: string } }).view.id)!;
    expect(view.definition.callback_id).toBe(CALLBACK.settings);
    return view;
  }

  async function save(who: Person, language: string, homeStart: string) {
    const view = await openSettings(who);
    return app.driver.submitView(
      view.id,
      {
        [SETTINGS_FORM_BLOCK.language]: { [INPUT_ACTION]: language },
        [SETTINGS_FORM_BLOCK.homeStart]: { [INPUT_ACTION]: homeStart },
      },
      who.id,
    );
  }

  /** A submission with choices the form never offered, as a forged request would send them. */
  async function forge(who: Person, language: string, homeStart: string) {
    const view = await openSettings(who);
    const chosen = (value: string) => ({ selected_option: { text: { type: 'plain_text', text: value }, value } });
    return app.driver.viewSubmission({
      view,
      userId: who.id,
      stateValues: {
        [SETTINGS_FORM_BLOCK.language]: { [INPUT_ACTION]: { type: 'static_select', ...chosen(language) } },
        [SETTINGS_FORM_BLOCK.homeStart]: { [INPUT_ACTION]: { type: 'radio_buttons', ...chosen(homeStart) } },
      },
    });
  }

  it('writes every notice to a member who chose Spanish in Spanish', async () => {
    let clock = new Date('2030-12-01T12:00:00Z');
    app = await startTestApp(kind, {}, { now: () => clock });
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'Ciudad de Redlands', customerNumber: '100200', timeZone: 'UTC' }, [ADA]);
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const { prisma, sql } = app.db.database;

    const earlier = privateTexts(app, RITA.id);
    const saved = await save(RITA, 'es', 'access');
    expect(saved.status).toBe(200);
    expect(saved.body).toBe('');
    await waitUntil(() => shownSince(app, RITA.id, earlier).length > 0);
    expect(shownSince(app, RITA.id, earlier).join('\n')).toContain('Gatehouse le escribe ahora en Español');
    expect(await prisma.member.findUniqueOrThrow({ where: { slackUserId: RITA.id } })).toMatchObject({
      language: 'es',
      homeStart: 'access',
    });

    // The form reopens in the chosen language.
    expect(JSON.stringify((await openSettings(RITA)).definition)).toContain('Mi idioma');

    const decided = await decideRequest(
      sql,
      {
        requestId,
        actor: { slackUserId: ADA.id, displayName: ADA.realName },
        outcome: 'APPROVED',
        granted: [PERMISSION.esriAccess],
        note: null,
        notify: true,
      },
      { operatorUserIds: [] },
      clock,
    );
    expect(decided.ok).toBe(true);
    app.gatehouse.dispatcher.wake();
    await settle(app);
    const outcome = mrkdwnTexts(postsIn(app, RITA.id).at(-1)!).join('\n');
    expect(outcome).toContain('*Ya tiene acceso.*');
    expect(outcome).not.toContain("You're in");
    // The receipt sent before she chose Spanish is redrawn in Spanish with the decision.
    expect(mrkdwnTexts(postsIn(app, RITA.id)[0]!).join('\n')).toContain('Aprobada por');

    const connection = await prisma.connection.findFirstOrThrow({ where: { member: { slackUserId: RITA.id } } });
    await changeEndDate(prisma, { actorSlackUserId: ADA.id, connectionId: connection.id, endsOn: '2031-01-31', note: null }, clock);
    app.gatehouse.dispatcher.wake();
    await settle(app);
    const changed = postsIn(app, RITA.id).at(-1)!;
    expect(mrkdwnTexts(changed).join('\n')).toContain('Su acceso a *Ciudad de Redlands* termina ahora al final del 31 de enero de 2031.');
    expect(changed.text).toBe('Su fecha de fin en Ciudad de Redlands cambió.');

    const endsAt = endOfDayIn('2031-01-31', 'UTC');
    clock = new Date(endsAt.getTime() - 7 * DAY);
    await sweepTimeLimits(prisma, { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS }, clock);
    await settle(app);
    const warning = postsIn(app, RITA.id).at(-1)!;
    expect(mrkdwnTexts(warning).join('\n')).toContain('Su acceso a *Ciudad de Redlands* termina dentro de 6 días');
    expect(warning.text).not.toMatch(/Your access/);

    clock = endsAt;
    await sweepTimeLimits(prisma, { warningLeadDays: DEFAULT_WARNING_LEAD_DAYS }, clock);
    await settle(app);
    expect(mrkdwnTexts(postsIn(app, RITA.id).at(-1)!).join('\n')).toMatch(/Su acceso a \*Ciudad de Redlands\* terminó/);

    // The administrator, who chose nothing, still reads English.
    expect(
      postsIn(app, ADA.id)
        .map((message) => message.text ?? '')
        .join('\n'),
    ).not.toMatch(/Su acceso|solicitud/);
  });

  it('opens App Home on the chosen section, and offers the users section only to those who manage members', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.eLearning] });

    const adaForm = JSON.stringify((await openSettings(ADA)).definition);
    expect(adaForm).toContain('"value":"members"');
    expect((await save(ADA, 'en', 'members')).status).toBe(200);
    await settle(app);
    const published = app.emulator.callsTo('views.publish').length;
    await app.driver.event({ event: { type: 'app_home_opened', user: ADA.id, tab: 'home' } });
    await app.emulator.waitForCalls('views.publish', published + 1, 10_000);
    expect(hasControl(app.emulator.homeView(ADA.id)!, ACTION.usersSearch)).toBe(true);
    // Left on her own access, the users section is still where it opens next time.
    await app.driver.clickButton({ userId: ADA.id, view: app.emulator.homeView(ADA.id)!, actionId: ACTION.homeShowAccess });
    await waitUntil(() => !hasControl(app.emulator.homeView(ADA.id)!, ACTION.usersSearch));
    await app.driver.event({ event: { type: 'app_home_opened', user: ADA.id, tab: 'home' } });
    await waitUntil(() => hasControl(app.emulator.homeView(ADA.id)!, ACTION.usersSearch));

    // A member is not offered the users section, and a forged choice of it is refused.
    expect(JSON.stringify((await openSettings(RITA)).definition)).not.toContain('"value":"members"');
    const forged = await forge(RITA, 'fr', 'members');
    expect(forged.status).toBe(200);
    expect(JSON.parse(forged.body)).toMatchObject({
      response_action: 'errors',
      errors: { [SETTINGS_FORM_BLOCK.homeStart]: expect.any(String) },
    });
    expect(await app.db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId: RITA.id } })).toMatchObject({
      language: 'en',
      homeStart: 'last',
    });
  });

  it('refuses a language Gatehouse does not speak, and changes nothing', async () => {
    app = await startTestApp(kind);
    await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const forged = await forge(ADA, 'de', 'last');
    expect(JSON.parse(forged.body)).toMatchObject({
      response_action: 'errors',
      errors: { [SETTINGS_FORM_BLOCK.language]: 'Choose a language.' },
    });
    expect(await app.db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } })).toMatchObject({ language: 'en' });
  });
});
