import { Writable } from 'node:stream';
import type { ViewOutput } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { createLogger } from '../../src/logger.js';
import type { EmulatedView } from '../../src/sandbox/index.js';
import { FAILURE_TEXT } from '../../src/slack/failed-requests.js';
import { fieldErrorsOn } from '../../src/slack/refusals.js';
import { stateOf, UNREADABLE_FORM } from '../../src/slack/view-state.js';
import { ACTION, INPUT_ACTION, INVITE_GRANT_BLOCK } from '../../src/slack/views/ids.js';
import { addressesBlockId } from '../../src/slack/views/invite-addresses-form.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, postsIn, requestAccess, seedOrganization } from '../support/flows.js';

const ADA = person('U0ADA', 'Ada Admin');
const BOB = person('U0BOB', 'Bob Admin');
const RITA = person('U0RITA', 'Rita Requester');

/** A view with these blocks, as Slack sends it back. */
function viewWith(...blockIds: string[]): ViewOutput {
  return { blocks: blockIds.map((block_id) => ({ type: 'input', block_id })) } as unknown as ViewOutput;
}

describe('fieldErrorsOn', () => {
  const placement = {
    fields: { permissions: ['access', 'admin'], endsOn: 'ends', level: 'level' },
    fallback: ['note', 'ends'],
    elsewhere: 'Go back to fix it.',
  };

  it('puts each field on the first of its blocks the view has, and joins two on one block', () => {
    const error = DomainError.ofFields({ permissions: 'Tick one.', endsOn: 'Not a date.', level: 'Choose a level.' });
    expect(fieldErrorsOn(viewWith('admin', 'ends', 'note'), error, placement)).toEqual({
      admin: 'Tick one.',
      ends: 'Not a date.',
      note: 'Choose a level. Go back to fix it.',
    });
    expect(fieldErrorsOn(viewWith('access', 'admin', 'ends', 'level'), error, placement)).toEqual({
      access: 'Tick one.',
      ends: 'Not a date.',
      level: 'Choose a level.',
    });
    expect(fieldErrorsOn(viewWith('ends'), error, placement)).toEqual({
      ends: 'Tick one. Go back to fix it. Not a date. Choose a level. Go back to fix it.',
    });
  });

  it('shows a refusal without fields on the fallback, or on the first block when the view has none of it', () => {
    const refusal = new DomainError('forbidden', 'Only administrators can invite people.');
    expect(fieldErrorsOn(viewWith('access', 'note'), refusal, placement)).toEqual({ note: 'Only administrators can invite people.' });
    expect(fieldErrorsOn(viewWith('other', 'more'), refusal, placement)).toEqual({ other: 'Only administrators can invite people.' });
  });

  it('reads the placement from the view when block ids change with it', () => {
    const error = DomainError.ofFields({ addresses: 'Paste at least one email address.' });
    expect(
      fieldErrorsOn(viewWith('box_3'), error, (view) => ({ fields: { addresses: String(view.blocks[0]?.block_id) }, fallback: 'none' })),
    ).toEqual({
      box_3: 'Paste at least one email address.',
    });
  });
});

describe('stateOf', () => {
  it('reads the inputs of a view, and an absent state as no inputs', () => {
    expect(stateOf({ state: { values: { tags: { value: { type: 'plain_text_input', value: 'gis' } } } } })).toEqual({
      tags: { value: { type: 'plain_text_input', value: 'gis' } },
    });
    expect(stateOf({} as Parameters<typeof stateOf>[0])).toEqual({});
  });

  it('refuses a state Slack would never send, as an unreadable form', () => {
    for (const values of [[], 'x', { tags: 'x' }, { tags: { value: { value: 'no type' } } }]) {
      const view = { state: { values } } as unknown as Parameters<typeof stateOf>[0];
      expect(() => stateOf(view)).toThrow(expect.objectContaining({ name: 'DomainError', code: 'unreadable', message: UNREADABLE_FORM }));
    }
  });
});

/** Gatehouse with its log kept, to see what reached `app.error`. */
async function startLogged(kind: (typeof DATABASE_KINDS)[number]) {
  const records: Array<{ level: string; msg: string; err?: { message?: string } }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) records.push(JSON.parse(line) as (typeof records)[number]);
      done();
    },
  });
  const app = await startTestApp(kind, {}, { logger: createLogger('info', destination) });
  const failures = () => records.filter((record) => record.msg === 'a Slack listener failed');
  return { app, failures };
}

function modalOf(app: TestApp, userId: string): EmulatedView {
  const modal = app.emulator.currentModal(userId);
  if (!modal) throw new Error('no modal is open');
  return modal;
}

function revisionOf(view: EmulatedView): number {
  return (JSON.parse(String(view.definition.private_metadata)) as { revision: number }).revision;
}

