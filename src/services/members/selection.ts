/**
 * An admin's selection in `/access users`: kept per admin and organization across paging,
 * searching and filtering, up to SELECTION_LIMIT rows, each one the admin may act on.
 */
import { TRANSACTION_OPTIONS, type Db, type Tx } from '../../db/client.js';
import { lockKeys, LOCK } from '../../db/locks.js';
import { addToSelection, removeFromSelection, selectedKeys } from '../../db/member-list.js';
import type { SqlTarget } from '../../db/sql.js';
import { DomainError } from '../../domain/errors.js';
import { SELECTION_LIMIT, type MemberRow, type MemberRowKey } from '../../domain/member-management.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { organizationSummary } from '../read-models.js';
import type { ManagingAdmin } from './managing-admin.js';
import { contextFor, keyText, listingAdmin, memberRowsOf, viewedRow } from './member-list.js';
import { rowCapabilities } from '../../domain/member-policy.js';

export const SELECTION_FULL = `You can select up to ${SELECTION_LIMIT} people at a time; act on these first or take some out.`;

interface SelectionInput {
  actorSlackUserId: string;
  organizationId: number;
}

/** Runs a change to the actor's selection under its lock, so two quick clicks cannot both pass the limit. */
async function underSelectionLock<Result>(
  prisma: Db,
  input: SelectionInput,
  now: Date,
  change: (tx: Tx, admin: ManagingAdmin, selected: MemberRowKey[]) => Promise<Result>,
): Promise<Result> {
  return prisma.$transaction(async (tx) => {
    const admin = await listingAdmin(tx, input.actorSlackUserId, input.organizationId, now);
    await lockKeys(tx, LOCK.selection(admin.member.id, admin.organization.id));
    return change(tx, admin, await selectedKeys(tx, admin.member.id, admin.organization.id));
  }, TRANSACTION_OPTIONS);
}

/** Of these rows, those still listed that the admin may act on, in the order given. */
async function selectable(tx: Tx, admin: ManagingAdmin, rows: readonly MemberRowKey[], now: Date): Promise<MemberRowKey[]> {
  const read = await memberRowsOf(tx, admin.organization, rows, now);
  return read.filter((row) => rowCapabilities(admin.facts, row.subject, contextFor(admin, row, now)).select).map((row) => row.key);
}

async function countOf(tx: Tx, admin: ManagingAdmin): Promise<number> {
  return (await selectedKeys(tx, admin.member.id, admin.organization.id)).length;
}

/** Selects the row, or takes it out when it is selected; refuses a row past the limit. */
export async function toggleSelection(prisma: Db, input: SelectionInput & { row: MemberRowKey }, now: Date): Promise<number> {
  return underSelectionLock(prisma, input, now, async (tx, admin, selected) => {
    const key = keyText(input.row);
    if (selected.some((row) => keyText(row) === key)) {
      await removeFromSelection(tx, admin.member.id, admin.organization.id, [input.row]);
      return selected.length - 1;
    }
    if (selected.length >= SELECTION_LIMIT) throw new DomainError('selection_full', SELECTION_FULL);
    const [allowed] = await selectable(tx, admin, [input.row], now);
    if (!allowed) throw new DomainError('forbidden', 'You cannot act on this row, so it cannot be selected.');
    await addToSelection(tx, admin.member.id, admin.organization.id, [allowed], now);
    return countOf(tx, admin);
  });
}

/** Selects the rows the admin may act on, as many as fit under the limit (a page selects what fits). */
export async function selectRows(prisma: Db, input: SelectionInput & { rows: MemberRowKey[] }, now: Date): Promise<number> {
  return underSelectionLock(prisma, input, now, async (tx, admin, selected) => {
    const already = new Set(selected.map(keyText));
    const wanted = (await selectable(tx, admin, input.rows, now)).filter((row) => !already.has(keyText(row)));
    const room = SELECTION_LIMIT - selected.length;
    if (wanted.length > 0 && room <= 0) throw new DomainError('selection_full', SELECTION_FULL);
    await addToSelection(tx, admin.member.id, admin.organization.id, wanted.slice(0, room), now);
    return countOf(tx, admin);
  });
}

export async function unselectRows(prisma: Db, input: SelectionInput & { rows: MemberRowKey[] }, now: Date): Promise<number> {
  return underSelectionLock(prisma, input, now, async (tx, admin) => {
    await removeFromSelection(tx, admin.member.id, admin.organization.id, input.rows);
    return countOf(tx, admin);
  });
}

export async function clearSelection(prisma: Db, input: SelectionInput, now: Date): Promise<void> {
  await underSelectionLock(prisma, input, now, async (tx, admin) => {
    await removeFromSelection(tx, admin.member.id, admin.organization.id, 'all');
  });
}

export interface SelectionReview {
  organization: OrganizationSummary;
  /** All selected, up to 100, with capabilities. */
  rows: MemberRow[];
}

/**
 * The rows an admin selected, in the order picked, as they stand now. Rows gone since (removed,
 * invitation accepted or revoked) are left out and taken out of the selection.
 */
export async function selectionReview(
  reader: SqlTarget,
  actorSlackUserId: string,
  organizationId: number,
  now: Date,
): Promise<SelectionReview> {
  const admin = await listingAdmin(reader, actorSlackUserId, organizationId, now);
  const keys = await selectedKeys(reader, admin.member.id, admin.organization.id);
  const rows = await memberRowsOf(reader, admin.organization, keys, now);
  const present = new Set(rows.map((row) => keyText(row.key)));
  const gone = keys.filter((key) => !present.has(keyText(key)));
  if (gone.length > 0) await removeFromSelection(reader, admin.member.id, admin.organization.id, gone);
  const selected = new Set(present);
  return { organization: organizationSummary(admin.organization), rows: rows.map((row) => viewedRow(admin, row, selected, now)) };
}
