/**
 * The permissions log's hash chain. Each organization's entries (and, as chain 0, the entries about
 * no organization) are numbered from 1, and each entry's hash covers its content and the hash of
 * the entry before it, so changing, removing, reordering or inserting an entry breaks every hash
 * after it. Pure: the database code appends and verifies with these.
 */
import * as crypto from 'node:crypto';

/**
 * SHA-256, hex, of a string's UTF-8. `crypto.hash` (Node 20.12 and later) makes no Hash object, which
 * halves the cost of hashing every entry in `log verify`; older Nodes take the long way.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

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
  // Written as loops rather than entries/filter/map/join: `log verify` runs it over every entry,
  // and the intermediate arrays were most of its cost. The output is the same.
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) out += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const inner = record[key];
    if (inner === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(inner)}`;
  }
  return `${out}}`;
}

/** The one encoding an entry is hashed in: a JSON array of its fields in a fixed order. */
export function canonicalEntry(entry: ChainedContent): string {
  return canonicalEntryWithSnapshots(entry, canonicalJson(entry.before), canonicalJson(entry.after));
}

/**
 * `canonicalEntry` with the snapshots given already in canonical JSON ('null' for none), as they
 * are stored: `log verify` hashes the stored text as it is, without parsing it and writing it again.
 */
export function canonicalEntryWithSnapshots(entry: Omit<ChainedContent, 'before' | 'after'>, before: string, after: string): string {
  // The array canonicalJson would make of the fields, spelled out so no array is built per entry.
  return (
    `[${entry.chain},${entry.sequence},${JSON.stringify(entry.previousHash)},${JSON.stringify(entry.createdAt.toISOString())},` +
    `${canonicalJson(entry.organizationId)},${canonicalJson(entry.actorId)},${canonicalJson(entry.actorLabel)},` +
    `${canonicalJson(entry.subjectMemberId)},${canonicalJson(entry.subjectEmail)},${JSON.stringify(entry.action)},` +
    `${before},${after},${canonicalJson(entry.note)}]`
  );
}

/** SHA-256, hex, of `canonicalEntryWithSnapshots`. */
export function entryHashWithSnapshots(entry: Omit<ChainedContent, 'before' | 'after'>, before: string, after: string): string {
  return sha256Hex(canonicalEntryWithSnapshots(entry, before, after));
}

/** SHA-256, hex, of the entry's canonical encoding. */
export function entryHash(entry: ChainedContent): string {
  return sha256Hex(canonicalEntry(entry));
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
