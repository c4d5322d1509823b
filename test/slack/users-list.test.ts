import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { enqueue } from '../../src/services/outbox.js';
import type { EmulatedView } from '../../src/sandbox/slack-emulator.js';
import { ACTION, BULK_CONFIRM_BLOCK, BULK_REVIEW_BLOCK, CALLBACK, INPUT_ACTION, USERS_LIST_BLOCK } from '../../src/slack/views/ids.js';
import { rowKeyValue, rowValue } from '../../src/slack/views/member-values.js';
import { decodeMetadata, memberListMetadata } from '../../src/slack/views/metadata.js';
import { ROW_BLOCK_PREFIX } from '../../src/slack/views/users-list.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Member');

/** Everything a person reads in a view. */
function textOf(view: EmulatedView): string {
  return mrkdwnTexts(view.definition as { blocks?: unknown }).join('\n');
}

function queryOf(view: EmulatedView) {
  return decodeMetadata(memberListMetadata, (view.definition as { private_metadata?: string }).private_metadata);
}

describe.each(DATABASE_KINDS)('/access users on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  /**
   * Ada administers City of Redlands, which has 45 members (Member 01…45, every third tagged "field";
   * every fifth holds Access e-Learning alone, the others Esri access) and one pending invitation.
   */
  async function seed() {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const { prisma } = app.db.database;
    const connectionIds: number[] = [];
    for (let index = 1; index <= 45; index += 1) {
      const number = String(index).padStart(2, '0');
      const member = await prisma.member.create({
        data: { slackUserId: `U0M${number}`, displayName: `Member ${number}`, email: `member${number}@redlands.example` },
      });
      const connection = await prisma.connection.create({
        data: {
          organizationId: organization.id,
          memberId: member.id,
          tags: index % 3 === 0 ? ['field'] : [],
          permissions: { create: [{ permissionKey: index % 5 === 0 ? PERMISSION.eLearning : PERMISSION.esriAccess }] },
        },
      });
      connectionIds.push(connection.id);
    }
    const inviter = await prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } });
    const invitation = await prisma.invitation.create({
      data: {
        organizationId: organization.id,
        email: 'newcomer@redlands.example',
        permissions: [PERMISSION.eLearning],
        tokenHash: 'a'.repeat(64),
        invitedById: inviter.id,
        expiresAt: new Date(Date.now() + 7 * 86_400_000),
      },
    });
    return { organization, connectionIds, invitationId: invitation.id, prisma };
  }

  /** A member of the organization holding only `role`, an admin role short of Administrator. */
  async function limitedAdmin(organizationId: number, slackUserId: string, role: string) {
    const { prisma } = app.db.database;
    app.emulator.addUser(person(slackUserId, `Limited ${role}`));
    const member = await prisma.member.create({ data: { slackUserId, displayName: `Limited ${role}` } });
    await prisma.connection.create({ data: { organizationId, memberId: member.id, permissions: { create: [{ permissionKey: role }] } } });
  }

  async function openList(text: string): Promise<EmulatedView> {
    const opened = app.emulator.callsTo('views.open').length;
    const command = await app.driver.slashCommand({ userId: ADA.id, text });
    expect(command.status).toBe(200);
    await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
    return app.emulator.currentModal(ADA.id)!;
  }

  /** Presses a control of the list and waits for the list to be drawn again. */
  async function press(
    view: EmulatedView,
    actionId: string,
    value?: string | string[],
    method = 'views.update',
    blockId?: string,
  ): Promise<EmulatedView> {
    const before = app.emulator.callsTo(method).length;
    await app.driver.interact({
      userId: ADA.id,
      actionId,
      view,
      ...(value !== undefined ? { value } : {}),
      ...(blockId ? { blockId } : {}),
    });
    await app.emulator.waitForCalls(method, before + 1, 10_000);
    return method === 'views.publish' ? app.emulator.homeView(ADA.id)! : app.emulator.getView(view.id)!;
  }

  it('opens with the search typed after the command, filters, sorts and pages', async () => {
    await seed();
    const searched = await openList('users member');
    expect(searched.definition.callback_id).toBe(CALLBACK.usersList);
    expect(textOf(searched)).toContain('Showing 1–20 of 45 (filtered)');
    expect(queryOf(searched)).toMatchObject({ search: 'member', page: 0 });
    expect(textOf(searched)).toContain('<@U0M01> *Member 01*  ·  member01@redlands.example');

    const second = await press(searched, ACTION.usersNextPage);
    expect(textOf(second)).toContain('Showing 21–40 of 45 (filtered)');
    expect(textOf(second)).toContain('Member 21');
    expect(textOf(second)).not.toContain('Member 01');
    const third = await press(second, ACTION.usersNextPage);
    expect(textOf(third)).toContain('Showing 41–45 of 45');
    const back = await press(third, ACTION.usersPreviousPage);
    expect(queryOf(back)?.page).toBe(1);

    // A filter starts again on the first page; the search stays.
    const tagged = await press(back, ACTION.usersFilterTag, 'field');
    expect(queryOf(tagged)).toMatchObject({ search: 'member', tag: 'field', page: 0 });
    expect(textOf(tagged)).toContain('Showing 1–15 of 15');
    const sorted = await press(tagged, ACTION.usersSort, 'connected');
    expect(queryOf(sorted)).toMatchObject({ sort: 'connected', tag: 'field' });
    const nobody = await press(sorted, ACTION.usersSearch, 'zzz');
    expect(textOf(nobody)).toContain('No one matches');
    expect(textOf(nobody)).toContain('choose *Any* in each filter');
  });

  it('/access invitations opens the list on its Pending filter, where the invitation is', async () => {
    const { invitationId } = await seed();
    const pending = await openList('invitations');
    expect(queryOf(pending)).toMatchObject({ status: 'pending', search: null });
    expect(textOf(pending)).toContain('Showing 1–1 of 1');
    expect(textOf(pending)).toContain('*newcomer@redlands.example*');
    expect(JSON.stringify(pending.definition)).toContain(rowValue('revoke', { kind: 'invitation', invitationId }));
  });

  it('keeps the selection across pages and a filter change, trims it in the review and tags everyone in it with one note', async () => {
    const { connectionIds, invitationId, prisma } = await seed();
    let list = await openList('users member');
    list = await press(list, ACTION.usersSelectPage, undefined);
    expect(textOf(list)).toContain('20 selected');
    list = await press(list, ACTION.usersNextPage);
    const picked = { kind: 'member' as const, connectionId: connectionIds[25]! };
    list = await press(
      list,
      ACTION.usersManageRow,
      rowValue('select', picked),
      'views.update',
      `${ROW_BLOCK_PREFIX}${rowKeyValue(picked)}`,
    );
    expect(textOf(list)).toContain('21 selected');
    list = await press(list, ACTION.usersSearch, '');
    list = await press(list, ACTION.usersFilterStatus, 'pending');
    const invited = { kind: 'invitation' as const, invitationId };
    list = await press(
      list,
      ACTION.usersManageRow,
      rowValue('select', invited),
      'views.update',
      `${ROW_BLOCK_PREFIX}${rowKeyValue(invited)}`,
    );
    expect(textOf(list)).toContain('22 selected');
    expect(JSON.stringify(list.definition)).toContain('Review selection (22)');

    const review = await press(list, ACTION.usersReviewSelection, undefined, 'views.push');
    const reviewView = app.emulator.currentModal(ADA.id)!;
    expect(review.id).toBe(list.id);
    expect(reviewView.definition.callback_id).toBe(CALLBACK.bulkReview);
    expect(textOf(reviewView)).toContain('22 people selected');

    // Take two people out: the review and the list under it both say 20.
    const updates = app.emulator.callsTo('views.update').length;
    await app.driver.interact({
      userId: ADA.id,
      actionId: ACTION.bulkUnselect,
      view: reviewView,
      value: [rowKeyValue({ kind: 'member', connectionId: connectionIds[0]! }), rowKeyValue({ kind: 'invitation', invitationId })],
    });
    await app.emulator.waitForCalls('views.update', updates + 2, 10_000);
    expect(textOf(app.emulator.getView(reviewView.id)!)).toContain('20 people selected');
    expect(textOf(app.emulator.getView(list.id)!)).toContain('20 selected');

    // Next without a tag is refused on the field; with one, the confirm form says what happens to whom.
    const missing = await app.driver.submitView(reviewView.id, { [BULK_REVIEW_BLOCK.action]: { [INPUT_ACTION]: 'add_tag' } }, ADA.id);
    expect(missing.json).toEqual({ response_action: 'errors', errors: { [BULK_REVIEW_BLOCK.tag]: 'Type the tag.' } });
    await app.driver.submitView(
      reviewView.id,
      { [BULK_REVIEW_BLOCK.action]: { [INPUT_ACTION]: 'add_tag' }, [BULK_REVIEW_BLOCK.tag]: { [INPUT_ACTION]: 'north' } },
      ADA.id,
    );
    const confirm = app.emulator.currentModal(ADA.id)!;
    expect(confirm.definition.callback_id).toBe(CALLBACK.bulkConfirm);
    expect(textOf(confirm)).toContain('Add the tag “north” to 20 people');
    const posts = app.emulator.callsTo('chat.postMessage').length;
    await app.driver.submitView(confirm.id, { [BULK_CONFIRM_BLOCK.note]: { [INPUT_ACTION]: 'North team' } }, ADA.id);
    await app.emulator.waitForCalls('chat.postMessage', posts + 1, 10_000);
    await settle(app);

    const tagged = await prisma.connection.findMany({ where: { id: { in: connectionIds } }, orderBy: { id: 'asc' } });
    const withNorth = tagged.filter((connection) => (connection.tags as string[]).includes('north')).map((connection) => connection.id);
    expect(withNorth).toEqual([...connectionIds.slice(1, 20), connectionIds[25]!]);
    expect(app.emulator.openModals(ADA.id)).toEqual([]);
    expect(postsIn(app, ADA.id).map((message) => message.text)).toContain('Done: 20 changed, 0 left out.');
  });

  it('switches App Home to the members list and keeps it there when the tab is opened again', async () => {
    const { organization } = await seed();
    const publishes = app.emulator.callsTo('views.publish').length;
    await app.driver.event({ event: { type: 'app_home_opened', user: ADA.id, tab: 'home' } });
    await app.emulator.waitForCalls('views.publish', publishes + 1, 10_000);
    const access = app.emulator.homeView(ADA.id)!;
    expect(JSON.stringify(access.definition)).toContain(ACTION.homeShowMembers);

    const members = await press(access, ACTION.homeShowMembers, undefined, 'views.publish');
    expect(JSON.stringify(members.definition)).toContain('Members of City of Redlands');
    expect(queryOf(members)).toMatchObject({ organizationId: organization.id, page: 0 });
    const paged = await press(members, ACTION.usersNextPage, undefined, 'views.publish');
    expect(textOf(paged)).toContain('Showing 21–40 of 47');

    const reopened = app.emulator.callsTo('views.publish').length;
    await app.driver.event({ event: { type: 'app_home_opened', user: ADA.id, tab: 'home' } });
    await app.emulator.waitForCalls('views.publish', reopened + 1, 10_000);
    expect(queryOf(app.emulator.homeView(ADA.id)!)).toMatchObject({ page: 1 });
    // A refresh from the outbox (after a change to Ada's access, say) draws the same section.
    const refreshed = app.emulator.callsTo('views.publish').length;
    await enqueue(app.db.database.prisma, [{ kind: 'home.refresh', userId: ADA.id }], new Date());
    await settle(app);
    await app.emulator.waitForCalls('views.publish', refreshed + 1, 10_000);
    expect(queryOf(app.emulator.homeView(ADA.id)!)).toMatchObject({ page: 1 });

    const back = await press(app.emulator.homeView(ADA.id)!, ACTION.homeShowAccess, undefined, 'views.publish');
    expect(JSON.stringify(back.definition)).not.toContain('Members of City of Redlands');
    expect(JSON.stringify(back.definition)).toContain(ACTION.homeShowMembers);
  });

  it('offers a training admin the menu only on people whose access is e-Learning alone', async () => {
    const { organization, connectionIds } = await seed();
    await limitedAdmin(organization.id, 'U0TINA', PERMISSION.assignTraining);
    const opened = app.emulator.callsTo('views.open').length;
    await app.driver.slashCommand({ userId: 'U0TINA', text: 'users member' });
    await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
    const list = app.emulator.currentModal('U0TINA')!;
    const menus = (list.definition.blocks as Array<{ block_id?: string; accessory?: { options: Array<{ value: string }> } }>)
      .filter((block) => block.accessory)
      .map((block) => [block.block_id, block.accessory!.options.map((option) => option.value)]);
    const eLearningOnly = [4, 9, 14, 19].map((index) => ({ kind: 'member' as const, connectionId: connectionIds[index]! }));
    expect(menus).toEqual(
      eLearningOnly.map((key) => [
        `${ROW_BLOCK_PREFIX}${rowKeyValue(key)}`,
        ['select', 'edit', 'disconnect'].map((verb) => rowValue(verb as 'edit', key)),
      ]),
    );
  });

  it('tells an authorized-caller admin to use /access callers, privately, and opens nothing', async () => {
    const { organization, prisma } = await seed();
    await limitedAdmin(organization.id, 'U0CARL', PERMISSION.assignAuthorizedCallers);
    const opened = app.emulator.callsTo('views.open').length;
    const answers = app.emulator.callsTo('response_url').length;
    await app.driver.slashCommand({ userId: 'U0CARL', text: 'users' });
    const told = (await app.emulator.waitForResponses(answers + 1, 10_000)).at(-1)!;
    expect(told.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/access callers') });
    expect(app.emulator.callsTo('views.open').length).toBe(opened);
    expect(await prisma.memberSelection.count()).toBe(0);
  });

  it('offers a picker to an admin of several organizations, and switching starts the other list afresh', async () => {
    const { organization } = await seed();
    const other = await seedOrganization(app, { name: 'Aardvark County', customerNumber: '100300' }, [ADA]);
    const list = await openList('users member');
    // Organizations come by name, so Aardvark County is listed first, and it has only Ada.
    expect(queryOf(list)?.organizationId).toBe(other.id);
    const picker = (list.definition.blocks as Array<{ block_id?: string; elements?: Array<{ options: Array<{ value: string }> }> }>).find(
      (block) => block.block_id === USERS_LIST_BLOCK.organization,
    );
    expect(picker?.elements?.[0]?.options.map((option) => option.value)).toEqual([String(other.id), String(organization.id)]);
    const switched = await press(list, ACTION.usersPickOrganization, String(organization.id));
    expect(queryOf(switched)).toMatchObject({ organizationId: organization.id, search: null, page: 0 });
    expect(textOf(switched)).toContain('Showing 1–20 of 47');
  });

  it('applies the search box with the Search button too', async () => {
    await seed();
    const list = await openList('users');
    const answer = await app.driver.submitView(list, { [USERS_LIST_BLOCK.search]: { [ACTION.usersSearch]: 'member 4' } }, ADA.id);
    expect(answer.json).toMatchObject({ response_action: 'update' });
    const searched = app.emulator.getView(list.id)!;
    expect(queryOf(searched)).toMatchObject({ search: 'member 4', page: 0 });
  });

  it('tells someone who manages no organization who to ask, privately, and opens nothing', async () => {
    await seed();
    const opened = app.emulator.callsTo('views.open').length;
    for (const text of ['users', 'invitations']) {
      const command = await app.driver.slashCommand({ userId: RITA.id, text });
      expect(command.status).toBe(200);
    }
    const told = await app.emulator.waitForResponses(2, 10_000);
    for (const response of told)
      expect(response.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('manage its members') });
    expect(app.emulator.callsTo('views.open').length).toBe(opened);
  });
});
