import { DomainError, refuseFields } from '../../domain/errors.js';
import { TRANSACTION_OPTIONS, type Db, type Tx } from '../../db/client.js';
import { deleteDraft, saveDraftAddresses, saveDraftGrant, saveDraftSending, saveInvalidEntries } from '../../db/invite-drafts.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { isCalendarDate } from '../../domain/dates.js';
import { mergeAddressLists, MAX_ADDRESSES_PER_INVITATION, parseAddressList } from '../../domain/email-addresses.js';
import {
  callerSettingsFor,
  checkInvitationGrant,
  grantablePermissions,
  mayGrant,
  requireInvitationTextsFit,
} from '../../domain/invitations.js';
import type { CallerSettings, InvitationLanguage, InviteDraftModel, InviteStepModel } from '../../domain/read-models.js';
import { permissionCatalog, permissionsFor, personSummary } from '../read-models.js';
import { stringList, choicesOf } from './stored-invitation.js';
import { actingAdmin, loadDraft } from './acting-admin.js';
import { draftModel } from './address-standings.js';
import { checkTimeRange } from './grant-checks.js';

/**
 * Step 1: reads pasted addresses into a draft. Slack caps one text box at 3000 characters, so a
 * long list arrives in several pastes: each adds to the admin's draft, repeats folded, up to the
 * limit for one invitation.
 */
export async function checkAddresses(
  prisma: Db,
  input: { actorSlackUserId: string; organizationId: number; text: string; draftId: number | null },
  now: Date,
): Promise<InviteDraftModel> {
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
): Promise<InviteDraftModel> {
  const earlier = input.draftId ? await loadDraft(tx, input.draftId, input.actorSlackUserId, now) : null;
  const admin = earlier?.admin ?? (await actingAdmin(tx, input.actorSlackUserId, input.organizationId, now));
  const pasted = parseAddressList(input.text);
  const parsed = earlier
    ? mergeAddressLists(
        {
          valid: stringList(earlier.draft.addresses),
          invalid: stringList(earlier.draft.invalidEntries),
          duplicates: earlier.draft.duplicates,
        },
        pasted,
      )
    : pasted;
  const count = parsed.valid.length + parsed.invalid.length;
  if (count === 0) throw DomainError.ofFields({ addresses: 'Paste at least one email address.' });
  if (count > MAX_ADDRESSES_PER_INVITATION) {
    throw DomainError.ofFields({
      addresses:
        `That makes ${count} addresses; one invitation goes to at most ${MAX_ADDRESSES_PER_INVITATION}. Send these, then ` +
        `invite the rest separately.`,
    });
  }
  const list = { addresses: parsed.valid, invalidEntries: parsed.invalid, duplicates: parsed.duplicates };
  const draftId = await saveDraftAddresses(
    tx,
    { id: earlier?.draft.id ?? null, organizationId: admin.organization.id, authorId: admin.member.id },
    list,
    now,
  );
  return draftModel(tx, { id: draftId, ...list }, admin.organization, now);
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

/** What an admin chose on step 2 of a draft. */
interface GrantChoices {
  actorSlackUserId: string;
  draftId: number;
  permissions: string[];
  startsOn?: string | null;
  endsOn: string | null;
  caller: CallerSettings | null;
}

/** Step 2: the permissions, end date and caller settings; kept in the draft once they pass. */
export async function chooseGrant(prisma: Db, input: GrantChoices, now: Date): Promise<void> {
  const { draft, admin } = await loadDraft(prisma, input.draftId, input.actorSlackUserId, now);
  const permissions = [...new Set(input.permissions)];
  const errors = {
    ...checkInvitationGrant({ permissions, addressCount: stringList(draft.addresses).length, caller: input.caller }, admin.roles),
    ...checkTimeRange({ startsOn: input.startsOn ?? null, endsOn: input.endsOn }, admin.organization, now),
  };
  refuseFields(errors);
  const caller = callerSettingsFor(permissions, input.caller);
  await saveDraftGrant(
    prisma,
    draft.id,
    {
      permissions,
      startsOn: input.startsOn ?? null,
      endsOn: input.endsOn,
      callerSupportLevel: caller?.supportLevel ?? null,
      callerLevel: caller?.callerLevel ?? null,
    },
    now,
  );
}

/**
 * Step 2 as it stands when the admin goes back to step 1, unchecked, so that Next shows it again.
 * Only permissions this admin may grant are kept; everything is checked when they go on.
 */
export async function keepGrantChoices(prisma: Db, input: GrantChoices, now: Date): Promise<void> {
  const { draft, admin } = await loadDraft(prisma, input.draftId, input.actorSlackUserId, now);
  const permissions = [...new Set(input.permissions)].filter((key) => mayGrant(admin.roles, key));
  const endsOn = input.endsOn && isCalendarDate(input.endsOn) ? input.endsOn : null;
  const startsOn = input.startsOn && isCalendarDate(input.startsOn) ? input.startsOn : null;
  await saveDraftGrant(
    prisma,
    draft.id,
    {
      permissions,
      startsOn,
      endsOn,
      callerSupportLevel: input.caller?.supportLevel ?? null,
      callerLevel: input.caller?.callerLevel ?? null,
    },
    now,
  );
}

/** Step 3's answers, kept whether the admin sends, previews or goes back. */
export async function saveSendingChoices(
  prisma: Db,
  input: {
    actorSlackUserId: string;
    draftId: number;
    tags: string[];
    personalMessage: string | null;
    language: InvitationLanguage;
    logNote: string | null;
  },
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

/** Throws away a draft the admin closed. */
export async function discardDraft(prisma: Db, input: { actorSlackUserId: string; draftId: number }): Promise<void> {
  await deleteDraft(prisma, input.draftId, input.actorSlackUserId);
}
