/**
 * `/access callers`: an organization's authorized callers (people holding both support
 * permissions, with a support level), and adding, changing and removing them.
 */
import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { connectionsTo, memberBySlackId } from '../../db/joined-reads.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { appendLogEntries } from '../../db/permission-log.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { scopeOf } from '../../domain/admin-scope.js';
import { calendarDateIn } from '../../domain/dates.js';
import { parseAddressList } from '../../domain/email-addresses.js';
import { DomainError, refuseFields } from '../../domain/errors.js';
import { hashInvitationToken, invitationExpiresAt, newInvitationToken, sealInvitationCode } from '../../domain/invitation-tokens.js';
import {
  AUTHORIZED_CALLER_PERMISSIONS,
  callerSettingsFor,
  callerSettingErrors,
  isAuthorizedCallerInvitation,
  requireInvitationTextsFit,
} from '../../domain/invitations.js';
import type { CallerListModel, CallerRow, MemberMark } from '../../domain/member-management.js';
import { mayTake } from '../../domain/member-policy.js';
import { PERMISSION } from '../../domain/permission-catalog.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import type { CallerSettings, InvitationLanguage } from '../../domain/read-models.js';
import type { InvitationSettings } from '../invitations/settings.js';
import { stringList } from '../invitations/stored-invitation.js';
import { enqueue } from '../outbox.js';
import { organizationSummary, personSummary } from '../read-models.js';
import {
  lockedConnection,
  recordChange,
  requireAllowed,
  termsOf,
  writeTerms,
  type ConnectionTerms,
  type LockedConnection,
} from './connection-change.js';
import { managedOrganizations, managingAdmin, noManagedOrganizationReason, type ManagingAdmin } from './managing-admin.js';

const MARK_OF_STATUS: Record<'ACTIVE' | 'EXPIRED' | 'SUSPENDED', MemberMark> = {
  ACTIVE: 'ACTIVE',
  EXPIRED: 'EXPIRED',
  SUSPENDED: 'DISABLED',
};

function callerOf(row: { callerSupportLevel: 'STANDARD' | 'PREMIUM' | null; callerLevel: string | null }): CallerSettings | null {
  return row.callerSupportLevel ? { supportLevel: row.callerSupportLevel, callerLevel: row.callerLevel } : null;
}

function contextOf(admin: ManagingAdmin, now: Date) {
  return { today: calendarDateIn(now, admin.organization.timeZone), otherAdministrators: admin.administrators.length };
}

/** The organizations whose callers the actor manages, by name. */
async function callerOrganizations(reader: SqlTarget, actorSlackUserId: string, now: Date) {
  return (await managedOrganizations(reader, actorSlackUserId, now)).filter(
    (organization) => organization.roles.administrator || organization.roles.authorizedCallerAdmin,
  );
}

/** Connected callers (not removed) and pending invitations granting both support permissions. */
async function callerRows(reader: SqlTarget, organizationId: number): Promise<CallerRow[]> {
  const sql = sqlOf(reader);
  const connected = await sql.rows(
    sql.build
      .selectFrom('Connection as c')
      .innerJoin('Member as m', 'm.id', 'c.memberId')
      .innerJoin('ConnectionPermission as support', (join) =>
        join.onRef('support.connectionId', '=', 'c.id').on('support.permissionKey', '=', PERMISSION.viewSupport),
      )
      .innerJoin('ConnectionPermission as actions', (join) =>
        join.onRef('actions.connectionId', '=', 'c.id').on('actions.permissionKey', '=', PERMISSION.authorizedCallerActions),
      )
      .select(['c.id', 'c.status', 'c.callerSupportLevel', 'c.callerLevel', 'c.endsOn', 'c.connectedAt'])
      .select(['m.slackUserId', 'm.displayName', 'm.email'])
      .where('c.organizationId', '=', organizationId)
      .where('c.status', '<>', 'REMOVED')
      .orderBy('m.displayName')
      .orderBy('c.id'),
  );
  const pending = await sql.rows(
    sql.build
      .selectFrom('Invitation')
      .select(['id', 'email', 'permissions', 'callerSupportLevel', 'callerLevel', 'endsOn', 'issuedAt'])
      .where('organizationId', '=', organizationId)
      .where('status', '=', 'PENDING')
      .orderBy('email'),
  );
  return [
    ...connected.map((row): CallerRow => ({
      key: { kind: 'member', connectionId: row.id },
      person: personSummary(row),
      email: row.email,
      mark: MARK_OF_STATUS[row.status as keyof typeof MARK_OF_STATUS],
      caller: callerOf(row),
      endsOn: row.endsOn,
      since: row.connectedAt,
    })),
    ...pending
      .filter((row) => isAuthorizedCallerInvitation(stringList(row.permissions)))
      .map((row): CallerRow => ({
        key: { kind: 'invitation', invitationId: row.id },
        person: null,
        email: row.email,
        mark: 'PENDING_INVITATION',
        caller: callerOf(row),
        endsOn: row.endsOn,
        since: row.issuedAt,
      })),
  ];
}

