/**
 * Bulk actions on an admin's selection: one confirmation, one note and one transaction for the
 * whole batch, one log entry per person changed, and one summary per Administrator. Each row is
 * decided by the same policy as a change to one person; rows it refuses are skipped and stay
 * selected.
 */
import { TRANSACTION_OPTIONS, type Db, type Tx } from '../../db/client.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { removeFromSelection, selectedKeys } from '../../db/member-list.js';
import { appendLogEntries, type LogEntryInput } from '../../db/permission-log.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { calendarDateIn, endOfDayIn, isCalendarDate } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { AUTHORIZED_CALLER_PERMISSIONS, INVITATION_TEXT_LIMIT, requireInvitationTextsFit } from '../../domain/invitations.js';
import type { BulkAction, MemberRow } from '../../domain/member-management.js';
import { bulkOutcome, mayTake, type ManagementDecision, type SubjectOutcome } from '../../domain/member-policy.js';
import type { OutboxItem } from '../../domain/outbox-messages.js';
import { PERMISSION, PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import { connectionSnapshot, LOG_ACTION, type LogAction } from '../../domain/permissions-log.js';
import type { BulkSummaryModel, CallerSettings, OrganizationSummary } from '../../domain/read-models.js';
import { languageOf } from '../invitations/stored-invitation.js';
import { reissueInvitationUnlogged } from '../invitations/resend-invitation.js';
import type { InvitationSettings } from '../invitations/settings.js';
import { enqueue } from '../outbox.js';
import { organizationSummary, permissionCatalog, personSummary } from '../read-models.js';
import type { ManagingAdmin } from './managing-admin.js';
import { keyText, listingAdmin, memberRowsOf, viewedRow, type ReadRow } from './member-list.js';

export interface BulkPreview {
  organization: OrganizationSummary;
  action: BulkAction;
  applicable: MemberRow[];
  skipped: Array<{ row: MemberRow; reason: string }>;
}

const KNOWN_PERMISSIONS = new Set(PERMISSION_CATALOG.map((permission) => permission.key));

/** Refuses a bulk action whose tag, date or permission is not one Gatehouse can apply. */
function requireValidAction(action: BulkAction, today: string): void {
  if (action.kind === 'add_tag' || action.kind === 'remove_tag') {
    const tag = action.tag.trim();
    if (!tag) throw DomainError.ofFields({ tag: 'Type the tag.' });
    if (tag.length > INVITATION_TEXT_LIMIT.tag) {
      throw DomainError.ofFields({ tag: `A tag can be at most ${INVITATION_TEXT_LIMIT.tag} characters.` });
    }
  }
  if (action.kind === 'set_end_date') {
    if (!isCalendarDate(action.endsOn)) throw DomainError.ofFields({ endsOn: 'Pick an end date.' }, 'bad_date');
    if (action.endsOn < today) throw DomainError.ofFields({ endsOn: 'The end date cannot be in the past.' }, 'bad_date');
  }
  if ((action.kind === 'add_permission' || action.kind === 'remove_permission') && !KNOWN_PERMISSIONS.has(action.permission)) {
    throw DomainError.ofFields({ permission: 'Pick a permission from the list.' }, 'unknown_permission');
  }
}

/** The action with its tag trimmed, as it is applied and logged. */
function normalized(action: BulkAction): BulkAction {
  return action.kind === 'add_tag' || action.kind === 'remove_tag' ? { ...action, tag: action.tag.trim() } : action;
}

interface Decision {
  read: ReadRow;
  after: SubjectOutcome;
  decision: ManagementDecision;
}

const TOO_MANY_TAGS: ManagementDecision = {
  allowed: false,
  code: 'forbidden',
  reason: `Already has ${INVITATION_TEXT_LIMIT.tags} tags, the most one person can have.`,
};

function losesAdministrator(read: ReadRow, after: SubjectOutcome, today: string): boolean {
  if (!read.subject.isEffectiveAdministrator) return false;
  if (after.status !== 'ACTIVE' || !after.permissions.includes(PERMISSION.administrator)) return true;
  return after.endsOn !== null && after.endsOn < today;
}

/**
 * Decides every row in turn. Administrators whose access an earlier row of the batch takes away no
 * longer count for the rows after it, so a batch can never remove the last one.
 */
function decideAll(admin: ManagingAdmin, rows: readonly ReadRow[], action: BulkAction, now: Date): Decision[] {
  const today = calendarDateIn(now, admin.organization.timeZone);
  const remaining = new Set(admin.administrators.map((person) => person.slackUserId));
  return rows.map((read) => {
    const after = bulkOutcome(read.subject, action);
    const context = { today, otherAdministrators: [...remaining].filter((id) => id !== read.slackUserId).length };
    let decision = mayTake(`bulk.${action.kind}`, { actor: admin.facts, subject: read.subject, after, context });
    if (decision.allowed && after.tags.length > INVITATION_TEXT_LIMIT.tags) decision = TOO_MANY_TAGS;
    if (decision.allowed && read.slackUserId && losesAdministrator(read, after, today)) remaining.delete(read.slackUserId);
    return { read, after, decision };
  });
}

/** The same decisions as applyBulkAction, without writing, for the confirmation form. */
export async function previewBulkAction(
  reader: SqlTarget,
  actorSlackUserId: string,
  organizationId: number,
  action: BulkAction,
  now: Date,
): Promise<BulkPreview> {
  const admin = await listingAdmin(reader, actorSlackUserId, organizationId, now);
  const chosen = normalized(action);
  requireValidAction(chosen, calendarDateIn(now, admin.organization.timeZone));
  const keys = await selectedKeys(reader, admin.member.id, admin.organization.id);
  const rows = await memberRowsOf(reader, admin.organization, keys, now);
  const selected = new Set(keys.map(keyText));
  const decided = decideAll(admin, rows, chosen, now);
  return {
    organization: organizationSummary(admin.organization),
    action: chosen,
    applicable: decided.filter(({ decision }) => decision.allowed).map(({ read }) => viewedRow(admin, read, selected, now)),
    skipped: decided.flatMap(({ read, decision }) =>
      decision.allowed ? [] : [{ row: viewedRow(admin, read, selected, now), reason: decision.reason }],
    ),
  };
}

function callerAfter(read: ReadRow, permissions: readonly string[]): CallerSettings | null {
  if (!AUTHORIZED_CALLER_PERMISSIONS.every((key) => permissions.includes(key))) return null;
  // A caller keeps their settings; someone becoming one by a bulk grant starts at Standard support.
  return read.row.caller ?? { supportLevel: 'STANDARD', callerLevel: null };
}

function logActionOf(read: ReadRow, action: BulkAction): LogAction {
  if (read.key.kind === 'invitation') return LOG_ACTION.invitationEdited;
  switch (action.kind) {
    case 'disconnect':
      return LOG_ACTION.memberDisconnected;
    case 'set_end_date':
    case 'clear_end_date':
      return read.subject.status === 'EXPIRED' ? LOG_ACTION.memberRestored : LOG_ACTION.endDateChanged;
    default:
      return LOG_ACTION.memberEdited;
  }
}

/** Writes one connection's new terms, only if its status is still the one read under the lock. */
async function writeConnection(
  tx: Tx,
  read: ReadRow & { stored: { kind: 'member' } },
  after: SubjectOutcome,
  caller: CallerSettings | null,
  timeZone: string,
  now: Date,
) {
  const sql = sqlOf(tx);
  const { connection } = read.stored;
  // A connection's outcome is always a connection status; an invitation's is never written here.
  const status = after.status === 'INVITATION' ? connection.status : after.status;
  const changed = await sql.execute(
    sql.build
      .updateTable('Connection')
      .set({
        status,
        tags: JSON.stringify(after.tags),
        endsOn: after.endsOn,
        endsAt: after.endsOn ? endOfDayIn(after.endsOn, timeZone) : null,
        callerSupportLevel: caller?.supportLevel ?? null,
        callerLevel: caller?.callerLevel ?? null,
        expiredAt: status === 'EXPIRED' ? connection.expiredAt : null,
        removedAt: status === 'REMOVED' ? now : null,
        updatedAt: now,
      })
      .where('id', '=', connection.id)
      .where('status', '=', connection.status),
  );
  if (changed === 0) return false;
  const held = new Set(connection.permissions);
  const kept = new Set(after.status === 'REMOVED' ? [] : after.permissions);
  const lost = [...held].filter((key) => !kept.has(key));
  const gained = [...kept].filter((key) => !held.has(key));
  if (lost.length > 0) {
    await sql.execute(
      sql.build.deleteFrom('ConnectionPermission').where('connectionId', '=', connection.id).where('permissionKey', 'in', lost),
    );
  }
  if (gained.length > 0) {
    await sql.execute(
      sql.build.insertInto('ConnectionPermission').values(gained.map((permissionKey) => ({ connectionId: connection.id, permissionKey }))),
    );
  }
  return true;
}

/** Writes a pending invitation's new terms: what the person gets on accepting. */
async function writeInvitation(
  tx: Tx,
  read: ReadRow & { stored: { kind: 'invitation' } },
  after: SubjectOutcome,
  caller: CallerSettings | null,
  now: Date,
) {
  const sql = sqlOf(tx);
  const changed = await sql.execute(
    sql.build
      .updateTable('Invitation')
      .set({
        permissions: JSON.stringify(after.permissions),
        tags: JSON.stringify(after.tags),
        endsOn: after.endsOn,
        callerSupportLevel: caller?.supportLevel ?? null,
        callerLevel: caller?.callerLevel ?? null,
        updatedAt: now,
      })
      .where('id', '=', read.stored.invitation.id)
      .where('status', '=', 'PENDING'),
  );
  return changed > 0;
}

function snapshotOf(
  read: ReadRow,
  terms: { status: string; permissions: readonly string[]; tags: readonly string[]; startsOn: string | null; endsOn: string | null },
  caller: CallerSettings | null,
) {
  const id = read.key.kind === 'member' ? { connectionId: read.key.connectionId } : { invitationId: read.key.invitationId };
  const status = read.key.kind === 'invitation' ? 'PENDING' : terms.status;
  return { ...id, ...connectionSnapshot({ ...terms, status }), caller, bulk: true };
}

/**
 * Applies one decided row; returns its log entry, to be appended with the batch's others once every
 * row is written, or null when it changed under the lock.
 */
async function applyRow(
  tx: Tx,
  admin: ManagingAdmin,
  decided: Decision,
  action: BulkAction,
  note: string | null,
  settings: InvitationSettings,
  now: Date,
): Promise<LogEntryInput | null> {
  const { read, after } = decided;
  const timeZone = admin.organization.timeZone;
  if (action.kind === 'resend') {
    if (read.stored.kind !== 'invitation') return null;
    const { invitation } = read.stored;
    const reissued = await reissueInvitationUnlogged(
      tx,
      invitation,
      {
        actorId: admin.member.id,
        timeZone,
        language: languageOf(invitation.language),
        personalMessage: invitation.personalMessage,
        note,
        bulk: true,
      },
      settings,
      now,
    ).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_pending') return null;
      throw error;
    });
    return reissued?.logEntry ?? null;
  }
  const caller = callerAfter(read, after.status === 'REMOVED' ? [] : after.permissions);
  const written =
    read.stored.kind === 'member'
      ? await writeConnection(tx, { ...read, stored: read.stored }, after, caller, timeZone, now)
      : await writeInvitation(tx, { ...read, stored: read.stored }, after, caller, now);
  if (!written) return null;
  return {
    organizationId: admin.organization.id,
    actorId: admin.member.id,
    subjectMemberId: read.subject.memberId,
    subjectEmail: read.subject.email,
    action: logActionOf(read, action),
    before: snapshotOf(read, read.subject, read.row.caller),
    after: snapshotOf(read, after, caller),
    note,
    createdAt: now,
  };
}

