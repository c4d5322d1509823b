// App Home tabs are drawn without a callback id, and Slack sends their buttons' actions with an
// empty one: those clicks must reach their handlers like any other.
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, requestAccess, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Member');

describe.each(DATABASE_KINDS)('buttons in App Home on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('withdraws a request from the Withdraw button of the Home tab', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const requestId = await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: [PERMISSION.eLearning] });
    await app.driver.event({ event: { type: 'app_home_opened', user: RITA.id, tab: 'home' } });
    await settle(app);
    const home = app.emulator.homeView(RITA.id)!;
    expect(home.definition.callback_id).toBeUndefined();

    const clicked = await app.driver.clickButton({ userId: RITA.id, view: home, actionId: ACTION.withdraw });
    expect(clicked.status).toBe(200);
    await settle(app);
    expect(await app.db.database.prisma.accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: 'WITHDRAWN',
    });
  });
});
