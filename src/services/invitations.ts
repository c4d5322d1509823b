import { TRANSACTION_OPTIONS, type Db, type Tx } from '../db/client.js';
import { insertRows } from '../db/bulk-insert.js';
import { Prisma } from '../db/generated/sqlite/client.js';
import {
  deleteDraft,
  organizationAndMember,
  readDraft,
  type InviteDraftRow,
  saveDraftAddresses,
  saveDraftGrant,
  saveDraftSending,
  saveInvalidEntries,
} from '../db/invite-drafts.js';
import { activateConnection } from '../db/connection-writes.js';
import { lockKeys, LOCK } from '../db/locks.js';
import { connectionsTo } from '../db/joined-reads.js';
import { appendLogEntries, appendLogEntry } from '../db/permission-log.js';
import { calendarDateIn, endOfDayIn, isCalendarDate, startOfDayIn } from '../domain/dates.js';
import { mergeAddressLists, MAX_ADDRESSES_PER_INVITATION, parseAddressList } from '../domain/email-addresses.js';
import { DomainError } from '../domain/errors.js';
import {
  callerSettingsFor,
  checkInvitationGrant,
  classifyAddresses,
  CODE_ATTEMPT_LIMIT,
  grantablePermissions,
  hasAnyAdminRole,
  isAuthorizedCallerInvitation,
  mayGrant,
  mayInvite,
  requireInvitationTextsFit,
  type CodeRefusal,
  type InvitationFieldErrors,
} from '../domain/invitations.js';
import {
  hashInvitationToken,
  invitationExpiresAt,
  isInvitationExpired,
  newInvitationToken,
  sealInvitationCode,
} from '../domain/invitation-tokens.js';
import type { OutboxItem } from '../domain/outbox-messages.js';
import { connectionSnapshot, LOG_ACTION } from '../domain/permissions-log.js';
import { accessAfter, lossesConfirmed, recordedScope, scopeOf, type AccessChange, type AccessTerms } from '../domain/admin-scope.js';
import { adminRolesOf, isConnectionEffective, mayChangeAccessOf, type AdminRoles } from '../domain/policy.js';
import {
  INVITATION_LANGUAGES,
  type AcceptedInvitation,
  type CallerSettings,
  type InvitationLanguage,
  type InvitationSummary,
  type InviteChoices,
  type InviteDraftModel,
  type InviteStepModel,
  type OrganizationSummary,
  type PermissionChangeInfo,
  type PermissionInfo,
} from '../domain/read-models.js';
import { memberFor, type SlackProfile } from './members.js';
import { enqueue } from './outbox.js';
import { administratorsOf, connectionFacts, organizationSummary, permissionCatalog, permissionsFor, personSummary } from './read-models.js';

type Reader = Db | Tx;

/** Addresses per IN list: far below either database's parameter limit. */
const ADDRESSES_PER_QUERY = 500;

