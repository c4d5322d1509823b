/**
 * Fast seeding of one organization's members, connections, permissions, tags, end dates and
 * pending invitations, for tests and benchmarks that need thousands (or 100,000) of them. Rows go
 * in with multi-row INSERTs (src/db/bulk-insert.ts) inside one transaction, so 100,000 members take
 * seconds. Everything is derived from the row's index, so a test can say what it expects to see.
 */
import { insertInChunks, insertRows } from '../../src/db/bulk-insert.js';
import type { SqlDatabase } from '../../src/db/sql.js';
import { addCalendarDays, calendarDateIn, endOfDayIn } from '../../src/domain/dates.js';
import { hashInvitationToken, invitationExpiresAt, newInvitationToken } from '../../src/domain/invitation-tokens.js';
import { AUTHORIZED_CALLER_PERMISSIONS, INVITATION_TEXT_LIMIT } from '../../src/domain/invitations.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import type { AppResponse, EmulatedView } from '../../src/sandbox/index.js';
import { ACTION } from '../../src/slack/views/ids.js';
import type { TestApp } from './app.js';

const FIRST_NAMES = ['Ada', 'Ben', 'Cora', 'Dev', 'Elif', 'Finn', 'Greta', 'Hugo', 'Ines', 'Jon', 'Kira', 'Liam', 'Mona', 'Nils'];
const LAST_NAMES = ['Alvarez', 'Brooks', 'Chen', 'Duarte', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski'];
export const SEED_TAGS = ['planning', 'gis', 'contractor', 'field', 'parks', 'water', 'transport'] as const;

/** Every permission a seeded member may hold; Administrator is left out, so the organization's own admins stay the only ones. */
const NON_ADMIN_PERMISSIONS = Object.values(PERMISSION).filter((key) => key !== PERMISSION.administrator);

export interface MemberSeedOptions {
  organizationId: number;
  /** The organization's time zone, for the instants of end dates. */
  timeZone: string;
  /** Connected members (Active, some Expired and some Disabled). */
  members: number;
  /** Pending invitations to people Gatehouse does not know yet. */
  invitations?: number;
  /** The member the invitations are from; needed when there are any. */
  invitedById?: number;
  now: Date;
  /** Keeps Slack ids and addresses apart when several seeds share a database. */
  prefix?: string;
  /**
   * The widest rows: names and addresses near Slack's lengths, ten tags at their longest, and
   * every permission but Administrator, so the list's sections come near their 3,000 characters.
   */
  wide?: boolean;
}

export type SeededStatus = 'ACTIVE' | 'EXPIRED' | 'SUSPENDED';

export interface SeededMember {
  index: number;
  memberId: number;
  connectionId: number;
  slackUserId: string;
  displayName: string;
  email: string;
  status: SeededStatus;
  permissions: string[];
  tags: string[];
  endsOn: string | null;
}

export interface SeededInvitation {
  index: number;
  invitationId: number;
  email: string;
  permissions: string[];
  tags: string[];
  endsOn: string | null;
}

export interface SeededOrganization {
  members: SeededMember[];
  invitations: SeededInvitation[];
}

/** Rows per batch handed to insertRows: big enough to keep the loop cheap, small enough to keep memory flat. */
const BATCH = 10_000;

function statusOf(index: number): SeededStatus {
  if (index % 20 === 7) return 'EXPIRED';
  if (index % 20 === 13) return 'SUSPENDED';
  return 'ACTIVE';
}

function permissionsOf(index: number, wide: boolean): string[] {
  if (wide) return [...NON_ADMIN_PERMISSIONS];
  const held: string[] = [PERMISSION.esriAccess];
  if (index % 5 === 1) held.push(PERMISSION.eLearning);
  if (index % 7 === 2) held.push(PERMISSION.downloadSoftware);
  if (index % 11 === 3) held.push(...AUTHORIZED_CALLER_PERMISSIONS);
  if (index % 13 === 4) held.push(PERMISSION.manageLicensing);
  return held;
}

function tagsOf(index: number, wide: boolean): string[] {
  if (wide) {
    return Array.from({ length: INVITATION_TEXT_LIMIT.tags }, (_, tag) =>
      `${SEED_TAGS[(index + tag) % SEED_TAGS.length]}-${tag}-`.padEnd(INVITATION_TEXT_LIMIT.tag, 'x'),
    );
  }
  const tags: string[] = [SEED_TAGS[index % SEED_TAGS.length]!];
  if (index % 3 === 0) tags.push(SEED_TAGS[(index + 3) % SEED_TAGS.length]!);
  return tags;
}

/** The calendar date an expired row ended on, or an active row will end on (a quarter of them, spread over 120 days). */
function endsOnOf(index: number, status: SeededStatus, today: string): string | null {
  if (status === 'EXPIRED') return addCalendarDays(today, -(1 + (index % 20)));
  return index % 4 === 0 ? addCalendarDays(today, index % 120) : null;
}

/** "Greta Haddad 123", or in the wide seed the same padded to 80 characters with characters mrkdwn must escape. */
function nameOf(index: number, wide: boolean): string {
  const name = `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]} ${index}`;
  return wide ? `${name} <&> *_~`.padEnd(80, 'w') : name;
}

function emailOf(prefix: string, index: number, wide: boolean): string {
  const local = `${prefix}${index}`;
  return wide ? `${local}.${'long'.repeat(12)}@${'department'.repeat(5)}.example.com` : `${local}@example.com`;
}

/**
 * Seeds `members` connected members and `invitations` pending invitations into one organization.
 * Member n is `<prefix><n>`: Slack id `U<PREFIX><n>`, address `<prefix><n>@example.com`; every 20th
 * (from 7) is Expired a few days ago, every 20th (from 13) Disabled, a quarter have end dates.
 */
export async function seedMembers(database: SqlDatabase, options: MemberSeedOptions): Promise<SeededOrganization> {
  const prefix = options.prefix ?? 'seed';
  const wide = options.wide ?? false;
  const { now, timeZone, organizationId } = options;
  const today = calendarDateIn(now, timeZone);
  // Time zone arithmetic is the slowest part of a row, and the rows share a few hundred dates.
  const endsAtCache = new Map<string, Date>();
  const endOfDay = (calendarDate: string) => {
    let instant = endsAtCache.get(calendarDate);
    if (instant === undefined) endsAtCache.set(calendarDate, (instant = endOfDayIn(calendarDate, timeZone)));
    return instant;
  };
  const invitationCount = options.invitations ?? 0;
  if (invitationCount > 0 && options.invitedById === undefined) throw new Error('Seeding invitations needs invitedById');
  // Straight on the driver, not through Prisma: its per-statement cost would make 100,000 members take minutes.
  return database.transaction(async (sql) => {
    const members: SeededMember[] = [];
    for (let start = 0; start < options.members; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, options.members - start) }, (_, offset) => {
        const index = start + offset;
        const status = statusOf(index);
        return {
          index,
          slackUserId: `U${prefix.toUpperCase()}${index}`,
          displayName: nameOf(index, wide),
          email: emailOf(prefix, index, wide),
          status,
          permissions: permissionsOf(index, wide),
          tags: tagsOf(index, wide),
          endsOn: endsOnOf(index, status, today),
        };
      });
      const memberIds = new Map(
        (
          await insertInChunks(batch, (chunk) =>
            sql.rows(
              sql.build
                .insertInto('Member')
                .values(
                  chunk.map((row) => ({
                    slackUserId: row.slackUserId,
                    displayName: row.displayName,
                    email: row.email,
                    language: 'en',
                    createdAt: now,
                    updatedAt: now,
                  })),
                )
                .returning(['id', 'slackUserId']),
            ),
          )
        ).map((row) => [row.slackUserId, row.id]),
      );
      const connectionIds = new Map(
        (
          await insertInChunks(batch, (chunk) =>
            sql.rows(
              sql.build
                .insertInto('Connection')
                .values(
                  chunk.map((row) => ({
                    organizationId,
                    memberId: memberIds.get(row.slackUserId)!,
                    status: row.status,
                    tags: JSON.stringify(row.tags),
                    endsOn: row.endsOn,
                    endsAt: row.endsOn === null ? null : endOfDay(row.endsOn),
                    callerSupportLevel: AUTHORIZED_CALLER_PERMISSIONS.every((key) => row.permissions.includes(key))
                      ? ('STANDARD' as const)
                      : null,
                    // Connected one minute apart, newest last, so sorting by date connected has an answer.
                    connectedAt: new Date(now.getTime() - (options.members - row.index) * 60_000),
                    expiredAt: row.status === 'EXPIRED' ? endOfDay(row.endsOn!) : null,
                    updatedAt: now,
                  })),
                )
                .returning(['id', 'memberId']),
            ),
          )
        ).map((row) => [row.memberId, row.id]),
      );
      const seeded = batch.map((row) => {
        const memberId = memberIds.get(row.slackUserId)!;
        return { ...row, memberId, connectionId: connectionIds.get(memberId)! };
      });
      await insertRows(
        sql,
        'ConnectionPermission',
        seeded.flatMap((row) => row.permissions.map((permissionKey) => ({ connectionId: row.connectionId, permissionKey }))),
      );
      members.push(...seeded);
    }

    const expiresAt = invitationExpiresAt(now, timeZone);
    const planned = Array.from({ length: invitationCount }, (_, index) => ({
      index,
      email: emailOf(`${prefix}-invited-`, index, wide),
      permissions: permissionsOf(index, wide).filter((key) => !AUTHORIZED_CALLER_PERMISSIONS.includes(key)),
      tags: tagsOf(index, wide),
      endsOn: index % 3 === 0 ? addCalendarDays(today, 30 + (index % 60)) : null,
    }));
    const invitationIds = new Map(
      (
        await insertInChunks(planned, (chunk) =>
          sql.rows(
            sql.build
              .insertInto('Invitation')
              .values(
                chunk.map((row) => ({
                  organizationId,
                  email: row.email,
                  permissions: JSON.stringify(row.permissions),
                  tags: JSON.stringify(row.tags),
                  startsOn: null,
                  endsOn: row.endsOn,
                  personalMessage: null,
                  language: 'en',
                  logNote: null,
                  callerSupportLevel: null,
                  callerLevel: null,
                  scope: null,
                  tokenHash: hashInvitationToken(newInvitationToken()),
                  status: 'PENDING' as const,
                  invitedById: options.invitedById!,
                  issuedAt: now,
                  expiresAt,
                  createdAt: now,
                  updatedAt: now,
                })),
              )
              .returning(['id', 'email']),
          ),
        )
      ).map((row) => [row.email, row.id]),
    );
    const invitations = planned.map((row) => ({ ...row, invitationId: invitationIds.get(row.email)! }));
    return { members, invitations };
  });
}

