import { TRANSACTION_OPTIONS, type Db, type Tx } from '../db/client.js';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { DB } from '../db/query-builder.js';
import { preparedStatement, sqlOf } from '../db/sql.js';
import { appendLogEntries } from '../db/permission-log.js';
import { ACTOR, LOG_ACTION } from '../domain/permissions-log.js';
import type { ConnectionEndEvent, OutboxItem } from '../domain/outbox-messages.js';
import {
  administratorsRunOutAt,
  graceEndsAt,
  latestEndPastGrace,
  lastAdministratorWarningKey,
  warningDue,
  warningHorizon,
  warningKey,
} from '../domain/time-limits.js';
import type { OrganizationSummary, PersonSummary } from '../domain/read-models.js';
import { enqueue, enqueueOnce } from './outbox.js';
import { administratorsOf, organizationSummary, personSummary } from './read-models.js';
import { addElapsedDays, calendarDateIn, isCalendarDate } from '../domain/dates.js';
import { DomainError } from '../domain/errors.js';
import { isConnectionEffective } from '../domain/policy.js';
import { PERMISSION } from '../domain/permission-catalog.js';
import { holdersOf } from '../db/joined-reads.js';
import { lockedConnection, recordChange, requireAllowed, termsOf, writeTerms } from './members/connection-change.js';

/*
 * The rules that act while nobody is looking. Each works from the database as it is, not from
 * when it last ran: a run after three hours of downtime catches up on everything due. Every change
 * is a compare-and-set committed with its log entries and messages, batch by batch, so a run
 * killed midway leaves finished batches finished and the next run picks up the rest, and a clock
 * moved back finds nothing left to do twice.
 */

/** Connections or invitations handled per transaction. */
const BATCH = 200;

export interface TimeLimitSettings {
  warningLeadDays: readonly number[];
  /** Gatehouse's operators, told with its Administrators when an organization is about to be left without one. */
  operatorUserIds?: readonly string[];
}

export interface SweepCounts {
  warned: number;
  digests: number;
  expired: number;
  removed: number;
  invitationsExpired: number;
}

interface EndedConnection {
  id: number;
  organizationId: number;
  memberId: number;
  endsOn: string | null;
  slackUserId: string;
}

/** Ids of connections in `status` whose end (or grace period) is over (`endIsDue`), oldest first. */
async function dueConnectionIds(prisma: Db, status: 'ACTIVE' | 'EXPIRED', endIsDue: ConnectionCondition): Promise<number[]> {
  const sql = sqlOf(prisma);
  const rows = await sql.rows(
    sql.build
      .selectFrom('Connection')
      .select('id')
      .where('status', '=', status)
      .where('endsAt', 'is not', null)
      .where(endIsDue)
      .orderBy('endsAt')
      .orderBy('id')
      .limit(BATCH),
  );
  return rows.map((row) => row.id);
}

/** Moves due connections from one status to the next, only those still due; returns the ones moved. */
async function endConnections(
  tx: Tx,
  ids: number[],
  event: ConnectionEndEvent,
  endIsDue: ConnectionCondition,
  now: Date,
): Promise<EndedConnection[]> {
  const sql = sqlOf(tx);
  const moved = await sql.rows(
    event === 'expired'
      ? sql.build
          .updateTable('Connection')
          .set((eb) => ({ status: 'EXPIRED', expiredAt: eb.ref('endsAt'), updatedAt: now }))
          .where('id', 'in', ids)
          .where('status', '=', 'ACTIVE')
          .where(endIsDue)
          .returning('id')
      : sql.build
          .updateTable('Connection')
          .set({ status: 'REMOVED', removedAt: now, updatedAt: now })
          .where('id', 'in', ids)
          .where('status', '=', 'EXPIRED')
          .where(endIsDue)
          .returning('id'),
  );
  if (moved.length === 0) return [];
  return sql.rows(
    sql.build
      .selectFrom('Connection as c')
      .innerJoin('Member as m', 'm.id', 'c.memberId')
      .select(['c.id', 'c.organizationId', 'c.memberId', 'c.endsOn', 'm.slackUserId'])
      .where(
        'c.id',
        'in',
        moved.map((row) => row.id),
      )
      .orderBy('c.id'),
  );
}