export interface InvitationSettings {
  /** Seals codes while they wait in the outbox (see invitationSealingKey). */
  sealingKey: Buffer;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function languageOf(value: string): InvitationLanguage {
  return (INVITATION_LANGUAGES as readonly string[]).includes(value) ? (value as InvitationLanguage) : 'en';
}

function callerOf(row: { callerSupportLevel: 'STANDARD' | 'PREMIUM' | null; callerLevel: string | null }): CallerSettings | null {
  return row.callerSupportLevel ? { supportLevel: row.callerSupportLevel, callerLevel: row.callerLevel } : null;
}

interface ActingAdmin {
  member: { id: number; slackUserId: string; displayName: string; email: string | null };
  organization: OrganizationSummary & { auditChannelId: string | null };
  roles: AdminRoles;
}

/** The actor's admin roles in an organization, refusing anyone who holds none there. */
async function actingAdmin(reader: Reader, actorSlackUserId: string, organizationId: number, now: Date): Promise<ActingAdmin> {
  const row = await organizationAndMember(reader, organizationId, actorSlackUserId);
  if (!row) throw new DomainError('unknown_organization', 'That organization no longer exists.');
  const [connection] = row.memberId !== null ? await connectionsTo(reader, organizationId, [row.memberId]) : [];
  const roles = adminRolesOf(connection && connection.status !== 'REMOVED' ? connectionFacts(connection) : null, now);
  const verdict = mayInvite(roles, row.name);
  if (!verdict.allowed || row.memberId === null) {
    throw new DomainError('forbidden', verdict.allowed ? 'Only administrators can invite people.' : verdict.reason);
  }
  return {
    member: { id: row.memberId, slackUserId: actorSlackUserId, displayName: row.memberDisplayName ?? actorSlackUserId, email: row.memberEmail },
    organization: { ...organizationSummary(row), auditChannelId: row.auditChannelId },
    roles,
  };
}

/** Organizations this person can invite people to, with their roles there. */
export async function invitableOrganizations(prisma: Db, actorSlackUserId: string, now: Date): Promise<OrganizationSummary[]> {
  const member = await prisma.member.findUnique({ where: { slackUserId: actorSlackUserId } });
  if (!member) return [];
  const connections = await prisma.connection.findMany({
    where: { memberId: member.id, status: 'ACTIVE' },
    include: { organization: true, permissions: { select: { permissionKey: true } } },
    orderBy: { organization: { name: 'asc' } },
  });
  return connections
    .filter((connection) => hasAnyAdminRole(adminRolesOf(connectionFacts(connection), now)))
    .map((connection) => organizationSummary(connection.organization));
}

/**
 * How each address stands with the organization: an active user, a pending invitee, or new.
 * Written as SQL because the ORM compiles a plan for each list length, and a 1000-address list
 * cost more memory that way than the whole invitation.
 */
async function standings(reader: Reader, organizationId: number, addresses: readonly string[], now: Date) {
  const connected = new Set<string>();
  const pending = new Set<string>();
  for (let start = 0; start < addresses.length; start += ADDRESSES_PER_QUERY) {
    const list = Prisma.join(addresses.slice(start, start + ADDRESSES_PER_QUERY));
    const members = await reader.$queryRaw<Array<{ email: string }>>`
      SELECT DISTINCT m."email" AS "email" FROM "Member" m
      JOIN "Connection" c ON c."memberId" = m."id" AND c."organizationId" = ${organizationId} AND c."status" <> 'REMOVED'
      WHERE m."email" IN (${list})`;
    for (const member of members) connected.add(member.email);
    const invitations = await reader.$queryRaw<Array<{ email: string }>>`
      SELECT DISTINCT "email" FROM "Invitation"
      WHERE "organizationId" = ${organizationId} AND "status" = 'PENDING' AND "expiresAt" > ${now} AND "email" IN (${list})`;
    for (const invitation of invitations) pending.add(invitation.email);
  }
  return { connected, pending };
}

async function draftModel(reader: Reader, draft: { id: number; addresses: unknown; invalidEntries: unknown; duplicates: number }, organization: OrganizationSummary, now: Date): Promise<InviteDraftModel> {
  const valid = stringList(draft.addresses);
  const { connected, pending } = await standings(reader, organization.id, valid, now);
  const classified = classifyAddresses(
    { valid, invalid: stringList(draft.invalidEntries), duplicates: draft.duplicates },
    (address) => (connected.has(address) ? 'connected' : pending.has(address) ? 'pending' : 'new'),
  );
  return {
    draftId: draft.id,
    organization,
    invalid: classified.invalid,
    connected: classified.connected,
    pending: classified.pending,
    fresh: classified.fresh,
    duplicates: classified.duplicates,
  };
}

async function loadDraft(reader: Reader, draftId: number, actorSlackUserId: string, now: Date) {
  const draft = await readDraft(reader, draftId);
  if (!draft || draft.authorSlackUserId !== actorSlackUserId) {
    throw new DomainError('unknown_draft', 'This invitation was closed or sent already. Start again with `/access invite`.');
  }
  const admin = await actingAdmin(reader, actorSlackUserId, draft.organizationId, now);
  return { draft, admin };
}

export type AddressCheck = { ok: true; draft: InviteDraftModel } | { ok: false; fieldErrors: InvitationFieldErrors };

/**
 * Step 1: reads pasted addresses into a draft. Slack caps one text box at 3000 characters, so a
 * long list arrives in several pastes: each adds to the admin's draft, repeats folded, up to the
 * limit for one invitation.
 */
export async function checkAddresses(
  prisma: Db,
  input: { actorSlackUserId: string; organizationId: number; text: string; draftId: number | null },
  now: Date,
): Promise<AddressCheck> {
  return prisma.$transaction(async (tx) => {
    // Pastes into one draft take turns, so each adds to what the one before it stored.
    if (input.draftId) await lockKeys(tx, LOCK.draft(input.draftId));
    return addAddresses(tx, input, now);
  }, TRANSACTION_OPTIONS);
}

async function addAddresses(
  tx: Tx,
  input: { actorSlackUserId: string; organizationId: number; text: string; draftId: number | null },
  now: Date,
): Promise<AddressCheck> {
  const earlier = input.draftId ? await loadDraft(tx, input.draftId, input.actorSlackUserId, now) : null;
  const admin = earlier?.admin ?? (await actingAdmin(tx, input.actorSlackUserId, input.organizationId, now));
  const pasted = parseAddressList(input.text);
  const parsed = earlier
    ? mergeAddressLists(
        { valid: stringList(earlier.draft.addresses), invalid: stringList(earlier.draft.invalidEntries), duplicates: earlier.draft.duplicates },
        pasted,
      )
    : pasted;
  const count = parsed.valid.length + parsed.invalid.length;
  if (count === 0) return { ok: false, fieldErrors: { addresses: 'Paste at least one email address.' } };
  if (count > MAX_ADDRESSES_PER_INVITATION) {
    return {
      ok: false,
      fieldErrors: {
        addresses: `That makes ${count} addresses; one invitation goes to at most ${MAX_ADDRESSES_PER_INVITATION}. Send these, then invite the rest separately.`,
      },
    };
  }
  const list = { addresses: parsed.valid, invalidEntries: parsed.invalid, duplicates: parsed.duplicates };
  const draftId = await saveDraftAddresses(
    tx,
    { id: earlier?.draft.id ?? null, organizationId: admin.organization.id, authorId: admin.member.id },
    list,
    now,
  );
  return { ok: true, draft: await draftModel(tx, { id: draftId, ...list }, admin.organization, now) };
}

/** Drops one invalid entry, or all of them, from a draft. */
export async function removeInvalidEntries(
  prisma: Db,
  input: { actorSlackUserId: string; draftId: number; entry: string | null },
  now: Date,
): Promise<InviteDraftModel> {
  return prisma.$transaction(async (tx) => {
    await lockKeys(tx, LOCK.draft(input.draftId));
    const { draft, admin } = await loadDraft(tx, input.draftId, input.actorSlackUserId, now);
    const remaining = input.entry === null ? [] : stringList(draft.invalidEntries).filter((entry) => entry !== input.entry);
    await saveInvalidEntries(tx, draft.id, remaining, now);
    return draftModel(tx, { ...draft, invalidEntries: remaining }, admin.organization, now);
  }, TRANSACTION_OPTIONS);
}

function choicesOf(
  draft: Pick<InviteDraftRow, 'permissions' | 'startsOn' | 'endsOn' | 'tags' | 'personalMessage' | 'language' | 'logNote' | 'callerSupportLevel' | 'callerLevel'>,
): InviteChoices {
  return {
    permissions: stringList(draft.permissions),
    startsOn: draft.startsOn,
    endsOn: draft.endsOn,
    tags: stringList(draft.tags),
    personalMessage: draft.personalMessage,
    language: languageOf(draft.language),
    logNote: draft.logNote,
    caller: callerOf(draft),
  };
}

/** What the steps of the invitation modal show for a draft. */
export async function inviteSteps(prisma: Db, input: { actorSlackUserId: string; draftId: number }, now: Date): Promise<InviteStepModel> {
  const { draft, admin } = await loadDraft(prisma, input.draftId, input.actorSlackUserId, now);
  return {
    draft: await draftModel(prisma, draft, admin.organization, now),
    inviter: personSummary(admin.member),
    grantable: permissionsFor(grantablePermissions(admin.roles), permissionCatalog()),
    choices: choicesOf(draft),
  };
}

export type StepCheck = { ok: true } | { ok: false; fieldErrors: InvitationFieldErrors };

function checkTimeRange(range: { startsOn: string | null; endsOn: string | null }, organization: OrganizationSummary, now: Date): InvitationFieldErrors {
  const { startsOn, endsOn } = range;
  if (startsOn && !isCalendarDate(startsOn)) return { startsOn: 'That is not a date.' };
  if (!endsOn) return {};
  if (!isCalendarDate(endsOn)) return { endsOn: 'That is not a date.' };
  if (endsOn < calendarDateIn(now, organization.timeZone)) return { endsOn: 'Choose today or a later date, or leave it empty.' };
  if (startsOn && startsOn > endsOn) return { startsOn: 'Access has to start on or before its last day.' };
  return {};
}

/** Step 2: the permissions, end date and caller settings; kept in the draft once they pass. */
export async function chooseGrant(
  prisma: Db,
  input: { actorSlackUserId: string; draftId: number; permissions: string[]; startsOn?: string | null; endsOn: string | null; caller: CallerSettings | null },
  now: Date,
): Promise<StepCheck> {
  const { draft, admin } = await loadDraft(prisma, input.draftId, input.actorSlackUserId, now);
  const permissions = [...new Set(input.permissions)];
  const errors = {
    ...checkInvitationGrant({ permissions, addressCount: stringList(draft.addresses).length, caller: input.caller }, admin.roles),
    ...checkTimeRange({ startsOn: input.startsOn ?? null, endsOn: input.endsOn }, admin.organization, now),
  };
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  const caller = callerSettingsFor(permissions, input.caller);
  await saveDraftGrant(
    prisma,
    draft.id,
    { permissions, startsOn: input.startsOn ?? null, endsOn: input.endsOn, callerSupportLevel: caller?.supportLevel ?? null, callerLevel: caller?.callerLevel ?? null },
    now,
  );
  return { ok: true };
}

/**
 * Step 2 as it stands when the admin goes back to step 1, unchecked, so that Next shows it again.
 * Only permissions this admin may grant are kept; everything is checked when they go on.
 */
export async function keepGrantChoices(
  prisma: Db,
  input: { actorSlackUserId: string; draftId: number; permissions: string[]; startsOn?: string | null; endsOn: string | null; caller: CallerSettings | null },
  now: Date,
): Promise<void> {
  const { draft, admin } = await loadDraft(prisma, input.draftId, input.actorSlackUserId, now);
  const permissions = [...new Set(input.permissions)].filter((key) => mayGrant(admin.roles, key));
  const endsOn = input.endsOn && isCalendarDate(input.endsOn) ? input.endsOn : null;
  const startsOn = input.startsOn && isCalendarDate(input.startsOn) ? input.startsOn : null;
  await saveDraftGrant(
    prisma,
    draft.id,
    { permissions, startsOn, endsOn, callerSupportLevel: input.caller?.supportLevel ?? null, callerLevel: input.caller?.callerLevel ?? null },
    now,
  );
}

/** Step 3's answers, kept whether the admin sends, previews or goes back. */
export async function saveSendingChoices(
  prisma: Db,
  input: { actorSlackUserId: string; draftId: number; tags: string[]; personalMessage: string | null; language: InvitationLanguage; logNote: string | null },
  now: Date,
): Promise<void> {
  const { draft } = await loadDraft(prisma, input.draftId, input.actorSlackUserId, now);
  requireInvitationTextsFit({ tags: input.tags, personalMessage: input.personalMessage, note: input.logNote });
  await saveDraftSending(
    prisma,
    draft.id,
    {
      tags: input.tags,
      personalMessage: input.personalMessage?.trim() || null,
      language: input.language,
      logNote: input.logNote?.trim() || null,
    },
    now,
  );
}

export interface SentInvitations {
  organization: OrganizationSummary;
  sent: number;
  /** Addresses whose earlier, unaccepted invitation this one replaced. */
  replaced: number;
  /** Addresses already connected; their permissions change only if they accept. */
  reinvited: number;
}

const INVITATION_COLUMNS = [
  'organizationId',
  'email',
  'permissions',
  'tags',
  'startsOn',
  'endsOn',
  'personalMessage',
  'language',
  'logNote',
  'callerSupportLevel',
  'callerLevel',
  'scope',
  'tokenHash',
  'status',
  'invitedById',
  'issuedAt',
  'expiresAt',
  'updatedAt',
] as const;

/**
 * Step 3: creates one invitation per address, each with its own code, and queues their delivery.
 * Everything is checked again against the database as it is now, in one transaction with the
 * invitations, their log entries and their outbox rows.
 */
export async function sendInvitations(
  prisma: Db,
  input: { actorSlackUserId: string; draftId: number },
  settings: InvitationSettings,
  now: Date,
): Promise<{ ok: true; result: SentInvitations } | { ok: false; fieldErrors: InvitationFieldErrors }> {
  return prisma.$transaction(async (tx) => {
    await lockKeys(tx, LOCK.draft(input.draftId));
    const { draft, admin } = await loadDraft(tx, input.draftId, input.actorSlackUserId, now);
    const choices = choicesOf(draft);
    const addresses = stringList(draft.addresses);
    const errors: InvitationFieldErrors = {
      ...checkInvitationGrant({ permissions: choices.permissions, addressCount: addresses.length, caller: choices.caller }, admin.roles),
      ...checkTimeRange(choices, admin.organization, now),
    };
    if (stringList(draft.invalidEntries).length > 0) errors.addresses = 'Remove the invalid addresses first.';
    if (addresses.length === 0) errors.addresses = 'There is nobody to invite.';
    if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
    // Deleting the draft claims it: of several Sends of one draft, the one that deletes it sends.
    if (!(await deleteDraft(tx, draft.id, input.actorSlackUserId))) {
      throw new DomainError('unknown_draft', 'This invitation was sent already. See `/access invitations`.');
    }
    // Another invitation to the same people, sent at this moment, would leave two codes working.
    await lockKeys(tx, ...addresses.map((address) => LOCK.invitee(admin.organization.id, address)));

    const { connected, pending } = await standings(tx, admin.organization.id, addresses, now);
    // A new invitation replaces any the same person has not accepted yet, so only one code works.
    const replaced: Array<{ id: number; email: string }> = [];
    for (let start = 0; start < addresses.length; start += ADDRESSES_PER_QUERY) {
      replaced.push(
        ...(await tx.$queryRaw<Array<{ id: number; email: string }>>`
          UPDATE "Invitation" SET "status" = 'REVOKED', "updatedAt" = ${now}
          WHERE "organizationId" = ${admin.organization.id} AND "status" = 'PENDING'
            AND "email" IN (${Prisma.join(addresses.slice(start, start + ADDRESSES_PER_QUERY))})
          RETURNING "id", "email"`),
      );
    }

    const caller = callerSettingsFor(choices.permissions, choices.caller);
    const codes = new Map(addresses.map((address) => [address, newInvitationToken()]));
    const expiresAt = invitationExpiresAt(now, admin.organization.timeZone);
    const created = await insertRows<{ id: number; email: string }>(
      tx,
      'Invitation',
      INVITATION_COLUMNS,
      addresses.map((address) => [
        admin.organization.id,
        address,
        JSON.stringify(choices.permissions),
        JSON.stringify(choices.tags),
        choices.startsOn,
        choices.endsOn,
        choices.personalMessage,
        choices.language,
        choices.logNote,
        caller?.supportLevel ?? null,
        caller?.callerLevel ?? null,
        JSON.stringify(scopeOf(admin.roles)),
        hashInvitationToken(codes.get(address)!),
        'PENDING',
        admin.member.id,
        now,
        expiresAt,
        now,
      ]),
      ['id', 'email'],
    );

    const sent = { permissions: choices.permissions, tags: choices.tags, startsOn: choices.startsOn, endsOn: choices.endsOn, caller, language: choices.language };
    await appendLogEntries(tx, [
      ...replaced.map((row) => ({
        organizationId: admin.organization.id,
        actorId: admin.member.id,
        subjectEmail: row.email,
        action: LOG_ACTION.invitationReplaced,
        before: { invitationId: row.id, status: 'PENDING' },
        after: { invitationId: row.id, status: 'REVOKED' },
        note: 'Replaced by a new invitation',
        createdAt: now,
      })),
      ...created.map((row) => ({
        organizationId: admin.organization.id,
        actorId: admin.member.id,
        subjectEmail: row.email,
        action: LOG_ACTION.invitationSent,
        after: { invitationId: row.id, ...sent, expiresAt: expiresAt.toISOString() },
        note: choices.logNote,
        createdAt: now,
      })),
    ]);
    await enqueue(
      tx,
      created.map((row) => ({ kind: 'invitation.deliver', invitationId: row.id, sealedCode: sealInvitationCode(codes.get(row.email)!, settings.sealingKey) })),
      now,
    );
    return {
      ok: true,
      result: {
        organization: admin.organization,
        sent: created.length,
        replaced: addresses.filter((address) => pending.has(address)).length,
        reinvited: addresses.filter((address) => connected.has(address)).length,
      },
    };
  }, { ...TRANSACTION_OPTIONS, timeout: 60_000 });
}

/** Throws away a draft the admin closed. */
export async function discardDraft(prisma: Db, input: { actorSlackUserId: string; draftId: number }): Promise<void> {
  await deleteDraft(prisma, input.draftId, input.actorSlackUserId);
}

const UNKNOWN_CODE_MESSAGE =
  "That invitation code doesn't work. Check that you copied all of it. If your administrator resent the invitation, only the newest code works.";

/** Why an invitation that is no longer waiting cannot be accepted; null while it still can. */
function closedInvitationRefusal(
  invitation: { status: string; expiresAt: Date; organization: { name: string; timeZone: string } },
  now: Date,
): AcceptResult | null {
  const organizationName = invitation.organization.name;
  if (invitation.status === 'ACCEPTED') {
    return { ok: false, refusal: 'used', message: `This invitation to ${organizationName} has been accepted already; each code works once.` };
  }
  if (invitation.status === 'REVOKED') {
    return { ok: false, refusal: 'revoked', message: `This invitation to ${organizationName} was withdrawn by an administrator.` };
  }
  if (invitation.status === 'EXPIRED' || isInvitationExpired(invitation.expiresAt, now)) {
    return {
      ok: false,
      refusal: 'expired',
      message: `This invitation to ${organizationName} expired on ${calendarDateIn(invitation.expiresAt, invitation.organization.timeZone)}. Ask an administrator to resend it.`,
    };
  }
  return null;
}

export type AcceptResult =
  | { ok: true; organization: OrganizationSummary; permissions: string[] }
  | { ok: false; refusal: CodeRefusal; message: string }
  /** Accepting would take permissions away that the person has not agreed to lose yet. */
  | { ok: false; refusal: 'confirm'; invitationId: number; organization: OrganizationSummary; change: AccessChange };

/** What someone effectively holds in an organization now, as the scope rule reads it; null when not connected. */
function heldAccess(
  connection: (Parameters<typeof connectionFacts>[0] & { tags: unknown; startsOn: string | null; endsOn: string | null }) | null | undefined,
  now: Date,
): AccessTerms | null {
  if (!connection || !isConnectionEffective(connectionFacts(connection), now)) return null;
  return { permissions: connectionFacts(connection).permissions, tags: stringList(connection.tags), startsOn: connection.startsOn, endsOn: connection.endsOn };
}

/** What an invitation offers, and within which scope, as it is stored. */
function invitationOffer(invitation: { permissions: unknown; tags: unknown; startsOn: string | null; endsOn: string | null; scope: unknown }) {
  const permissions = stringList(invitation.permissions);
  const offer: AccessTerms = { permissions, tags: stringList(invitation.tags), startsOn: invitation.startsOn, endsOn: invitation.endsOn };
  return { offer, scope: recordedScope(invitation.scope, permissions) };
}

/**
 * Connects the person an invitation was for. Every code is bound to the invitee's Slack account:
 * the email on their Slack profile must be the invited address, and other accounts are refused
 * and logged. Wrong codes are counted per person, and too many in a short time make them wait.
 * Accepting changes only what the invitation's scope covers; when it would take permissions away,
 * the person must have agreed to lose them (`confirmedLosses`) after being shown what changes.
 */
export async function acceptInvitation(
  prisma: Db,
  input: { code: string; acceptor: SlackProfile; fromButton: { invitationId: number } | null; confirmedLosses?: readonly string[] },
  now: Date,
): Promise<AcceptResult> {
  try {
    return await acceptInOneTransaction(prisma, input, now);
  } catch (error) {
    if (error instanceof RefusedAfterClaim) return error.result;
    throw error;
  }
}

/**
 * A refusal that can only be judged once the invitation is claimed: thrown, so that the claim
 * rolls back with everything else and the invitation stays pending.
 */
class RefusedAfterClaim extends Error {
  constructor(readonly result: AcceptResult) {
    super('refused after claim');
  }
}

async function acceptInOneTransaction(
  prisma: Db,
  input: Parameters<typeof acceptInvitation>[1],
  now: Date,
): Promise<AcceptResult> {
  return prisma.$transaction(async (tx) => {
    // One code of a person's at a time, so that the count below is the count when this one is judged.
    await lockKeys(tx, LOCK.codeAttempts(input.acceptor.slackUserId));
    const windowStart = new Date(now.getTime() - CODE_ATTEMPT_LIMIT.windowMinutes * 60_000);
    const recentFailures = await tx.invitationCodeAttempt.count({
      where: { slackUserId: input.acceptor.slackUserId, createdAt: { gt: windowStart } },
    });
    if (recentFailures >= CODE_ATTEMPT_LIMIT.attempts) {
      return {
        ok: false,
        refusal: 'throttled',
        message: `That is too many codes that did not work. Wait ${CODE_ATTEMPT_LIMIT.windowMinutes} minutes, then try again, or ask your administrator to resend the invitation.`,
      };
    }
    let invitation = await tx.invitation.findUnique({
      where: { tokenHash: hashInvitationToken(input.code) },
      include: { organization: true, invitedBy: true },
    });
    if (!invitation || (input.fromButton && input.fromButton.invitationId !== invitation.id)) {
      await tx.invitationCodeAttempt.create({ data: { slackUserId: input.acceptor.slackUserId, createdAt: now } });
      return {
        ok: false,
        refusal: 'unknown',
        message: UNKNOWN_CODE_MESSAGE,
      };
    }
    const closed = closedInvitationRefusal(invitation, now);
    if (closed) return closed;
    const inviter = invitation.invitedBy.displayName;
    if (input.acceptor.email?.toLowerCase() !== invitation.email) {
      const known = await tx.member.findUnique({ where: { slackUserId: input.acceptor.slackUserId } });
      await appendLogEntry(tx, {
        organizationId: invitation.organizationId,
        actorId: known?.id ?? null,
        subjectEmail: invitation.email,
        action: LOG_ACTION.invitationRefusedWrongAccount,
        after: { invitationId: invitation.id, slackUserId: input.acceptor.slackUserId, slackEmail: input.acceptor.email?.toLowerCase() ?? null },
        createdAt: now,
      });
      return {
        ok: false,
        refusal: 'wrong_account',
        message: input.acceptor.email
          ? `This invitation is for ${invitation.email}, and your Slack account uses another address, so it can't be accepted by you. ${inviter} sent it; ask them to invite the address your Slack account uses.`
          : `This invitation is for ${invitation.email}, and Gatehouse couldn't read the email address of your Slack account to check that it is yours. Try again in a moment, or ask ${inviter}, who sent it.`,
      };
    }

    // Compare-and-set: of acceptances at once, of a resend or a revocation racing this one, one wins.
    const claimed = await tx.invitation.updateMany({
      where: { id: invitation.id, status: 'PENDING', tokenHash: invitation.tokenHash },
      data: { status: 'ACCEPTED', acceptedAt: now, updatedAt: now },
    });
    if (claimed.count === 0) {
      const current = await tx.invitation.findUnique({ where: { id: invitation.id }, include: { organization: true } });
      // Still pending with another code: it was resent meanwhile.
      return (current && closedInvitationRefusal(current, now)) ?? { ok: false, refusal: 'unknown', message: UNKNOWN_CODE_MESSAGE };
    }
    const acceptor = await memberFor(tx, input.acceptor);
    const own = mayChangeAccessOf({ memberId: invitation.invitedById, email: invitation.invitedBy.email }, { memberId: acceptor.id, email: invitation.email });
    if (!own.allowed) {
      throw new RefusedAfterClaim({ ok: false, refusal: 'own_access', message: `${own.reason} You sent this invitation yourself, so another Administrator has to invite you.` });
    }
    // Read again as of the claim: an edit committed just before it changes what accepting grants.
    invitation = await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedById: acceptor.id }, include: { organization: true, invitedBy: true } });
    const organization = invitation.organization;
    await lockKeys(tx, LOCK.connection(organization.id, acceptor.id));
    const [existing] = await connectionsTo(tx, organization.id, [acceptor.id]);
    const before = existing && existing.status !== 'REMOVED' ? existing : null;
    const { offer, scope } = invitationOffer(invitation);
    const outcome = accessAfter(heldAccess(before, now), offer, scope);
    if (!lossesConfirmed(outcome.change, input.confirmedLosses ?? [])) {
      throw new RefusedAfterClaim({ ok: false, refusal: 'confirm', invitationId: invitation.id, organization: organizationSummary(organization), change: outcome.change });
    }
    const { permissions, tags, startsOn, endsOn } = outcome;
    // Caller settings outside the invitation's reach stay with the support permissions they belong to.
    const caller = outcome.keepsOtherAccess && !isAuthorizedCallerInvitation(offer.permissions) ? undefined : callerOf(invitation);
    await activateConnection(tx, {
      organizationId: organization.id,
      memberId: acceptor.id,
      permissions,
      tags,
      startsOn,
      startsAt: startsOn ? startOfDayIn(startsOn, organization.timeZone) : null,
      endsOn,
      endsAt: endsOn ? endOfDayIn(endsOn, organization.timeZone) : null,
      caller,
      connectedById: invitation.invitedById,
      at: now,
    });
    const logEntryId = await appendLogEntry(tx, {
      organizationId: organization.id,
      actorId: acceptor.id,
      subjectMemberId: acceptor.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationAccepted,
      before: before
        ? { ...connectionSnapshot({ ...before, permissions: before.permissions.map((grant) => grant.permissionKey) }), invitationId: invitation.id }
        : { invitationId: invitation.id },
      after: { ...connectionSnapshot({ status: 'ACTIVE', permissions, tags, startsOn, endsOn }), invitationId: invitation.id },
      note: invitation.logNote,
      createdAt: now,
    });
    const admins = await administratorsOf(tx, organization.id, now);
    const items: OutboxItem[] = admins
      .filter((admin) => admin.id !== acceptor.id)
      .map((admin) => ({ kind: 'permissions.changed', logEntryId, userId: admin.slackUserId }));
    if (organization.auditChannelId) items.push({ kind: 'audit.line', logEntryId, channel: organization.auditChannelId });
    const homes = new Set([acceptor.slackUserId, ...admins.map((admin) => admin.slackUserId)]);
    items.push(...[...homes].map((userId): OutboxItem => ({ kind: 'home.refresh', userId })));
    await enqueue(tx, items, now);
    return { ok: true, organization: organizationSummary(organization), permissions };
  }, TRANSACTION_OPTIONS);
}

