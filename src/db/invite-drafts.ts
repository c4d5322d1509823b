import { sqlOf, type SqlTarget } from './sql.js';

/*
 * Invitation drafts, read and written as SQL. A draft carries up to 1000 addresses, and every
 * query shape the ORM compiles stays in the process's memory; the invitation path is written so
 * that a 1000-person invitation stays within its memory budget.
 *
 * JSON columns are always written explicitly: Prisma's SQLite migrations declare their "[]"
 * defaults unquoted, which SQLite reads as an empty string rather than an empty array.
 */

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

export async function readDraft(reader: SqlTarget, draftId: number): Promise<InviteDraftRow | null> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(
    sql.build
      .selectFrom('InviteDraft as d')
      .innerJoin('Member as m', 'm.id', 'd.authorId')
      .select([
        'd.id',
        'd.organizationId',
        'd.authorId',
        'm.slackUserId as authorSlackUserId',
        'd.addresses',
        'd.invalidEntries',
        'd.duplicates',
        'd.permissions',
        'd.startsOn',
        'd.endsOn',
        'd.tags',
        'd.personalMessage',
        'd.language',
        'd.logNote',
        'd.callerSupportLevel',
        'd.callerLevel',
      ])
      .where('d.id', '=', draftId),
  );
  return row ?? null;
}

export interface DraftAddresses {
  addresses: readonly string[];
  invalidEntries: readonly string[];
  duplicates: number;
}

/** Starts a draft with the pasted addresses, or replaces the addresses of the author's draft. Returns its id. */
export async function saveDraftAddresses(
  reader: SqlTarget,
  draft: { id: number | null; organizationId: number; authorId: number },
  list: DraftAddresses,
  now: Date,
): Promise<number> {
  const addresses = JSON.stringify(list.addresses);
  const invalidEntries = JSON.stringify(list.invalidEntries);
  const sql = sqlOf(reader);
  if (draft.id !== null) {
    const [updated] = await sql.rows(
      sql.build
        .updateTable('InviteDraft')
        .set({ organizationId: draft.organizationId, addresses, invalidEntries, duplicates: list.duplicates, updatedAt: now })
        .where('id', '=', draft.id)
        .where('authorId', '=', draft.authorId)
        .returning('id'),
    );
    if (updated) return updated.id;
  }
  const [created] = await sql.rows(
    sql.build
      .insertInto('InviteDraft')
      .values({
        organizationId: draft.organizationId,
        authorId: draft.authorId,
        addresses,
        invalidEntries,
        duplicates: list.duplicates,
        permissions: '[]',
        tags: '[]',
        createdAt: now,
        updatedAt: now,
      })
      .returning('id'),
  );
  return created!.id;
}

export async function saveInvalidEntries(reader: SqlTarget, draftId: number, invalidEntries: readonly string[], now: Date): Promise<void> {
  const sql = sqlOf(reader);
  await sql.execute(
    sql.build
      .updateTable('InviteDraft')
      .set({ invalidEntries: JSON.stringify(invalidEntries), updatedAt: now })
      .where('id', '=', draftId),
  );
}

export interface DraftGrant {
  permissions: readonly string[];
  startsOn: string | null;
  endsOn: string | null;
  callerSupportLevel: 'STANDARD' | 'PREMIUM' | null;
  callerLevel: string | null;
}

export async function saveDraftGrant(reader: SqlTarget, draftId: number, grant: DraftGrant, now: Date): Promise<void> {
  const sql = sqlOf(reader);
  await sql.execute(
    sql.build
      .updateTable('InviteDraft')
      .set({
        permissions: JSON.stringify(grant.permissions),
        startsOn: grant.startsOn,
        endsOn: grant.endsOn,
        callerSupportLevel: grant.callerSupportLevel,
        callerLevel: grant.callerLevel,
        updatedAt: now,
      })
      .where('id', '=', draftId),
  );
}

export interface DraftSending {
  tags: readonly string[];
  personalMessage: string | null;
  language: string;
  logNote: string | null;
}

export async function saveDraftSending(reader: SqlTarget, draftId: number, sending: DraftSending, now: Date): Promise<void> {
  const sql = sqlOf(reader);
  await sql.execute(
    sql.build
      .updateTable('InviteDraft')
      .set({
        tags: JSON.stringify(sending.tags),
        personalMessage: sending.personalMessage,
        language: sending.language,
        logNote: sending.logNote,
        updatedAt: now,
      })
      .where('id', '=', draftId),
  );
}

/** Deletes a draft, only for its author; true when there was one. */
export async function deleteDraft(reader: SqlTarget, draftId: number, authorSlackUserId: string): Promise<boolean> {
  const sql = sqlOf(reader);
  const deleted = await sql.execute(
    sql.build
      .deleteFrom('InviteDraft')
      .where('id', '=', draftId)
      .where('authorId', 'in', (eb) => eb.selectFrom('Member').select('id').where('slackUserId', '=', authorSlackUserId)),
  );
  return deleted > 0;
}

/** The organization and the acting member in one statement, for checking an admin's roles. */
export async function organizationAndMember(reader: SqlTarget, organizationId: number, slackUserId: string) {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(
    sql.build
      .selectFrom('Organization as o')
      .leftJoin('Member as m', (join) => join.on('m.slackUserId', '=', slackUserId))
      .select([
        'o.id',
        'o.name',
        'o.acronym',
        'o.customerNumber',
        'o.city',
        'o.country',
        'o.timeZone',
        'o.auditChannelId',
        'm.id as memberId',
        'm.displayName as memberDisplayName',
        'm.email as memberEmail',
      ])
      .where('o.id', '=', organizationId),
  );
  return row ?? null;
}
