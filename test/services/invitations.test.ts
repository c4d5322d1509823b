import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const addWeeks = (instant: Date, weeks: number) => new Date(instant.getTime() + weeks * 7 * 24 * 60 * 60 * 1000);
import type { Db } from '../../src/db/client.js';
import { connectionsTo } from '../../src/db/joined-reads.js';
import { invitationSealingKey, openInvitationCode } from '../../src/domain/invitation-tokens.js';
import type { OutboxItem } from '../../src/domain/outbox-messages.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { acceptInvitation } from '../../src/services/invitations/accept-invitation.js';
import {
  checkAddresses,
  chooseGrant,
  inviteSteps,
  removeInvalidEntries,
  saveSendingChoices,
} from '../../src/services/invitations/invite-drafts.js';
import { editInvitation } from '../../src/services/invitations/edit-invitation.js';
import { resendInvitation } from '../../src/services/invitations/resend-invitation.js';
import { revokeInvitation } from '../../src/services/invitations/revoke-invitation.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { createOrganization } from '../../src/services/organizations.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const settings = { sealingKey: invitationSealingKey('test signing secret') };
const ADMIN = 'UADMIN0001';
const TRAINER = 'UTRAIN0001';
const NOW = new Date('2026-11-25T12:00:00.000Z');

async function deliveries(prisma: Db): Promise<Array<{ invitationId: number; code: string }>> {
  const rows = await prisma.outboxMessage.findMany({ where: { kind: 'invitation.deliver' }, orderBy: { id: 'asc' } });
  return rows.map((row) => {
    const item = JSON.parse(row.payload) as Extract<OutboxItem, { kind: 'invitation.deliver' }>;
    return { invitationId: item.invitationId, code: openInvitationCode(item.sealedCode, settings.sealingKey)! };
  });
}