/** The locks of every selected row. */
function lockKeysOf(admin: ManagingAdmin, rows: readonly ReadRow[]): string[] {
  return rows.map((read) =>
    read.stored.kind === 'member'
      ? LOCK.connection(admin.organization.id, read.stored.connection.memberId)
      : LOCK.invitation(read.stored.invitation.id),
  );
}

const END_DATE_ACTIONS = new Set<BulkAction['kind']>(['set_end_date', 'clear_end_date']);

/**
 * Applies the action to the actor's selection in one transaction: each row the policy allows is
 * changed and logged, the others are skipped and stay selected.
 */
export async function applyBulkAction(
  prisma: Db,
  input: { actorSlackUserId: string; organizationId: number; action: BulkAction; note: string | null; notifyMembers: boolean },
  settings: InvitationSettings,
  now: Date,
): Promise<{ changed: number; skipped: number }> {
  const note = input.note?.trim() || null;
  requireInvitationTextsFit({ note });
  return prisma.$transaction(async (tx) => {
    const actor = await listingAdmin(tx, input.actorSlackUserId, input.organizationId, now);
    const action = normalized(input.action);
    requireValidAction(action, calendarDateIn(now, actor.organization.timeZone));
    await lockKeys(tx, LOCK.selection(actor.member.id, actor.organization.id));
    // The organization before any row, in the order every single change takes them (connection-change.ts,
    // administrators.ts): taken together, sorted, the rows would come first and a bulk and an edit
    // could each hold what the other waits for. Always taken, as who is an Administrator is known only once read.
    await lockKeys(tx, LOCK.organization(actor.organization.customerNumber));
    const keys = await selectedKeys(tx, actor.member.id, actor.organization.id);
    await lockKeys(tx, ...lockKeysOf(actor, await memberRowsOf(tx, actor.organization, keys, now)));
    // Read again under the locks: the admins and the rows as they stand now.
    const admin = await listingAdmin(tx, input.actorSlackUserId, input.organizationId, now);
    const rows = await memberRowsOf(tx, admin.organization, keys, now);
    const decided = decideAll(admin, rows, action, now);
    const written: Array<{ read: ReadRow; entry: LogEntryInput }> = [];
    for (const row of decided) {
      if (!row.decision.allowed) continue;
      const entry = await applyRow(tx, admin, row, action, note, settings, now);
      if (entry !== null) written.push({ read: row.read, entry });
    }
    // Logged after every row is written: see appendLogEntries.
    const appended = await appendLogEntries(
      tx,
      written.map((row) => row.entry),
    );
    const changed = written.map((row, index) => ({ read: row.read, logEntryId: appended[index]!.id }));
    const skipped = decided.length - changed.length;
    const logEntryIds = changed.map((row) => row.logEntryId);
    const items: OutboxItem[] = [];
    if (changed.length > 0) {
      const readers = new Set([...admin.administrators.map((person) => person.slackUserId), admin.member.slackUserId]);
      for (const userId of readers) {
        items.push({
          kind: 'bulk.summary',
          organizationId: admin.organization.id,
          actorSlackUserId: admin.member.slackUserId,
          action,
          logEntryIds,
          skipped,
          userId,
        });
      }
      const tellMembers = input.notifyMembers || END_DATE_ACTIONS.has(action.kind);
      for (const { read, logEntryId } of changed) {
        if (read.key.kind !== 'member' || !read.slackUserId || read.slackUserId === admin.member.slackUserId) continue;
        if (tellMembers) items.push({ kind: 'access.changed', logEntryId, userId: read.slackUserId, audience: 'member' });
        items.push({ kind: 'home.refresh', userId: read.slackUserId });
      }
      await enqueue(tx, items, now);
    }
    await removeFromSelection(
      tx,
      admin.member.id,
      admin.organization.id,
      changed.map((row) => row.read.key),
    );
    return { changed: changed.length, skipped };
  }, TRANSACTION_OPTIONS);
}