/** The callers of an organization the actor manages (the first they manage, by name, when none is given). */
export async function callerList(
  reader: SqlTarget,
  actorSlackUserId: string,
  organizationId: number | null,
  now: Date,
): Promise<CallerListModel> {
  const organizations = await callerOrganizations(reader, actorSlackUserId, now);
  const chosen = organizationId ?? organizations[0]?.id;
  if (chosen === undefined) {
    throw new DomainError('forbidden', await noManagedOrganizationReason(reader, actorSlackUserId, now, 'manage authorized callers'));
  }
  const admin = await managingAdmin(reader, actorSlackUserId, chosen, now);
  const decision = mayTake('callers.list', { actor: admin.facts, context: contextOf(admin, now) });
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
  return {
    organization: organizationSummary(admin.organization),
    organizations: organizations.map(organizationSummary),
    callers: await callerRows(reader, chosen),
    canAdd: mayTake('callers.add', { actor: admin.facts, context: contextOf(admin, now) }).allowed,
  };
}

function withCallerPermissions(permissions: readonly string[], adding: boolean): string[] {
  const others = permissions.filter((key) => !AUTHORIZED_CALLER_PERMISSIONS.includes(key));
  return adding ? [...others, ...AUTHORIZED_CALLER_PERMISSIONS] : others;
}

function requireCaller(locked: LockedConnection): void {
  if (!isAuthorizedCallerInvitation(locked.subject.permissions) || locked.connection.status === 'REMOVED') {
    throw new DomainError('changed', `${locked.person.displayName} is no longer an authorized caller.`);
  }
}

async function changeCaller(
  prisma: Db,
  input: { actorSlackUserId: string; connectionId: number; note: string | null },
  decide: (locked: LockedConnection) => ConnectionTerms,
  now: Date,
): Promise<{ logEntryId: number }> {
  return prisma.$transaction(async (tx) => {
    const locked = await lockedConnection(tx, input.actorSlackUserId, input.connectionId, now, 'manage its authorized callers');
    const before = termsOf(locked.connection);
    const after = decide(locked);
    requireInvitationTextsFit({ note: input.note });
    await writeTerms(tx, locked, after, now);
    const logEntryId = await recordChange(
      tx,
      locked,
      { action: LOG_ACTION.callerChanged, before, after, note: input.note, notifyMember: true },
      now,
    );
    return { logEntryId };
  }, TRANSACTION_OPTIONS);
}

/** An existing member of the organization becomes an authorized caller. */
export async function promoteToCaller(
  prisma: Db,
  input: { actorSlackUserId: string; organizationId: number; memberSlackUserId: string; caller: CallerSettings; note: string | null },
  now: Date,
): Promise<{ logEntryId: number }> {
  const member = await memberBySlackId(prisma, input.memberSlackUserId);
  const [connection] = member ? await connectionsTo(prisma, input.organizationId, [member.id]) : [];
  if (!connection || connection.status === 'REMOVED') {
    throw new DomainError('unknown_connection', 'That person is not a member of this organization: invite them as a caller instead.');
  }
  return changeCaller(
    prisma,
    { actorSlackUserId: input.actorSlackUserId, connectionId: connection.id, note: input.note },
    (locked) => {
      requireAllowed('callers.promote', locked);
      refuseFields(callerSettingErrors(input.caller));
      const permissions = withCallerPermissions(locked.subject.permissions, true);
      return { ...termsOf(locked.connection), permissions, caller: callerSettingsFor(permissions, input.caller) };
    },
    now,
  );
}

/** A caller's support level or caller level changes. */
export async function editCaller(
  prisma: Db,
  input: { actorSlackUserId: string; connectionId: number; caller: CallerSettings; note: string | null },
  now: Date,
): Promise<{ logEntryId: number }> {
  return changeCaller(
    prisma,
    input,
    (locked) => {
      requireCaller(locked);
      requireAllowed('callers.edit', locked);
      refuseFields(callerSettingErrors(input.caller));
      const terms = termsOf(locked.connection);
      return { ...terms, caller: callerSettingsFor(terms.permissions, input.caller) };
    },
    now,
  );
}

