import { afterEach, describe, expect, it } from 'vitest';
import { appendLogEntries, type LogEntryInput } from '../../src/db/permission-log.js';
import { chainOf } from '../../src/domain/log-chain.js';
import { exportRequestSchema, LOG_PAGE_SIZE } from '../../src/domain/log-query.js';
import { LOG_COUNT_LIMIT } from '../../src/domain/log-view.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import type { EmulatedView } from '../../src/sandbox/slack-emulator.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { createOrganization } from '../../src/services/organizations.js';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.js';
import { decodeMetadata, logViewMetadata } from '../../src/slack/views/metadata.js';
import { escapeMrkdwn } from '../../src/slack/views/mrkdwn.js';
import { DETAILS_BLOCK_PREFIX, ENTRY_BLOCK_PREFIX } from '../../src/slack/views/permissions-log.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { buttonsIn, mrkdwnTexts, person, seedOrganization, type Person } from '../support/flows.js';
import { shownSince, privateTexts, waitUntil } from '../support/members.js';

const ADA = person('U0ADA', 'Ada Admin');
const TESS = person('U0TESS', 'Tess Trainer');
const CARA = person('U0CARA', 'Cara Callers');
const MIA = person('U0MIA', 'Mia Member');
const RITA = person('U0RITA', 'Rita Learner');
const CARL = person('U0CARL', 'Carl Caller');
const LEO = person('U0LEO', 'Leo Licensed');
const OTTO = person('U0OTTO', 'Otto Otherorg');

const REDLANDS = { name: 'City of Redlands', customerNumber: '100200', timeZone: 'America/Los_Angeles' };

/** Everything a person reads in a view. */
function textOf(view: EmulatedView): string {
  return mrkdwnTexts(view.definition as { blocks?: unknown }).join('\n');
}

function stateOf(view: EmulatedView) {
  return decodeMetadata(logViewMetadata, (view.definition as { private_metadata?: string }).private_metadata);
}

function entryIds(view: EmulatedView): number[] {
  const blocks = (view.definition.blocks ?? []) as Array<{ block_id?: string }>;
  return blocks.flatMap((block) =>
    block.block_id?.startsWith(ENTRY_BLOCK_PREFIX) ? [Number(block.block_id.slice(ENTRY_BLOCK_PREFIX.length))] : [],
  );
}

/** An instant on the organization's clock as the log writes it (the zone's `_` made inert, as all text in mrkdwn). */
const clock = (text: string) => escapeMrkdwn(`${text} America/Los_Angeles`);

const hour = (at: string, hours: number) => new Date(new Date(at).getTime() + hours * 3_600_000);