/** A pending invitation the actor manages, refusing anyone whose role does not cover what it grants. */
async function managedInvitation(tx: Tx, actorSlackUserId: string, invitationId: number, now: Date) {
  // Admin changes to one invitation take turns, so each reads what the one before it left.
  await lockKeys(tx, LOCK.invitation(invitationId));
  const invitation = await tx.invitation.findUnique({ where: { id: invitationId } });
  if (!invitation) throw new DomainError('unknown_invitation', 'That invitation no longer exists.');
  const admin = await actingAdmin(tx, actorSlackUserId, invitation.organizationId, now);
  if (!stringList(invitation.permissions).every((key) => mayGrant(admin.roles, key))) {
    throw new DomainError('forbidden', 'This invitation grants more than your administrator role covers, so an Administrator has to manage it.');
  }
  if (invitation.status !== 'PENDING') {
    throw new DomainError('not_pending', `This invitation was ${invitation.status.toLowerCase()} already.`);
  }
  return { invitation, admin };
}

/** Issues a new code for a pending invitation; the old one stops working at once. */
export async function resendInvitation(
  prisma: Db,
  input: { actorSlackUserId: string; invitationId: number; language: InvitationLanguage; personalMessage: string | null; note: string | null },
  settings: InvitationSettings,
  now: Date,
): Promise<{ email: string; expiresAt: Date }> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, input.actorSlackUserId, input.invitationId, now);
    requireInvitationTextsFit({ personalMessage: input.personalMessage, note: input.note });
    const code = newInvitationToken();
    const expiresAt = invitationExpiresAt(now, admin.organization.timeZone);
    // Conditional: the invitee may be accepting it at this moment, without the admins' lock.
    const resent = await tx.invitation.updateMany({
      where: { id: invitation.id, status: 'PENDING' },
      data: {
        tokenHash: hashInvitationToken(code),
        issuedAt: now,
        expiresAt,
        resendCount: { increment: 1 },
        language: input.language,
        personalMessage: input.personalMessage?.trim() || null,
        updatedAt: now,
      },
    });
    if (resent.count === 0) throw new DomainError('not_pending', 'This invitation is no longer pending.');
    await appendLogEntry(tx, {
      organizationId: invitation.organizationId,
      actorId: admin.member.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationResent,
      before: { invitationId: invitation.id, expiresAt: invitation.expiresAt.toISOString(), resendCount: invitation.resendCount },
      after: { invitationId: invitation.id, expiresAt: expiresAt.toISOString(), resendCount: invitation.resendCount + 1, language: input.language },
      note: input.note?.trim() || null,
      createdAt: now,
    });
    await enqueue(tx, [{ kind: 'invitation.deliver', invitationId: invitation.id, sealedCode: sealInvitationCode(code, settings.sealingKey) }], now);
    return { email: invitation.email, expiresAt };
  }, TRANSACTION_OPTIONS);
}

