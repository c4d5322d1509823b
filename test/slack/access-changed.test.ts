import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { editMember } from '../../src/services/members/member-edit.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Builder');
const RITA = person('U0RITA', 'Rita Member');

describe.each(DATABASE_KINDS)('access.changed notices on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('posts an edit to the member when told to, and to the other Administrators, never to the actor', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA, BOB]);
    const { prisma } = app.db.database;
    const member = await prisma.member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName, email: RITA.email } });
    const connection = await prisma.connection.create({ data: { organizationId: organization.id, memberId: member.id } });
    await prisma.connectionPermission.create({ data: { connectionId: connection.id, permissionKey: PERMISSION.eLearning } });
    await settle(app);
    const before = { ada: postsIn(app, ADA.id).length, bob: postsIn(app, BOB.id).length, rita: postsIn(app, RITA.id).length };

    await editMember(
      prisma,
      {
        actorSlackUserId: ADA.id,
        connectionId: connection.id,
        permissions: [PERMISSION.eLearning, PERMISSION.esriAccess],
        tags: ['field'],
        startsOn: null,
        endsOn: null,
        caller: null,
        note: 'Needs Esri Access',
        notifyMember: true,
      },
      new Date(),
    );
    await settle(app);
    expect(postsIn(app, ADA.id)).toHaveLength(before.ada);
    const toBob = postsIn(app, BOB.id).slice(before.bob);
    const toRita = postsIn(app, RITA.id).slice(before.rita);
    expect(toBob).toHaveLength(1);
    expect(toRita).toHaveLength(1);
    expect(JSON.stringify(toBob[0])).toContain(`<@${RITA.id}>`);
    // The note is for the log and the admins; the member is told what changed, not why it was noted.
    expect(JSON.stringify(toBob[0])).toContain('Needs Esri Access');
    expect(JSON.stringify(toRita[0])).toContain('Esri access');
    expect(JSON.stringify(toRita[0])).not.toContain('Needs Esri Access');
  });
});
