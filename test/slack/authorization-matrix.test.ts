/**
 * Who may take each management action, table-driven: every action of MANAGEMENT_ACTIONS against
 * every kind of actor, each performed through Slack (commands, row menus, form submissions) on a
 * fresh subject. The expectations come from the issue's words (#13, "Limited admins see their
 * part"), not from the policy's code: an Administrator does everything; a training admin sees all
 * members but edits, disconnects and restores only people whose access is e-Learning alone, and
 * grants or removes only Access e-Learning; a callers admin manages only authorized callers; a
 * plain member, an admin of another organization and an admin whose access expired do nothing
 * here. Refused actions must show the refusal and change nothing.
 *
 * The forms' requests are forged where a form would not offer the choice (the server decides,
 * whatever the payload says). Each action's `perform` is small and self-contained, so a change of
 * a form's block ids touches one function.
 */
import { randomBytes } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, calendarDateIn, endOfDayIn } from '../../src/domain/dates.js';
import { hashInvitationToken, invitationExpiresAt } from '../../src/domain/invitation-tokens.js';
import { NO_LOG_FILTERS } from '../../src/domain/log-query.js';
import { MANAGEMENT_ACTIONS, type ManagementAction } from '../../src/domain/member-management.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { buildViewStateValues, type AppResponse, type EmulatedView, type StateValues, type ValuesInput } from '../../src/sandbox/index.js';
import { addAdministrator } from '../../src/services/administrators.js';
import { createOrganization } from '../../src/services/organizations.js';
import { FAILURE_TEXT } from '../../src/slack/failed-requests.js';
import {
  ACTION,
  BULK_CONFIRM_BLOCK,
  BULK_REVIEW_BLOCK,
  CALLBACK,
  CALLER_FORM_BLOCK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_RESEND_BLOCK,
  INVITATION_REVOKE_BLOCK,
  MEMBER_DISCONNECT_BLOCK,
  MEMBER_EDIT_BLOCK,
  MEMBER_RESTORE_BLOCK,
} from '../../src/slack/views/ids.js';
import { callerFormMetadata, decodeMetadata, encodeMetadata, logViewMetadata, memberListMetadata } from '../../src/slack/views/metadata.js';
import { BOT_TOKEN, startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { person, seedOrganization, settle, type Person } from '../support/flows.js';
import { hasControl, privateTexts, shownSince, waitUntil } from '../support/members.js';

// ---------------------------------------------------------------------------------------------
// The actors
// ---------------------------------------------------------------------------------------------

const ACTOR_KINDS = ['administrator', 'training', 'callers', 'member', 'otherOrganization', 'expiredAdministrator'] as const;
type ActorKind = (typeof ACTOR_KINDS)[number];

const ACTORS: Record<ActorKind, Person> = {
  administrator: person('U0ADA', 'Ada Admin'),
  training: person('U0TESS', 'Tess Trainer'),
  callers: person('U0CARL', 'Carl Callers'),
  member: person('U0MIA', 'Mia Member'),
  otherOrganization: person('U0OTTO', 'Otto Otherorg'),
  expiredAdministrator: person('U0EVE', 'Eve Expired'),
};
/** A second Administrator, so no cell runs into the last-Administrator rule by accident. */
const BOB = person('U0BOB', 'Bob Admin');

const REDLANDS = { name: 'City of Redlands', customerNumber: '100200', timeZone: 'UTC' };
const OTHER_COUNTY = { name: 'Other County', customerNumber: '100300', timeZone: 'UTC' };

// ---------------------------------------------------------------------------------------------
// Subjects: a fresh one for every cell
// ---------------------------------------------------------------------------------------------

type SubjectSpec =
  | {
      kind: 'member';
      permissions: string[];
      status?: 'ACTIVE' | 'EXPIRED';
      caller?: { supportLevel: 'STANDARD' | 'PREMIUM'; callerLevel: string | null };
    }
  | { kind: 'invitation'; permissions: string[] }
  /** Someone Gatehouse does not know yet: added by address. */
  | { kind: 'newcomer' };

interface Subject {
  spec: SubjectSpec;
  person: Person;
  memberId: number | null;
  connectionId: number | null;
  invitationId: number | null;
}

/** What the database holds about a subject: a refused action leaves all of it as it was. */
interface Snapshot {
  status: string | null;
  permissions: string[];
  tags: string[];
  endsOn: string | null;
  callerSupportLevel: string | null;
  callerLevel: string | null;
  resendCount: number | null;
  tokenHash: string | null;
  invitationsToAddress: number;
  logEntries: number;
}

const E_LEARNER: SubjectSpec = { kind: 'member', permissions: [PERMISSION.eLearning] };
const LICENSED: SubjectSpec = { kind: 'member', permissions: [PERMISSION.esriAccess] };
const EXPIRED_E_LEARNER: SubjectSpec = { kind: 'member', permissions: [PERMISSION.eLearning], status: 'EXPIRED' };
const INVITED_E_LEARNER: SubjectSpec = { kind: 'invitation', permissions: [PERMISSION.eLearning] };
const CALLER: SubjectSpec = {
  kind: 'member',
  permissions: [PERMISSION.viewSupport, PERMISSION.authorizedCallerActions],
  caller: { supportLevel: 'STANDARD', callerLevel: null },
};
const holderOf = (role: string): SubjectSpec => ({ kind: 'member', permissions: [role, PERMISSION.esriAccess] });

// ---------------------------------------------------------------------------------------------
// The world each database's cells run in
// ---------------------------------------------------------------------------------------------

interface World {
  app: TestApp;
  organizationId: number;
  adminMemberId: number;
  today: string;
  nextSubject: number;
}

async function connect(
  world: World,
  who: Person,
  organizationId: number,
  permissions: string[],
  options: { status?: 'ACTIVE' | 'EXPIRED'; caller?: { supportLevel: 'STANDARD' | 'PREMIUM'; callerLevel: string | null } } = {},
) {
  const { prisma } = world.app.db.database;
  world.app.emulator.addUser(who);
  const member = await prisma.member.upsert({
    where: { slackUserId: who.id },
    create: { slackUserId: who.id, displayName: who.realName, email: who.email },
    update: {},
  });
  const expired = options.status === 'EXPIRED';
  // Ends in 60 days, or ended three days ago for expired access: inside its 30 days to be restored.
  const endsOn = addCalendarDays(world.today, expired ? -3 : 60);
  const connection = await prisma.connection.create({
    data: {
      organizationId,
      memberId: member.id,
      status: options.status ?? 'ACTIVE',
      tags: ['matrix-before'],
      endsOn,
      endsAt: endOfDayIn(endsOn, 'UTC'),
      expiredAt: expired ? endOfDayIn(endsOn, 'UTC') : null,
      callerSupportLevel: options.caller?.supportLevel ?? null,
      callerLevel: options.caller?.callerLevel ?? null,
      permissions: { create: permissions.map((permissionKey) => ({ permissionKey })) },
    },
  });
  return { memberId: member.id, connectionId: connection.id };
}

async function freshSubject(world: World, spec: SubjectSpec): Promise<Subject> {
  const n = (world.nextSubject += 1);
  const who = person(`U0SUBJECT${n}`, `Subject Number${n}`);
  if (spec.kind === 'member') {
    const { memberId, connectionId } = await connect(world, who, world.organizationId, spec.permissions, spec);
    return { spec, person: who, memberId, connectionId, invitationId: null };
  }
  if (spec.kind === 'invitation') {
    const invitation = await world.app.db.database.prisma.invitation.create({
      data: {
        organizationId: world.organizationId,
        email: who.email,
        permissions: spec.permissions,
        tags: ['matrix-before'],
        tokenHash: hashInvitationToken(randomBytes(16).toString('hex')),
        invitedById: world.adminMemberId,
        expiresAt: invitationExpiresAt(new Date(), 'UTC'),
      },
    });
    return { spec, person: who, memberId: null, connectionId: null, invitationId: invitation.id };
  }
  return { spec, person: who, memberId: null, connectionId: null, invitationId: null };
}

async function snapshot(world: World, subject: Subject): Promise<Snapshot> {
  const { prisma } = world.app.db.database;
  const connection = subject.connectionId
    ? await prisma.connection.findUniqueOrThrow({ where: { id: subject.connectionId }, include: { permissions: true } })
    : null;
  const invitation = subject.invitationId ? await prisma.invitation.findUniqueOrThrow({ where: { id: subject.invitationId } }) : null;
  const row = connection ?? invitation;
  return {
    status: row?.status ?? null,
    permissions: connection
      ? connection.permissions.map((held) => held.permissionKey).sort()
      : invitation
        ? [...(invitation.permissions as string[])].sort()
        : [],
    tags: row ? [...(row.tags as string[])].sort() : [],
    endsOn: row?.endsOn ?? null,
    callerSupportLevel: row?.callerSupportLevel ?? null,
    callerLevel: row?.callerLevel ?? null,
    resendCount: invitation?.resendCount ?? null,
    tokenHash: invitation?.tokenHash ?? null,
    invitationsToAddress: await prisma.invitation.count({ where: { email: subject.person.email, status: 'PENDING' } }),
    logEntries: await prisma.permissionLogEntry.count({ where: { organizationId: world.organizationId } }),
  };
}

// ---------------------------------------------------------------------------------------------
// Acting through Slack
// ---------------------------------------------------------------------------------------------

/** The app said no, and said so to the person: the text they were shown. */
class Refused extends Error {}

const plain = (text: string) => ({ type: 'plain_text', text });
/** Raw element states, used as they are: a forged request need not pick from what the form offers. */
const text = (value: string) => ({ type: 'plain_text_input', value });
const date = (value: string | null) => ({ type: 'datepicker', selected_date: value });
const choice = (value: string) => ({ type: 'static_select', selected_option: { text: plain(value), value } });
const ticks = (values: string[]) => ({ type: 'checkboxes', selected_options: values.map((value) => ({ text: plain(value), value })) });
type FormValues = Record<string, Record<string, unknown>>;

/**
 * Sends one request, then waits for what it should do (`effect`) or for something shown to the
 * actor privately, whichever comes first. Field errors and private messages are refusals.
 */
async function step(
  world: World,
  actor: Person,
  send: () => Promise<AppResponse>,
  effect: (response: AppResponse) => boolean | Promise<boolean>,
): Promise<AppResponse> {
  const { app } = world;
  const before = privateTexts(app, actor.id);
  const response = await send();
  expect(response.status).toBe(200);
  const answer = response.json as { response_action?: string; errors?: Record<string, string> } | undefined;
  if (answer?.response_action === 'errors') throw new Refused(Object.values(answer.errors ?? {}).join(' '));
  let shown: string[] = [];
  await waitUntil(async () => {
    if (await effect(response)) return true;
    shown = shownSince(app, actor.id, before);
    return shown.length > 0;
  });
  if (shown.length > 0) {
    expect(shown.join('\n'), 'a failure is not a refusal').not.toContain(FAILURE_TEXT);
    throw new Refused(shown.join('\n'));
  }
  return response;
}

/** Views Slack was asked to open or push, so far. */
function viewsShown(world: World): number {
  return world.app.emulator.callsTo('views.open').length + world.app.emulator.callsTo('views.push').length;
}

/** The view the latest views.open or views.push call opened. */
function latestView(world: World): EmulatedView {
  const calls = world.app.emulator.calls.filter((call) => call.method === 'views.open' || call.method === 'views.push');
  const id = (calls.at(-1)?.response as { view?: { id?: string } } | undefined)?.view?.id;
  const view = id ? world.app.emulator.getView(id) : undefined;
  if (!view) throw new Error('No view was opened');
  return view;
}

/** A step whose effect is a new view (a command's modal, a form pushed from a list). */
async function toNewView(world: World, actor: Person, send: () => Promise<AppResponse>): Promise<EmulatedView> {
  const before = viewsShown(world);
  await step(world, actor, send, () => viewsShown(world) > before);
  return latestView(world);
}

/** A step whose effect is the open view redrawn. */
async function redrawn(world: World, actor: Person, view: EmulatedView, send: () => Promise<AppResponse>): Promise<EmulatedView> {
  const before = world.app.emulator.callsTo('views.update').length;
  await step(world, actor, send, () => world.app.emulator.callsTo('views.update').length > before);
  return world.app.emulator.getView(view.id)!;
}

function pick(actor: Person, view: EmulatedView, actionId: string, value: string, type = 'static_select') {
  return {
    userId: actor.id,
    view,
    actions: [{ action_id: actionId, type, selected_option: { text: plain(value), value } }],
  };
}

/** Submits a form with these values; blocks the form lacks are sent anyway, as a forged submission would. */
function submit(world: World, actor: Person, view: EmulatedView, values: FormValues) {
  const blocks = (view.definition.blocks ?? []) as Array<{ type?: string; block_id?: string }>;
  const present = new Set(blocks.filter((block) => block.type === 'input').map((block) => block.block_id));
  const onForm = Object.fromEntries(Object.entries(values).filter(([blockId]) => present.has(blockId)));
  const stateValues: StateValues = buildViewStateValues(view.definition, onForm as ValuesInput, { allowMissingRequired: true });
  for (const [blockId, byAction] of Object.entries(values)) {
    if (!present.has(blockId)) stateValues[blockId] = byAction as StateValues[string];
  }
  return world.app.driver.viewSubmission({ view, userId: actor.id, stateValues });
}

/** `/access users`, then the organization picker when the list opened on another organization. */
async function membersList(world: World, actor: Person): Promise<EmulatedView> {
  const list = await toNewView(world, actor, () => world.app.driver.slashCommand({ userId: actor.id, text: 'users' }));
  if (decodeMetadata(memberListMetadata, list.definition.private_metadata)?.organizationId === world.organizationId) return list;
  return redrawn(world, actor, list, () =>
    world.app.driver.blockActions(pick(actor, list, ACTION.usersPickOrganization, String(world.organizationId))),
  );
}

/** `/access callers`, then the organization picker when it opened on another organization. */
async function callersList(world: World, actor: Person): Promise<EmulatedView> {
  const list = await toNewView(world, actor, () => world.app.driver.slashCommand({ userId: actor.id, text: 'callers' }));
  if (decodeMetadata(callerFormMetadata, list.definition.private_metadata)?.organizationId === world.organizationId) return list;
  return redrawn(world, actor, list, () =>
    world.app.driver.blockActions(pick(actor, list, ACTION.callersPickOrganization, String(world.organizationId))),
  );
}

/** The row menu's value for a row: `<verb>:m:<connection id>` or `<verb>:i:<invitation id>` (src/slack/views/member-values.ts). */
function rowValue(verb: string, subject: Subject): string {
  return subject.invitationId ? `${verb}:i:${subject.invitationId}` : `${verb}:m:${subject.connectionId}`;
}

/** The callers list's row menu value: `<verb>:<connection id>` (src/slack/views/callers-list.ts callerRowValue). */
function callerRowValue(verb: 'edit' | 'remove', subject: Subject): string {
  return `${verb}:${subject.connectionId}`;
}

/** Chooses a value in a ⋯ menu on a list, whether or not the menu offers it; the form it opens. */
function chooseInMenu(world: World, actor: Person, list: EmulatedView, actionId: string, value: string) {
  return toNewView(world, actor, () => world.app.driver.blockActions(pick(actor, list, actionId, value, 'overflow')));
}

/** Chooses a verb in a member row's ⋯ menu. */
function rowForm(world: World, actor: Person, list: EmulatedView, verb: string, subject: Subject) {
  return chooseInMenu(world, actor, list, ACTION.usersManageRow, rowValue(verb, subject));
}

/** Submits the action's last form; done when the subject's rows changed. */
async function finalSubmission(world: World, actor: Person, subject: Subject, view: EmulatedView, values: FormValues) {
  const before = await snapshot(world, subject);
  await step(
    world,
    actor,
    () => submit(world, actor, view, values),
    async () => JSON.stringify(await snapshot(world, subject)) !== JSON.stringify(before),
  );
}

const note = (blockId: string) => ({ [blockId]: { [INPUT_ACTION]: text('Authorization matrix') } });

async function editMemberForm(world: World, actor: Person, subject: Subject, values: FormValues) {
  const list = await membersList(world, actor);
  const form = await rowForm(world, actor, list, 'edit', subject);
  await finalSubmission(world, actor, subject, form, { ...note(MEMBER_EDIT_BLOCK.note), ...values });
}

/** Ticks or unticks one admin role in the member Edit form, keeping the rest as the form shows it. */
async function changeRole(world: World, actor: Person, subject: Subject, role: string, grant: boolean) {
  const others = subject.spec.kind === 'invitation' || subject.spec.kind === 'newcomer' ? [] : subject.spec.permissions;
  const adminRoles: string[] = [PERMISSION.administrator, PERMISSION.assignTraining, PERMISSION.assignAuthorizedCallers];
  const held = others.filter((key) => adminRoles.includes(key) && key !== role);
  await editMemberForm(world, actor, subject, {
    [MEMBER_EDIT_BLOCK.adminPermissions]: { [INPUT_ACTION]: ticks(grant ? [...held, role] : held) },
  });
}

/** Selects the subject's row (clearing any earlier selection), reviews the selection, chooses the action and confirms it. */
async function bulk(world: World, actor: Person, subject: Subject, action: string, inputs: FormValues = {}) {
  let list = await membersList(world, actor);
  if (hasControl(list, ACTION.usersClearSelection)) {
    list = await redrawn(world, actor, list, () =>
      world.app.driver.blockActions({ userId: actor.id, view: list, actions: [{ action_id: ACTION.usersClearSelection, type: 'button' }] }),
    );
  }
  list = await redrawn(world, actor, list, () =>
    world.app.driver.blockActions(pick(actor, list, ACTION.usersManageRow, rowValue('select', subject), 'overflow')),
  );
  const review = await toNewView(world, actor, () =>
    world.app.driver.blockActions({ userId: actor.id, view: list, actions: [{ action_id: ACTION.usersReviewSelection, type: 'button' }] }),
  );
  await step(
    world,
    actor,
    () => submit(world, actor, review, { [BULK_REVIEW_BLOCK.action]: { [INPUT_ACTION]: choice(action) }, ...inputs }),
    (response) => (response.json as { response_action?: string } | undefined)?.response_action === 'push',
  );
  const confirm = world.app.emulator.currentModal(actor.id)!;
  try {
    await finalSubmission(world, actor, subject, confirm, note(BULK_CONFIRM_BLOCK.note));
  } catch (error) {
    // A person the action does not apply to is left out, and the confirmation says why: that is the refusal shown.
    if (error instanceof Refused) throw new Refused(`${error.message}\n${JSON.stringify(confirm.definition.blocks)}`);
    throw error;
  }
}

/** How many exports the organization's log records. */
function exportsLogged(world: World): Promise<number> {
  return world.app.db.database.prisma.permissionLogEntry.count({ where: { organizationId: world.organizationId, action: 'log.exported' } });
}

/** Presses an export button; done once the export is in the log (its file follows in the DM). */
async function pressExport(world: World, actor: Person, send: () => Promise<AppResponse>): Promise<void> {
  const before = await exportsLogged(world);
  await step(world, actor, send, async () => (await exportsLogged(world)) > before);
}

/** `/access report`, then the organization picker (forged when the report offers none) when it opened on another organization. */
async function permissionsReport(world: World, actor: Person): Promise<EmulatedView> {
  const report = await toNewView(world, actor, () => world.app.driver.slashCommand({ userId: actor.id, text: 'report' }));
  if (JSON.stringify(report.definition.blocks).includes(REDLANDS.name)) return report;
  return redrawn(world, actor, report, () =>
    world.app.driver.blockActions(pick(actor, report, ACTION.reportPickOrganization, String(world.organizationId))),
  );
}

/** The `/access log` modal of the organization as the log view draws it: the query in its metadata, the filters on Export CSV. */
async function logViewOf(world: World, actor: Person): Promise<EmulatedView> {
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: world.app.emulator.url });
  const opened = await client.views.open({
    trigger_id: world.app.emulator.issueTriggerId(actor.id),
    view: {
      type: 'modal',
      callback_id: CALLBACK.permissionsLog,
      title: { type: 'plain_text', text: 'Permissions log' },
      private_metadata: encodeMetadata(logViewMetadata, {
        query: { organizationId: world.organizationId, filters: NO_LOG_FILTERS, page: 0 },
        expanded: [],
      }),
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: ACTION.logExport,
              text: { type: 'plain_text', text: 'Export CSV' },
              value: JSON.stringify({ kind: 'log', filters: NO_LOG_FILTERS }),
            },
          ],
        },
      ],
    },
  });
  return world.app.emulator.getView(opened.view!.id!)!;
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