/** Changes what a pending invitation grants; the person gets the invitation as it is when they accept. */
export async function editInvitation(
  prisma: Db,
  input: {
    actorSlackUserId: string;
    invitationId: number;
    permissions: string[];
    tags: string[];
    startsOn?: string | null;
    endsOn: string | null;
    caller: CallerSettings | null;
    note: string | null;
  },
  now: Date,
): Promise<StepCheck> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, input.actorSlackUserId, input.invitationId, now);
    const own = mayChangeAccessOf({ memberId: admin.member.id, email: admin.member.email }, { memberId: null, email: invitation.email });
    if (!own.allowed) throw new DomainError('own_access', own.reason);
    const permissions = [...new Set(input.permissions)];
    const errors = {
      ...checkInvitationGrant({ permissions, addressCount: 1, caller: input.caller }, admin.roles),
      ...checkTimeRange({ startsOn: input.startsOn ?? null, endsOn: input.endsOn }, admin.organization, now),
    };
    if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
    requireInvitationTextsFit({ tags: input.tags, note: input.note });
    const caller = callerSettingsFor(permissions, input.caller);
    const edited = await tx.invitation.updateMany({
      where: { id: invitation.id, status: 'PENDING' },
      // What accepting may change is now the editor's to decide, within the editor's own scope.
      data: { permissions, tags: input.tags, startsOn: input.startsOn ?? null, endsOn: input.endsOn, callerSupportLevel: caller?.supportLevel ?? null, callerLevel: caller?.callerLevel ?? null, scope: scopeOf(admin.roles), updatedAt: now },
    });
    if (edited.count === 0) throw new DomainError('not_pending', 'This invitation is no longer pending.');
    await appendLogEntry(tx, {
      organizationId: invitation.organizationId,
      actorId: admin.member.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationEdited,
      before: {
        invitationId: invitation.id,
        permissions: stringList(invitation.permissions),
        tags: stringList(invitation.tags),
        startsOn: invitation.startsOn,
        endsOn: invitation.endsOn,
        caller: callerOf(invitation),
      },
      after: { invitationId: invitation.id, permissions, tags: input.tags, startsOn: input.startsOn ?? null, endsOn: input.endsOn, caller },
      note: input.note?.trim() || null,
      createdAt: now,
    });
    return { ok: true };
  }, TRANSACTION_OPTIONS);
}

