import { TRANSACTION_OPTIONS, type Db, type Tx } from '../db/client.js';
import { activateConnection, claimPendingRequest } from '../db/connection-writes.js';
import { lockKeys, LOCK } from '../db/locks.js';
import { appendLogEntry } from '../db/permission-log.js';
import { checkRequestedAccess, permissionsToRequest, type FieldErrors } from '../domain/access-requests.js';
import { calendarDateIn, endOfDayIn, isCalendarDate, startOfDayIn } from '../domain/dates.js';
import { DomainError, refuseFields } from '../domain/errors.js';
import type { OutboxItem, RequestRouting } from '../domain/outbox-messages.js';
import { connectionSnapshot, LOG_ACTION } from '../domain/permissions-log.js';
import {
  mayDecideRequest,
  mayTriage,
  mayWithdrawRequest,
  NOT_IN_TRIAGE,
  type PolicyDecision,
  type RequestFacts,
  type TriageFacts,
} from '../domain/policy.js';
import type { CallerSettings, PermissionInfo, RequestCardModel, RequestDecision, UnlistedOrganization } from '../domain/read-models.js';
import { callerSettingErrors, callerSettingsFor, isAuthorizedCallerInvitation } from '../domain/invitations.js';
import { memberFor, profileNeedsRefresh, type SlackProfile } from './members.js';
import { enqueue } from './outbox.js';
import { connectionsTo, requestWithPeople } from '../db/joined-reads.js';
import { insertMemberIfAbsent } from '../db/member-writes.js';
import type { SqlDatabase, SqlTarget } from '../db/sql.js';
import {
  administratorsOf,
  connectionFacts,
  heldPermissionKeys,
  permissionCatalog,
  permissionsFor,
  personSummary,
  requestCardFrom,
  requesterConnections,
} from './read-models.js';

export interface Settings {
  triageChannelId?: string;
  operatorUserIds: readonly string[];
}

export interface RequestSubmission {
  requester: SlackProfile;
  organizationId: number | null;
  unlisted: UnlistedOrganization | null;
  permissions: string[];
  purpose: string;
  /** Identifies the Slack submission, so a retried delivery creates nothing new. */
  submissionKey: string;
}