/** Who hears about an organization's ended connections: its Administrators (the audit channel gets the log's line). */
type Audience = { admins: string[] };

/** The person and each admin of the organization hear of connections that ended. */
async function endedMessages(
  tx: Tx,
  ended: EndedConnection[],
  event: ConnectionEndEvent,
  audiences: Map<number, Audience>,
  now: Date,
): Promise<OutboxItem[]> {
  const items: OutboxItem[] = ended.map((connection) => ({
    kind: 'connection.ended',
    connectionId: connection.id,
    event,
    userId: connection.slackUserId,
  }));
  const byOrganization = new Map<number, number[]>();
  for (const connection of ended)
    byOrganization.set(connection.organizationId, [...(byOrganization.get(connection.organizationId) ?? []), connection.id]);
  for (const [organizationId, connectionIds] of byOrganization) {
    let audience = audiences.get(organizationId);
    if (!audience) {
      audience = { admins: (await administratorsOf(tx, organizationId, now)).map((admin) => admin.slackUserId) };
      audiences.set(organizationId, audience);
    }
    for (const admin of audience.admins)
      items.push({ kind: 'connections.ended.summary', organizationId, event, connectionIds, channel: admin });
  }
  for (const userId of new Set(ended.map((connection) => connection.slackUserId))) items.push({ kind: 'home.refresh', userId });
  return items;
}

/** A condition on a connection, in a statement over the Connection table. */
type ConnectionCondition = (eb: ExpressionBuilder<DB, 'Connection'>) => Expression<SqlBool>;

/** True for a connection whose "endsAt" is at or before `cutoff`. */
const endsBy =
  (cutoff: Date): ConnectionCondition =>
  (eb) =>
    eb('endsAt', '<=', cutoff);

/**
 * SQL true for a connection whose grace period is over at `now`. The period is calendar days in
 * its organization's time zone, so when the clocks changed in some zone during the last 30 days
 * that zone's cutoff differs from the others by the change. One cutoff per distinct zone (there
 * are few); an end before the earliest of them is due wherever it is, and only the few ends
 * between the earliest and the latest cutoff are checked against their organization's zone.
 */
async function graceIsOver(prisma: Db, now: Date): Promise<ConnectionCondition> {
  const zones = await prisma.organization.groupBy({ by: ['timeZone'] });
  const cutoffs = zones
    .map(({ timeZone }) => ({ timeZone, cutoff: latestEndPastGrace(now, timeZone) }))
    .sort((one, other) => one.cutoff.getTime() - other.cutoff.getTime());
  const earliest = cutoffs[0]?.cutoff ?? latestEndPastGrace(now, 'UTC'); // no organization, so no connection either
  const later = cutoffs.filter(({ cutoff }) => cutoff > earliest);
  if (later.length === 0) return endsBy(earliest);
  const latest = later.at(-1)!.cutoff;
  return (eb) =>
    eb.and([
      eb('endsAt', '<=', latest),
      eb.or([
        eb('endsAt', '<=', earliest),
        ...later.map(({ timeZone, cutoff }) =>
          eb.and([
            eb('endsAt', '<=', cutoff),
            eb('organizationId', 'in', eb.selectFrom('Organization').select('id').where('timeZone', '=', timeZone)),
          ]),
        ),
      ]),
    ]);
}