describe.each(DATABASE_KINDS)('/access log on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  /**
   * Ada administers City of Redlands (Los Angeles time); Tess is its training admin, Cara its callers
   * admin, Mia a plain member. Its log holds, after what setting it up wrote: 34 edits of Leo by
   * Ada in October 2027; Rita's connection and end-date change by Tess (e-Learning alone) and an
   * edit by Ada that gave her Esri access; two caller changes of Carl by Cara; and three entries
   * about Mia around the night US daylight saving time ended (2027-11-07).
   */
  async function seed() {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, REDLANDS, [ADA]);
    const { prisma } = app.db.database;
    const ids: Record<string, number> = {};
    const connect = async (who: Person, permissions: string[]) => {
      app.emulator.addUser(who);
      const member = await prisma.member.create({ data: { slackUserId: who.id, displayName: who.realName, email: who.email } });
      await prisma.connection.create({
        data: {
          organizationId: organization.id,
          memberId: member.id,
          permissions: { create: permissions.map((permissionKey) => ({ permissionKey })) },
        },
      });
      ids[who.id] = member.id;
    };
    await connect(TESS, [PERMISSION.assignTraining]);
    await connect(CARA, [PERMISSION.assignAuthorizedCallers]);
    await connect(MIA, [PERMISSION.esriAccess]);
    await connect(RITA, [PERMISSION.eLearning]);
    await connect(CARL, [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions]);
    await connect(LEO, [PERMISSION.esriAccess]);
    ids[ADA.id] = (await prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } })).id;
    const entry = (actor: Person, subject: Person, action: string, createdAt: Date, rest: Partial<LogEntryInput> = {}): LogEntryInput => ({
      organizationId: organization.id,
      actorId: ids[actor.id]!,
      subjectMemberId: ids[subject.id]!,
      action,
      createdAt,
      ...rest,
    });
    const terms = (permissions: string[], endsOn: string | null = null) => ({
      status: 'ACTIVE',
      permissions,
      tags: [],
      startsOn: null,
      endsOn,
    });
    const entries: LogEntryInput[] = [];
    for (let index = 0; index < 34; index += 1) {
      entries.push(
        entry(ADA, LEO, LOG_ACTION.memberEdited, hour('2027-10-01T12:00:00Z', index), {
          before: terms([PERMISSION.esriAccess]),
          after: terms([PERMISSION.esriAccess, PERMISSION.downloadSoftware]),
        }),
      );
    }
    entries.push(
      entry(TESS, RITA, LOG_ACTION.connectionCreated, new Date('2027-11-03T17:00:00Z'), {
        after: terms([PERMISSION.eLearning], '2027-12-31'),
      }),
      entry(TESS, RITA, LOG_ACTION.endDateChanged, new Date('2027-11-04T17:00:00Z'), {
        before: terms([PERMISSION.eLearning], '2027-12-31'),
        after: terms([PERMISSION.eLearning], '2028-01-31'),
        note: 'Extended for the *spring* term <!channel>',
      }),
      entry(ADA, RITA, LOG_ACTION.memberEdited, new Date('2027-11-05T17:00:00Z'), {
        before: terms([PERMISSION.eLearning]),
        after: terms([PERMISSION.eLearning, PERMISSION.esriAccess]),
      }),
      entry(CARA, CARL, LOG_ACTION.callerChanged, new Date('2027-11-06T17:00:00Z'), {
        after: terms([PERMISSION.viewSupport, PERMISSION.authorizedCallerActions]),
      }),
      entry(CARA, CARL, LOG_ACTION.callerChanged, new Date('2027-11-06T18:00:00Z'), {
        before: terms([PERMISSION.viewSupport, PERMISSION.authorizedCallerActions]),
        after: terms([PERMISSION.viewSupport, PERMISSION.authorizedCallerActions]),
      }),
      // 23:30 on November 7th in Los Angeles, already the 8th in UTC.
      entry(ADA, MIA, LOG_ACTION.permissionsChanged, new Date('2027-11-08T07:30:00Z'), {
        before: terms([PERMISSION.esriAccess]),
        after: terms([PERMISSION.esriAccess, PERMISSION.viewTransactions]),
      }),
      // 00:30 on November 8th in Los Angeles.
      entry(ADA, MIA, LOG_ACTION.permissionsChanged, new Date('2027-11-08T08:30:00Z'), {
        before: terms([PERMISSION.esriAccess, PERMISSION.viewTransactions]),
        after: terms([PERMISSION.esriAccess]),
      }),
      // A key an unescaped LIKE '_' would take for view_transactions.
      entry(ADA, MIA, LOG_ACTION.permissionsChanged, new Date('2027-11-09T17:00:00Z'), { after: terms(['view-transactions']) }),
    );
    await prisma.$transaction((tx) => appendLogEntries(tx, entries));
    const total = await prisma.permissionLogEntry.count({ where: { chain: chainOf(organization.id) } });
    return { organization, ids, total, prisma };
  }

  async function openLog(who: Person, text = 'log'): Promise<EmulatedView> {
    const opened = app.emulator.callsTo('views.open').length;
    const command = await app.driver.slashCommand({ userId: who.id, text });
    expect(command.status).toBe(200);
    await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
    const view = app.emulator.currentModal(who.id)!;
    expect(view.definition.callback_id).toBe(CALLBACK.permissionsLog);
    return view;
  }

  /** Chooses or clicks a control of the log and waits for the log to be drawn again. */
  async function press(view: EmulatedView, actionId: string, value?: string, who: Person = ADA): Promise<EmulatedView> {
    const before = app.emulator.callsTo('views.update').length;
    await app.driver.interact({ userId: who.id, actionId, view, ...(value !== undefined ? { value } : {}) });
    await app.emulator.waitForCalls('views.update', before + 1, 10_000);
    return app.emulator.getView(view.id)!;
  }

  /** Clicks one entry's Details button. */
  async function details(view: EmulatedView, entryId: number): Promise<EmulatedView> {
    const before = app.emulator.callsTo('views.update').length;
    await app.driver.interact({ userId: ADA.id, actionId: ACTION.logDetails, view, blockId: `${ENTRY_BLOCK_PREFIX}${entryId}` });
    await app.emulator.waitForCalls('views.update', before + 1, 10_000);
    return app.emulator.getView(view.id)!;
  }

  it('shows the log newest first, pages over more than two pages and expands an entry with what it changed', async () => {
    const { total, prisma, organization } = await seed();
    expect(total).toBeGreaterThan(2 * LOG_PAGE_SIZE);
    const first = await openLog(ADA);
    expect(textOf(first)).toContain(`*${total} entries match*, newest first  ·  page 1 of ${Math.ceil(total / LOG_PAGE_SIZE)}`);
    const newest = await prisma.permissionLogEntry.findMany({
      where: { chain: chainOf(organization.id) },
      orderBy: { sequence: 'desc' },
    });
    expect(entryIds(first)).toEqual(newest.slice(0, LOG_PAGE_SIZE).map((row) => row.id));
    // Who, what, to whom and when, the time token falling back to the organization's clock.
    expect(textOf(first)).toContain('<@U0ADA> Ada Admin  ·  *Changed permissions*  ·  <@U0MIA> Mia Member');
    expect(textOf(first)).toContain(clock('2027-11-08 00:30'));
    expect(textOf(first)).toMatch(new RegExp(`<!date\\^\\d+\\^\\{date_short_pretty\\} at \\{time\\}\\|${clock('2027-11-07 23:30')}>`));
    const exportButton = buttonsIn(first.definition).find((button) => button.action_id === ACTION.logExport);
    expect(exportRequestSchema.parse(JSON.parse(exportButton!.value!))).toMatchObject({ kind: 'log', filters: { memberId: null } });

    const second = await press(first, ACTION.logNextPage);
    expect(entryIds(second)).toEqual(newest.slice(LOG_PAGE_SIZE, 2 * LOG_PAGE_SIZE).map((row) => row.id));
    const third = await press(second, ACTION.logNextPage);
    expect(stateOf(third)?.query.page).toBe(2);
    expect(entryIds(third)).toEqual(newest.slice(2 * LOG_PAGE_SIZE, 3 * LOG_PAGE_SIZE).map((row) => row.id));
    const back = await press(third, ACTION.logPreviousPage);
    expect(stateOf(back)?.query.page).toBe(1);

    // Rita's end-date change, on the first page: its dates before and after and the note, escaped.
    const changed = newest.find((row) => row.action === LOG_ACTION.endDateChanged)!;
    const top = await press(back, ACTION.logPreviousPage);
    const opened = await details(top, changed.id);
    expect(stateOf(opened)?.expanded).toEqual([changed.id]);
    const blocks = (opened.definition.blocks ?? []) as Array<{ block_id?: string; text?: { text: string } }>;
    const shown = blocks.find((block) => block.block_id === `${DETAILS_BLOCK_PREFIX}${changed.id}`)!.text!.text;
    expect(shown).toContain('*Permissions added:* none');
    expect(shown).toContain('*Ends:* December 31, 2027 → January 31, 2028');
    expect(shown).toContain('*Note:* Extended for the \u2217spring\u2217 term &lt;!channel&gt;');
    expect(shown).toContain(clock('2027-11-04 10:00'));
    const edit = newest.find((row) => row.action === LOG_ACTION.memberEdited && row.subjectMemberId !== null)!;
    const both = await details(opened, edit.id);
    expect(textOf(both)).toContain('*Permissions added:* Esri access');
    expect(textOf(both)).toContain('*Permissions removed:* none');
    const closed = await details(both, changed.id);
    expect(stateOf(closed)?.expanded).toEqual([edit.id]);
  });

  it('narrows by member, actor, action, permission and days in the organization’s time zone', async () => {
    const { total } = await seed();
    const log = await openLog(ADA);
    const rita = await press(log, ACTION.logFilterMember, RITA.id);
    expect(textOf(rita)).toContain('*3 entries match* the filters');
    const byTess = await press(rita, ACTION.logFilterActor, TESS.id);
    expect(textOf(byTess)).toContain('*2 entries match* the filters');
    expect(textOf(byTess)).not.toContain('Edited access');
    const exportButton = buttonsIn(byTess.definition).find((button) => button.action_id === ACTION.logExport)!;
    const filters = stateOf(byTess)!.query.filters;
    expect(exportRequestSchema.parse(JSON.parse(exportButton.value!))).toEqual({ kind: 'log', filters });

    const cleared = await press(byTess, ACTION.logClearFilters);
    expect(textOf(cleared)).toContain(`*${total} entries match*`);
    const callers = await press(cleared, ACTION.logFilterAction, LOG_ACTION.callerChanged);
    expect(textOf(callers)).toContain('*2 entries match* the filters');
    expect(textOf(callers)).toContain('*Changed authorized-caller status*  ·  <@U0CARL>');
    const anyAction = await press(callers, ACTION.logFilterAction, 'any');
    // The key has an underscore: view-transactions, which LIKE's `_` would match, is left out.
    const transactions = await press(anyAction, ACTION.logFilterPermission, PERMISSION.viewTransactions);
    expect(textOf(transactions)).toContain('*2 entries match* the filters');
    const anyPermission = await press(transactions, ACTION.logFilterPermission, 'any');

    // November 8th in Los Angeles starts at 08:00 UTC: the entry at 07:30 UTC was on the 7th there.
    const from = await press(anyPermission, ACTION.logFilterFrom, '2027-11-08');
    const day = await press(from, ACTION.logFilterTo, '2027-11-08');
    expect(textOf(day)).toContain('*1 entry matches* the filters');
    expect(textOf(day)).toContain(clock('2027-11-08 00:30'));
    const seventh = await press(day, ACTION.logFilterFrom, '2027-11-07');
    const onlySeventh = await press(seventh, ACTION.logFilterTo, '2027-11-07');
    expect(textOf(onlySeventh)).toContain('*1 entry matches* the filters');
    expect(textOf(onlySeventh)).toContain(clock('2027-11-07 23:30'));
    const nothing = await press(onlySeventh, ACTION.logFilterMember, LEO.id);
    expect(textOf(nothing)).toContain('*0 entries match* the filters');
    expect(textOf(nothing)).toContain('No entry matches these filters');
    expect(buttonsIn(nothing.definition).map((button) => button.action_id)).not.toContain(ACTION.logExport);
  });

  it('pre-fills the filters from the text after the command', async () => {
    const { ids } = await seed();
    const typed = await openLog(ADA, 'log <@U0RITA|rita> "Access e-Learning" since 2027-11-01 until 2027-11-30');
    expect(stateOf(typed)?.query.filters).toEqual({
      memberId: ids[RITA.id],
      actorId: null,
      action: null,
      permission: PERMISSION.eLearning,
      from: '2027-11-01',
      to: '2027-11-30',
    });
    expect(textOf(typed)).toContain('*3 entries match* the filters');
    const users = ((typed.definition.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; initial_user?: string }> }>)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === ACTION.logFilterMember);
    expect(users?.initial_user).toBe(RITA.id);

    const named = await openLog(ADA, 'log by @TessTrainer connection.end_date_changed access e-learning');
    expect(stateOf(named)?.query.filters).toMatchObject({
      actorId: ids[TESS.id],
      action: LOG_ACTION.endDateChanged,
      permission: PERMISSION.eLearning,
    });
    expect(textOf(named)).toContain('*1 entry matches* the filters');
  });

  it('refuses text it cannot read, with how to write it, and opens nothing', async () => {
    await seed();
    const opened = app.emulator.callsTo('views.open').length;
    for (const [text, said] of [
      ['log frobnicate', 'know ˋfrobnicateˋ here'],
      ['log since yesterday', 'ˋsinceˋ needs a date like 2026-11-01'],
      ['log since 2027-11-09 until 2027-11-01', 'ˋsinceˋ is after ˋuntilˋ'],
      ['log @nobody', 'Nobody in City of Redlands is called @nobody'],
      ['log esri_access download_software', 'is a second permission'],
    ] as const) {
      const reply = await app.driver.slashCommand({ userId: ADA.id, text });
      expect(reply.status).toBe(200);
      const shown = JSON.stringify(reply.json);
      expect(shown, text).toContain(said);
      if (!text.includes('@nobody')) expect(shown, text).toContain('/access log [@member]');
    }
    expect(app.emulator.callsTo('views.open')).toHaveLength(opened);
  });

  it('shows limited admins their part of the log only', async () => {
    const { prisma, organization } = await seed();
    const training = await openLog(TESS);
    expect(textOf(training)).toContain('*2 entries match*');
    expect(textOf(training)).toContain('you see the entries about e-Learning users');
    expect(textOf(training)).toContain('<@U0RITA>');
    expect(textOf(training)).not.toContain('<@U0LEO>');
    expect(textOf(training)).not.toContain('Edited access');
    const callers = await openLog(CARA);
    expect(textOf(callers)).toContain('*2 entries match*');
    expect(textOf(callers)).toContain('<@U0CARL>');
    expect(textOf(callers)).not.toContain('<@U0RITA>');
    // A filter cannot reach past the scope: Leo's 34 entries stay out of sight.
    const leo = await press(callers, ACTION.logFilterMember, LEO.id, CARA);
    expect(textOf(leo)).toContain('*0 entries match*');
    expect(
      await prisma.permissionLogEntry.count({ where: { chain: chainOf(organization.id), subjectMemberId: { not: null } } }),
    ).toBeGreaterThan(40);
  });

  it('counts matches up to 10,000 and says there are more past it', async () => {
    const { organization, ids, prisma } = await seed();
    const many: LogEntryInput[] = Array.from({ length: LOG_COUNT_LIMIT + 1 }, (_, index) => ({
      organizationId: organization.id,
      actorId: ids[ADA.id]!,
      subjectMemberId: ids[LEO.id]!,
      action: LOG_ACTION.endDateChanged,
      createdAt: hour('2027-12-01T00:00:00Z', index / 60),
    }));
    await prisma.$transaction((tx) => appendLogEntries(tx, many), { timeout: 60_000 });
    const log = await openLog(ADA, `log ${LOG_ACTION.endDateChanged}`);
    expect(textOf(log)).toContain(`*More than 10,000 entries match* the filters, newest first  ·  page 1 of more than 667`);
    const mine = await openLog(ADA, 'log <@U0RITA>');
    expect(textOf(mine)).toContain('*3 entries match* the filters');
  }, 60_000);

  it('refuses a plain member and another organization’s admin, naming who to ask, and shows them nothing', async () => {
    const { organization } = await seed();
    const opened = app.emulator.callsTo('views.open').length;
    const member = await app.driver.slashCommand({ userId: MIA.id, text: 'log' });
    expect(JSON.stringify(member.json)).toContain('Only Administrators of an organization can read its permissions log');
    expect(JSON.stringify(member.json)).toContain('Ada Admin');
    expect(app.emulator.callsTo('views.open')).toHaveLength(opened);

    const { prisma } = app.db.database;
    await createOrganization(prisma, { name: 'Other County', customerNumber: '100300', timeZone: 'UTC' });
    app.emulator.addUser(OTTO);
    await addAdministrator(prisma, { customerNumber: '100300', slackUserId: OTTO.id, displayName: OTTO.realName, email: OTTO.email });
    const own = await openLog(OTTO);
    expect(JSON.stringify(own.definition.blocks)).toContain('Log of Other County');
    expect(textOf(own)).not.toContain('<@U0MIA>');
    // A forged pick of Redlands, which his picker does not offer.
    const updates = app.emulator.callsTo('views.update').length;
    const before = privateTexts(app, OTTO.id);
    await app.driver.blockActions({
      userId: OTTO.id,
      view: own,
      actions: [
        {
          action_id: ACTION.logPickOrganization,
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Redlands' }, value: String(organization.id) },
        },
      ],
    });
    await waitUntil(() => shownSince(app, OTTO.id, before).length > 0);
    expect(shownSince(app, OTTO.id, before).join('\n')).toContain(
      'Only Administrators of City of Redlands can read its permissions log: ask Ada Admin',
    );
    expect(app.emulator.callsTo('views.update')).toHaveLength(updates);
    expect(JSON.stringify(app.emulator.getView(own.id)!.definition.blocks)).not.toContain('Redlands');
  });
});
