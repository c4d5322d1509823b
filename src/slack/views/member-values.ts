/** The option values of the ⋯ menu on each row of the members list: written here, read back here. */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import type { MemberRowKey } from '../../domain/member-management.js';

export const ROW_VERBS = ['select', 'edit', 'disconnect', 'restore', 'resend', 'revoke'] as const;
export type RowVerb = (typeof ROW_VERBS)[number];

/** The verbs that open a form on the row; `select` only toggles the row in the selection. */
export type RowFormVerb = Exclude<RowVerb, 'select'>;

/** `m` is a member's connection, `i` a pending invitation. */
function keyPart(key: MemberRowKey): string {
  return key.kind === 'member' ? `m:${key.connectionId}` : `i:${key.invitationId}`;
}

/** `<verb>:m:<connection id>` or `<verb>:i:<invitation id>`. */
export function rowValue(verb: RowVerb, key: MemberRowKey): string {
  return `${verb}:${keyPart(key)}`;
}

/** A row key alone, as the bulk review's "take out" menu carries it: `m:<id>` or `i:<id>`. */
export function rowKeyValue(key: MemberRowKey): string {
  return keyPart(key);
}

const id = z
  .string()
  .regex(/^[1-9]\d{0,15}$/)
  .transform(Number)
  .refine((value) => Number.isSafeInteger(value));

const rowKey = z.union([
  z.tuple([z.literal('m'), id]).transform(([, connectionId]): MemberRowKey => ({ kind: 'member', connectionId })),
  z.tuple([z.literal('i'), id]).transform(([, invitationId]): MemberRowKey => ({ kind: 'invitation', invitationId })),
]);

const rowChoice = z.tuple([z.enum(ROW_VERBS), z.string(), z.string()]);

export const UNREADABLE_ROW = "Gatehouse couldn't read that choice. Run `/access users` again.";

/** The menu's choice; anything Gatehouse did not put there is refused as unreadable. */
export function parseRowValue(value: string): { verb: RowVerb; key: MemberRowKey } {
  const parts = rowChoice.safeParse(value.split(':'));
  const key = parts.success ? rowKey.safeParse([parts.data[1], parts.data[2]]) : null;
  if (!parts.success || !key?.success) throw new DomainError('unreadable', UNREADABLE_ROW);
  return { verb: parts.data[0], key: key.data };
}

/** A row key written by `rowKeyValue`; anything else is refused as unreadable. */
export function parseRowKeyValue(value: string): MemberRowKey {
  const key = rowKey.safeParse(value.split(':'));
  if (!key.success) throw new DomainError('unreadable', UNREADABLE_ROW);
  return key.data;
}
