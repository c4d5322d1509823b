/**
 * The permissions log's hash chain. Each organization's entries (and, as chain 0, the entries about
 * no organization) are numbered from 1, and each entry's hash covers its content and the hash of
 * the entry before it, so changing, removing, reordering or inserting an entry breaks every hash
 * after it. Pure: the database code appends and verifies with these.
 */
import { createHash } from 'node:crypto';

/** The chain of entries about no organization (operators' triage, for instance). */
export const NO_ORGANIZATION_CHAIN = 0;

/** What the first entry of a chain names as the hash before it. */
export const GENESIS_HASH = '0'.repeat(64);

export function chainOf(organizationId: number | null): number {
  return organizationId ?? NO_ORGANIZATION_CHAIN;
}

/** The fields of an entry the hash covers, as stored. */
export interface ChainedContent {
  chain: number;
  sequence: number;
  previousHash: string;
  organizationId: number | null;
  actorId: number | null;
  actorLabel: string | null;
  subjectMemberId: number | null;
  subjectEmail: string | null;
  action: string;
  /** The snapshots as parsed JSON (objects, arrays, scalars) or null. */
  before: unknown;
  after: unknown;
  note: string | null;
  createdAt: Date;
}

/**
 * JSON with object keys sorted at every depth, so that a snapshot hashes the same whichever order
 * its keys were written in or a database (PostgreSQL's jsonb) gives them back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The one encoding an entry is hashed in: a JSON array of its fields in a fixed order. */
export function canonicalEntry(entry: ChainedContent): string {
  return canonicalJson([
    entry.chain,
    entry.sequence,
    entry.previousHash,
    entry.createdAt.toISOString(),
    entry.organizationId,
    entry.actorId,
    entry.actorLabel,
    entry.subjectMemberId,
    entry.subjectEmail,
    entry.action,
    entry.before ?? null,
    entry.after ?? null,
    entry.note,
  ]);
}

/** SHA-256, hex, of the entry's canonical encoding. */
export function entryHash(entry: ChainedContent): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}

/** A chain's head as posted to the audit channel and given back to `log verify --anchor`. */
export interface ChainHead {
  sequence: number;
  hash: string;
}

export function formatAnchor(head: ChainHead): string {
  return `${head.sequence}:${head.hash}`;
}

/** Reads `SEQ:HASH`; null when it is not one. */
export function parseAnchor(text: string): ChainHead | null {
  const match = /^(\d{1,12}):([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  return match ? { sequence: Number(match[1]), hash: match[2]! } : null;
}