/** Withdraws a pending invitation; its code stops working. */
export async function revokeInvitation(
  prisma: Db,
  input: { actorSlackUserId: string; invitationId: number; note: string | null },
  now: Date,
): Promise<{ email: string }> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, input.actorSlackUserId, input.invitationId, now);
    requireInvitationTextsFit({ note: input.note });
    const revoked = await tx.invitation.updateMany({ where: { id: invitation.id, status: 'PENDING' }, data: { status: 'REVOKED', updatedAt: now } });
    if (revoked.count === 0) throw new DomainError('not_pending', 'This invitation is no longer pending.');
    await appendLogEntry(tx, {
      organizationId: invitation.organizationId,
      actorId: admin.member.id,
      subjectEmail: invitation.email,
      action: LOG_ACTION.invitationRevoked,
      before: { invitationId: invitation.id, status: 'PENDING' },
      after: { invitationId: invitation.id, status: 'REVOKED' },
      note: input.note?.trim() || null,
      createdAt: now,
    });
    return { email: invitation.email };
  }, TRANSACTION_OPTIONS);
}

/** How many pending invitations an admin's list shows at once. */
const PENDING_LISTED = 25;

/** How long an accepted invitation stays in the admins' list under "recently accepted". */
const RECENTLY_ACCEPTED_DAYS = 14;
const RECENTLY_ACCEPTED_LISTED = 10;

