import { subDays } from 'date-fns';
import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { requestForm } from '../../src/services/read-models.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { openRequestForm, person, seedOrganization, submitRequestForm } from '../support/flows.js';
import { DATABASE_KINDS } from '../support/databases.js';

/*
 * Someone whose access expired holds nothing, even in its 30-day grace period, so they may ask for
 * it again; someone whose access is active may not ask for what they hold.
 */

const ADA = person('U0EXPADA', 'Ada Admin');
const RITA = person('U0EXPRITA', 'Rita Returner');

describe.each(DATABASE_KINDS)('a request after access expired, on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    await app.stop();
  });

  async function connectRita(status: 'ACTIVE' | 'EXPIRED') {
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '123456' }, [ADA]);
    app.emulator.addUser(RITA);
    const { prisma } = app.db.database;
    const member = await prisma.member.create({ data: { slackUserId: RITA.id, displayName: RITA.realName, email: RITA.email } });
    const endsAt = subDays(new Date(), 3);
    await prisma.connection.create({
      data: {
        organizationId: organization.id,
        memberId: member.id,
        status,
        endsOn: endsAt.toISOString().slice(0, 10),
        endsAt,
        expiredAt: status === 'EXPIRED' ? endsAt : null,
        permissions: { create: [{ permissionKey: PERMISSION.eLearning }] },
      },
    });
    return organization;
  }

  it('offers an expired member what they held, and takes their request for it', async () => {
    app = await startTestApp(kind);
    const organization = await connectRita('EXPIRED');
    const { prisma } = app.db.database;

    const form = await requestForm(prisma, RITA.id, { organizationId: organization.id, unlisted: false });
    expect(form.held).toEqual([]);
    expect(form.requestable.map((permission) => permission.key)).toContain(PERMISSION.eLearning);

    const opened = await openRequestForm(app, RITA.id);
    const response = await submitRequestForm(app, RITA.id, opened, {
      organizationId: organization.id,
      accessPermissions: [PERMISSION.eLearning],
      purpose: 'My training access ran out and I still teach the course.',
    });
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    const request = await prisma.accessRequest.findFirstOrThrow({ where: { requester: { slackUserId: RITA.id } } });
    expect(request).toMatchObject({ status: 'PENDING', organizationId: organization.id, requestedPermissions: [PERMISSION.eLearning] });
  });

  it('refuses an active member a request for what they hold, and stores nothing', async () => {
    app = await startTestApp(kind);
    const organization = await connectRita('ACTIVE');
    const { prisma } = app.db.database;

    const form = await requestForm(prisma, RITA.id, { organizationId: organization.id, unlisted: false });
    expect(form.held.map((permission) => permission.key)).toEqual([PERMISSION.eLearning]);

    const opened = await openRequestForm(app, RITA.id);
    const response = await submitRequestForm(app, RITA.id, opened, {
      organizationId: organization.id,
      accessPermissions: [PERMISSION.eLearning],
      purpose: 'I would like this again, please.',
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).toContain('You already hold these');
    expect(await prisma.accessRequest.count({ where: { requester: { slackUserId: RITA.id } } })).toBe(0);
  });
});