/** Both support permissions taken away, and with them caller status; their other access stays. */
export async function removeCaller(
  prisma: Db,
  input: { actorSlackUserId: string; connectionId: number; note: string | null },
  now: Date,
): Promise<{ logEntryId: number }> {
  return changeCaller(
    prisma,
    input,
    (locked) => {
      requireCaller(locked);
      requireAllowed('callers.remove', locked);
      return { ...termsOf(locked.connection), permissions: withCallerPermissions(locked.subject.permissions, false), caller: null };
    },
    now,
  );
}

/**
 * An invitation for one address granting both support permissions with these caller settings,
 * written and delivered as `/access invite` does: it replaces a pending invitation to the same
 * address, gets its own code, and is delivered through the outbox.
 */
export async function inviteCaller(
  prisma: Db,
  input: {
    actorSlackUserId: string;
    organizationId: number;
    email: string;
    caller: CallerSettings;
    note: string | null;
    language: InvitationLanguage;
    personalMessage: string | null;
  },
  settings: InvitationSettings,
  now: Date,
): Promise<{ invitationId: number }> {
  const parsed = parseAddressList(input.email);
  if (parsed.valid.length !== 1 || parsed.invalid.length > 0) {
    throw DomainError.ofFields({ addresses: 'Enter one email address: callers are invited one at a time.' });
  }
  const email = parsed.valid[0]!;
  return prisma.$transaction(async (tx) => {
    const admin = await managingAdmin(tx, input.actorSlackUserId, input.organizationId, now, 'manage its authorized callers');
    const decision = mayTake('callers.add', { actor: admin.facts, context: contextOf(admin, now) });
    if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
    if (admin.member.email && admin.member.email.toLowerCase() === email) {
      throw new DomainError('own_access', 'Nobody raises their own access: another Administrator has to invite you.');
    }
    refuseFields(callerSettingErrors(input.caller));
    requireInvitationTextsFit({ note: input.note, personalMessage: input.personalMessage });
    // Another invitation to the same person, sent at this moment, would leave two codes working.
    await lockKeys(tx, LOCK.invitee(admin.organization.id, email));
    const sql = sqlOf(tx);
    const replaced = await sql.rows(
      sql.build
        .updateTable('Invitation')
        .set({ status: 'REVOKED', updatedAt: now })
        .where('organizationId', '=', admin.organization.id)
        .where('status', '=', 'PENDING')
        .where('email', '=', email)
        .returning(['id']),
    );
    const permissions = [...AUTHORIZED_CALLER_PERMISSIONS];
    const caller = callerSettingsFor(permissions, input.caller);
    const code = newInvitationToken();
    const expiresAt = invitationExpiresAt(now, admin.organization.timeZone);
    const [created] = await sql.rows(
      sql.build
        .insertInto('Invitation')
        .values({
          organizationId: admin.organization.id,
          email,
          permissions: JSON.stringify(permissions),
          tags: JSON.stringify([]),
          personalMessage: input.personalMessage?.trim() || null,
          language: input.language,
          logNote: input.note?.trim() || null,
          callerSupportLevel: caller?.supportLevel ?? null,
          callerLevel: caller?.callerLevel ?? null,
          scope: JSON.stringify(scopeOf(admin.roles)),
          tokenHash: hashInvitationToken(code),
          status: 'PENDING',
          invitedById: admin.member.id,
          issuedAt: now,
          expiresAt,
          createdAt: now,
          updatedAt: now,
        })
        .returning(['id']),
    );
    const invitationId = created!.id;
    await appendLogEntries(tx, [
      ...replaced.map((row) => ({
        organizationId: admin.organization.id,
        actorId: admin.member.id,
        subjectEmail: email,
        action: LOG_ACTION.invitationReplaced,
        before: { invitationId: row.id, status: 'PENDING' },
        after: { invitationId: row.id, status: 'REVOKED' },
        note: 'Replaced by a new invitation',
        createdAt: now,
      })),
      {
        organizationId: admin.organization.id,
        actorId: admin.member.id,
        subjectEmail: email,
        action: LOG_ACTION.invitationSent,
        after: {
          invitationId,
          permissions,
          tags: [],
          startsOn: null,
          endsOn: null,
          caller,
          language: input.language,
          expiresAt: expiresAt.toISOString(),
        },
        note: input.note?.trim() || null,
        createdAt: now,
      },
    ]);
    await enqueue(tx, [{ kind: 'invitation.deliver', invitationId, sealedCode: sealInvitationCode(code, settings.sealingKey) }], now);
    return { invitationId };
  }, TRANSACTION_OPTIONS);
}