/**
 * Pending invitations of the organizations this person administers, newest first, and the ones
 * accepted in the last two weeks.
 */
export async function pendingInvitations(
  prisma: Db,
  actorSlackUserId: string,
  now: Date,
): Promise<{ invitations: InvitationSummary[]; total: number; recentlyAccepted: AcceptedInvitation[] }> {
  const organizations = await invitableOrganizations(prisma, actorSlackUserId, now);
  if (organizations.length === 0) throw new DomainError('forbidden', 'Only administrators can see invitations.');
  const organizationIds = { in: organizations.map((organization) => organization.id) };
  const where = { organizationId: organizationIds, status: 'PENDING' as const };
  const since = new Date(now.getTime() - RECENTLY_ACCEPTED_DAYS * 24 * 60 * 60 * 1000);
  const [rows, total, accepted] = await Promise.all([
    prisma.invitation.findMany({ where, include: { organization: true, invitedBy: true }, orderBy: { issuedAt: 'desc' }, take: PENDING_LISTED }),
    prisma.invitation.count({ where }),
    prisma.invitation.findMany({
      where: { organizationId: organizationIds, status: 'ACCEPTED', acceptedAt: { gte: since } },
      include: { organization: true, acceptedBy: true },
      orderBy: { acceptedAt: 'desc' },
      take: RECENTLY_ACCEPTED_LISTED,
    }),
  ]);
  const catalog = permissionCatalog();
  return {
    total,
    invitations: rows.map((row) => invitationSummary(row, catalog)),
    recentlyAccepted: accepted.flatMap((row) =>
      row.acceptedBy && row.acceptedAt
        ? [{ invitationId: row.id, organization: organizationSummary(row.organization), email: row.email, acceptedBy: personSummary(row.acceptedBy), acceptedAt: row.acceptedAt }]
        : [],
    ),
  };
}

