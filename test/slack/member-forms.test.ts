import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { endOfDayIn } from '../../src/domain/dates.js';
import { DomainError } from '../../src/domain/errors.js';
import type { MemberRowKey } from '../../src/domain/member-management.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { LOG_ACTION } from '../../src/domain/permissions-log.js';
import { createLogger } from '../../src/logger.js';
import type { GatehouseContext } from '../../src/slack/context.js';
import { openRowForm, type RowFormVerb } from '../../src/slack/listeners/member-forms.js';
import {
  ACTION,
  CALLBACK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_REVOKE_BLOCK,
  MEMBER_DISCONNECT_BLOCK,
  MEMBER_EDIT_BLOCK,
  MEMBER_RESTORE_BLOCK,
} from '../../src/slack/views/ids.js';
import { decodeMetadata, invitationFormMetadata } from '../../src/slack/views/metadata.js';
import { NOTIFY_VALUE } from '../../src/slack/views/member-edit-form.js';
import { BOT_TOKEN, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { silentWebApiLogger } from '../support/silent-web-api-logger.js';
import { mrkdwnTexts, person, postsIn, seedOrganization, settle, type Person } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Builder');
const RITA = person('U0RITA', 'Rita Member');
const TOM = person('U0TOM', 'Tom Trainer');
const TIME_ZONE = 'America/Los_Angeles';
// 10:00 on March 2, 2031 in Redlands.
const NOW = new Date('2031-03-02T18:00:00.000Z');
const LIST = {
  organizationId: 1,
  search: null,
  tag: null,
  permission: null,
  status: null,
  endsWithinDays: null,
  sort: 'name' as const,
  page: 0,
};

describe.each(DATABASE_KINDS)('the member forms on %s', (kind) => {
  let app: TestApp;
  let organizationId: number;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  async function start(): Promise<void> {
    app = await startTestApp(kind, {}, { now: () => NOW });
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200', timeZone: TIME_ZONE }, [
      ADA,
      BOB,
    ]);
    organizationId = organization.id;
  }

  /** Someone connected with these permissions and terms, known to Slack too; returns the connection id. */
  async function connect(
    who: Person,
    permissions: string[],
    terms: { status?: 'ACTIVE' | 'EXPIRED'; endsOn?: string | null; tags?: string[] } = {},
  ): Promise<number> {
    app.emulator.addUser(who);
    const { prisma } = app.db.database;
    const member = await prisma.member.create({ data: { slackUserId: who.id, displayName: who.realName, email: who.email } });
    const connection = await prisma.connection.create({
      data: {
        organizationId,
        memberId: member.id,
        status: terms.status ?? 'ACTIVE',
        tags: terms.tags ?? [],
        endsOn: terms.endsOn ?? null,
        endsAt: terms.endsOn ? endOfDayIn(terms.endsOn, TIME_ZONE) : null,
      },
    });
    await prisma.connectionPermission.createMany({
      data: permissions.map((permissionKey) => ({ connectionId: connection.id, permissionKey })),
    });
    return connection.id;
  }

  function slackClient(): WebClient {
    return new WebClient(BOT_TOKEN, { slackApiUrl: app.emulator.url, retryConfig: { retries: 0 }, logger: silentWebApiLogger });
  }

  /**
   * What the row menu does: open one row's form, from App Home (no list modal under it), or pushed
   * on the list modal `listViewId`.
   */
  async function openForm(userId: string, verb: RowFormVerb, row: MemberRowKey, listViewId: string | null = null) {
    const context = {
      prisma: app.db.database.prisma,
      logger: createLogger('silent'),
      now: () => NOW,
      wakeOutbox: () => app.gatehouse.dispatcher.wake(),
    } as Pick<GatehouseContext, 'prisma' | 'logger' | 'now' | 'wakeOutbox'> as GatehouseContext;
    const method = listViewId ? 'views.push' : 'views.open';
    const opened = app.emulator.callsTo(method).length;
    await openRowForm({
      client: slackClient(),
      context,
      userId,
      triggerId: app.emulator.issueTriggerId(userId, listViewId ? { viewId: listViewId } : {}),
      verb,
      row,
      surface: { listViewId, list: { ...LIST, organizationId } },
    });
    await app.emulator.waitForCalls(method, opened + 1, 10_000);
    return app.emulator.currentModal(userId)!;
  }

  async function permissionsOf(connectionId: number): Promise<string[]> {
    const rows = await app.db.database.prisma.connectionPermission.findMany({ where: { connectionId }, orderBy: { permissionKey: 'asc' } });
    return rows.map((row) => row.permissionKey);
  }

  function textsTo(who: Person): string {
    return postsIn(app, who.id)
      .flatMap((message) => mrkdwnTexts(message))
      .join('\n');
  }

  it('saves an edit, previews the message, and tells the member only when the box is ticked', async () => {
    await start();
    const rita = await connect(RITA, [PERMISSION.downloadSoftware, PERMISSION.esriAccess], { tags: ['planning'] });

    const form = await openForm(ADA.id, 'edit', { kind: 'member', connectionId: rita });
    expect(form.definition).toMatchObject({ callback_id: CALLBACK.memberEdit });
    const edit = {
      [MEMBER_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.downloadSoftware, PERMISSION.eLearning] },
      [MEMBER_EDIT_BLOCK.tags]: { [INPUT_ACTION]: 'planning, gis' },
      [MEMBER_EDIT_BLOCK.note]: { [INPUT_ACTION]: 'Moved to training' },
    };

    // Ticking both support permissions brings up the caller settings.
    const toggled = app.emulator.callsTo('views.update').length;
    await app.driver.interact({
      userId: ADA.id,
      view: form.id,
      actionId: INPUT_ACTION,
      blockId: MEMBER_EDIT_BLOCK.accessPermissions,
      value: [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions],
      // Slack sends the whole form's state with the click, the ticked boxes included.
      values: { [MEMBER_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions] } },
    });
    await app.emulator.waitForCalls('views.update', toggled + 1, 10_000);
    expect(JSON.stringify(app.emulator.getView(form.id)!.definition)).toContain(`"block_id":"${MEMBER_EDIT_BLOCK.supportLevel}"`);

    // Preview draws the member's message from what the form says now, under the form.
    const updates = app.emulator.callsTo('views.update').length;
    await app.driver.interact({ userId: ADA.id, view: form.id, actionId: ACTION.memberEditPreview, values: edit });
    await app.emulator.waitForCalls('views.update', updates + 1, 10_000);
    const previewed = JSON.stringify(app.emulator.getView(form.id)!.definition);
    expect(previewed).not.toContain(`"block_id":"${MEMBER_EDIT_BLOCK.supportLevel}"`);
    expect(previewed).toContain('What Rita Member would be sent');
    expect(previewed).toContain('You now have:* Access e-Learning');
    expect(previewed).toContain('You no longer have:* Esri access');

    // Box not ticked: saved, logged, the other Administrator told, the member not.
    const saved = await app.driver.submitView(form.id, edit, ADA.id);
    expect(saved.json ?? null).toBeNull();
    expect(await permissionsOf(rita)).toEqual([PERMISSION.downloadSoftware, PERMISSION.eLearning].sort());
    const connection = await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: rita } });
    expect(connection.tags).toEqual(['planning', 'gis']);
    await settle(app);
    expect(textsTo(BOB)).toContain('<@U0ADA> changed the access of <@U0RITA> in *City of Redlands*');
    expect(textsTo(BOB)).toContain('*Note for the log:* Moved to training');
    expect(textsTo(RITA)).toBe('');
    expect(textsTo(ADA)).toContain('Saved the changes to Rita Member.');

    // Box ticked: the member is told what changed, without the note.
    const again = await openForm(ADA.id, 'edit', { kind: 'member', connectionId: rita });
    await app.driver.submitView(
      again.id,
      {
        [MEMBER_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.eLearning] },
        [MEMBER_EDIT_BLOCK.notify]: { [INPUT_ACTION]: [NOTIFY_VALUE] },
        [MEMBER_EDIT_BLOCK.note]: { [INPUT_ACTION]: 'Training only now' },
      },
      ADA.id,
    );
    await settle(app);
    expect(await permissionsOf(rita)).toEqual([PERMISSION.eLearning]);
    expect(textsTo(RITA)).toContain('Your access to *City of Redlands* changed.');
    expect(textsTo(RITA)).toContain('You no longer have:* Download software');
    expect(textsTo(RITA)).not.toContain('Training only now');
    const log = await app.db.database.prisma.permissionLogEntry.findMany({ where: { organizationId }, orderBy: { id: 'asc' } });
    expect(log.filter((entry) => entry.action === LOG_ACTION.memberEdited).map((entry) => entry.note)).toEqual([
      'Moved to training',
      'Training only now',
    ]);
  });

  it('disconnects after confirming, and restores expired access with a new end date', async () => {
    await start();
    const rita = await connect(RITA, [PERMISSION.downloadSoftware]);
    // From the list modal, the confirmation is pushed on top of it, and saving goes back to the list.
    const listed = await slackClient().views.open({
      trigger_id: app.emulator.issueTriggerId(ADA.id),
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Users' },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'list' } }],
      },
    });
    const listViewId = listed.view!.id!;
    const confirm = await openForm(ADA.id, 'disconnect', { kind: 'member', connectionId: rita }, listViewId);
    expect(app.emulator.modalStackOf(ADA.id).map((view) => view.id)).toEqual([listViewId, confirm.id]);
    expect(JSON.stringify(confirm.definition)).toContain('Every permission they hold there is removed; their record and history stay.');
    await app.driver.submitView(confirm.id, { [MEMBER_DISCONNECT_BLOCK.note]: { [INPUT_ACTION]: 'Left the city' } }, ADA.id);
    expect(app.emulator.modalStackOf(ADA.id).map((view) => view.id)).toEqual([listViewId]);
    expect(await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: rita } })).toMatchObject({ status: 'REMOVED' });
    await settle(app);
    expect(textsTo(BOB)).toContain('<@U0ADA> disconnected <@U0RITA> from *City of Redlands*');
    expect(textsTo(RITA)).toBe('');

    const expired = await connect(TOM, [PERMISSION.esriAccess], { status: 'EXPIRED', endsOn: '2031-02-20' });
    const restore = await openForm(ADA.id, 'restore', { kind: 'member', connectionId: expired });
    expect(JSON.stringify(restore.definition)).toContain('Restorable until');
    await app.driver.submitView(restore.id, { [MEMBER_RESTORE_BLOCK.endsOn]: { [INPUT_ACTION]: '2031-06-30' } }, ADA.id);
    expect(await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: expired } })).toMatchObject({
      status: 'ACTIVE',
      endsOn: '2031-06-30',
    });
    await settle(app);
    expect(textsTo(TOM)).toContain('Your access to *City of Redlands* was restored, until the end of June 30, 2031.');
    expect(textsTo(BOB)).toContain('restored the access of <@U0TOM>');
  });

  it('refuses a training admin on someone beyond e-Learning and bad dates, changing nothing', async () => {
    await start();
    const trainer = await connect(TOM, [PERMISSION.assignTraining]);
    const rita = await connect(RITA, [PERMISSION.downloadSoftware, PERMISSION.esriAccess], { endsOn: '2031-12-31' });
    expect(trainer).toBeGreaterThan(0);

    // The form does not open for them...
    const opened = app.emulator.callsTo('views.open').length;
    await expect(openForm(TOM.id, 'edit', { kind: 'member', connectionId: rita })).rejects.toBeInstanceOf(DomainError);
    expect(app.emulator.callsTo('views.open')).toHaveLength(opened);

    // ...and a form opened by an Administrator, submitted as the training admin, is refused on the form.
    const form = await openForm(ADA.id, 'edit', { kind: 'member', connectionId: rita });
    const forged = await app.driver.submitView(
      form.id,
      { [MEMBER_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.eLearning] } },
      TOM.id,
    );
    expect(forged.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(forged.json)).toContain('training administrator');
    expect(await permissionsOf(rita)).toEqual([PERMISSION.downloadSoftware, PERMISSION.esriAccess].sort());

    // A start after the end is an error on the date fields.
    const badDates = await app.driver.submitView(
      form.id,
      {
        [MEMBER_EDIT_BLOCK.startsOn]: { [INPUT_ACTION]: '2031-09-01' },
        [MEMBER_EDIT_BLOCK.endsOn]: { [INPUT_ACTION]: '2031-08-01' },
      },
      ADA.id,
    );
    expect(badDates.json).toMatchObject({ response_action: 'errors' });
    const errors = (badDates.json as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors).some((block) => block === MEMBER_EDIT_BLOCK.startsOn || block === MEMBER_EDIT_BLOCK.endsOn)).toBe(true);
    expect(await app.db.database.prisma.connection.findUniqueOrThrow({ where: { id: rita } })).toMatchObject({
      endsOn: '2031-12-31',
      startsOn: null,
    });
    expect(await app.db.database.prisma.permissionLogEntry.count({ where: { organizationId, action: LOG_ACTION.memberEdited } })).toBe(0);
  });

  it('opens a pending invitation’s Edit and Revoke forms from its row, carrying the list to redraw', async () => {
    await start();
    const { prisma } = app.db.database;
    const ada = await prisma.member.findUniqueOrThrow({ where: { slackUserId: ADA.id } });
    const invitation = await prisma.invitation.create({
      data: {
        organizationId,
        email: 'newcomer@example.com',
        permissions: [PERMISSION.downloadSoftware],
        tokenHash: 'a'.repeat(64),
        invitedById: ada.id,
        issuedAt: NOW,
        expiresAt: new Date(NOW.getTime() + 42 * 24 * 60 * 60 * 1000),
      },
    });
    const row = { kind: 'invitation' as const, invitationId: invitation.id };
    await expect(openForm(ADA.id, 'disconnect', row)).rejects.toBeInstanceOf(DomainError);

    const edit = await openForm(ADA.id, 'edit', row);
    expect(edit.definition).toMatchObject({ callback_id: CALLBACK.invitationEdit });
    expect(decodeMetadata(invitationFormMetadata, edit.definition.private_metadata)).toEqual({
      invitationId: invitation.id,
      surface: { listViewId: null, list: { ...LIST, organizationId } },
    });
    await app.driver.submitView(
      edit.id,
      { [INVITATION_EDIT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.downloadSoftware, PERMISSION.esriAccess] } },
      ADA.id,
    );
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({
      permissions: [PERMISSION.downloadSoftware, PERMISSION.esriAccess],
    });

    const revoke = await openForm(ADA.id, 'revoke', row);
    expect(revoke.definition).toMatchObject({ callback_id: CALLBACK.invitationRevoke });
    await app.driver.submitView(revoke.id, { [INVITATION_REVOKE_BLOCK.note]: { [INPUT_ACTION]: 'Wrong address' } }, ADA.id);
    expect(await prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({ status: 'REVOKED' });
  });
});