interface MatrixRow {
  action: ManagementAction;
  /** What the row does it to, when an action has more than one row. */
  on?: string;
  subject: SubjectSpec;
  /** Who may; everyone else is refused. */
  allowed: readonly ActorKind[];
  perform: (world: World, actor: Person, subject: Subject) => Promise<void>;
  /** What an allowed action leaves in the database. */
  outcome: (after: Snapshot, before: Snapshot) => void;
}

const ADMINISTRATORS_ONLY = ['administrator'] as const;
/** The training admin's part: people whose access is e-Learning alone. */
const WITH_TRAINING = ['administrator', 'training'] as const;
const WITH_CALLERS_ADMIN = ['administrator', 'callers'] as const;

const logged = (after: Snapshot, before: Snapshot) => expect(after.logEntries).toBeGreaterThan(before.logEntries);
const nothingStored = () => undefined;

const ROWS: MatrixRow[] = [
  {
    action: 'users.list',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: async (world, actor, subject) => {
      const list = await membersList(world, actor);
      // The list opens on the first page, by name: the subject's name is found by searching for it.
      const found = await redrawn(world, actor, list, () =>
        world.app.driver.blockActions({
          userId: actor.id,
          view: list,
          actions: [{ action_id: ACTION.usersSearch, type: 'plain_text_input', value: subject.person.realName }],
        }),
      );
      expect(JSON.stringify(found.definition.blocks)).toContain(subject.person.realName);
    },
    outcome: nothingStored,
  },
  {
    action: 'member.edit',
    on: 'someone with e-Learning alone',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) =>
      editMemberForm(world, actor, subject, { [MEMBER_EDIT_BLOCK.tags]: { [INPUT_ACTION]: text('matrix') } }),
    outcome: (after, before) => {
      expect(after.tags).toEqual(['matrix']);
      logged(after, before);
    },
  },
  {
    action: 'member.edit',
    on: 'someone with more than e-Learning',
    subject: LICENSED,
    allowed: ADMINISTRATORS_ONLY,
    perform: (world, actor, subject) =>
      editMemberForm(world, actor, subject, { [MEMBER_EDIT_BLOCK.tags]: { [INPUT_ACTION]: text('matrix') } }),
    outcome: (after, before) => {
      expect(after.tags).toEqual(['matrix']);
      logged(after, before);
    },
  },
  ...(
    [
      ['someone with e-Learning alone', E_LEARNER, WITH_TRAINING],
      ['someone with more than e-Learning', LICENSED, ADMINISTRATORS_ONLY],
    ] as const
  ).map(([on, subject, allowed]): MatrixRow => ({
    action: 'member.disconnect',
    on,
    subject,
    allowed,
    perform: async (world, actor, target) => {
      const list = await membersList(world, actor);
      const form = await rowForm(world, actor, list, 'disconnect', target);
      await finalSubmission(world, actor, target, form, note(MEMBER_DISCONNECT_BLOCK.note));
    },
    outcome: (after, before) => {
      expect(after).toMatchObject({ status: 'REMOVED', permissions: [] });
      logged(after, before);
    },
  })),
  {
    action: 'member.restore',
    subject: EXPIRED_E_LEARNER,
    allowed: WITH_TRAINING,
    perform: async (world, actor, subject) => {
      const list = await membersList(world, actor);
      const form = await rowForm(world, actor, list, 'restore', subject);
      await finalSubmission(world, actor, subject, form, {
        ...note(MEMBER_RESTORE_BLOCK.note),
        [MEMBER_RESTORE_BLOCK.endsOn]: { [INPUT_ACTION]: date(null) },
      });
    },
    outcome: (after, before) => {
      expect(after).toMatchObject({ status: 'ACTIVE', endsOn: null, permissions: [PERMISSION.eLearning] });
      logged(after, before);
    },
  },
  {
    action: 'invitation.edit',
    subject: INVITED_E_LEARNER,
    allowed: WITH_TRAINING,
    perform: async (world, actor, subject) => {
      const list = await membersList(world, actor);
      const form = await rowForm(world, actor, list, 'edit', subject);
      await finalSubmission(world, actor, subject, form, {
        ...note(INVITATION_EDIT_BLOCK.note),
        [INVITATION_EDIT_BLOCK.tags]: { [INPUT_ACTION]: text('matrix') },
      });
    },
    outcome: (after, before) => {
      expect(after).toMatchObject({ status: 'PENDING', tags: ['matrix'] });
      logged(after, before);
    },
  },
  {
    action: 'invitation.resend',
    subject: INVITED_E_LEARNER,
    allowed: WITH_TRAINING,
    perform: async (world, actor, subject) => {
      const list = await membersList(world, actor);
      const form = await rowForm(world, actor, list, 'resend', subject);
      await finalSubmission(world, actor, subject, form, note(INVITATION_RESEND_BLOCK.note));
    },
    outcome: (after, before) => {
      expect(after.status).toBe('PENDING');
      expect(after.resendCount).toBe(before.resendCount! + 1);
    },
  },
  {
    action: 'invitation.revoke',
    subject: INVITED_E_LEARNER,
    allowed: WITH_TRAINING,
    perform: async (world, actor, subject) => {
      const list = await membersList(world, actor);
      const form = await rowForm(world, actor, list, 'revoke', subject);
      await finalSubmission(world, actor, subject, form, note(INVITATION_REVOKE_BLOCK.note));
    },
    outcome: (after, before) => {
      expect(after.status).toBe('REVOKED');
      logged(after, before);
    },
  },
  {
    action: 'bulk.add_tag',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) =>
      bulk(world, actor, subject, 'add_tag', { [BULK_REVIEW_BLOCK.tag]: { [INPUT_ACTION]: text('matrix') } }),
    outcome: (after, before) => {
      expect(after.tags).toEqual(['matrix', 'matrix-before']);
      logged(after, before);
    },
  },
  {
    action: 'bulk.remove_tag',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) =>
      bulk(world, actor, subject, 'remove_tag', { [BULK_REVIEW_BLOCK.tag]: { [INPUT_ACTION]: text('matrix-before') } }),
    outcome: (after, before) => {
      expect(after.tags).toEqual([]);
      logged(after, before);
    },
  },
  {
    action: 'bulk.set_end_date',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) =>
      bulk(world, actor, subject, 'set_end_date', {
        [BULK_REVIEW_BLOCK.endsOn]: { [INPUT_ACTION]: date(addCalendarDays(world.today, 30)) },
      }),
    outcome: (after, before) => {
      expect(after.endsOn).not.toBe(before.endsOn);
      expect(after.status).toBe('ACTIVE');
      logged(after, before);
    },
  },
  {
    action: 'bulk.clear_end_date',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) => bulk(world, actor, subject, 'clear_end_date'),
    outcome: (after, before) => {
      expect(after.endsOn).toBeNull();
      logged(after, before);
    },
  },
  {
    action: 'bulk.add_permission',
    on: 'a permission outside e-Learning',
    subject: E_LEARNER,
    allowed: ADMINISTRATORS_ONLY,
    perform: (world, actor, subject) =>
      bulk(world, actor, subject, 'add_permission', { [BULK_REVIEW_BLOCK.permission]: { [INPUT_ACTION]: choice(PERMISSION.esriAccess) } }),
    outcome: (after, before) => {
      expect(after.permissions).toEqual([PERMISSION.eLearning, PERMISSION.esriAccess].sort());
      logged(after, before);
    },
  },
  {
    action: 'bulk.remove_permission',
    on: 'Access e-Learning',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) =>
      bulk(world, actor, subject, 'remove_permission', {
        [BULK_REVIEW_BLOCK.permission]: { [INPUT_ACTION]: choice(PERMISSION.eLearning) },
      }),
    outcome: (after, before) => {
      expect(after.permissions).toEqual([]);
      logged(after, before);
    },
  },
  {
    action: 'bulk.resend',
    subject: INVITED_E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) => bulk(world, actor, subject, 'resend'),
    outcome: (after, before) => {
      expect(after.resendCount).toBe(before.resendCount! + 1);
    },
  },
  {
    action: 'bulk.disconnect',
    subject: E_LEARNER,
    allowed: WITH_TRAINING,
    perform: (world, actor, subject) => bulk(world, actor, subject, 'disconnect'),
    outcome: (after, before) => {
      expect(after).toMatchObject({ status: 'REMOVED', permissions: [] });
      logged(after, before);
    },
  },
  {
    action: 'callers.list',
    subject: CALLER,
    allowed: WITH_CALLERS_ADMIN,
    perform: async (world, actor, subject) => {
      const list = await callersList(world, actor);
      // Every cell before this one made callers of its subjects; past CALLERS_SHOWN the list counts the rest instead.
      const shown = JSON.stringify(list.definition.blocks);
      if (!shown.includes(subject.person.realName)) expect(shown).toMatch(/…and \d+ more, not shown/);
    },
    outcome: nothingStored,
  },
  {
    action: 'callers.add',
    on: 'by invitation',
    subject: { kind: 'newcomer' },
    allowed: WITH_CALLERS_ADMIN,
    perform: async (world, actor, subject) => {
      const list = await callersList(world, actor);
      const form = await toNewView(world, actor, () =>
        world.app.driver.blockActions({ userId: actor.id, view: list, actions: [{ action_id: ACTION.callersAdd, type: 'button' }] }),
      );
      await finalSubmission(world, actor, subject, form, {
        ...note(CALLER_FORM_BLOCK.note),
        [CALLER_FORM_BLOCK.address]: { [INPUT_ACTION]: text(subject.person.email) },
        [CALLER_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: choice('STANDARD') },
      });
    },
    outcome: (after, before) => {
      expect(after.invitationsToAddress).toBe(1);
      logged(after, before);
    },
  },
  {
    action: 'callers.promote',
    subject: LICENSED,
    allowed: WITH_CALLERS_ADMIN,
    perform: async (world, actor, subject) => {
      const list = await callersList(world, actor);
      const form = await toNewView(world, actor, () =>
        world.app.driver.blockActions({ userId: actor.id, view: list, actions: [{ action_id: ACTION.callersAdd, type: 'button' }] }),
      );
      await finalSubmission(world, actor, subject, form, {
        ...note(CALLER_FORM_BLOCK.note),
        [CALLER_FORM_BLOCK.member]: { [INPUT_ACTION]: { type: 'users_select', selected_user: subject.person.id } },
        [CALLER_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: choice('STANDARD') },
      });
    },
    outcome: (after, before) => {
      expect(after.permissions).toEqual([PERMISSION.authorizedCallerActions, PERMISSION.esriAccess, PERMISSION.viewSupport].sort());
      expect(after.callerSupportLevel).toBe('STANDARD');
      logged(after, before);
    },
  },
  {
    action: 'callers.edit',
    subject: CALLER,
    allowed: WITH_CALLERS_ADMIN,
    perform: async (world, actor, subject) => {
      const list = await callersList(world, actor);
      const form = await chooseInMenu(world, actor, list, ACTION.callersManageRow, callerRowValue('edit', subject));
      await finalSubmission(world, actor, subject, form, {
        ...note(CALLER_FORM_BLOCK.note),
        [CALLER_FORM_BLOCK.supportLevel]: { [INPUT_ACTION]: choice('PREMIUM') },
        [CALLER_FORM_BLOCK.callerLevel]: { [INPUT_ACTION]: choice('Primary') },
      });
    },
    outcome: (after, before) => {
      expect(after).toMatchObject({ callerSupportLevel: 'PREMIUM', callerLevel: 'Primary' });
      logged(after, before);
    },
  },
  {
    action: 'callers.remove',
    subject: CALLER,
    allowed: WITH_CALLERS_ADMIN,
    perform: async (world, actor, subject) => {
      const list = await callersList(world, actor);
      const form = await chooseInMenu(world, actor, list, ACTION.callersManageRow, callerRowValue('remove', subject));
      await finalSubmission(world, actor, subject, form, note(CALLER_FORM_BLOCK.note));
    },
    outcome: (after, before) => {
      expect(after.permissions).not.toContain(PERMISSION.viewSupport);
      expect(after.permissions).not.toContain(PERMISSION.authorizedCallerActions);
      expect(after.callerSupportLevel).toBeNull();
      logged(after, before);
    },
  },
  ...(
    [
      ['administrator', PERMISSION.administrator],
      ['assign_training', PERMISSION.assignTraining],
      ['assign_authorized_callers', PERMISSION.assignAuthorizedCallers],
    ] as const
  ).flatMap(([name, role]): MatrixRow[] => [
    {
      action: `role.grant.${name}`,
      // Someone with e-Learning alone, so a training admin gets as far as the form and is refused on submitting.
      subject: E_LEARNER,
      allowed: ADMINISTRATORS_ONLY,
      perform: (world, actor, subject) => changeRole(world, actor, subject, role, true),
      outcome: (after, before) => {
        expect(after.permissions).toEqual([PERMISSION.eLearning, role].sort());
        logged(after, before);
      },
    },
    {
      action: `role.revoke.${name}`,
      subject: holderOf(role),
      allowed: ADMINISTRATORS_ONLY,
      perform: (world, actor, subject) => changeRole(world, actor, subject, role, false),
      outcome: (after, before) => {
        expect(after.permissions).toEqual([PERMISSION.esriAccess]);
        logged(after, before);
      },
    },
  ]),
  {
    action: 'log.view',
    // Every admin reads the log; which entries each sees is test/slack/permissions-log.test.ts's concern.
    subject: E_LEARNER,
    allowed: ['administrator', 'training', 'callers'],
    perform: async (world, actor) => {
      let log = await toNewView(world, actor, () => world.app.driver.slashCommand({ userId: actor.id, text: 'log' }));
      if (decodeMetadata(logViewMetadata, log.definition.private_metadata)?.query.organizationId !== world.organizationId) {
        const opened = log;
        log = await redrawn(world, actor, opened, () =>
          world.app.driver.blockActions(pick(actor, opened, ACTION.logPickOrganization, String(world.organizationId))),
        );
      }
      expect(JSON.stringify(log.definition.blocks)).toContain(`Log of ${REDLANDS.name}`);
    },
    outcome: nothingStored,
  },
  {
    action: 'log.export',
    subject: E_LEARNER,
    // Every admin exports the log; what each sees of it is their part (test/slack/exports.test.ts).
    allowed: ['administrator', 'training', 'callers'],
    perform: async (world, actor) => {
      const view = await logViewOf(world, actor);
      await pressExport(world, actor, () => world.app.driver.clickButton({ userId: actor.id, view, actionId: ACTION.logExport }));
    },
    outcome: logged,
  },
  {
    action: 'report.view',
    subject: E_LEARNER,
    allowed: ADMINISTRATORS_ONLY,
    perform: async (world, actor, subject) => {
      const report = await permissionsReport(world, actor);
      expect(JSON.stringify(report.definition.blocks)).toContain(REDLANDS.name);
      expect(JSON.stringify(report.definition.blocks)).not.toContain(subject.person.email);
    },
    outcome: nothingStored,
  },
  {
    action: 'report.export',
    on: 'the report and the grid',
    subject: E_LEARNER,
    allowed: ADMINISTRATORS_ONLY,
    perform: async (world, actor) => {
      // Only Administrators get the report's buttons; everyone else's presses are forged, from their DM.
      const press = (actionId: string) =>
        world.app.driver.blockActions({
          userId: actor.id,
          channel: world.app.emulator.dmChannelFor(actor.id),
          actions: [{ action_id: actionId, type: 'button', value: String(world.organizationId) }],
        });
      if (actor.id !== ACTORS.administrator.id) return void (await pressExport(world, actor, () => press(ACTION.gridExport)));
      const report = await permissionsReport(world, actor);
      await pressExport(world, actor, () =>
        world.app.driver.clickButton({ userId: actor.id, view: report, actionId: ACTION.reportExport }),
      );
      await pressExport(world, actor, () => world.app.driver.clickButton({ userId: actor.id, view: report, actionId: ACTION.gridExport }));
    },
    outcome: logged,
  },
];