/** One pending invitation for its Edit, Resend and Revoke forms, with what the actor may grant. */
export async function invitationForManagement(
  prisma: Db,
  actorSlackUserId: string,
  invitationId: number,
  now: Date,
): Promise<{ invitation: InvitationSummary; grantable: PermissionInfo[] }> {
  return prisma.$transaction(async (tx) => {
    const { invitation, admin } = await managedInvitation(tx, actorSlackUserId, invitationId, now);
    const row = await tx.invitation.findUniqueOrThrow({ where: { id: invitation.id }, include: { organization: true, invitedBy: true } });
    const catalog = permissionCatalog();
    return { invitation: invitationSummary(row, catalog), grantable: permissionsFor(grantablePermissions(admin.roles), catalog) };
  }, TRANSACTION_OPTIONS);
}

function invitationSummary(
  row: Awaited<ReturnType<Db['invitation']['findUniqueOrThrow']>> & {
    organization: Parameters<typeof organizationSummary>[0];
    invitedBy: { slackUserId: string; displayName: string; email: string | null };
  },
  catalog: ReturnType<typeof permissionCatalog>,
): InvitationSummary {
  return {
    invitationId: row.id,
    organization: organizationSummary(row.organization),
    email: row.email,
    permissions: permissionsFor(stringList(row.permissions), catalog),
    tags: stringList(row.tags),
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    caller: callerOf(row),
    language: languageOf(row.language),
    invitedBy: personSummary(row.invitedBy),
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    resendCount: row.resendCount,
  };
}

