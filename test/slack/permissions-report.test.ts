/**
 * `/access report` on both databases: each permission's count of active holders and the first of
 * them by name, the members' standing, a count opening `/access users` on exactly those holders,
 * the organization picker, and the refusal for everyone but Administrators, naming them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addCalendarDays, calendarDateIn, endOfDayIn } from '../../src/domain/dates.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import type { EmulatedView } from '../../src/sandbox/index.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { createOrganization } from '../../src/services/organizations.js';
import { ACTION, CALLBACK } from '../../src/slack/views/ids.js';
import { decodeMetadata, memberListMetadata } from '../../src/slack/views/metadata.js';
import { REPORT_PERMISSION_BLOCK_PREFIX } from '../../src/slack/views/permissions-report.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, seedOrganization, type Person } from '../support/flows.js';
import { matchCountShown, privateTexts, rowsShown, shownSince, waitUntil } from '../support/members.js';

const ADA = person('U0ADA', 'Ada Admin');
const TESS = person('U0TESS', 'Tess Trainer');
const MIA = person('U0MIA', 'Mia Member');
const NOBODY = person('U0NOBODY', 'Nobody Known');

function textOf(view: EmulatedView): string {
  return mrkdwnTexts(view.definition as { blocks?: unknown }).join('\n');
}

describe.each(DATABASE_KINDS)('/access report on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  /**
   * City of Redlands: Ada (Administrator), Tess (training admin), Mia (Esri access), and Member
   * 01…12. Odd members hold Access e-Learning, every member Esri access; Member 03 is expired,
   * Member 05 disabled and Member 07's end date has passed, so 3 of the 6 e-Learning holders and
   * 10 of the 13 Esri access holders (Mia among them) hold them now. Ada also administers Other County.
   */
  async function seed() {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const { prisma } = app.db.database;
    const connect = async (who: Person, permissions: string[], extra = {}) => {
      app.emulator.addUser(who);
      const member = await prisma.member.create({ data: { slackUserId: who.id, displayName: who.realName, email: who.email } });
      await prisma.connection.create({
        data: {
          organizationId: organization.id,
          memberId: member.id,
          ...extra,
          permissions: { create: permissions.map((permissionKey) => ({ permissionKey })) },
        },
      });
    };
    await connect(TESS, [PERMISSION.assignTraining]);
    await connect(MIA, [PERMISSION.esriAccess]);
    const yesterday = addCalendarDays(calendarDateIn(new Date(), 'UTC'), -1);
    for (let index = 1; index <= 12; index += 1) {
      const number = String(index).padStart(2, '0');
      const who = { ...person(`U0M${number}`, `Member ${number}`), email: `member${number}@redlands.example` };
      const permissions = index % 2 === 1 ? [PERMISSION.eLearning, PERMISSION.esriAccess] : [PERMISSION.esriAccess];
      const standing =
        index === 3
          ? { status: 'EXPIRED' as const }
          : index === 5
            ? { status: 'SUSPENDED' as const }
            : index === 7
              ? { endsOn: yesterday, endsAt: endOfDayIn(yesterday, 'UTC') }
              : {};
      await connect(who, permissions, standing);
    }
    await createOrganization(prisma, { name: 'Other County', customerNumber: '100300' });
    await addAdministrator(prisma, { customerNumber: '100300', slackUserId: ADA.id, displayName: ADA.realName, email: ADA.email });
    return organization;
  }

  async function openReport(userId: string): Promise<EmulatedView> {
    const opened = app.emulator.callsTo('views.open').length;
    const response = await app.driver.slashCommand({ userId, text: 'report' });
    expect(response.status).toBe(200);
    await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
    return app.emulator.currentModal(userId)!;
  }

  it('counts the active holders of each permission, names the first, and a count opens /access users on them', async () => {
    const organization = await seed();
    const report = await openReport(ADA.id);
    expect(report.definition.callback_id).toBe(CALLBACK.permissionsReport);
    const text = textOf(report);
    // Ada, Tess and Mia, and the twelve: 15 members; 03 and 07 expired, 05 disabled.
    expect(text).toContain('*City of Redlands*: 15 members — 12 active, 2 expired, 1 disabled.');
    expect(text).toContain('*Access e-Learning*\n3 hold it: Member 01, Member 09, Member 11');
    expect(text).toContain('*Esri access*\n10 hold it: Member 01, Member 02, Member 04, Member 06, Member 08 and 5 more');
    expect(text).toContain('*Administrator*\n1 holds it: Ada Admin');
    expect(text).toContain('*Manage licensing*\nNobody holds it.');
    const blocks = JSON.stringify(report.definition.blocks);
    for (const action of [ACTION.reportExport, ACTION.gridExport, ACTION.reportPickOrganization]) expect(blocks).toContain(action);

    const pushed = app.emulator.callsTo('views.push').length;
    await app.driver.clickButton({
      userId: ADA.id,
      view: report,
      actionId: ACTION.reportHolders,
      blockId: `${REPORT_PERMISSION_BLOCK_PREFIX}${PERMISSION.eLearning}`,
    });
    await app.emulator.waitForCalls('views.push', pushed + 1, 10_000);
    const list = app.emulator.currentModal(ADA.id)!;
    expect(list.definition.callback_id).toBe(CALLBACK.usersList);
    expect(app.emulator.modalStackOf(ADA.id).map((view) => view.definition.callback_id)).toEqual([
      CALLBACK.permissionsReport,
      CALLBACK.usersList,
    ]);
    expect(decodeMetadata(memberListMetadata, list.definition.private_metadata)).toMatchObject({
      organizationId: organization.id,
      permission: PERMISSION.eLearning,
      status: 'active',
    });
    expect(matchCountShown(list)).toBe(3);
    expect(rowsShown(list)).toHaveLength(3);
    expect(textOf(list)).toContain('Member 09');
    expect(textOf(list)).not.toContain('Member 03');
  });

  it('switches organization with the picker', async () => {
    await seed();
    const report = await openReport(ADA.id);
    const updates = app.emulator.callsTo('views.update').length;
    const other = await app.db.database.prisma.organization.findUniqueOrThrow({ where: { customerNumber: '100300' } });
    await app.driver.interact({ userId: ADA.id, view: report, actionId: ACTION.reportPickOrganization, value: String(other.id) });
    await app.emulator.waitForCalls('views.update', updates + 1, 10_000);
    const redrawn = textOf(app.emulator.getView(report.id)!);
    expect(redrawn).toContain('*Other County*: 1 member — 1 active, 0 expired, 0 disabled.');
    expect(redrawn).toContain('*Access e-Learning*\nNobody holds it.');
  });

  it('refuses everyone but Administrators, naming whom to ask, and opens nothing', async () => {
    await seed();
    app.emulator.addUser(NOBODY);
    const opened = app.emulator.callsTo('views.open').length;
    for (const [who, expected] of [
      [TESS, ADA.realName],
      [MIA, ADA.realName],
      [NOBODY, 'Only Administrators of an organization can see who holds each permission.'],
    ] as const) {
      const before = privateTexts(app, who.id);
      const response = await app.driver.slashCommand({ userId: who.id, text: 'report' });
      expect(response.status).toBe(200);
      let shown: string[] = [];
      await waitUntil(() => (shown = shownSince(app, who.id, before)).length > 0);
      const json = typeof response.json === 'object' && response.json !== null ? JSON.stringify(response.json) : '';
      expect(`${json}\n${shown.join('\n')}`).toContain(expected);
    }
    expect(app.emulator.callsTo('views.open')).toHaveLength(opened);
  });
});
