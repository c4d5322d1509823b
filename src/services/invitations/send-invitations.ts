import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { insertInChunks } from '../../db/bulk-insert.js';
import { deleteDraft } from '../../db/invite-drafts.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { appendLogEntries } from '../../db/permission-log.js';
import { sqlOf } from '../../db/sql.js';
import { DomainError, refuseFields } from '../../domain/errors.js';
import { callerSettingsFor, checkInvitationGrant, type InvitationFieldErrors } from '../../domain/invitations.js';
import { hashInvitationToken, invitationExpiresAt, newInvitationToken, sealInvitationCode } from '../../domain/invitation-tokens.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import { scopeOf } from '../../domain/admin-scope.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { enqueue } from '../outbox.js';
import { stringList, choicesOf } from './stored-invitation.js';
import type { InvitationSettings } from './settings.js';
import { loadDraft } from './acting-admin.js';
import { ADDRESSES_PER_QUERY, standings } from './address-standings.js';
import { checkTimeRange } from './grant-checks.js';

export interface SentInvitations {
  organization: OrganizationSummary;
  sent: number;
  /** Addresses whose earlier, unaccepted invitation this one replaced. */
  replaced: number;
  /** Addresses already connected; their permissions change only if they accept. */
  reinvited: number;
}

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
): Promise<SentInvitations> {
  return prisma.$transaction(
    async (tx) => {
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
      refuseFields(errors);
      // Deleting the draft claims it: of several Sends of one draft, the one that deletes it sends.
      if (!(await deleteDraft(tx, draft.id, input.actorSlackUserId))) {
        throw new DomainError('unknown_draft', 'This invitation was sent already. See `/access invitations`.');
      }
      // Another invitation to the same people, sent at this moment, would leave two codes working.
      await lockKeys(tx, ...addresses.map((address) => LOCK.invitee(admin.organization.id, address)));

      const { connected, pending } = await standings(tx, admin.organization.id, addresses, now);
      // A new invitation replaces any the same person has not accepted yet, so only one code works.
      const sql = sqlOf(tx);
      const replaced: Array<{ id: number; email: string }> = [];
      for (let start = 0; start < addresses.length; start += ADDRESSES_PER_QUERY) {
        replaced.push(
          ...(await sql.rows(
            sql.build
              .updateTable('Invitation')
              .set({ status: 'REVOKED', updatedAt: now })
              .where('organizationId', '=', admin.organization.id)
              .where('status', '=', 'PENDING')
              .where('email', 'in', addresses.slice(start, start + ADDRESSES_PER_QUERY))
              .returning(['id', 'email']),
          )),
        );
      }

      const caller = callerSettingsFor(choices.permissions, choices.caller);
      const codes = new Map(addresses.map((address) => [address, newInvitationToken()]));
      const expiresAt = invitationExpiresAt(now, admin.organization.timeZone);
      const invitationRows = addresses.map((address) => ({
        organizationId: admin.organization.id,
        email: address,
        permissions: JSON.stringify(choices.permissions),
        tags: JSON.stringify(choices.tags),
        startsOn: choices.startsOn,
        endsOn: choices.endsOn,
        personalMessage: choices.personalMessage,
        language: choices.language,
        logNote: choices.logNote,
        callerSupportLevel: caller?.supportLevel ?? null,
        callerLevel: caller?.callerLevel ?? null,
        scope: JSON.stringify(scopeOf(admin.roles)),
        tokenHash: hashInvitationToken(codes.get(address)!),
        status: 'PENDING' as const,
        invitedById: admin.member.id,
        issuedAt: now,
        expiresAt,
        createdAt: now,
        updatedAt: now,
      }));
      const created = await insertInChunks(invitationRows, (chunk) =>
        sql.rows(sql.build.insertInto('Invitation').values(chunk).returning(['id', 'email'])),
      );

      const sent = {
        permissions: choices.permissions,
        tags: choices.tags,
        startsOn: choices.startsOn,
        endsOn: choices.endsOn,
        caller,
        language: choices.language,
      };
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
        created.map((row) => ({
          kind: 'invitation.deliver',
          invitationId: row.id,
          sealedCode: sealInvitationCode(codes.get(row.email)!, settings.sealingKey),
        })),
        now,
      );
      return {
        organization: admin.organization,
        sent: created.length,
        replaced: addresses.filter((address) => pending.has(address)).length,
        reinvited: addresses.filter((address) => connected.has(address)).length,
      };
    },
    { ...TRANSACTION_OPTIONS, timeout: 60_000 },
  );
}