async function sweepEnds(prisma: Db, event: ConnectionEndEvent, now: Date): Promise<number> {
  // Expiry is due at the end; removal once the grace period after the end is over.
  const endIsDue = event === 'expired' ? endsBy(now) : await graceIsOver(prisma, now);
  let total = 0;
  // Read once per run: an organization's admins do not change in the seconds a sweep takes.
  const audiences = new Map<number, Audience>();
  for (;;) {
    const ids = await dueConnectionIds(prisma, event === 'expired' ? 'ACTIVE' : 'EXPIRED', endIsDue);
    if (ids.length === 0) return total;
    const moved = await prisma.$transaction(async (tx) => {
      const ended = await endConnections(tx, ids, event, endIsDue, now);
      await appendLogEntries(
        tx,
        ended.map((connection) => ({
          organizationId: connection.organizationId,
          actorLabel: ACTOR.system,
          subjectMemberId: connection.memberId,
          action: event === 'expired' ? LOG_ACTION.connectionExpired : LOG_ACTION.connectionRemoved,
          before: { connectionId: connection.id, status: event === 'expired' ? 'ACTIVE' : 'EXPIRED', endsOn: connection.endsOn },
          after: { connectionId: connection.id, status: event === 'expired' ? 'EXPIRED' : 'REMOVED', endsOn: connection.endsOn },
          note: event === 'expired' ? 'Access reached its end date' : 'Removed 30 days after access ended',
          createdAt: now,
        })),
      );
      await enqueue(tx, await endedMessages(tx, ended, event, audiences, now), now);
      return ended.length;
    }, TRANSACTION_OPTIONS);
    total += moved;
    // Rows another runner moved first are skipped by the compare-and-set; stop when a batch moved nothing.
    if (moved === 0 && ids.length < BATCH) return total;
  }
}

/** A page of active connections that end by the horizon, after the last one of the page before. */
const warningPage = preparedStatement((build, page: { horizon: Date; afterEndsAt: Date; afterId: number }) =>
  build
    .selectFrom('Connection as c')
    .innerJoin('Member as m', 'm.id', 'c.memberId')
    .select(['c.id', 'c.endsAt', 'm.slackUserId'])
    .where('c.status', '=', 'ACTIVE')
    .where('c.endsAt', '<=', page.horizon)
    .where((eb) =>
      eb.or([eb('c.endsAt', '>', page.afterEndsAt), eb.and([eb('c.endsAt', '=', page.afterEndsAt), eb('c.id', '>', page.afterId)])]),
    )
    .orderBy('c.endsAt')
    .orderBy('c.id')
    .limit(BATCH)
    // Ends compared with the horizon are not null.
    .$narrowType<{ endsAt: Date }>(),
);

/** Warns people whose access ends soon, once per end date and lead time. */
async function sweepWarnings(prisma: Db, settings: TimeLimitSettings, now: Date): Promise<number> {
  if (settings.warningLeadDays.length === 0) return 0;
  let warned = 0;
  // Pages follow the (status, endsAt) index, so the time grows with the connections in the warning
  // window rather than with all of them.
  let after = { endsAt: now, id: 0 };
  const horizon = warningHorizon(settings.warningLeadDays, now);
  const sql = sqlOf(prisma);
  for (;;) {
    const rows = await sql.rows(warningPage(sql, { horizon, afterEndsAt: after.endsAt, afterId: after.id }));
    if (rows.length === 0) return warned;
    const last = rows.at(-1)!;
    after = { endsAt: last.endsAt, id: last.id };
    const due = rows.flatMap((row) => {
      const lead = warningDue(row.endsAt, settings.warningLeadDays, now);
      return lead === null
        ? []
        : [
            {
              item: {
                kind: 'connection.warning' as const,
                connectionId: row.id,
                endsAt: row.endsAt.toISOString(),
                leadDays: lead,
                userId: row.slackUserId,
              },
              dedupeKey: warningKey(row.id, row.endsAt, lead),
            },
          ];
    });
    if (due.length > 0) warned += await prisma.$transaction((tx) => enqueueOnce(tx, due, now), TRANSACTION_OPTIONS);
  }
}

