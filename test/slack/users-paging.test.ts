import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_PAGE_SIZE } from '../../src/domain/member-management.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, seedOrganization } from '../support/flows.js';
import {
  hasControl,
  matchCountShown,
  onList,
  openMembersList,
  rowsShown,
  seedMembers,
  type SeededOrganization,
  type ShownRowKey,
} from '../support/members.js';
import type { EmulatedView } from '../../src/sandbox/index.js';

const ADA = person('U0ADA', 'Ada Admin');

/** Every row from the first page to the last, clicking Next; checks each page on the way, then closes the list. */
async function pageThrough(app: TestApp, first: EmulatedView, expectedTotal: number): Promise<ShownRowKey[]> {
  const seen: ShownRowKey[] = [];
  let view = first;
  for (let page = 0; ; page += 1) {
    const rows = rowsShown(view);
    expect(rows.length, `page ${page}`).toBeLessThanOrEqual(MEMBER_PAGE_SIZE);
    expect(matchCountShown(view), `page ${page}`).toBe(expectedTotal);
    seen.push(...rows);
    if (!hasControl(view, ACTION.usersNextPage)) break;
    expect(rows.length, `page ${page} is not the last, so it is full`).toBe(MEMBER_PAGE_SIZE);
    view = await onList(app, view, () => app.driver.clickButton({ userId: ADA.id, view, actionId: ACTION.usersNextPage }));
  }
  // Each views.update was checked by the emulator as it arrived: 100 blocks, 3,000 characters a section, and the rest.
  expect(app.emulator.violations).toEqual([]);
  await app.driver.dismissView(view, ADA.id);
  return seen;
}

function connectionKeys(seeded: SeededOrganization, keep: (member: SeededOrganization['members'][number]) => boolean): ShownRowKey[] {
  return seeded.members.filter(keep).map((member) => `m:${member.connectionId}` as const);
}

describe.each(DATABASE_KINDS)('paging through /access users at 5,000 members on %s', (kind) => {
  let app: TestApp;
  let seeded: SeededOrganization;
  let adaConnection: ShownRowKey;

  beforeAll(async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', timeZone: 'UTC' }, [ADA]);
    const ada = await app.db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id }, include: { connections: true } });
    adaConnection = `m:${ada.connections[0]!.id}`;
    const now = new Date();
    const common = { organizationId: organization.id, timeZone: 'UTC', invitedById: ada.id, now };
    // Most rows are ordinary; some are as wide as a row gets (long names and addresses, ten long tags, every permission).
    const ordinary = await seedMembers(app.db.database.sql, { ...common, members: 4_800, invitations: 45, prefix: 'plain' });
    const wide = await seedMembers(app.db.database.sql, { ...common, members: 200, invitations: 15, prefix: 'wide', wide: true });
    seeded = { members: [...ordinary.members, ...wide.members], invitations: [...ordinary.invitations, ...wide.invitations] };
  }, 120_000);

  afterAll(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('shows every member and pending invitation exactly once, on pages Slack accepts, with the count', async () => {
    const expected = [
      adaConnection,
      ...connectionKeys(seeded, () => true),
      ...seeded.invitations.map((row) => `i:${row.invitationId}` as const),
    ];
    const first = await openMembersList(app, ADA.id);
    expect(first).not.toBeNull();
    const seen = await pageThrough(app, first!, expected.length);
    expect(seen.length).toBe(expected.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(expected));
  }, 300_000);

  it('pages through a filter the same way: the expired, then the pending invitations', async () => {
    for (const [status, expected] of [
      ['expired', connectionKeys(seeded, (member) => member.status === 'EXPIRED')],
      ['pending', seeded.invitations.map((row) => `i:${row.invitationId}` as const)],
    ] as const) {
      const opened = await openMembersList(app, ADA.id);
      const filtered = await onList(app, opened!, () =>
        app.driver.interact({ userId: ADA.id, view: opened!, actionId: ACTION.usersFilterStatus, value: status }),
      );
      const seen = await pageThrough(app, filtered, expected.length);
      expect(seen.length, status).toBe(expected.length);
      expect(new Set(seen), status).toEqual(new Set(expected));
    }
  }, 300_000);

  it('pages through a search: a name prefix, in any case', async () => {
    // "GRETA" is a first name of every 14th member: test/support/members.ts names them in turn.
    const expected = connectionKeys(seeded, (member) => member.displayName.toLowerCase().startsWith('greta'));
    const opened = await openMembersList(app, ADA.id, 'GRETA');
    const seen = await pageThrough(app, opened!, expected.length);
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(seen.length).toBe(expected.length);
  }, 300_000);
});