const CELLS = ROWS.flatMap((row) =>
  ACTOR_KINDS.map((actor) => ({
    row,
    actor,
    allowed: row.allowed.includes(actor),
    name: `${row.action}${row.on ? ` (${row.on})` : ''} by ${actor}: ${row.allowed.includes(actor) ? 'allowed' : 'refused'}`,
  })),
);

it('has rows for every management action, and no others', () => {
  expect([...new Set(ROWS.map((row) => row.action))].sort()).toEqual([...MANAGEMENT_ACTIONS].sort());
});

describe.each(DATABASE_KINDS)('the authorization matrix on %s', (kind) => {
  let world: World;

  beforeAll(async () => {
    const app = await startTestApp(kind);
    const organization = await seedOrganization(app, REDLANDS, [ACTORS.administrator, BOB]);
    await createOrganization(app.db.database.prisma, OTHER_COUNTY);
    app.emulator.addUser(ACTORS.otherOrganization);
    await addAdministrator(app.db.database.prisma, {
      customerNumber: OTHER_COUNTY.customerNumber,
      slackUserId: ACTORS.otherOrganization.id,
      displayName: ACTORS.otherOrganization.realName,
      email: ACTORS.otherOrganization.email,
    });
    const admin = await app.db.database.prisma.member.findUniqueOrThrow({ where: { slackUserId: ACTORS.administrator.id } });
    world = {
      app,
      organizationId: organization.id,
      adminMemberId: admin.id,
      today: calendarDateIn(new Date(), 'UTC'),
      nextSubject: 0,
    };
    await connect(world, ACTORS.training, organization.id, [PERMISSION.assignTraining]);
    await connect(world, ACTORS.callers, organization.id, [PERMISSION.assignAuthorizedCallers]);
    await connect(world, ACTORS.member, organization.id, [PERMISSION.esriAccess]);
    await connect(world, ACTORS.expiredAdministrator, organization.id, [PERMISSION.administrator], { status: 'EXPIRED' });
  }, 60_000);

  afterAll(async () => {
    expect(world.app.emulator.violations).toEqual([]);
    await world.app.stop();
  });

  // One test per cell, named in full: it.each would cut the names short.
  for (const { name, row, actor, allowed } of CELLS) {
    it(
      name,
      async () => {
        // Notices of earlier cells' changes are delivered first, so none lands in this cell's wait for a refusal.
        await settle(world.app);
        const subject = await freshSubject(world, row.subject);
        const who = ACTORS[actor];
        const before = await snapshot(world, subject);
        let refusal: string | null = null;
        try {
          await row.perform(world, who, subject);
        } catch (error) {
          if (!(error instanceof Refused)) throw error;
          refusal = error.message;
        } finally {
          for (const modal of world.app.emulator.openModals(who.id)) world.app.emulator.closeView(modal.id);
        }
        const after = await snapshot(world, subject);
        if (allowed) {
          expect(refusal).toBeNull();
          row.outcome(after, before);
        } else {
          // "Refusals name who to ask": the organization's Administrators.
          expect(refusal, 'the refusal is shown, naming who to ask').toContain(ACTORS.administrator.realName);
          expect(after, 'a refused action changes nothing').toEqual(before);
        }
      },
      60_000,
    );
  }
});