// ---------------------------------------------------------------------------------------------
// The members list in Slack, as a person sees it: the helpers tests share to open, read and page it
// ---------------------------------------------------------------------------------------------

/** A row of `/access users` as the list shows it: `m:<connection id>` or `i:<invitation id>`. */
export type ShownRowKey = `m:${number}` | `i:${number}`;

const ROW_VALUE = /^[a-z_]+:(m|i):([1-9]\d*)$/;

function sectionsWithRowMenus(view: EmulatedView): Array<Record<string, unknown>> {
  const blocks = (view.definition.blocks ?? []) as Array<Record<string, unknown>>;
  return blocks.filter((block) => {
    const accessory = block.accessory as Record<string, unknown> | undefined;
    return block.type === 'section' && accessory?.action_id === ACTION.usersManageRow;
  });
}

/** The rows on the list's current page, in order, read from each row's ⋯ menu (its values name the row). */
export function rowsShown(view: EmulatedView): ShownRowKey[] {
  return sectionsWithRowMenus(view).map((block) => {
    const options = ((block.accessory as { options?: Array<{ value?: string }> }).options ?? []).map((option) => option.value ?? '');
    const keys = new Set(options.map((value) => ROW_VALUE.exec(value)).map((match) => (match ? `${match[1]}:${match[2]}` : 'unreadable')));
    if (keys.size !== 1 || keys.has('unreadable'))
      throw new Error(`A row's menu names ${[...keys].join(', ')}: ${JSON.stringify(options)}`);
    return [...keys][0] as ShownRowKey;
  });
}