/** What delivering an invitation needs, or null when it is no longer waiting for its invitee. */
export async function invitationToDeliver(prisma: Db, invitationId: number, now: Date) {
  const row = await prisma.invitation.findUnique({ where: { id: invitationId }, include: { organization: true, invitedBy: true } });
  if (!row || row.status !== 'PENDING' || isInvitationExpired(row.expiresAt, now)) return null;
  const catalog = permissionCatalog();
  const summary = invitationSummary(row, catalog);
  const existing = await prisma.connection.findFirst({
    where: { organizationId: row.organizationId, status: { not: 'REMOVED' }, member: { email: row.email } },
    include: { permissions: { select: { permissionKey: true } } },
  });
  const held = heldAccess(existing, now);
  const { offer, scope } = invitationOffer(row);
  const change = held ? accessAfter(held, offer, scope).change : null;
  return {
    tokenHash: row.tokenHash,
    inviteeEmail: row.email,
    message: {
      invitationId: row.id,
      language: summary.language,
      organization: summary.organization,
      invitedBy: summary.invitedBy,
      inviteeEmail: row.email,
      permissions: summary.permissions,
      endsOn: row.endsOn,
      caller: summary.caller,
      personalMessage: row.personalMessage,
      expiresAt: row.expiresAt,
      change: change ? permissionChangeInfo(change, catalog) : null,
    },
  };
}

export function permissionChangeInfo(change: AccessChange, catalog: PermissionInfo[]): PermissionChangeInfo {
  return { keeps: permissionsFor(change.keeps, catalog), gains: permissionsFor(change.gains, catalog), loses: permissionsFor(change.loses, catalog) };
}
