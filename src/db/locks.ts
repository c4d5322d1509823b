import { sql as raw } from 'kysely';
import { sqlOf, type SqlTarget } from './sql.js';

/*
 * Locks for the changes that read before they write. PostgreSQL runs READ COMMITTED: two
 * transactions can read the same row, both decide, and both write. A transaction that first takes
 * the lock of what it is about to change waits for any other holder to commit, and its reads after
 * that see what the other one wrote.
 *
 * On PostgreSQL these are transaction-scoped advisory locks, released at commit or rollback. Keys
 * are hashed to the 64-bit lock space in SQL; two keys that collide share a lock, which only makes
 * unrelated changes wait their turn.
 *
 * On SQLite nothing is needed, and nothing is done: Prisma's adapter holds one connection and runs
 * one transaction at a time on it (src/db/adapters.ts makes statements outside a transaction wait
 * too, and the hand-written SQL of src/db/sql.ts shares that connection), and every transaction
 * begins IMMEDIATE, taking the database's write lock before its first read, so another process
 * writing to the same file waits for it as well.
 *
 * A lock held only inside a transaction: call these from within one, before the reads it protects.
 */

/** The lock keys of the things Gatehouse changes after reading them. */
export const LOCK = {
  /** An organization, by the customer number operators name it by, whether or not it exists yet. */
  organization: (customerNumber: string) => `organization:${customerNumber}`,
  /** A person's connection to an organization, whether or not the row exists yet. */
  connection: (organizationId: number, memberId: number) => `connection:${organizationId}:${memberId}`,
  /** An invitation draft, whose address list each paste adds to. */
  draft: (draftId: number) => `invite-draft:${draftId}`,
  /** Admin changes to one invitation: edit, resend, revoke. */
  invitation: (invitationId: number) => `invitation:${invitationId}`,
  /** The pending invitation of an address at an organization, which a new invitation replaces. */
  invitee: (organizationId: number, email: string) => `invitee:${organizationId}:${email}`,
  /** A person's wrong invitation codes, counted before the next one is evaluated. */
  codeAttempts: (slackUserId: string) => `code-attempts:${slackUserId}`,
  /** A person's requests, of which one per organization may wait at a time. */
  requestsOf: (slackUserId: string) => `requests:${slackUserId}`,
  /** One admin's selection of rows in one organization's members list, which holds at most SELECTION_LIMIT. */
  selection: (adminId: number, organizationId: number) => `selection:${adminId}:${organizationId}`,
  /** The permissions log's hash chain of an organization (0: entries about none), appended to one entry at a time. */
  logChain: (chain: number) => `log-chain:${chain}`,
  /** A person's messages to one organization's Administrators, counted against the daily limit before the next is sent. */
  adminContacts: (memberId: number, organizationId: number) => `admin-contacts:${memberId}:${organizationId}`,
} as const;

/**
 * Takes the locks of `keys` for the rest of the transaction, waiting for whoever holds them. Keys
 * are taken in sorted order, so two transactions locking overlapping sets cannot deadlock.
 */
export async function lockKeys(target: SqlTarget, ...keys: string[]): Promise<void> {
  const sql = sqlOf(target);
  if (sql.provider !== 'postgres' || keys.length === 0) return;
  const ordered = [...new Set(keys)].sort();
  // Kysely has no VALUES list of its own; the keys are parameters all the same.
  const lockKeyList = raw<{ key: string }>`(VALUES ${raw.join(ordered.map((key) => raw`(${key})`))})`.as<'k'>(raw`k("key")`);
  await sql.execute(
    sql.build
      .selectFrom(lockKeyList)
      .select((eb) => raw<void>`pg_advisory_xact_lock(hashtextextended(${eb.ref('k.key')}, 0))`.as('locked')),
  );
}