describe.each(DATABASE_KINDS)('refusals and failures in Slack, on %s', (kind) => {
  let app: TestApp;
  afterEach(async () => {
    expect(app.emulator.violations).toEqual([]);
    await app.stop();
  });

  it('shows a rule a modal breaks on the field it is about, keeps the form open and changes no row', async () => {
    const started = await startLogged(kind);
    app = started.app;
    await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    const { prisma } = app.db.database;
    await app.driver.slashCommand({ userId: ADA.id, text: 'invite' });
    await app.emulator.waitForCalls('views.open', 1, 10_000);
    const first = modalOf(app, ADA.id);
    await app.driver.submitView(first, { [addressesBlockId(revisionOf(first))]: { [INPUT_ACTION]: 'rita@example.org' } }, ADA.id);
    const checked = modalOf(app, ADA.id);
    await app.driver.submitView(checked, {}, ADA.id);
    const grantStep = modalOf(app, ADA.id);
    const draftBefore = await prisma.inviteDraft.findFirstOrThrow();

    const refused = await app.driver.submitView(
      grantStep,
      {
        [INVITE_GRANT_BLOCK.accessPermissions]: { [INPUT_ACTION]: [PERMISSION.esriAccess] },
        [INVITE_GRANT_BLOCK.startsOn]: { [INPUT_ACTION]: '2099-03-01' },
        [INVITE_GRANT_BLOCK.endsOn]: { [INPUT_ACTION]: '2099-01-31' },
      },
      ADA.id,
    );

    const errors = { [INVITE_GRANT_BLOCK.startsOn]: 'Access has to start on or before its last day.' };
    expect(refused.json).toEqual({ response_action: 'errors', errors });
    expect(app.emulator.viewErrors(grantStep.id)).toEqual(errors);
    expect(modalOf(app, ADA.id).id).toBe(grantStep.id);
    expect(await prisma.inviteDraft.findFirstOrThrow()).toEqual(draftBefore);
    expect(await prisma.invitation.count()).toBe(0);
    expect(started.failures()).toEqual([]);
  });

  it('answers a rule broken outside a modal with a message only that person sees, and changes nothing', async () => {
    const started = await startLogged(kind);
    app = started.app;
    app.emulator.addUser(RITA);
    const organization = await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA, BOB]);
    // A slash command: the refusal is the command's own reply.
    const command = await app.driver.slashCommand({ userId: RITA.id, text: 'invite' });
    expect(command.json).toEqual({ response_type: 'ephemeral', text: 'Only administrators of an organization can invite people to it.' });

    // A button: Ada asks for access herself, then presses Approve on the card Bob got.
    const requestId = await requestAccess(app, ADA, { organizationId: organization.id, accessPermissions: [PERMISSION.esriAccess] });
    const bobCard = postsIn(app, BOB.id)[0]!;
    const ephemerals = app.emulator.ephemeralMessages.length;
    const modalsOpened = app.emulator.callsTo('views.open').length;
    const click = await app.driver.clickButton({
      userId: ADA.id,
      actionId: ACTION.approve,
      message: { channel: bobCard.channel, ts: bobCard.ts },
    });
    expect(click.status).toBe(200);
    await app.emulator.waitForCalls('chat.postEphemeral', 1, 10_000);
    const told = app.emulator.ephemeralMessages.slice(ephemerals);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      user: ADA.id,
      channel: bobCard.channel,
      text: "You can't decide your own request; another Administrator has to.",
    });
    expect(app.emulator.callsTo('views.open')).toHaveLength(modalsOpened);
    expect(await app.db.database.prisma.accessRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: 'PENDING',
      decidedById: null,
    });
    expect(started.failures()).toEqual([]);
  });

  it('sends anything else to app.error, which logs it and tells the person, and keeps serving', async () => {
    const started = await startLogged(kind);
    app = started.app;
    await seedOrganization(app, { name: 'City of Redlands', customerNumber: '100200' }, [ADA]);
    await app.driver.slashCommand({ userId: ADA.id, text: 'invite' });
    await app.emulator.waitForCalls('views.open', 1, 10_000);
    const form = modalOf(app, ADA.id);
    // Pasted addresses go into a draft; without its table the service fails in a way no rule foresees.
    await app.db.database.prisma.$executeRawUnsafe(kind === 'postgresql' ? 'DROP TABLE "InviteDraft" CASCADE' : 'DROP TABLE "InviteDraft"');

    const failed = await app.driver.submitView(
      form,
      { [addressesBlockId(revisionOf(form))]: { [INPUT_ACTION]: 'rita@example.org' } },
      ADA.id,
    );

    expect(failed.status).toBe(200);
    // The form stays open, with the apology on its first input, so nothing typed is lost.
    const firstInput = (form.definition.blocks as Array<{ type: string; block_id?: string }>).find(
      (block) => block.type === 'input',
    )!.block_id!;
    expect(failed.json).toEqual({ response_action: 'errors', errors: { [firstInput]: FAILURE_TEXT } });
    expect(started.failures()).toHaveLength(1);
    expect(started.failures()[0]).toMatchObject({ level: 'error', err: { message: expect.stringMatching(/InviteDraft/) } });

    const help = await app.driver.slashCommand({ userId: ADA.id, text: 'help' });
    expect(help.status).toBe(200);
    expect(JSON.stringify(help.json)).toContain('/access request');
  });
});
