// Two Administrators save the Edit form of the same member at the same moment, through Slack: the
// member ends in one consistent state, and the log holds both edits in order, each starting from
// what the other left. On PostgreSQL the two submissions run side by side on the app's pool.
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import type { EmulatedView } from '../../src/sandbox/index.js';
import { ACTION, INPUT_ACTION, MEMBER_EDIT_BLOCK } from '../../src/slack/views/ids.js';
import { rowValue } from '../../src/slack/views/member-values.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { expectNoServerErrors, person, seedOrganization, settle } from '../support/flows.js';
import { openMembersList } from '../support/members.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Builder');
const RITA = person('U0RITA', 'Rita Member');
const ROUNDS = 4;

interface Snapshot {
  permissions: string[];
  tags: string[];
}

describe.each(DATABASE_KINDS)('two Administrators editing one member at once on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  /** The Edit form of Rita's row, opened by `admin` from their own members list. */
  async function editForm(admin: string, connectionId: number): Promise<EmulatedView> {
    const list = (await openMembersList(app, admin, 'rita'))!;
    const pushed = app.emulator.callsTo('views.push').length;
    await app.driver.interact({
      userId: admin,
      view: list,
      actionId: ACTION.usersManageRow,
      value: rowValue('edit', { kind: 'member', connectionId }),
    });
    await app.emulator.waitForCalls('views.push', pushed + 1, 10_000);
    return app.emulator.currentModal(admin)!;
  }

  it('ends in one state, with both edits logged in order, each from what the other left', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA, BOB]);
    const { prisma } = app.db.database;
    const rita = await prisma.member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName, email: RITA.email } });
    const connection = await prisma.connection.create({
      data: { organizationId: organization.id, memberId: rita.id, permissions: { create: [{ permissionKey: PERMISSION.eLearning }] } },
    });

    for (let round = 0; round < ROUNDS; round += 1) {
      // The last round's confirmations and notices are delivered first, so opening a list is not mistaken for one.
      await settle(app);
      const [adaForm, bobForm] = [await editForm(ADA.id, connection.id), await editForm(BOB.id, connection.id)];
      const logged = await prisma.permissionLogEntry.count({ where: { action: LOG_ACTION.memberEdited } });
      // Ada changes the tags, Bob the permissions: each form still shows what Rita held when it opened.
      const responses = await Promise.all([
        app.driver.submitView(adaForm, { [MEMBER_EDIT_BLOCK.tags]: { [INPUT_ACTION]: `round-${round}` } }, ADA.id),
        app.driver.submitView(
          bobForm,
          {
            [MEMBER_EDIT_BLOCK.accessPermissions]: {
              [INPUT_ACTION]: round % 2 === 0 ? [PERMISSION.eLearning, PERMISSION.esriAccess] : [PERMISSION.eLearning],
            },
          },
          BOB.id,
        ),
      ]);
      expectNoServerErrors(responses);

      const entries = await prisma.permissionLogEntry.findMany({
        where: { action: LOG_ACTION.memberEdited, subjectMemberId: rita.id },
        orderBy: { id: 'asc' },
        skip: logged,
      });
      expect(entries, `round ${round}`).toHaveLength(2);
      const [first, second] = entries.map((entry) => ({
        before: entry.before as unknown as Snapshot,
        after: entry.after as unknown as Snapshot,
      }));
      // The second edit was decided on what the first one left, not on what both forms showed.
      expect(second!.before.permissions, `round ${round}`).toEqual(first!.after.permissions);
      expect(second!.before.tags, `round ${round}`).toEqual(first!.after.tags);
      const now = await prisma.connection.findUniqueOrThrow({ where: { id: connection.id }, include: { permissions: true } });
      expect(now.permissions.map((grant) => grant.permissionKey).sort(), `round ${round}`).toEqual([...second!.after.permissions].sort());
      expect(now.tags, `round ${round}`).toEqual(second!.after.tags);
    }
  }, 120_000);
});
