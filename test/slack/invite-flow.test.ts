import { afterEach, describe, expect, it } from 'vitest';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import type { EmulatedView } from '../../src/sandbox/index.js';
import { checkAddresses, chooseGrant, inviteSteps } from '../../src/services/invitations/invite-drafts.js';
import { sendInvitations } from '../../src/services/invitations/send-invitations.js';
import { invitationSealingKey } from '../../src/domain/invitation-tokens.js';
import { addressesBlockId } from '../../src/slack/views/invite-addresses-form.js';
import { rowKeyValue, rowValue } from '../../src/slack/views/member-values.js';
import { ROW_BLOCK_PREFIX } from '../../src/slack/views/users-list.js';
import { ACTION, CALLBACK, INPUT_ACTION, INVITE_GRANT_BLOCK, INVITE_SENDING_BLOCK } from '../../src/slack/views/ids.js';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { mrkdwnTexts, person, postsIn, seedOrganization, settle } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const CALLER = [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions];

function metadataOf(view: EmulatedView): { draftId: number | null; organizationId: number | null; revision: number } {
  return JSON.parse(String(view.definition.private_metadata)) as {
    draftId: number | null;
    organizationId: number | null;
    revision: number;
  };
}

function modalOf(app: TestApp): EmulatedView {
  const modal = app.emulator.currentModal(ADA.id);
  if (!modal) throw new Error('no modal is open');
  return modal;
}

function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** Slack caps a text box at 3000 characters, so a long list is pasted in rounds. */
function pastes(addresses: string[]): string[] {
  const rounds: string[] = [];
  let current = '';
  for (const address of addresses) {
    if (current.length + address.length + 1 > 3000) {
      rounds.push(current);
      current = '';
    }
    current += `${address}\n`;
  }
  if (current) rounds.push(current);
  return rounds;
}

async function openInvite(app: TestApp): Promise<EmulatedView> {
  const before = app.emulator.callsTo('views.open').length;
  const response = await app.driver.slashCommand({ userId: ADA.id, text: 'invite' });
  expect(response.status).toBe(200);
  await app.emulator.waitForCalls('views.open', before + 1, 10_000);
  return modalOf(app);
}

async function paste(app: TestApp, text: string) {
  const modal = modalOf(app);
  return app.driver.submitView(modal, { [addressesBlockId(metadataOf(modal).revision)]: { [INPUT_ACTION]: text } }, ADA.id);
}

