/**
 * The CSV exports, end to end on both databases: an Administrator presses Export in `/access
 * report` (or in the log view), the file arrives in their DM through files.uploadV2's steps, and
 * what it holds is read back with an RFC 4180 reader and matched, row for row, against the
 * database at 10,000 members: the grid against the members tables, the report against each
 * permission's active holders, the log against selectLogEntries with the filters. Each export is
 * in the log.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logEntrySelection, selectLogEntries } from '../../src/db/log-entries.js';
import { appendLogEntries } from '../../src/db/permission-log.js';
import type { LogFilters } from '../../src/domain/log-query.js';
import { NO_LOG_FILTERS } from '../../src/domain/log-query.js';
import { PERMISSION, PERMISSION_CATALOG } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import type { EmulatedView, SharedFile } from '../../src/sandbox/index.js';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.js';
import { encodeMetadata, logViewMetadata } from '../../src/slack/views/metadata.js';
import { BOT_TOKEN, startTestApp, type TestApp } from '../support/app.js';
import { csvObjects, parseCsv } from '../support/csv.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, seedOrganization, settle } from '../support/flows.js';
import { seedMembers, waitUntil } from '../support/members.js';

const ADA = person('U0ADA', 'Ada Admin');
const TESS = person('U0TESS', 'Tess Trainer');
const TIME_ZONE = 'America/New_York';
const MEMBERS = 10_000;
/** Names a CSV must quote: a comma, quotes, a line break, and text beyond ASCII. */
const AWKWARD_NAMES = ['Smith, "Jo"\nJunior', 'Zoë Ñandú 東京, Ltd.', '=1+2 "quoted"', 'Line\r\nBreak'];
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