describe.each(DATABASE_KINDS)('invitations on %s', (kind) => {
  let database: TestDatabase;
  let prisma: Db;
  let organizationId: number;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.database.prisma;
    await seedPermissionCatalog(prisma);
    const organization = await createOrganization(prisma, {
      name: 'City of Redlands',
      customerNumber: '123456',
      timeZone: 'America/Los_Angeles',
    });
    organizationId = organization.id;
    await addAdministrator(prisma, { customerNumber: '123456', slackUserId: ADMIN, displayName: 'Ada', email: 'ada@example.com' });
    // A training admin: connected with "assign training" only.
    const trainer = await prisma.member.create({ data: { slackUserId: TRAINER, displayName: 'Tess', email: 'tess@example.com' } });
    await prisma.connection.create({
      data: { organizationId, memberId: trainer.id, permissions: { create: [{ permissionKey: PERMISSION.assignTraining }] } },
    });
  });
  afterAll(async () => {
    await database.drop();
  });

  async function draftFor(text: string, actor = ADMIN) {
    const checked = await checkAddresses(prisma, { actorSlackUserId: actor, organizationId, text, draftId: null }, NOW);
    return checked;
  }

  it('sorts 1000 pasted addresses into invalid, active, pending and new, and invites the rest once the invalid ones are gone', async () => {
    // 20 people already connected and 10 with a pending invitation, among 963 valid addresses and 37 invalid entries.
    const connected = Array.from({ length: 20 }, (_, index) => `active${index}@example.org`);
    for (const [index, email] of connected.entries()) {
      const member = await prisma.member.create({
        data: { slackUserId: `UACT${String(index).padStart(6, '0')}`, displayName: email, email },
      });
      await prisma.connection.create({
        data: { organizationId, memberId: member.id, permissions: { create: [{ permissionKey: PERMISSION.esriAccess }] } },
      });
    }
    const pendingDraft = await draftFor(Array.from({ length: 10 }, (_, index) => `pending${index}@example.org`).join('\n'));
    await chooseGrant(
      prisma,
      { actorSlackUserId: ADMIN, draftId: pendingDraft.draftId, permissions: [PERMISSION.eLearning], endsOn: null, caller: null },
      NOW,
    );
    await sendInvitations(prisma, { actorSlackUserId: ADMIN, draftId: pendingDraft.draftId }, settings, NOW);

    const fresh = Array.from({ length: 933 }, (_, index) => `person${index}@example.org`);
    const invalid = Array.from({ length: 37 }, (_, index) => `not-an-address-${index}`);
    const pending = Array.from({ length: 10 }, (_, index) => `pending${index}@example.org`);
    const pasted = [...fresh.slice(0, 500), ...invalid, ...connected, 'PERSON0@example.org', ...pending, ...fresh.slice(500)];
    const draft = await draftFor(pasted.join(', '));
    expect(draft.invalid).toEqual(invalid);
    expect(draft.connected).toEqual(connected);
    expect(draft.pending).toEqual(pending);
    expect(draft.fresh).toHaveLength(933);
    expect(draft.duplicates).toBe(1);

    // Invalid addresses stop the invitation until they are removed, one by one or all at once.
    await chooseGrant(
      prisma,
      { actorSlackUserId: ADMIN, draftId: draft.draftId, permissions: [PERMISSION.esriAccess], endsOn: '2027-06-30', caller: null },
      NOW,
    );
    await expect(sendInvitations(prisma, { actorSlackUserId: ADMIN, draftId: draft.draftId }, settings, NOW)).rejects.toMatchObject({
      code: 'invalid_fields',
      fieldErrors: { addresses: 'Remove the invalid addresses first.' },
    });
    expect(
      (await removeInvalidEntries(prisma, { actorSlackUserId: ADMIN, draftId: draft.draftId, entry: invalid[0]! }, NOW)).invalid,
    ).toHaveLength(36);
    expect((await removeInvalidEntries(prisma, { actorSlackUserId: ADMIN, draftId: draft.draftId, entry: null }, NOW)).invalid).toEqual([]);
    await saveSendingChoices(
      prisma,
      {
        actorSlackUserId: ADMIN,
        draftId: draft.draftId,
        tags: ['gis'],
        personalMessage: 'Welcome!',
        language: 'fr',
        logNote: 'Spring onboarding',
      },
      NOW,
    );
    const steps = await inviteSteps(prisma, { actorSlackUserId: ADMIN, draftId: draft.draftId }, NOW);
    expect(steps.choices).toMatchObject({
      permissions: [PERMISSION.esriAccess],
      endsOn: '2027-06-30',
      tags: ['gis'],
      language: 'fr',
      personalMessage: 'Welcome!',
    });

    const before = await deliveries(prisma);
    const sent = await sendInvitations(prisma, { actorSlackUserId: ADMIN, draftId: draft.draftId }, settings, NOW);
    expect(sent).toMatchObject({ sent: 963, replaced: 10, reinvited: 20 });
    const invitations = await prisma.invitation.findMany({ where: { organizationId, status: 'PENDING' } });
    expect(invitations).toHaveLength(963);
    expect(invitations[0]).toMatchObject({
      language: 'fr',
      personalMessage: 'Welcome!',
      logNote: 'Spring onboarding',
      endsOn: '2027-06-30',
      tags: ['gis'],
    });
    expect(invitations[0]!.expiresAt).toEqual(addWeeks(NOW, 6));
    expect(await prisma.invitation.count({ where: { organizationId, status: 'REVOKED', email: { in: pending } } })).toBe(10);
    expect(await prisma.permissionLogEntry.count({ where: { action: 'invitation.sent', organizationId } })).toBe(973);
    expect(await prisma.permissionLogEntry.count({ where: { action: 'invitation.replaced', organizationId } })).toBe(10);
    const queued = (await deliveries(prisma)).slice(before.length);
    expect(queued).toHaveLength(963);
    // Each code is its own 32 random bytes, and only its hash is stored.
    expect(new Set(queued.map((delivery) => delivery.code)).size).toBe(963);
    const stored = JSON.stringify(await prisma.invitation.findMany());
    for (const { code } of queued.slice(0, 50)) expect(stored).not.toContain(code);
    expect(await prisma.inviteDraft.count({ where: { id: draft.draftId } })).toBe(0);
  });

  it('adds each paste to the draft, folding repeats across pastes, up to 1000 addresses', async () => {
    const first = await draftFor('a1@example.io, a2@example.io bad-entry');
    const second = await checkAddresses(
      prisma,
      { actorSlackUserId: ADMIN, organizationId, text: 'A2@example.io\na3@example.io', draftId: first.draftId },
      NOW,
    );
    expect(second).toMatchObject({
      draftId: first.draftId,
      fresh: ['a1@example.io', 'a2@example.io', 'a3@example.io'],
      invalid: ['bad-entry'],
      duplicates: 1,
    });
    const tooMany = Array.from({ length: 998 }, (_, index) => `b${index}@example.io`).join('\n');
    await expect(
      checkAddresses(prisma, { actorSlackUserId: ADMIN, organizationId, text: tooMany, draftId: first.draftId }, NOW),
    ).rejects.toMatchObject({
      code: 'invalid_fields',
      fieldErrors: {
        addresses: 'That makes 1002 addresses; one invitation goes to at most 1000. Send these, then invite the rest separately.',
      },
    });
    // Someone else cannot add to this admin's draft.
    await expect(
      checkAddresses(prisma, { actorSlackUserId: TRAINER, organizationId, text: 'c@example.io', draftId: first.draftId }, NOW),
    ).rejects.toThrow(/Start again/);
  });

  it('keeps authorized-caller invitations to one person with a support level, and limited admins to their scope', async () => {
    const caller = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];
    const two = await draftFor('one@example.net two@example.net');
    await expect(
      chooseGrant(
        prisma,
        {
          actorSlackUserId: ADMIN,
          draftId: two.draftId,
          permissions: caller,
          endsOn: null,
          caller: { supportLevel: 'STANDARD', callerLevel: null },
        },
        NOW,
      ),
    ).rejects.toMatchObject({
      code: 'invalid_fields',
      fieldErrors: { addresses: expect.stringMatching(/one person at a time; this one has 2 addresses/) },
    });
    const one = await draftFor('one@example.net');
    await expect(
      chooseGrant(
        prisma,
        {
          actorSlackUserId: ADMIN,
          draftId: one.draftId,
          permissions: caller,
          endsOn: null,
          caller: { supportLevel: 'PREMIUM', callerLevel: null },
        },
        NOW,
      ),
    ).rejects.toMatchObject({
      code: 'invalid_fields',
      fieldErrors: { callerLevel: 'Premium support callers need a caller level.' },
    });
    await chooseGrant(
      prisma,
      {
        actorSlackUserId: ADMIN,
        draftId: one.draftId,
        permissions: caller,
        endsOn: null,
        caller: { supportLevel: 'PREMIUM', callerLevel: 'Primary' },
      },
      NOW,
    );
    await sendInvitations(prisma, { actorSlackUserId: ADMIN, draftId: one.draftId }, settings, NOW);
    expect(await prisma.invitation.findFirst({ where: { email: 'one@example.net' } })).toMatchObject({
      callerSupportLevel: 'PREMIUM',
      callerLevel: 'Primary',
    });

    const trainerDraft = await draftFor('learner@example.net', TRAINER);
    expect(
      (await inviteSteps(prisma, { actorSlackUserId: TRAINER, draftId: trainerDraft.draftId }, NOW)).grantable.map(
        (permission) => permission.key,
      ),
    ).toEqual([PERMISSION.eLearning]);
    await expect(
      chooseGrant(
        prisma,
        { actorSlackUserId: TRAINER, draftId: trainerDraft.draftId, permissions: [PERMISSION.esriAccess], endsOn: null, caller: null },
        NOW,
      ),
    ).rejects.toMatchObject({
      code: 'invalid_fields',
      fieldErrors: { permissions: 'As a training administrator you can invite people to e-Learning only.' },
    });
    await expect(
      checkAddresses(prisma, { actorSlackUserId: 'UNOBODY001', organizationId, text: 'x@example.net', draftId: null }, NOW),
    ).rejects.toThrow(/Only administrators/);
    // Someone else's draft is not theirs to send.
    await expect(sendInvitations(prisma, { actorSlackUserId: TRAINER, draftId: one.draftId }, settings, NOW)).rejects.toThrow(
      /Start again/,
    );
  });

  it('accepts a code once, refuses expired, replaced and revoked codes, binds the button to the Slack account, and throttles guessing', async () => {
    const draft = await draftFor('rita@example.com, sam@example.com, tom@example.com');
    await chooseGrant(
      prisma,
      { actorSlackUserId: ADMIN, draftId: draft.draftId, permissions: [PERMISSION.downloadSoftware], endsOn: null, caller: null },
      NOW,
    );
    const before = (await deliveries(prisma)).length;
    await sendInvitations(prisma, { actorSlackUserId: ADMIN, draftId: draft.draftId }, settings, NOW);
    const [rita, sam, tom] = (await deliveries(prisma)).slice(before);

    // Edits while pending are what the person gets.
    await expect(
      editInvitation(
        prisma,
        {
          actorSlackUserId: ADMIN,
          invitationId: rita!.invitationId,
          permissions: [PERMISSION.esriAccess, PERMISSION.eLearning],
          tags: ['field'],
          startsOn: '2026-12-01',
          endsOn: '2027-01-31',
          caller: null,
          note: 'More access',
        },
        NOW,
      ),
    ).resolves.toBeUndefined();
    // A start after the end is refused.
    await expect(
      editInvitation(
        prisma,
        {
          actorSlackUserId: ADMIN,
          invitationId: rita!.invitationId,
          permissions: [PERMISSION.esriAccess],
          tags: [],
          startsOn: '2027-03-01',
          endsOn: '2027-01-31',
          caller: null,
          note: null,
        },
        NOW,
      ),
    ).rejects.toMatchObject({ code: 'invalid_fields', fieldErrors: { startsOn: 'Access has to start on or before its last day.' } });
    // The button is bound to the invited address: a Slack account with another email is refused.
    const wrongAccount = await acceptInvitation(
      prisma,
      {
        code: rita!.code,
        acceptor: { slackUserId: 'URITA00001', email: 'rita@elsewhere.com' },
        fromButton: { invitationId: rita!.invitationId },
      },
      NOW,
    );
    expect(wrongAccount).toMatchObject({ ok: false, refusal: 'wrong_account' });
    const accepted = await acceptInvitation(
      prisma,
      {
        code: rita!.code,
        acceptor: { slackUserId: 'URITA00001', email: 'Rita@Example.com', displayName: 'Rita' },
        fromButton: { invitationId: rita!.invitationId },
      },
      NOW,
    );
    expect(accepted).toMatchObject({ ok: true, permissions: [PERMISSION.esriAccess, PERMISSION.eLearning] });
    const ritaMember = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'URITA00001' } });
    const [connection] = await connectionsTo(prisma, organizationId, [ritaMember.id]);
    expect(connection).toMatchObject({
      status: 'ACTIVE',
      tags: ['field'],
      startsOn: '2026-12-01',
      startsAt: new Date('2026-12-01T08:00:00.000Z'),
      endsOn: '2027-01-31',
      endsAt: new Date('2027-02-01T08:00:00.000Z'),
    });
    expect(connection!.permissions.map((grant) => grant.permissionKey).sort()).toEqual(
      [PERMISSION.eLearning, PERMISSION.esriAccess].sort(),
    );
    expect(await prisma.permissionLogEntry.count({ where: { action: 'invitation.accepted', subjectMemberId: ritaMember.id } })).toBe(1);
    const notices = await prisma.outboxMessage.findMany({ where: { kind: { in: ['permissions.changed', 'home.refresh'] } } });
    expect(notices.map((row) => JSON.parse(row.payload) as OutboxItem)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'permissions.changed', userId: ADMIN }),
        expect.objectContaining({ kind: 'home.refresh', userId: 'URITA00001' }),
      ]),
    );
    // Used once only, whoever tries again.
    expect(
      await acceptInvitation(prisma, { code: rita!.code, acceptor: { slackUserId: 'URITA00001' }, fromButton: null }, NOW),
    ).toMatchObject({ ok: false, refusal: 'used' });

    // Resend: a new code works and the old one no longer does.
    await resendInvitation(
      prisma,
      { actorSlackUserId: ADMIN, invitationId: sam!.invitationId, language: 'es', personalMessage: null, note: 'Lost the email' },
      settings,
      NOW,
    );
    const resent = (await deliveries(prisma)).filter((delivery) => delivery.invitationId === sam!.invitationId).at(-1)!;
    expect(resent.code).not.toBe(sam!.code);
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: sam!.invitationId } })).toMatchObject({
      resendCount: 1,
      language: 'es',
    });
    expect(
      await acceptInvitation(prisma, { code: sam!.code, acceptor: { slackUserId: 'USAM000001' }, fromButton: null }, NOW),
    ).toMatchObject({ ok: false, refusal: 'unknown' });

    // Revoke: the code stops working. Expiry: refused after six weeks, with a controlled clock.
    await revokeInvitation(prisma, { actorSlackUserId: ADMIN, invitationId: tom!.invitationId, note: null }, NOW);
    expect(
      await acceptInvitation(prisma, { code: tom!.code, acceptor: { slackUserId: 'UTOM000001' }, fromButton: null }, NOW),
    ).toMatchObject({ ok: false, refusal: 'revoked' });
    const sixWeeksOn = addWeeks(NOW, 6);
    expect(
      await acceptInvitation(prisma, { code: resent.code, acceptor: { slackUserId: 'USAM000001' }, fromButton: null }, sixWeeksOn),
    ).toMatchObject({
      ok: false,
      refusal: 'expired',
    });
    // The code path is bound to the invited address too.
    expect(
      (
        await acceptInvitation(
          prisma,
          { code: resent.code, acceptor: { slackUserId: 'USAM000001', email: 'sam@example.com' }, fromButton: null },
          new Date(sixWeeksOn.getTime() - 1),
        )
      ).ok,
    ).toBe(true);

    // Guessing: five wrong codes, then even a right one waits.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(
        await acceptInvitation(prisma, { code: `wrong-${attempt}`, acceptor: { slackUserId: 'UGUESS0001' }, fromButton: null }, NOW),
      ).toMatchObject({ refusal: 'unknown' });
    }
    expect(await prisma.invitationCodeAttempt.count({ where: { slackUserId: 'UGUESS0001' } })).toBe(5);
    expect(
      await acceptInvitation(prisma, { code: 'another', acceptor: { slackUserId: 'UGUESS0001' }, fromButton: null }, NOW),
    ).toMatchObject({ refusal: 'throttled' });
    expect(
      await acceptInvitation(
        prisma,
        { code: 'another', acceptor: { slackUserId: 'UGUESS0001' }, fromButton: null },
        new Date(NOW.getTime() + 16 * 60_000),
      ),
    ).toMatchObject({
      refusal: 'unknown',
    });
  });
});