describe.each(DATABASE_KINDS)('/access invite on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    // Whatever the app sent, Slack would have accepted: no Block Kit or API rule was broken.
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('takes a 1000-address paste in rounds, sorts it, makes the admin remove invalid entries, and invites the rest', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const { prisma } = app.db.database;
    const connected = Array.from({ length: 20 }, (_, index) => `active${index}@example.org`);
    for (const [index, email] of connected.entries()) {
      const member = await prisma.member.create({
        data: { slackUserId: `U0ACT${String(index).padStart(4, '0')}`, displayName: email, email },
      });
      await prisma.connection.create({ data: { organizationId: organization.id, memberId: member.id } });
    }
    const pending = Array.from({ length: 10 }, (_, index) => `pending${index}@example.org`);
    const earlier = await checkAddresses(
      prisma,
      { actorSlackUserId: ADA.id, organizationId: organization.id, text: pending.join(' '), draftId: null },
      new Date(),
    );
    await chooseGrant(
      prisma,
      { actorSlackUserId: ADA.id, draftId: earlier.draftId, permissions: [PERMISSION.eLearning], endsOn: null, caller: null },
      new Date(),
    );
    await sendInvitations(
      prisma,
      { actorSlackUserId: ADA.id, draftId: earlier.draftId },
      { sealingKey: invitationSealingKey(SIGNING_SECRET) },
      new Date(),
    );

    const fresh = Array.from({ length: 933 }, (_, index) => `person${index}@example.org`);
    const invalid = Array.from({ length: 37 }, (_, index) => `typo${index}.example.org`);
    const all = [...fresh.slice(0, 400), ...invalid, ...connected, ...pending, ...fresh.slice(400)];
    expect(all).toHaveLength(1000);

    await openInvite(app);
    const rounds = pastes(all);
    expect(rounds.length).toBeGreaterThan(5);
    for (const round of rounds) {
      const response = await paste(app, round);
      expect(response.status).toBe(200);
      expect(bodyText(response.body)).toContain('"response_action":"update"');
    }
    const { draftId } = metadataOf(modalOf(app));
    const step = await inviteSteps(prisma, { actorSlackUserId: ADA.id, draftId: draftId! }, new Date());
    expect(step.draft.invalid).toEqual(invalid);
    expect(step.draft.connected).toEqual(connected);
    expect(step.draft.pending).toEqual(pending);
    expect(step.draft.fresh).toHaveLength(933);
    const shown = JSON.stringify(modalOf(app).definition);
    expect(shown).toContain('typo0.example.org');
    expect(shown).toContain(ACTION.inviteRemoveAllInvalid);

    // Going on with invalid entries left is refused on the field.
    const blocked = await paste(app, '');
    expect(bodyText(blocked.body)).toContain('Remove the 37 invalid entries first.');
    expect(modalOf(app).depth).toBe(1);

    const updates = app.emulator.callsTo('views.update').length;
    await app.driver.clickButton({ userId: ADA.id, actionId: ACTION.inviteRemoveAllInvalid, view: modalOf(app) });
    await app.emulator.waitForCalls('views.update', updates + 1, 10_000);
    expect(JSON.stringify(modalOf(app).definition)).not.toContain('typo0.example.org');

    // Step 2: permissions.
    await paste(app, '');
    const grant = modalOf(app);
    expect(grant.definition.callback_id).toBe(CALLBACK.inviteGrant);
    expect(grant.depth).toBe(2);
    await app.driver.submitView(grant, { [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] } }, ADA.id);
    // Step 3: sending.
    const sending = modalOf(app);
    expect(sending.definition.callback_id).toBe(CALLBACK.inviteSending);
    const posts = app.emulator.callsTo('chat.postMessage').length;
    const sent = await app.driver.submitView(
      sending,
      {
        [INVITE_SENDING_BLOCK.language]: { [INPUT_ACTION]: 'fr' },
        [INVITE_SENDING_BLOCK.personalMessage]: { [INPUT_ACTION]: 'Bienvenue !' },
        [INVITE_SENDING_BLOCK.tags]: { [INPUT_ACTION]: 'gis, spring' },
      },
      ADA.id,
    );
    expect(bodyText(sent.body)).toContain('"response_action":"clear"');
    expect(app.emulator.openModals(ADA.id)).toEqual([]);

    const invitations = await prisma.invitation.findMany({
      where: { status: 'PENDING', permissions: { equals: [PERMISSION.esriAccess] } },
    });
    expect(invitations).toHaveLength(963);
    expect(invitations[0]).toMatchObject({ language: 'fr', personalMessage: 'Bienvenue !', tags: ['gis', 'spring'] });
    expect(await prisma.invitation.count({ where: { status: 'REVOKED', email: { in: pending } } })).toBe(10);
    expect(await prisma.inviteDraft.count()).toBe(0);
    // The admin is told what was sent.
    const summary = (await app.emulator.waitForCalls('chat.postMessage', posts + 1, 10_000)).find(
      (call) => call.args.channel === ADA.id && String(call.args.text).startsWith('Sent 963'),
    );
    expect(summary).toBeDefined();
  });

  it('keeps an authorized-caller invitation to one person and asks for the caller settings', async () => {
    app = await startTestApp(kind);
    await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await openInvite(app);
    await paste(app, 'one@example.org two@example.org');
    await paste(app, '');
    const grant = modalOf(app);
    // Ticking both support permissions redraws the form with the caller fields.
    const updates = app.emulator.callsTo('views.update').length;
    await app.driver.interact({
      userId: ADA.id,
      actionId: INPUT_ACTION,
      blockId: INVITE_GRANT_BLOCK.accessPermissions,
      view: grant,
      value: CALLER,
      values: { [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: CALLER } },
    });
    await app.emulator.waitForCalls('views.update', updates + 1, 10_000);
    expect(JSON.stringify(modalOf(app).definition)).toContain(INVITE_GRANT_BLOCK.supportLevel);
    const refused = await app.driver.submitView(
      modalOf(app),
      {
        [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: CALLER },
        [INVITE_GRANT_BLOCK.supportLevel]: { [INPUT_ACTION]: 'STANDARD' },
      },
      ADA.id,
    );
    expect(bodyText(refused.body)).toContain('one person at a time; this one has 2 addresses');
  });

  it('keeps what was entered in steps 2 and 3 when the admin goes back and forth', async () => {
    app = await startTestApp(kind);
    await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await openInvite(app);
    await paste(app, 'one@example.org');
    await paste(app, '');
    // Tick a permission and an end date in step 2, then go Back to step 1.
    const step2 = modalOf(app);
    await app.driver.viewClosed({
      view: step2,
      userId: ADA.id,
      values: {
        [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [INVITE_GRANT_BLOCK.endsOn]: { [INPUT_ACTION]: '2031-03-31' },
      },
    });
    expect(modalOf(app).depth).toBe(1);
    await paste(app, '');
    const again = JSON.stringify(modalOf(app).definition);
    expect(modalOf(app).depth).toBe(2);
    expect(again).toContain('"initial_date":"2031-03-31"');
    expect(again).toMatch(new RegExp(`"initial_options":\\[[^\\]]*"value":"${PERMISSION.esriAccess}"`));
    // Step 3: choose a language and a message, go Back, come forward: they are still there.
    await app.driver.submitView(
      modalOf(app),
      { [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] } },
      ADA.id,
    );
    await app.driver.viewClosed({
      view: modalOf(app),
      userId: ADA.id,
      values: {
        [INVITE_SENDING_BLOCK.language]: { [INPUT_ACTION]: 'es' },
        [INVITE_SENDING_BLOCK.personalMessage]: { [INPUT_ACTION]: 'Hola' },
      },
    });
    await app.driver.submitView(
      modalOf(app),
      { [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] } },
      ADA.id,
    );
    const step3 = JSON.stringify(modalOf(app).definition);
    expect(step3).toContain('"initial_value":"Hola"');
    expect(step3).toContain('"value":"es"');
  });

  it('lists pending invitations for admins, and edits, resends and revokes them from the list', async () => {
    app = await startTestApp(kind);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const { prisma } = app.db.database;
    const draft = await checkAddresses(
      prisma,
      { actorSlackUserId: ADA.id, organizationId: organization.id, text: 'rita@example.org sam@example.org', draftId: null },
      new Date(),
    );
    await chooseGrant(
      prisma,
      { actorSlackUserId: ADA.id, draftId: draft.draftId, permissions: [PERMISSION.esriAccess], endsOn: null, caller: null },
      new Date(),
    );
    await sendInvitations(
      prisma,
      { actorSlackUserId: ADA.id, draftId: draft.draftId },
      { sealingKey: invitationSealingKey(SIGNING_SECRET) },
      new Date(),
    );
    // Neither invitee is in Slack and email is not set up: Ada receives both codes to hand over.
    await settle(app);
    const handover = postsIn(app, ADA.id)
      .map((message) => mrkdwnTexts(message).join('\n'))
      .join('\n');
    const ritaCode = /rita@example\.org[^\n]*?`([A-Za-z0-9_-]{43})`/.exec(handover)?.[1];
    expect(ritaCode).toBeDefined();
    const rita = await prisma.invitation.findFirstOrThrow({ where: { email: 'rita@example.org' } });
    const sam = await prisma.invitation.findFirstOrThrow({ where: { email: 'sam@example.org' } });

    // `/access invitations` is the members list on its Pending filter, where each invitation has its ⋯ menu.
    const pendingList = async () => {
      const opened = app.emulator.callsTo('views.open').length;
      await app.driver.slashCommand({ userId: ADA.id, text: 'invitations' });
      await app.emulator.waitForCalls('views.open', opened + 1, 10_000);
      return bodyText(modalOf(app).definition);
    };
    const listed = await pendingList();
    expect(listed).toContain('rita@example.org');
    expect(listed).toContain(rowValue('resend', { kind: 'invitation', invitationId: rita.id }));
    expect(listed).toContain(rowValue('revoke', { kind: 'invitation', invitationId: sam.id }));
    // Someone who administers nothing sees none of it, and is told so privately.
    const opensBefore = app.emulator.callsTo('views.open').length;
    const answersBefore = app.emulator.callsTo('response_url').length;
    await app.driver.slashCommand({ userId: 'U0NOBODY', text: 'invitations' });
    const told = (await app.emulator.waitForResponses(answersBefore + 1, 10_000)).at(-1);
    expect(bodyText(told?.body)).toContain('manage its members');
    expect(bodyText(told?.body)).not.toContain('rita@example.org');
    expect(app.emulator.callsTo('views.open').length).toBe(opensBefore);

    // Each change starts from `/access invitations`: the choice from the invitation's row menu pushes its form on the list.
    const choose = async (verb: 'edit' | 'resend' | 'revoke', invitationId: number) => {
      await pendingList();
      const row = { kind: 'invitation' as const, invitationId };
      const pushed = app.emulator.callsTo('views.push').length;
      await app.driver.interact({
        userId: ADA.id,
        view: modalOf(app),
        actionId: ACTION.usersManageRow,
        blockId: `${ROW_BLOCK_PREFIX}${rowKeyValue(row)}`,
        value: rowValue(verb, row),
      });
      await app.emulator.waitForCalls('views.push', pushed + 1, 10_000);
      return modalOf(app);
    };

    const edit = await choose('edit', rita.id);
    expect(edit.definition.callback_id).toBe(CALLBACK.invitationEdit);
    await app.driver.submitView(
      edit,
      {
        invitation_edit_access: { [INPUT_ACTION]: [PERMISSION.esriAccess, PERMISSION.downloadSoftware] },
        invitation_tags: { [INPUT_ACTION]: 'field' },
      },
      ADA.id,
    );
    const edited = await prisma.invitation.findUniqueOrThrow({ where: { id: rita.id } });
    expect((edited.permissions as string[]).slice().sort()).toEqual([PERMISSION.downloadSoftware, PERMISSION.esriAccess]);
    expect(edited.tags).toEqual(['field']);
    // What Rita gets on accepting is the invitation as edited.
    app.emulator.addUser({ ...person('U0RITA', 'Rita Invitee'), email: 'rita@example.org' });
    const accepted = await app.driver.slashCommand({ userId: 'U0RITA', text: `accept ${ritaCode}` });
    expect(bodyText(accepted.body)).toContain('You accepted the invitation');
    const ritaMember = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'U0RITA' } });
    const grants = await prisma.connectionPermission.findMany({ where: { connection: { memberId: ritaMember.id } } });
    expect(grants.map((grant) => grant.permissionKey).sort()).toEqual([PERMISSION.downloadSoftware, PERMISSION.esriAccess]);
    expect(await prisma.connection.findFirstOrThrow({ where: { memberId: ritaMember.id } })).toMatchObject({ tags: ['field'] });
    // Accepted, it leaves the Pending filter; Rita is now a member in the list.
    const relisted = await pendingList();
    expect(relisted).not.toContain('rita@example.org');
    expect(relisted).toContain('sam@example.org');

    const resend = await choose('resend', sam.id);
    await app.driver.submitView(resend, { invitation_language: { [INPUT_ACTION]: 'es' } }, ADA.id);
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: sam.id } })).toMatchObject({ resendCount: 1, language: 'es' });
    expect((await prisma.invitation.findUniqueOrThrow({ where: { id: sam.id } })).tokenHash).not.toBe(sam.tokenHash);

    const revoke = await choose('revoke', sam.id);
    await app.driver.submitView(revoke, {}, ADA.id);
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: sam.id } })).toMatchObject({ status: 'REVOKED' });
    expect(
      await prisma.permissionLogEntry.findMany({
        where: { action: { in: ['invitation.edited', 'invitation.resent', 'invitation.revoked'] } },
        orderBy: { id: 'asc' },
      }),
    ).toEqual([
      expect.objectContaining({ action: 'invitation.edited' }),
      expect.objectContaining({ action: 'invitation.resent' }),
      expect.objectContaining({ action: 'invitation.revoked' }),
    ]);
  });
});