/** Deletes invitations six weeks old, code hash and all, with a log entry and a note to whoever sent them. */
async function sweepInvitations(prisma: Db, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const due = await prisma.invitation.findMany({
      where: { status: 'PENDING', expiresAt: { lte: now } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (due.length === 0) return total;
    total += await prisma.$transaction(async (tx) => {
      const sql = sqlOf(tx);
      const deleted = await sql.rows(
        sql.build
          .deleteFrom('Invitation')
          .where(
            'id',
            'in',
            due.map((row) => row.id),
          )
          .where('status', '=', 'PENDING')
          .where('expiresAt', '<=', now)
          .returning(['id', 'organizationId', 'email', 'invitedById']),
      );
      await appendLogEntries(
        tx,
        deleted.map((invitation) => ({
          organizationId: invitation.organizationId,
          actorLabel: ACTOR.system,
          subjectEmail: invitation.email,
          action: LOG_ACTION.invitationExpired,
          before: { invitationId: invitation.id, status: 'PENDING' },
          after: { invitationId: invitation.id, status: 'DELETED' },
          note: 'Not accepted within 6 weeks',
          createdAt: now,
        })),
      );
      const byInviter = new Map<string, { organizationId: number; invitedById: number; emails: string[] }>();
      for (const invitation of deleted) {
        const key = `${invitation.organizationId}:${invitation.invitedById}`;
        const entry = byInviter.get(key) ?? { organizationId: invitation.organizationId, invitedById: invitation.invitedById, emails: [] };
        entry.emails.push(invitation.email);
        byInviter.set(key, entry);
      }
      const inviters = await tx.member.findMany({
        where: { id: { in: [...new Set(deleted.map((row) => row.invitedById))] } },
        select: { id: true, slackUserId: true },
      });
      const slackIdOf = new Map(inviters.map((member) => [member.id, member.slackUserId]));
      await enqueue(
        tx,
        [...byInviter.values()].map((entry) => ({
          kind: 'invitations.expired' as const,
          organizationId: entry.organizationId,
          emails: entry.emails,
          userId: slackIdOf.get(entry.invitedById)!,
        })),
        now,
      );
      return deleted.length;
    }, TRANSACTION_OPTIONS);
  }
}

/**
 * Each admin of an organization where access ends soon gets one digest a day (a day in the
 * organization's time zone), listing who, with buttons to extend or remove their end dates.
 */
async function sweepDigests(prisma: Db, settings: TimeLimitSettings, now: Date): Promise<number> {
  if (settings.warningLeadDays.length === 0) return 0;
  const until = warningHorizon(settings.warningLeadDays, now);
  const sql = sqlOf(prisma);
  const organizations = await sql.rows(
    sql.build
      .selectFrom('Connection as c')
      .innerJoin('Organization as o', 'o.id', 'c.organizationId')
      .select(['c.organizationId', 'o.timeZone'])
      .distinct()
      .where('c.status', '=', 'ACTIVE')
      .where('c.endsAt', '>', now)
      .where('c.endsAt', '<=', until),
  );
  let queued = 0;
  for (const { organizationId, timeZone } of organizations) {
    const day = calendarDateIn(now, timeZone);
    const admins = await administratorsOf(prisma, organizationId, now);
    const digests = admins.map((admin) => ({
      item: { kind: 'expiry.digest' as const, organizationId, day, until: until.toISOString(), userId: admin.slackUserId },
      dedupeKey: `digest:${organizationId}:${day}:${admin.slackUserId}`,
    }));
    if (digests.length > 0) queued += await prisma.$transaction((tx) => enqueueOnce(tx, digests, now), TRANSACTION_OPTIONS);
  }
  return queued;
}

/** An organization about to be left without an Administrator: when, and who its Administrators are now. */
export interface AdministratorsRunningOut {
  organization: OrganizationSummary;
  runsOutAt: Date;
  /** The organization's last day with an Administrator, in its time zone. */
  lastDay: string;
  administrators: PersonSummary[];
}

export async function administratorsRunningOut(prisma: Db, organizationId: number, now: Date): Promise<AdministratorsRunningOut | null> {
  const holders = await holdersOf(prisma, organizationId, PERMISSION.administrator);
  const runsOutAt = administratorsRunOutAt(holders, now);
  const organization = runsOutAt ? await prisma.organization.findUnique({ where: { id: organizationId } }) : null;
  if (!runsOutAt || !organization) return null;
  const administrators = holders
    .filter(({ startsAt, endsAt }) =>
      isConnectionEffective({ organizationId, status: 'ACTIVE', permissions: [PERMISSION.administrator], startsAt, endsAt }, now),
    )
    .map(({ member }) => personSummary(member));
  return {
    organization: organizationSummary(organization),
    runsOutAt,
    lastDay: calendarDateIn(new Date(runsOutAt.getTime() - 1), organization.timeZone),
    administrators,
  };
}

/**
 * Warns an organization's Administrators, and the operators, before the last of them loses
 * access, at the same lead times as personal warnings, once per moment it would run out.
 */
async function sweepLastAdministrators(prisma: Db, settings: TimeLimitSettings, now: Date): Promise<number> {
  if (settings.warningLeadDays.length === 0) return 0;
  const horizon = warningHorizon(settings.warningLeadDays, now);
  const sql = sqlOf(prisma);
  const organizations = await sql.rows(
    sql.build
      .selectFrom('Connection as c')
      .innerJoin('ConnectionPermission as p', (join) =>
        join.onRef('p.connectionId', '=', 'c.id').on('p.permissionKey', '=', PERMISSION.administrator),
      )
      .select('c.organizationId')
      .distinct()
      .where('c.status', '=', 'ACTIVE')
      .where('c.endsAt', '>', now)
      .where('c.endsAt', '<=', horizon),
  );
  let queued = 0;
  for (const { organizationId } of organizations) {
    const runningOut = await administratorsRunningOut(prisma, organizationId, now);
    const lead = runningOut ? warningDue(runningOut.runsOutAt, settings.warningLeadDays, now) : null;
    if (!runningOut || lead === null) continue;
    const recipients = new Set([...runningOut.administrators.map((admin) => admin.slackUserId), ...(settings.operatorUserIds ?? [])]);
    const due = [...recipients].map((userId) => ({
      item: {
        kind: 'administrators.ending' as const,
        organizationId,
        runsOutAt: runningOut.runsOutAt.toISOString(),
        leadDays: lead,
        userId,
      },
      dedupeKey: lastAdministratorWarningKey(organizationId, runningOut.runsOutAt, lead, userId),
    }));
    queued += await prisma.$transaction((tx) => enqueueOnce(tx, due, now), TRANSACTION_OPTIONS);
  }
  return queued;
}

/** The time-limit job: warnings and digests, expiry, removal after the grace period, and expired invitations. */
export async function sweepTimeLimits(prisma: Db, settings: TimeLimitSettings, now: Date): Promise<SweepCounts> {
  const expired = await sweepEnds(prisma, 'expired', now);
  const removed = await sweepEnds(prisma, 'removed', now);
  const warned = (await sweepWarnings(prisma, settings, now)) + (await sweepLastAdministrators(prisma, settings, now));
  const digests = await sweepDigests(prisma, settings, now);
  const invitationsExpired = await sweepInvitations(prisma, now);
  return { warned, digests, expired, removed, invitationsExpired };
}

/** How many people a digest lists. */
const DIGEST_LISTED = 40;

export interface ExpiryDigest {
  organization: OrganizationSummary;
  /** Access ending before `until`, soonest first. */
  endingSoon: Array<ConnectionNotice & { connectionId: number }>;
  /** Access that ended and can still be restored, most recent first. */
  restorable: Array<ConnectionNotice & { connectionId: number }>;
}

/** An admin's digest as it stands now: a person extended since it was queued is no longer listed. */
export async function expiryDigest(prisma: Db, organizationId: number, until: Date, now: Date): Promise<ExpiryDigest | null> {
  const organization = await prisma.organization.findUnique({ where: { id: organizationId } });
  if (!organization) return null;
  const include = { organization: true, member: true } as const;
  const [soon, ended] = await Promise.all([
    prisma.connection.findMany({
      where: { organizationId, status: 'ACTIVE', endsAt: { gt: now, lte: until } },
      include,
      orderBy: { endsAt: 'asc' },
      take: DIGEST_LISTED,
    }),
    prisma.connection.findMany({ where: { organizationId, status: 'EXPIRED' }, include, orderBy: { endsAt: 'desc' }, take: DIGEST_LISTED }),
  ]);
  const notice = (row: (typeof soon)[number]) => ({
    connectionId: row.id,
    organization: organizationSummary(row.organization),
    person: personSummary(row.member),
    status: row.status,
    endsOn: row.endsOn,
    endsAt: row.endsAt,
    restorableUntil: row.status === 'EXPIRED' && row.endsAt ? graceEndsAt(row.endsAt, row.organization.timeZone) : null,
  });
  return { organization: organizationSummary(organization), endingSoon: soon.map(notice), restorable: ended.map(notice) };
}

/** A person's connection as the time-limit messages describe it. */
export interface ConnectionNotice {
  organization: OrganizationSummary;
  person: PersonSummary;
  status: string;
  endsOn: string | null;
  endsAt: Date | null;
  /** For expired access: until when an admin can restore it. */
  restorableUntil: Date | null;
}

export async function connectionNotice(prisma: Db, connectionId: number): Promise<ConnectionNotice | null> {
  const row = await prisma.connection.findUnique({ where: { id: connectionId }, include: { organization: true, member: true } });
  if (!row) return null;
  return {
    organization: organizationSummary(row.organization),
    person: personSummary(row.member),
    status: row.status,
    endsOn: row.endsOn,
    endsAt: row.endsAt,
    restorableUntil: row.status === 'EXPIRED' && row.endsAt ? graceEndsAt(row.endsAt, row.organization.timeZone) : null,
  };
}

export async function connectionNotices(
  prisma: Db,
  connectionIds: readonly number[],
): Promise<Array<ConnectionNotice & { connectionId: number }>> {
  const notices = await Promise.all(
    connectionIds.map(async (connectionId) => {
      const notice = await connectionNotice(prisma, connectionId);
      return notice && { ...notice, connectionId };
    }),
  );
  return notices.filter((notice) => notice !== null);
}

export async function organizationOf(prisma: Db, organizationId: number): Promise<OrganizationSummary | null> {
  const row = await prisma.organization.findUnique({ where: { id: organizationId } });
  return row ? organizationSummary(row) : null;
}

/**
 * An admin moves a connection's end date to a later day, or removes it. Before the end this
 * cancels the warnings that no longer apply (they are checked against the end date when sent);
 * within 30 days after the end it restores access at once. Removed people are invited again instead.
 */
export async function changeEndDate(
  prisma: Db,
  input: { actorSlackUserId: string; connectionId: number; endsOn: string | null; note: string | null },
  now: Date,
): Promise<{ status: 'ACTIVE' }> {
  return prisma.$transaction(async (tx) => {
    // Changes to one connection take turns, so each reads, checks and logs what the one before it left.
    const locked = await lockedConnection(tx, input.actorSlackUserId, input.connectionId, now, 'change end dates there');
    const { connection } = locked;
    const timeZone = locked.admin.organization.timeZone;
    if (connection.status === 'REMOVED' || connection.status === 'SUSPENDED') {
      throw new DomainError('not_restorable', 'This person is no longer connected; invite them again instead.');
    }
    if (connection.status === 'EXPIRED' && !locked.subject.restorable) {
      throw new DomainError('not_restorable', 'The 30 days to restore this access are over; invite them again instead.');
    }
    if (input.endsOn !== null) {
      if (!isCalendarDate(input.endsOn)) throw DomainError.ofFields({ endsOn: 'The end date is not a date.' }, 'bad_date');
      if (input.endsOn < calendarDateIn(now, timeZone)) throw DomainError.ofFields({ endsOn: 'Choose today or a later date.' }, 'bad_date');
    }
    // Expired access given a new end is a restore; the same policy decides both, as in `/access users`.
    requireAllowed(connection.status === 'EXPIRED' ? 'member.restore' : 'member.edit', locked, {
      ...locked.subject,
      status: 'ACTIVE',
      endsOn: input.endsOn,
    });
    const before = termsOf(connection);
    // Conditional on the status checked above: the time-limit job moves connections on without the lock.
    await writeTerms(tx, locked, { ...before, status: 'ACTIVE', endsOn: input.endsOn }, now);
    // Every change of an end date tells the person and the other Administrators.
    await recordChange(
      tx,
      locked,
      {
        action: LOG_ACTION.endDateChanged,
        before,
        after: { ...before, status: 'ACTIVE', endsOn: input.endsOn },
        note: input.note,
        notifyMember: true,
      },
      now,
    );
    return { status: 'ACTIVE' as const };
  }, TRANSACTION_OPTIONS);
}

export interface RequestAgeSettings {
  reminderAfterDays: number;
  expiryAfterDays: number;
}

/**
 * Pending requests: admins are reminded once of a request waiting `reminderAfterDays`, and a
 * request undecided after `expiryAfterDays` expires, its cards say so and its requester is told.
 */
export async function sweepRequests(prisma: Db, settings: RequestAgeSettings, now: Date): Promise<{ reminded: number; expired: number }> {
  let reminded = 0;
  let expired = 0;
  // Both are elapsed days: a request's age is the same for every organization, and for the
  // operators' triage, where a request has no organization and so no calendar.
  const expireBefore = addElapsedDays(now, -settings.expiryAfterDays);
  for (;;) {
    const due = await prisma.accessRequest.findMany({
      where: { status: 'PENDING', createdAt: { lte: expireBefore } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (due.length === 0) break;
    expired += await prisma.$transaction(async (tx) => {
      const sql = sqlOf(tx);
      const ended = await sql.rows(
        sql.build
          .updateTable('AccessRequest')
          .set({ status: 'EXPIRED', updatedAt: now })
          .where(
            'id',
            'in',
            due.map((row) => row.id),
          )
          .where('status', '=', 'PENDING')
          .where('createdAt', '<=', expireBefore)
          .returning(['id', 'organizationId', 'requesterId']),
      );
      await appendLogEntries(
        tx,
        ended
          .filter((request) => request.organizationId !== null)
          .map((request) => ({
            organizationId: request.organizationId,
            actorLabel: ACTOR.system,
            subjectMemberId: request.requesterId,
            action: LOG_ACTION.requestExpired,
            before: { requestId: request.id, status: 'PENDING' },
            after: { requestId: request.id, status: 'EXPIRED' },
            note: `Not decided within ${settings.expiryAfterDays} days`,
            createdAt: now,
          })),
      );
      const requesters = await tx.member.findMany({
        where: { id: { in: ended.map((request) => request.requesterId) } },
        select: { id: true, slackUserId: true },
      });
      const slackIdOf = new Map(requesters.map((member) => [member.id, member.slackUserId]));
      await enqueue(
        tx,
        ended.flatMap((request): OutboxItem[] => [
          { kind: 'request.refresh', requestId: request.id },
          { kind: 'request.expired', requestId: request.id, userId: slackIdOf.get(request.requesterId)! },
          { kind: 'home.refresh', userId: slackIdOf.get(request.requesterId)! },
        ]),
        now,
      );
      return ended.length;
    }, TRANSACTION_OPTIONS);
  }
  const remindBefore = addElapsedDays(now, -settings.reminderAfterDays);
  for (;;) {
    const due = await prisma.accessRequest.findMany({
      where: { status: 'PENDING', remindedAt: null, organizationId: { not: null }, createdAt: { lte: remindBefore } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    if (due.length === 0) break;
    reminded += await prisma.$transaction(async (tx) => {
      const sql = sqlOf(tx);
      const marked = await sql.rows(
        sql.build
          .updateTable('AccessRequest')
          .set({ remindedAt: now })
          .where(
            'id',
            'in',
            due.map((row) => row.id),
          )
          .where('status', '=', 'PENDING')
          .where('remindedAt', 'is', null)
          .where('organizationId', 'is not', null)
          .returning(['id', 'organizationId', 'requesterId'])
          .$narrowType<{ organizationId: number }>(),
      );
      const items: OutboxItem[] = [];
      for (const request of marked) {
        for (const admin of await administratorsOf(tx, request.organizationId, now)) {
          if (admin.id !== request.requesterId) items.push({ kind: 'request.reminder', requestId: request.id, userId: admin.slackUserId });
        }
      }
      await enqueue(tx, items, now);
      return marked.length;
    }, TRANSACTION_OPTIONS);
  }
  return { reminded, expired };
}