export interface SubmitResult {
  requestId: number;
  routing: RequestRouting;
  duplicate: boolean;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The cards and notes that put a pending request in front of the people who can decide it. */
async function routingMessages(
  tx: Tx,
  request: { id: number; requesterId: number; organizationId: number | null },
  settings: Settings,
  now: Date,
): Promise<{ routing: RequestRouting; items: OutboxItem[] }> {
  const organization = request.organizationId ? await tx.organization.findUnique({ where: { id: request.organizationId } }) : null;
  const deciders = organization
    ? (await administratorsOf(tx, organization.id, now)).filter((admin) => admin.id !== request.requesterId)
    : [];
  if (organization && deciders.length > 0) {
    const items: OutboxItem[] = deciders.map((admin) => ({
      kind: 'request.card',
      requestId: request.id,
      audience: 'admin',
      channel: admin.slackUserId,
    }));
    if (organization.adminChannelId) {
      items.push({ kind: 'request.card', requestId: request.id, audience: 'admin', channel: organization.adminChannelId });
    }
    items.push(...deciders.map((admin): OutboxItem => ({ kind: 'home.refresh', userId: admin.slackUserId })));
    return { routing: 'admins', items };
  }
  // Without a triage channel the operators get the card by DM; without operators either, nobody does.
  const triageChannels = settings.triageChannelId ? [settings.triageChannelId] : settings.operatorUserIds;
  const items = triageChannels.map((channel): OutboxItem => ({ kind: 'request.card', requestId: request.id, audience: 'triage', channel }));
  if (triageChannels.length === 0) return { routing: organization ? 'unattended-no-admin' : 'unattended-unlisted', items };
  return { routing: organization ? 'triage-no-admin' : 'triage-unlisted', items };
}

export async function submitAccessRequest(prisma: Db, submission: RequestSubmission, settings: Settings, now: Date): Promise<SubmitResult> {
  return prisma.$transaction(async (tx) => {
    // One submission of a person's at a time, so two cannot both find no request waiting.
    await lockKeys(tx, LOCK.requestsOf(submission.requester.slackUserId));
    const requester = await memberFor(tx, submission.requester);
    const earlier = await tx.accessRequest.findUnique({ where: { submissionKey: submission.submissionKey } });
    if (earlier) {
      const { routing } = await routingMessages(tx, earlier, settings, now);
      return { requestId: earlier.id, routing, duplicate: true };
    }

    const fieldErrors: FieldErrors = {};
    let organizationId = submission.organizationId;
    let unlisted = submission.unlisted;
    if (unlisted?.customerNumber) {
      const match = await tx.organization.findUnique({ where: { customerNumber: unlisted.customerNumber } });
      if (!match) {
        fieldErrors.customerNumber = `No organization has customer number ${unlisted.customerNumber}. Check it, or leave it empty.`;
      } else {
        // The number names an organization Gatehouse knows, so the request goes to its admins.
        organizationId = match.id;
        unlisted = null;
      }
    }
    if (organizationId === null && unlisted === null) fieldErrors.organization = 'Choose your organization, or tick "not listed".';
    const organization = organizationId ? await tx.organization.findUnique({ where: { id: organizationId } }) : null;
    if (organizationId !== null && !organization) fieldErrors.organization = 'That organization no longer exists; choose again.';

    const catalog = permissionCatalog();
    const held = organization ? await heldPermissionKeys(tx, requester.id, organization.id) : new Set<string>();
    Object.assign(fieldErrors, checkRequestedAccess(submission, new Set(catalog.map((permission) => permission.key)), held));
    if (organization) {
      const open = await tx.accessRequest.findFirst({
        where: { requesterId: requester.id, organizationId: organization.id, status: 'PENDING' },
      });
      if (open) {
        fieldErrors.organization = `You already have a request waiting for ${organization.name}. Withdraw it to ask again.`;
      }
    }
    refuseFields(fieldErrors);

    const request = await tx.accessRequest.create({
      data: {
        requesterId: requester.id,
        organizationId: organization?.id ?? null,
        unlistedCustomerNumber: unlisted?.customerNumber ?? null,
        unlistedName: unlisted?.name ?? null,
        unlistedAcronym: unlisted?.acronym ?? null,
        unlistedDepartment: unlisted?.department ?? null,
        unlistedCity: unlisted?.city ?? null,
        purpose: submission.purpose.trim(),
        requestedPermissions: permissionsToRequest(submission.permissions, held),
        submissionKey: submission.submissionKey,
        createdAt: now,
      },
    });
    if (organization) {
      await appendLogEntry(tx, {
        organizationId: organization.id,
        actorId: requester.id,
        subjectMemberId: requester.id,
        action: LOG_ACTION.requestSubmitted,
        after: { requestId: request.id, permissions: stringList(request.requestedPermissions) },
        note: request.purpose,
        createdAt: now,
      });
    }
    const { routing, items } = await routingMessages(tx, request, settings, now);
    if (routing !== 'admins') await tx.accessRequest.update({ where: { id: request.id }, data: { inTriage: true } });
    await enqueue(
      tx,
      [
        { kind: 'request.receipt', requestId: request.id, userId: requester.slackUserId, routing },
        ...items,
        { kind: 'home.refresh', userId: requester.slackUserId },
      ],
      now,
    );
    return { requestId: request.id, routing, duplicate: false };
  }, TRANSACTION_OPTIONS);
}

export interface DecisionInput {
  requestId: number;
  actor: SlackProfile;
  outcome: 'APPROVED' | 'DENIED';
  /** Approvals: the permissions the person ends up with. */
  granted?: string[];
  /** Approvals: a calendar date, YYYY-MM-DD, or null for no end. */
  endsOn?: string | null;
  /** Approvals: the first day of access, or null for right away. */
  startsOn?: string | null;
  tags?: string[];
  /** Approvals granting both support permissions: the authorized caller's settings, which they require. */
  caller?: CallerSettings | null;
  /** The log note of an approval, or the reason for a denial. */
  note: string | null;
  notify: boolean;
  /** Decisions in triage are made by operators rather than the organization's admins. */
  inTriage?: boolean;
}

export type DecisionResult =
  { ok: true; requestId: number } | { ok: false; alreadyDecided: RequestDecision | { outcome: 'WITHDRAWN' | 'EXPIRED'; at: Date } };

/** How a request that is no longer pending ended: who decided and when, or when it was withdrawn or expired. */
export async function outcomeSoFar(reader: SqlTarget, requestId: number) {
  const row = (await requestWithPeople(reader, requestId, null))?.request;
  if (!row) throw new DomainError('unknown_request', 'That request no longer exists.');
  if ((row.status === 'APPROVED' || row.status === 'DENIED') && row.decidedBy && row.decidedAt) {
    const catalog = permissionCatalog();
    return {
      outcome: row.status,
      by: personSummary(row.decidedBy),
      at: row.decidedAt,
      granted: permissionsFor(stringList(row.grantedPermissions), catalog),
      note: row.decisionNote,
      endsOn: null,
    } satisfies RequestDecision;
  }
  return { outcome: row.status === 'EXPIRED' ? ('EXPIRED' as const) : ('WITHDRAWN' as const), at: row.updatedAt };
}

/**
 * Approves or denies a pending request. The status change is a compare-and-set, so of several
 * admins acting at once exactly one decides; the others get what happened instead.
 */
export async function decideRequest(database: SqlDatabase, input: DecisionInput, settings: Settings, now: Date): Promise<DecisionResult> {
  // Hand-written SQL straight on the driver: this is the busiest transaction, and the ORM's
  // per-statement cost was most of its time.
  return database.transaction(async (tx) => {
    const loaded = await requestWithPeople(tx, input.requestId, input.actor.slackUserId);
    if (!loaded) throw new DomainError('unknown_request', 'That request no longer exists.');
    const { request } = loaded;
    const [actorConnection = null] =
      request.organizationId !== null && loaded.actor
        ? (await connectionsTo(tx, request.organizationId, [loaded.actor.id])).filter((connection) => connection.status !== 'REMOVED')
        : [];
    const facts = {
      requesterId: request.requesterId,
      organizationId: request.organizationId,
      organizationName: request.organization?.name ?? null,
    };
    const verdict = decisionVerdict(
      input.actor.slackUserId,
      loaded.actor,
      actorConnection,
      { ...facts, status: request.status, inTriage: request.inTriage },
      input.inTriage ?? false,
      settings,
      now,
    );
    if (!verdict.allowed) throw new DomainError('forbidden', verdict.reason);
    if (input.inTriage && input.outcome === 'APPROVED') {
      throw new DomainError('forbidden', 'Requests in triage are matched to an organization, whose admins then decide them.');
    }
    // Operators deciding in triage may be new to Gatehouse; the decision is recorded against their member record.
    const actor = loaded.actor ?? (await insertMemberIfAbsent(tx, input.actor.slackUserId, now));

    const catalogKeys = new Set(permissionCatalog().map((permission) => permission.key));
    const granted = [...new Set(input.granted ?? [])];
    if (input.outcome === 'APPROVED') {
      if (granted.length === 0)
        throw DomainError.ofFields({ permissions: 'Choose at least one permission to grant, or deny the request.' }, 'nothing_granted');
      if (granted.some((key) => !catalogKeys.has(key)))
        throw DomainError.ofFields({ permissions: 'Some permissions no longer exist.' }, 'unknown_permission');
      if (input.endsOn && !isCalendarDate(input.endsOn)) throw DomainError.ofFields({ endsOn: 'The end date is not a date.' }, 'bad_date');
      const today = request.organization ? calendarDateIn(now, request.organization.timeZone) : null;
      if (input.endsOn && today && input.endsOn < today) {
        throw DomainError.ofFields({ endsOn: 'Choose today or a later date, or leave it empty for access without an end.' }, 'bad_date');
      }
      if (input.startsOn && !isCalendarDate(input.startsOn))
        throw DomainError.ofFields({ startsOn: 'The start date is not a date.' }, 'bad_start_date');
      if (input.startsOn && input.endsOn && input.startsOn > input.endsOn) {
        throw DomainError.ofFields({ startsOn: 'Access has to start on or before its last day.' }, 'bad_start_date');
      }
      if (isAuthorizedCallerInvitation(granted)) refuseFields(callerSettingErrors(input.caller ?? null));
    }

    const claimed = await claimPendingRequest(tx, {
      requestId: request.id,
      outcome: input.outcome,
      decidedById: actor.id,
      note: input.note,
      granted: input.outcome === 'APPROVED' ? granted : null,
      onlyInTriage: input.inTriage ?? false,
      at: now,
    });
    if (!claimed) {
      // An operator's denial also loses to a routing that committed first.
      const current = (await requestWithPeople(tx, request.id, null))?.request;
      if (current?.status === 'PENDING') throw new DomainError('not_in_triage', NOT_IN_TRIAGE);
      return { ok: false, alreadyDecided: await outcomeSoFar(tx, request.id) };
    }

    const organization = request.organization;
    // Read once this decision has won, under the lock an invitation accepted at this moment takes
    // too: one of the two changes the connection after the other.
    if (organization) await lockKeys(tx, LOCK.connection(organization.id, request.requesterId));
    const [existing = null] = organization ? await connectionsTo(tx, organization.id, [request.requesterId]) : [];
    const before = existing && existing.status !== 'REMOVED' ? existing : null;
    const beforeSnapshot = before
      ? connectionSnapshot({ ...before, permissions: before.permissions.map((grant) => grant.permissionKey) })
      : null;
    let afterSnapshot = beforeSnapshot;
    if (input.outcome === 'APPROVED' && organization) {
      const endsOn = input.endsOn ?? null;
      const startsOn = input.startsOn ?? null;
      const tags = input.tags ?? [];
      // Approving replaces what the person held with exactly what was granted.
      await activateConnection(tx, {
        organizationId: organization.id,
        memberId: request.requesterId,
        permissions: granted,
        tags,
        startsOn,
        startsAt: startsOn ? startOfDayIn(startsOn, organization.timeZone) : null,
        endsOn,
        endsAt: endsOn ? endOfDayIn(endsOn, organization.timeZone) : null,
        // Caller settings go with both support permissions; without them any earlier ones are cleared.
        caller: callerSettingsFor(granted, input.caller ?? null),
        connectedById: actor.id,
        at: now,
      });
      afterSnapshot = connectionSnapshot({ status: 'ACTIVE', permissions: granted, tags, startsOn, endsOn });
    }

    const logEntryId = await appendLogEntry(tx, {
      organizationId: organization?.id ?? null,
      actorId: actor.id,
      subjectMemberId: request.requesterId,
      action: input.outcome === 'APPROVED' ? LOG_ACTION.requestApproved : LOG_ACTION.requestDenied,
      before: beforeSnapshot ? { ...beforeSnapshot, requestId: request.id } : { requestId: request.id },
      after: afterSnapshot ? { ...afterSnapshot, requestId: request.id } : { requestId: request.id },
      note: input.note,
      createdAt: now,
    });

    const admins = organization ? await administratorsOf(tx, organization.id, now) : [];
    const items: OutboxItem[] = [{ kind: 'request.refresh', requestId: request.id }];
    if (input.notify) items.push({ kind: 'request.outcome', requestId: request.id, userId: request.requester.slackUserId });
    if (input.outcome === 'APPROVED') {
      for (const admin of admins) {
        if (admin.id === actor.id || admin.id === request.requesterId) continue;
        items.push({ kind: 'permissions.changed', logEntryId, userId: admin.slackUserId });
      }
    }
    const homes = new Set([request.requester.slackUserId, actor.slackUserId, ...admins.map((admin) => admin.slackUserId)]);
    items.push(...[...homes].map((userId): OutboxItem => ({ kind: 'home.refresh', userId })));
    await enqueue(tx, items, now);
    return { ok: true, requestId: request.id };
  });
}

export type WithdrawResult = { ok: true } | { ok: false; alreadyDecided: Awaited<ReturnType<typeof outcomeSoFar>> };

/** The requester takes back a pending request. Nobody is notified; the cards say it was withdrawn. */
export async function withdrawRequest(prisma: Db, input: { requestId: number; actor: SlackProfile }, now: Date): Promise<WithdrawResult> {
  return prisma.$transaction(async (tx) => {
    const request = await tx.accessRequest.findUnique({ where: { id: input.requestId }, include: { organization: true } });
    if (!request) throw new DomainError('unknown_request', 'That request no longer exists.');
    const actor = await tx.member.findUnique({ where: { slackUserId: input.actor.slackUserId } });
    const verdict = mayWithdrawRequest(actor?.id ?? null, {
      requesterId: request.requesterId,
      organizationId: request.organizationId,
      organizationName: request.organization?.name ?? null,
    });
    if (!verdict.allowed) throw new DomainError('forbidden', verdict.reason);
    const claimed = await tx.accessRequest.updateMany({
      where: { id: request.id, status: 'PENDING' },
      data: { status: 'WITHDRAWN', updatedAt: now },
    });
    if (claimed.count === 0) return { ok: false, alreadyDecided: await outcomeSoFar(tx, request.id) };
    if (request.organizationId) {
      await appendLogEntry(tx, {
        organizationId: request.organizationId,
        actorId: actor!.id,
        subjectMemberId: request.requesterId,
        action: LOG_ACTION.requestWithdrawn,
        before: { requestId: request.id, status: 'PENDING' },
        after: { requestId: request.id, status: 'WITHDRAWN' },
        createdAt: now,
      });
    }
    const admins = request.organizationId ? await administratorsOf(tx, request.organizationId, now) : [];
    await enqueue(
      tx,
      [
        { kind: 'request.refresh', requestId: request.id },
        { kind: 'home.refresh', userId: input.actor.slackUserId },
        ...admins.map((admin): OutboxItem => ({ kind: 'home.refresh', userId: admin.slackUserId })),
      ],
      now,
    );
    return { ok: true };
  }, TRANSACTION_OPTIONS);
}

/** An operator matches a request in triage to an organization, whose admins then get it. */
export async function routeTriagedRequest(
  prisma: Db,
  input: { requestId: number; organizationId: number; actor: SlackProfile },
  settings: Settings,
  now: Date,
): Promise<{ organizationName: string }> {
  return prisma.$transaction(async (tx) => {
    const operator = mayTriage(input.actor.slackUserId, settings.operatorUserIds);
    if (!operator.allowed) throw new DomainError('forbidden', operator.reason);
    const request = await tx.accessRequest.findUnique({ where: { id: input.requestId } });
    if (!request || request.status !== 'PENDING') throw new DomainError('not_pending', 'This request is no longer waiting.');
    const verdict = mayTriage(input.actor.slackUserId, settings.operatorUserIds, request);
    if (!verdict.allowed) throw new DomainError('forbidden', verdict.reason);
    const organization = await tx.organization.findUnique({ where: { id: input.organizationId } });
    if (!organization) throw new DomainError('unknown_organization', 'That organization no longer exists.');
    const deciders = (await administratorsOf(tx, organization.id, now)).filter((admin) => admin.id !== request.requesterId);
    if (deciders.length === 0) {
      throw new DomainError(
        'no_administrator',
        `${organization.name} has no Administrator yet. Add one with \`gatehouse admin add ${organization.customerNumber} U…\` first.`,
      );
    }
    const requester = await tx.member.findUniqueOrThrow({ where: { id: request.requesterId } });
    // The requester's own submissions take this lock too, so the check below stays true until commit.
    await lockKeys(tx, LOCK.requestsOf(requester.slackUserId));
    const pendingThere = await tx.accessRequest.findFirst({
      where: { requesterId: request.requesterId, organizationId: organization.id, status: 'PENDING', id: { not: request.id } },
    });
    if (pendingThere) throw new DomainError('duplicate', `This person already has a request waiting for ${organization.name}.`);
    const actor = await memberFor(tx, input.actor);
    const moved = await tx.accessRequest.updateMany({
      where: { id: request.id, status: 'PENDING', inTriage: true },
      data: { organizationId: organization.id, inTriage: false, updatedAt: now },
    });
    if (moved.count === 0) throw new DomainError('not_pending', 'This request is no longer waiting in triage.');
    await appendLogEntry(tx, {
      organizationId: organization.id,
      actorId: actor.id,
      subjectMemberId: request.requesterId,
      action: LOG_ACTION.requestRouted,
      before: { requestId: request.id, organizationId: request.organizationId },
      after: { requestId: request.id, organizationId: organization.id },
      note: 'Matched to this organization in triage',
      createdAt: now,
    });
    const { items } = await routingMessages(tx, { ...request, organizationId: organization.id }, settings, now);
    await enqueue(
      tx,
      [{ kind: 'request.refresh', requestId: request.id }, ...items, { kind: 'home.refresh', userId: requester.slackUserId }],
      now,
    );
    return { organizationName: organization.name };
  }, TRANSACTION_OPTIONS);
}

export type DecisionFormData = (
  { ok: true; card: RequestCardModel; catalog: PermissionInfo[] } | { ok: false; alreadyDecided: Awaited<ReturnType<typeof outcomeSoFar>> }
) & {
  /** Whether Gatehouse should ask Slack again for the actor's name and email. */
  actorProfileStale: boolean;
};

/**
 * What the Approve or Deny form shows, once policy has said the actor may decide the request.
 * Refuses with a DomainError otherwise; a request no longer pending comes back as its outcome.
 */
export async function decisionForm(
  database: SqlTarget,
  input: { requestId: number; actor: SlackProfile; inTriage?: boolean },
  settings: Settings,
  now: Date,
): Promise<DecisionFormData> {
  const loaded = await requestWithPeople(database, input.requestId, input.actor.slackUserId);
  if (!loaded) throw new DomainError('unknown_request', 'That request no longer exists.');
  const { request, actor } = loaded;
  const connections = await requesterConnections(database, request, actor ? [actor.id] : []);
  const { card, catalog } = requestCardFrom(request, connections);
  const connection = connections.find((candidate) => candidate.memberId === actor?.id && candidate.status !== 'REMOVED') ?? null;
  const verdict = decisionVerdict(
    input.actor.slackUserId,
    actor,
    connection,
    {
      requesterId: request.requesterId,
      organizationId: request.organizationId,
      organizationName: request.organization?.name ?? null,
      status: request.status,
      inTriage: request.inTriage,
    },
    input.inTriage ?? false,
    settings,
    now,
  );
  if (!verdict.allowed) throw new DomainError('forbidden', verdict.reason);
  const actorProfileStale = profileNeedsRefresh(input.actor.slackUserId, actor, now);
  if (card.status !== 'PENDING') return { ok: false, alreadyDecided: await outcomeSoFar(database, card.requestId), actorProfileStale };
  return { ok: true, card, catalog, actorProfileStale };
}

/** Admins decide their organization's requests; in triage, operators do. Nobody decides their own. */
function decisionVerdict(
  actorSlackUserId: string,
  actor: { id: number } | null,
  actorConnection: Parameters<typeof connectionFacts>[0] | null,
  request: RequestFacts & TriageFacts,
  inTriage: boolean,
  settings: Settings,
  now: Date,
): PolicyDecision {
  if (inTriage) {
    return actor?.id === request.requesterId
      ? mayDecideRequest({ memberId: actor.id, connection: null }, request, now)
      : mayTriage(actorSlackUserId, settings.operatorUserIds, request);
  }
  return mayDecideRequest(
    { memberId: actor?.id ?? null, connection: actorConnection ? connectionFacts(actorConnection) : null },
    request,
    now,
  );
}
