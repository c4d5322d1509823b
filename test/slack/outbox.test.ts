import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { openRequestForm, person, postsIn, seedOrganization, settle, submitRequestForm } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const RITA = person('U0RITA', 'Rita Requester');

describe.each(DATABASE_KINDS)('the outbox on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    await app.stop();
  });

  it('delays messages through a Slack outage and loses none, waiting as long as Retry-After says', async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    // Slack is down twice, then rate-limits once, then recovers.
    app.emulator.failNext('chat.postMessage', { status: 503 }, 2);
    app.emulator.failNext('chat.postMessage', { status: 429, retryAfter: 2 }, 1);
    const opened = await openRequestForm(app, RITA.id);
    const submitted = await submitRequestForm(app, RITA.id, opened, {
      organizationId: organization.id,
      accessPermissions: [PERMISSION.esriAccess],
    });
    expect(submitted.body).toBe('');
    await settle(app, 30_000);

    const posts = app.emulator.callsTo('chat.postMessage');
    expect(posts.filter((call) => call.faulted).map((call) => call.status)).toEqual([503, 503, 429]);
    const rateLimitedAt = posts.find((call) => call.status === 429)!.at.getTime();
    const afterLimit = app.emulator.calls.filter((call) => call.at.getTime() > rateLimitedAt && call.method !== 'auth.test');
    expect(afterLimit.length).toBeGreaterThan(0);
    expect(Math.min(...afterLimit.map((call) => call.at.getTime())) - rateLimitedAt).toBeGreaterThanOrEqual(2000);

    // Exactly one receipt for Rita and one card for Ada, however many attempts it took.
    expect(postsIn(app, RITA.id)).toHaveLength(1);
    expect(postsIn(app, ADA.id)).toHaveLength(1);
    const rows = await app.db.database.prisma.outboxMessage.findMany();
    expect(rows.every((row) => row.status === 'SENT')).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBeGreaterThan(rows.length);
  });
});