/** The row menu's choices on one row, as verbs (`edit`, `disconnect`, …). */
export function rowVerbs(view: EmulatedView, key: ShownRowKey): string[] {
  const block = sectionsWithRowMenus(view).find((candidate) => JSON.stringify(candidate.accessory).includes(`:${key}"`));
  const options = ((block?.accessory as { options?: Array<{ value?: string }> } | undefined)?.options ?? []).map(
    (option) => option.value ?? '',
  );
  return options.map((value) => value.split(':')[0]!);
}

/** How many rows the list says match: "Showing 21–40 of 1,234" or "1,234 match". */
export function matchCountShown(view: EmulatedView): number | null {
  const text = JSON.stringify(view.definition.blocks ?? []);
  const patterns = [
    /Showing [\d,]+\s*[–-]\s*[\d,]+ of ([\d,]+)/,
    /\b([\d,]+) (?:match|matches)\b/,
    /\bof ([\d,]+) (?:match|people|members|rows)/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return Number(match[1]!.replaceAll(',', ''));
  }
  return null;
}

/** Whether the view has an interactive element with this action id (a button shown only when it applies). */
export function hasControl(view: EmulatedView, actionId: string): boolean {
  return JSON.stringify(view.definition.blocks ?? []).includes(`"action_id":"${actionId}"`);
}

