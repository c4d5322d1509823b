import type { Db, Tx } from './client.js';
import type { OrganizationSummary } from '../domain/read-models.js';

/*
 * Invitation drafts, read and written as SQL. A draft carries up to 1000 addresses, and every
 * query shape the ORM compiles stays in the process's memory; the invitation path is written so
 * that a 1000-person invitation stays within its memory budget.
 *
 * JSON columns are always written explicitly: Prisma's SQLite migrations declare their "[]"
 * defaults unquoted, which SQLite reads as an empty string rather than an empty array.
 */

type Reader = Db | Tx;

export interface InviteDraftRow {
  id: number;
  organizationId: number;
  authorId: number;
  authorSlackUserId: string;
  addresses: unknown;
  invalidEntries: unknown;
  duplicates: number;
  permissions: unknown;
  startsOn: string | null;
  endsOn: string | null;
  tags: unknown;
  personalMessage: string | null;
  language: string;
  logNote: string | null;
  callerSupportLevel: 'STANDARD' | 'PREMIUM' | null;
  callerLevel: string | null;
}

export async function readDraft(reader: Reader, draftId: number): Promise<InviteDraftRow | null> {
  const [row] = await reader.$queryRaw<InviteDraftRow[]>`
    SELECT d."id", d."organizationId", d."authorId", m."slackUserId" AS "authorSlackUserId", d."addresses", d."invalidEntries",
           d."duplicates", d."permissions", d."startsOn", d."endsOn", d."tags", d."personalMessage", d."language", d."logNote",
           d."callerSupportLevel", d."callerLevel"
    FROM "InviteDraft" d JOIN "Member" m ON m."id" = d."authorId"
    WHERE d."id" = ${draftId}`;
  return row ?? null;
}

export interface DraftAddresses {
  addresses: readonly string[];
  invalidEntries: readonly string[];
  duplicates: number;
}

/** Starts a draft with the pasted addresses, or replaces the addresses of the author's draft. Returns its id. */
export async function saveDraftAddresses(
  reader: Reader,
  draft: { id: number | null; organizationId: number; authorId: number },
  list: DraftAddresses,
  now: Date,
): Promise<number> {
  const addresses = JSON.stringify(list.addresses);
  const invalidEntries = JSON.stringify(list.invalidEntries);
  if (draft.id !== null) {
    const [updated] = await reader.$queryRaw<Array<{ id: number }>>`
      UPDATE "InviteDraft"
      SET "organizationId" = ${draft.organizationId}, "addresses" = ${addresses}, "invalidEntries" = ${invalidEntries},
          "duplicates" = ${list.duplicates}, "updatedAt" = ${now}
      WHERE "id" = ${draft.id} AND "authorId" = ${draft.authorId}
      RETURNING "id"`;
    if (updated) return updated.id;
  }
  const [created] = await reader.$queryRaw<Array<{ id: number }>>`
    INSERT INTO "InviteDraft"
      ("organizationId", "authorId", "addresses", "invalidEntries", "duplicates", "permissions", "tags", "createdAt", "updatedAt")
    VALUES (${draft.organizationId}, ${draft.authorId}, ${addresses}, ${invalidEntries}, ${list.duplicates}, '[]', '[]', ${now}, ${now})
    RETURNING "id"`;
  return created!.id;
}

export async function saveInvalidEntries(reader: Reader, draftId: number, invalidEntries: readonly string[], now: Date): Promise<void> {
  await reader.$executeRaw`
    UPDATE "InviteDraft" SET "invalidEntries" = ${JSON.stringify(invalidEntries)}, "updatedAt" = ${now} WHERE "id" = ${draftId}`;
}

export interface DraftGrant {
  permissions: readonly string[];
  startsOn: string | null;
  endsOn: string | null;
  callerSupportLevel: 'STANDARD' | 'PREMIUM' | null;
  callerLevel: string | null;
}

export async function saveDraftGrant(reader: Reader, draftId: number, grant: DraftGrant, now: Date): Promise<void> {
  await reader.$executeRaw`
    UPDATE "InviteDraft"
    SET "permissions" = ${JSON.stringify(grant.permissions)}, "startsOn" = ${grant.startsOn}, "endsOn" = ${grant.endsOn},
        "callerSupportLevel" = ${grant.callerSupportLevel},
        "callerLevel" = ${grant.callerLevel}, "updatedAt" = ${now}
    WHERE "id" = ${draftId}`;
}

export interface DraftSending {
  tags: readonly string[];
  personalMessage: string | null;
  language: string;
  logNote: string | null;
}

export async function saveDraftSending(reader: Reader, draftId: number, sending: DraftSending, now: Date): Promise<void> {
  await reader.$executeRaw`
    UPDATE "InviteDraft"
    SET "tags" = ${JSON.stringify(sending.tags)}, "personalMessage" = ${sending.personalMessage}, "language" = ${sending.language},
        "logNote" = ${sending.logNote}, "updatedAt" = ${now}
    WHERE "id" = ${draftId}`;
}

/** Deletes a draft, only for its author; true when there was one. */
export async function deleteDraft(reader: Reader, draftId: number, authorSlackUserId: string): Promise<boolean> {
  const deleted = await reader.$executeRaw`
    DELETE FROM "InviteDraft"
    WHERE "id" = ${draftId} AND "authorId" IN (SELECT "id" FROM "Member" WHERE "slackUserId" = ${authorSlackUserId})`;
  return deleted > 0;
}

/** The organization and the acting member in one statement, for checking an admin's roles. */
export async function organizationAndMember(reader: Reader, organizationId: number, slackUserId: string) {
  const [row] = await reader.$queryRaw<
    Array<
      OrganizationSummary & {
        auditChannelId: string | null;
        memberId: number | null;
        memberDisplayName: string | null;
        memberEmail: string | null;
      }
    >
  >`
    SELECT o."id", o."name", o."acronym", o."customerNumber", o."city", o."country", o."timeZone", o."auditChannelId",
           m."id" AS "memberId", m."displayName" AS "memberDisplayName", m."email" AS "memberEmail"
    FROM "Organization" o LEFT JOIN "Member" m ON m."slackUserId" = ${slackUserId}
    WHERE o."id" = ${organizationId}`;
  return row ?? null;
}