describe.each(DATABASE_KINDS)('CSV exports on %s', (kind) => {
  let app: TestApp;
  let organizationId: number;
  let adaId: number;

  beforeAll(async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', timeZone: TIME_ZONE }, [ADA]);
    organizationId = organization.id;
    const { prisma, sql } = app.db.database;
    adaId = (await prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } })).id;
    const now = new Date();
    await seedMembers(sql, { organizationId, timeZone: TIME_ZONE, members: MEMBERS, now });
    for (const [index, displayName] of AWKWARD_NAMES.entries()) {
      const member = await prisma.member.create({
        data: { slackUserId: `U0AWK${index}`, displayName, email: `awkward${index}@example.com` },
      });
      await prisma.connection.create({
        data: {
          organizationId,
          memberId: member.id,
          tags: ['a, b', 'say "hi"'],
          permissions: { create: [{ permissionKey: PERMISSION.eLearning }, { permissionKey: PERMISSION.esriAccess }] },
        },
      });
    }
    // A training admin, to show the log export keeps to what the admin may see.
    app.emulator.addUser(TESS);
    const tess = await prisma.member.create({ data: { slackUserId: TESS.id, displayName: TESS.realName, email: TESS.email } });
    await prisma.connection.create({
      data: { organizationId, memberId: tess.id, permissions: { create: [{ permissionKey: PERMISSION.assignTraining }] } },
    });
    // 1,500 log entries: edits of e-Learning alone, of Esri access, and disconnections, some with awkward notes.
    const subjects = await prisma.connection.findMany({ where: { organizationId }, select: { memberId: true }, take: 500 });
    const entries = Array.from({ length: 1_500 }, (_, index) => {
      const held = index % 3 === 0 ? [PERMISSION.eLearning] : [PERMISSION.esriAccess, PERMISSION.downloadSoftware];
      const snapshot = (permissions: string[]) => ({ status: 'ACTIVE', permissions, tags: [], startsOn: null, endsOn: null });
      return {
        organizationId,
        actorId: adaId,
        subjectMemberId: subjects[index % subjects.length]!.memberId,
        action: index % 5 === 4 ? LOG_ACTION.memberDisconnected : LOG_ACTION.memberEdited,
        before: snapshot(held),
        after: snapshot(index % 5 === 4 ? [] : [...held, PERMISSION.manageLicensing]),
        note: index % 7 === 0 ? `Note ${index}, with "quotes"\nand a second line` : null,
        createdAt: new Date(now.getTime() - (1_500 - index) * 3_600_000),
      };
    });
    await sql.transaction((tx) => appendLogEntries(tx, entries));
  }, 120_000);

  afterAll(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  async function openReport(userId = ADA.id): Promise<EmulatedView> {
    const opened = app.emulator.callsTo('views.open').length;
    const response = await app.driver.slashCommand({ userId, text: 'report' });
    expect(response.status).toBe(200);
    await app.emulator.waitForCalls('views.open', opened + 1, 15_000);
    return app.emulator.currentModal(userId)!;
  }

  /** Presses an export button and waits for its file in the person's DM. */
  async function exported(press: () => Promise<unknown>, userId = ADA.id): Promise<{ file: SharedFile; text: string }> {
    const dm = app.emulator.dmChannelFor(userId);
    const before = app.emulator.sharedFiles(dm).length;
    await press();
    // The press is acknowledged before the export is queued: the file is waited for, then the outbox's rest.
    await waitUntil(() => app.emulator.sharedFiles(dm).length > before, 60_000);
    await settle(app, 60_000);
    const files = app.emulator.sharedFiles(dm);
    expect(files).toHaveLength(before + 1);
    const file = files.at(-1)!;
    return { file, text: file.bytes.toString('utf8') };
  }

  function exportEntries() {
    return app.db.database.prisma.permissionLogEntry.findMany({
      where: { organizationId, action: LOG_ACTION.exported },
      orderBy: { id: 'asc' },
    });
  }

  function expectInstant(cell: string, instant: Date) {
    expect(cell).toMatch(ISO_WITH_OFFSET);
    expect(new Date(cell).toISOString()).toBe(instant.toISOString());
  }

  it('sends the grid to the DM, matching the members tables row for row, and logs it', async () => {
    const report = await openReport();
    const loggedBefore = (await exportEntries()).length;
    const { file, text } = await exported(() => app.driver.clickButton({ userId: ADA.id, view: report, actionId: ACTION.gridExport }));
    expect(file.filename).toMatch(/^gatehouse-grid-100200-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.comment).toContain('the permissions grid of City of Redlands');
    const { header, rows } = csvObjects(text);
    expect(header).toContain(`Connected at (${TIME_ZONE})`);
    expect(header.slice(-PERMISSION_CATALOG.length)).toEqual(PERMISSION_CATALOG.map((permission) => permission.name));

    const now = new Date();
    const connections = await app.db.database.prisma.connection.findMany({
      where: { organizationId, status: { not: 'REMOVED' } },
      include: { member: true, permissions: true },
      orderBy: { memberId: 'asc' },
    });
    expect(connections.length).toBeGreaterThan(MEMBERS);
    expect(rows).toHaveLength(connections.length);
    for (const [index, connection] of connections.entries()) {
      const row = rows[index]!;
      const held = new Set(connection.permissions.map((grant) => grant.permissionKey));
      const ended = connection.endsAt !== null && connection.endsAt <= now;
      const status = connection.status === 'SUSPENDED' ? 'disabled' : connection.status === 'EXPIRED' || ended ? 'expired' : 'active';
      expectInstant(row[`Connected at (${TIME_ZONE})`]!, connection.connectedAt);
      expect(row).toEqual({
        Name: connection.member.displayName,
        Email: connection.member.email ?? '',
        'Slack user ID': connection.member.slackUserId,
        Status: status,
        'Starts on': connection.startsOn ?? '',
        'Ends on': connection.endsOn ?? '',
        [`Connected at (${TIME_ZONE})`]: row[`Connected at (${TIME_ZONE})`],
        Tags: (connection.tags as string[]).join('; '),
        'Caller support level': connection.callerSupportLevel?.toLowerCase() ?? '',
        ...Object.fromEntries(PERMISSION_CATALOG.map((permission) => [permission.name, held.has(permission.key) ? 'yes' : ''])),
      });
    }

    // RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    expect(text).toContain('"Smith, ""Jo""\nJunior"');
    expect(text).toContain('"Line\r\nBreak"');
    expect(text).toContain('"a, b; say ""hi"""');
    expect(rows.map((row) => row.Name)).toEqual(expect.arrayContaining(AWKWARD_NAMES));

    const logged = await exportEntries();
    expect(logged).toHaveLength(loggedBefore + 1);
    expect(logged.at(-1)).toMatchObject({ actorId: adaId, after: { export: 'grid' } });
  }, 120_000);

  it("sends the report: each permission's active holders, row for row, through a rate-limited completion", async () => {
    const report = await openReport();
    // Slack asks the first completion to wait: the dispatcher waits as asked and sends one file.
    app.emulator.failNext('files.completeUploadExternal', { status: 429, retryAfter: 1 });
    const { text } = await exported(() => app.driver.clickButton({ userId: ADA.id, view: report, actionId: ACTION.reportExport }));
    expect(app.emulator.callsTo('files.completeUploadExternal').filter((call) => call.status === 429)).toHaveLength(1);
    const { header, rows } = csvObjects(text);
    expect(header.slice(0, 3)).toEqual(['Permission', 'Permission key', 'Name']);

    const now = new Date();
    const expected: string[][] = [];
    for (const permission of PERMISSION_CATALOG) {
      const holders = await app.db.database.prisma.connection.findMany({
        where: {
          organizationId,
          status: 'ACTIVE',
          OR: [{ endsAt: null }, { endsAt: { gt: now } }],
          permissions: { some: { permissionKey: permission.key } },
        },
        include: { member: true },
        orderBy: { memberId: 'asc' },
      });
      for (const holder of holders) expected.push([permission.key, holder.member.slackUserId, holder.member.displayName]);
    }
    expect(expected.length).toBeGreaterThan(MEMBERS);
    expect(rows.map((row) => [row['Permission key']!, row['Slack user ID']!, row.Name!])).toEqual(expected);
    expect(rows.every((row) => row.Status === 'active')).toBe(true);
    expect((await exportEntries()).at(-1)).toMatchObject({ actorId: adaId, after: { export: 'report' } });
  }, 120_000);

  /** The `/access log` modal as the log view draws it: its query in the metadata, Export CSV carrying the filters. */
  async function logView(userId: string, filters: LogFilters): Promise<EmulatedView> {
    const client = new WebClient(BOT_TOKEN, { slackApiUrl: app.emulator.url });
    const opened = await client.views.open({
      trigger_id: app.emulator.issueTriggerId(userId),
      view: {
        type: 'modal',
        callback_id: CALLBACK.permissionsLog,
        title: { type: 'plain_text', text: 'Permissions log' },
        private_metadata: encodeMetadata(logViewMetadata, { query: { organizationId, filters, page: 0 }, expanded: [] }),
        blocks: [
          {
            type: 'actions',
            block_id: 'log_paging',
            elements: [
              {
                type: 'button',
                action_id: ACTION.logExport,
                text: { type: 'plain_text', text: 'Export CSV' },
                value: JSON.stringify({ kind: 'log', filters }),
              },
            ],
          },
        ],
      },
    });
    return app.emulator.getView(opened.view!.id!)!;
  }

  async function expectedLog(filters: LogFilters, scope: Parameters<typeof logEntrySelection>[2], beforeSequence: number) {
    const { sql } = app.db.database;
    const selection = logEntrySelection(organizationId, TIME_ZONE, scope, filters);
    return sql.rows(selectLogEntries(sql.build, selection).where('e.sequence', '<', beforeSequence));
  }

  it('sends the log with the filters the view had on, matching selectLogEntries, and logs the filters', async () => {
    const filters: LogFilters = { ...NO_LOG_FILTERS, action: LOG_ACTION.memberEdited, permission: PERMISSION.downloadSoftware };
    const view = await logView(ADA.id, filters);
    const { file, text } = await exported(() => app.driver.clickButton({ userId: ADA.id, view, actionId: ACTION.logExport }));
    expect(file.comment).toContain('with the filters you had on');
    const entry = (await exportEntries()).at(-1)!;
    expect(entry).toMatchObject({ actorId: adaId, after: { export: 'log', filters } });

    const { header, rows } = csvObjects(text);
    expect(header[1]).toBe(`Logged at (${TIME_ZONE})`);
    const expected = await expectedLog(filters, { all: true }, entry.sequence!);
    expect(expected.length).toBeGreaterThan(500);
    expect(rows).toHaveLength(expected.length);
    for (const [index, logged] of expected.entries()) {
      const row = rows[index]!;
      expectInstant(row[`Logged at (${TIME_ZONE})`]!, logged.createdAt);
      const before = logged.before as { permissions: string[]; status: string };
      const after = logged.after as { permissions: string[]; status: string };
      expect(row).toMatchObject({
        Sequence: String(logged.sequence),
        Action: LOG_ACTION.memberEdited,
        Actor: ADA.realName,
        'Actor Slack user ID': ADA.id,
        Member: logged.subjectName ?? '',
        'Member Slack user ID': logged.subjectSlackUserId ?? '',
        'Permissions before': before.permissions.join('; '),
        'Permissions after': after.permissions.join('; '),
        'Status before': before.status,
        'Status after': after.status,
        Note: logged.note ?? '',
        'Entry hash': logged.hash,
      });
    }
    expect(rows.some((row) => row.Note?.includes('\n'))).toBe(true);
  }, 120_000);

  it("keeps a training admin's log export to the entries of e-Learning alone, and refuses them the grid", async () => {
    const view = await logView(TESS.id, NO_LOG_FILTERS);
    const { text } = await exported(() => app.driver.clickButton({ userId: TESS.id, view, actionId: ACTION.logExport }), TESS.id);
    const entry = (await exportEntries()).at(-1)!;
    const expected = await expectedLog(NO_LOG_FILTERS, { all: false, eLearning: true, callers: false }, entry.sequence!);
    const rows = parseCsv(text).slice(1);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((row) => row[0])).toEqual(expected.map((logged) => String(logged.sequence)));
    expect(rows.every((row) => row[8] === PERMISSION.eLearning)).toBe(true);

    // The report's buttons are for Administrators: a forged press is refused, naming them, and nothing is logged or sent.
    const loggedBefore = (await exportEntries()).length;
    const dm = app.emulator.dmChannelFor(TESS.id);
    const filesBefore = app.emulator.sharedFiles(dm).length;
    const messagesBefore = app.emulator.messagesIn(dm).length;
    await app.driver.blockActions({
      userId: TESS.id,
      view,
      actions: [{ action_id: ACTION.gridExport, type: 'button', value: String(organizationId) }],
    });
    await settle(app);
    await expect.poll(() => app.emulator.messagesIn(dm).length).toBeGreaterThan(messagesBefore);
    expect(app.emulator.messagesIn(dm).at(-1)!.text).toContain(ADA.realName);
    expect(app.emulator.sharedFiles(dm)).toHaveLength(filesBefore);
    expect(await exportEntries()).toHaveLength(loggedBefore);
  }, 120_000);
});