/** What one bulk.summary message says, read from the batch's log entries. */
export async function bulkSummary(
  reader: SqlTarget,
  item: Extract<OutboxItem, { kind: 'bulk.summary' }>,
): Promise<BulkSummaryModel | null> {
  const sql = sqlOf(reader);
  const [organization] = await sql.rows(
    sql.build
      .selectFrom('Organization')
      .select(['id', 'name', 'acronym', 'customerNumber', 'city', 'country', 'timeZone'])
      .where('id', '=', item.organizationId),
  );
  const [actor] = await sql.rows(
    sql.build.selectFrom('Member').select(['slackUserId', 'displayName', 'email']).where('slackUserId', '=', item.actorSlackUserId),
  );
  if (!organization || !actor || item.logEntryIds.length === 0) return null;
  const entries = await sql.rows(
    sql.build
      .selectFrom('PermissionLogEntry as l')
      .leftJoin('Member as m', 'm.id', 'l.subjectMemberId')
      .select(['l.id', 'l.subjectEmail', 'm.slackUserId', 'm.displayName', 'm.email'])
      .where('l.id', 'in', item.logEntryIds)
      .where('l.organizationId', '=', item.organizationId)
      .orderBy('l.id'),
  );
  const { action } = item;
  const permissionKey = action.kind === 'add_permission' || action.kind === 'remove_permission' ? action.permission : null;
  const permission = permissionKey === null ? null : (permissionCatalog().find((entry) => entry.key === permissionKey) ?? null);
  return {
    organization: organizationSummary(organization),
    actor: personSummary(actor),
    action: item.action,
    permission,
    changed: entries.map((entry) => ({
      person: entry.slackUserId
        ? personSummary({ slackUserId: entry.slackUserId, displayName: entry.displayName ?? entry.slackUserId, email: entry.email })
        : null,
      email: entry.email ?? entry.subjectEmail,
    })),
    skipped: item.skipped,
    forActor: item.userId === item.actorSlackUserId,
  };
}
