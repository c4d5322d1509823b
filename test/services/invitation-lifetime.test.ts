import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { invitationSealingKey, openInvitationCode } from '../../src/domain/invitation-tokens.js';
import type { OutboxItem } from '../../src/domain/outbox-messages.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { acceptInvitation } from '../../src/services/invitations/accept-invitation.js';
import { checkAddresses, chooseGrant } from '../../src/services/invitations/invite-drafts.js';
import { resendInvitation } from '../../src/services/invitations/resend-invitation.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

/*
 * An invitation is good for six calendar weeks in its organization's time zone: sent at 09:00
 * there, it expires at 09:00 there 42 days later, 1007 or 1009 hours when the clocks change in
 * between. The moments are written out by hand.
 */

const settings = { sealingKey: invitationSealingKey('test signing secret') };

describe.each(DATABASE_KINDS)('the invitation lifetime on %s', (kind) => {
  let database: TestDatabase;
  let prisma: Db;
  const organizations = new Map<string, number>();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.database.prisma;
    await seedPermissionCatalog(prisma);
    for (const [index, timeZone] of ['America/Los_Angeles', 'Asia/Kolkata'].entries()) {
      const customerNumber = `70000${index + 1}`;
      organizations.set(timeZone, (await createOrganization(prisma, { name: `Office in ${timeZone}`, customerNumber, timeZone })).id);
      await addAdministrator(prisma, { customerNumber, slackUserId: `U0LIFEADM${index + 1}`, displayName: `Admin ${index + 1}` });
    }
  });
  afterAll(async () => {
    await database.drop();
  });

  async function invite(timeZone: string, email: string, now: Date) {
    const organizationId = organizations.get(timeZone)!;
    const actorSlackUserId = `U0LIFEADM${[...organizations.keys()].indexOf(timeZone) + 1}`;
    const { draftId } = await checkAddresses(prisma, { actorSlackUserId, organizationId, text: email, draftId: null }, now);
    await chooseGrant(prisma, { actorSlackUserId, draftId, permissions: [PERMISSION.eLearning], endsOn: null, caller: null }, now);
    expect((await sendInvitations(prisma, { actorSlackUserId, draftId }, settings, now)).sent).toBe(1);
    const invitation = await prisma.invitation.findFirstOrThrow({ where: { organizationId, email, status: 'PENDING' } });
    const delivery = (await prisma.outboxMessage.findMany({ where: { kind: 'invitation.deliver' }, orderBy: { id: 'desc' } }))
      .map((row) => JSON.parse(row.payload) as Extract<OutboxItem, { kind: 'invitation.deliver' }>)
      .find((item) => item.invitationId === invitation.id)!;
    return { invitation, code: openInvitationCode(delivery.sealedCode, settings.sealingKey)!, actorSlackUserId };
  }

  it('expires six calendar weeks after it is sent, across the spring change in Los Angeles', async () => {
    // 09:00 PST on February 20; six weeks on, 09:00 PDT on April 3 is 1007 hours later.
    const { invitation, code } = await invite('America/Los_Angeles', 'spring@example.org', new Date('2026-02-20T17:00:00.000Z'));
    expect(invitation.expiresAt.toISOString()).toBe('2026-04-03T16:00:00.000Z');
    const accept = (now: string) =>
      acceptInvitation(
        prisma,
        { code, acceptor: { slackUserId: `U0SPRING${kind.slice(0, 2).toUpperCase()}`, email: 'spring@example.org' }, fromButton: null },
        new Date(now),
      );
    expect(await accept('2026-04-03T16:00:00.000Z')).toMatchObject({ ok: false, refusal: 'expired' });
    expect(await accept('2026-04-03T15:59:59.999Z')).toMatchObject({ ok: true });
  });

  it('counts six weeks from a resend, across the fall change, and 1008 hours where no clock changes', async () => {
    const { invitation, actorSlackUserId } = await invite('America/Los_Angeles', 'fall@example.org', new Date('2026-09-01T16:00:00.000Z'));
    // Resent at 09:00 PDT on October 1: it expires at 09:00 PST on November 12, 1009 hours later.
    const resent = await resendInvitation(
      prisma,
      { actorSlackUserId, invitationId: invitation.id, language: 'en', personalMessage: null, note: null },
      settings,
      new Date('2026-10-01T16:00:00.000Z'),
    );
    expect(resent.expiresAt.toISOString()).toBe('2026-11-12T17:00:00.000Z');
    expect((await prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).expiresAt.toISOString()).toBe(
      '2026-11-12T17:00:00.000Z',
    );

    const inKolkata = await invite('Asia/Kolkata', 'steady@example.org', new Date('2026-10-01T16:00:00.000Z'));
    expect(inKolkata.invitation.expiresAt.toISOString()).toBe('2026-11-12T16:00:00.000Z');
  });
});
