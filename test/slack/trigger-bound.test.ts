import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorFault } from '../../src/sandbox/index.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { person, postsIn, requestAccess, seedOrganization } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Requester');

/** Long enough for the WebClient's default policy to have retried a 503 at least once. */
const RETRY_WINDOW_MS = 4_000;

describe('forms that need a fresh trigger', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('sqlite');
    app.emulator.addUser(RITA);
  });
  afterAll(async () => {
    app.emulator.setFault(undefined);
    await app.stop();
  });

  const failEveryViewsOpen = (fault: EmulatorFault) => app.emulator.setFault(({ method }) => (method === 'views.open' ? fault : undefined));

  it.each([
    ['an HTTP 503', { status: 503 }],
    ['an expired trigger', { error: 'expired_trigger_id' }],
  ] as const)('/access request: on %s, asks Slack once and tells the person the form did not open', async (_label, fault) => {
    app.emulator.clear();
    failEveryViewsOpen(fault);
    try {
      const response = await app.driver.slashCommand({ userId: RITA.id, text: 'request' });
      expect(response.status).toBe(200);
      const [reply] = await app.emulator.waitForResponses(1, 10_000);
      expect(reply?.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Slack couldn't open the form/) });
      await new Promise((resolve) => setTimeout(resolve, RETRY_WINDOW_MS));
      expect(app.emulator.callsTo('views.open')).toHaveLength(1);
    } finally {
      app.emulator.setFault(undefined);
    }
  });

  it('Approve on a card: on an HTTP 503, asks Slack once and tells the admin privately', async () => {
    const organization = await seedOrganization(app, { name: 'Trigger County', customerNumber: '700700' }, [ADA]);
    await requestAccess(app, RITA, { organizationId: organization.id, accessPermissions: ['esri_access'] });
    const card = postsIn(app, ADA.id).at(-1)!;
    app.emulator.clear();
    failEveryViewsOpen({ status: 503 });
    try {
      const click = await app.driver.clickButton({
        userId: ADA.id,
        actionId: ACTION.approve,
        message: { channel: card.channel, ts: card.ts },
      });
      expect(click.status).toBe(200);
      const told = [...(await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000)), ...app.emulator.callsTo('chat.postMessage')];
      expect(told.map((call) => call.args.text)).toContainEqual(expect.stringMatching(/^Slack couldn't open the form/));
      await new Promise((resolve) => setTimeout(resolve, RETRY_WINDOW_MS));
      expect(app.emulator.callsTo('views.open')).toHaveLength(1);
    } finally {
      app.emulator.setFault(undefined);
    }
  });
});