/** `/access users [search]`; the list modal Slack was asked to open, or null when the app answered something else. */
export async function openMembersList(app: TestApp, userId: string, search = ''): Promise<EmulatedView | null> {
  const before = app.emulator.callsTo('views.open').length;
  const shown = shownTo(app, userId);
  const response = await app.driver.slashCommand({ userId, text: `users ${search}`.trim() });
  if (response.status !== 200) throw new Error(`/access users answered ${response.status}`);
  await waitUntil(() => app.emulator.callsTo('views.open').length > before || shownTo(app, userId) > shown);
  const opened = app.emulator.callsTo('views.open')[before];
  if (!opened) return null;
  const view = (opened.response as { view?: { id?: string } }).view;
  return view?.id ? (app.emulator.getView(view.id) ?? null) : null;
}

/** A click or choice on an open list, once its redraw (views.update) reached Slack; returns the list as redrawn. */
export async function onList(app: TestApp, view: EmulatedView, send: () => Promise<AppResponse>): Promise<EmulatedView> {
  const before = app.emulator.callsTo('views.update').length;
  const response = await send();
  if (response.status !== 200) throw new Error(`The app answered ${response.status}: ${response.body.slice(0, 200)}`);
  await app.emulator.waitForCalls('views.update', before + 1, 15_000);
  return app.emulator.getView(view.id)!;
}

/**
 * What reached one person privately, where refusals and confirmations land: their ephemerals and
 * command replies, response_url posts for them, and their DMs. Each list only grows, so the texts
 * since an earlier call are what lies past that call's lengths (see `shownSince`).
 */
export function privateTexts(app: TestApp, userId: string): string[][] {
  const text = (message: { text?: string; blocks?: unknown }) => `${message.text ?? ''} ${JSON.stringify(message.blocks ?? [])}`;
  return [
    app.emulator.ephemeralsFor(userId).map(text),
    app.emulator.responses.filter((post) => post.context.userId === userId).map((post) => JSON.stringify(post.body)),
    app.emulator.messagesIn(app.emulator.dmChannelFor(userId)).map(text),
  ];
}

/** The private texts that reached the person after `earlier` (a `privateTexts` result) was taken. */
export function shownSince(app: TestApp, userId: string, earlier: string[][]): string[] {
  return privateTexts(app, userId).flatMap((texts, index) => texts.slice(earlier[index]?.length ?? 0));
}

/** How many private texts reached one person so far. */
export function shownTo(app: TestApp, userId: string): number {
  return privateTexts(app, userId).reduce((total, texts) => total + texts.length, 0);
}

/** Polls until `ready` holds; the app answers Slack first and does the rest a moment later. */
export async function waitUntil(ready: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`Still waiting after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
