/**
 * Checking the permissions log's hash chain (src/domain/log-chain.ts). Pure: entries are handed in
 * one chain at a time, in sequence order, as the database gives them back, and the first entry
 * where the chain breaks is named with the reason, so that an operator knows where to look.
 */
import { chainOf, entryHash, entryHashWithSnapshots, GENESIS_HASH, type ChainedContent, type ChainHead } from './log-chain.js';

/** An entry as stored: the chained content, its stored hash, and its row id for the report. */
export interface StoredEntry extends Omit<ChainedContent, 'sequence' | 'previousHash'> {
  id: number;
  sequence: number;
  previousHash: string | null;
  hash: string | null;
  /**
   * The snapshots as stored text, when the database gives them so (SQLite): hashed as they are when
   * already canonical, else parsed. `before` and `after` are then not read.
   */
  snapshotText?: { before: string | null; after: string | null };
}

export const BREAK_REASON = {
  /** The entry's content (or chain columns) is not what its hash was computed over. */
  hashMismatch: 'hash_mismatch',
  /** Entries are missing before this one: the sequence jumps. */
  gap: 'gap',
  /** The entry does not name the hash of the entry before it. */
  wrongPreviousHash: 'wrong_previous_hash',
  /** An entry was put in that was never appended: a second entry with one number, or one slipped in between two. */
  inserted: 'inserted',
  /** The entry sits in another organization's chain than its own. */
  wrongChain: 'wrong_chain',
  /** An entry of the chain has no sequence number or hash: written around the chain. */
  unchained: 'unchained',
  /** The entry at the anchor's sequence number does not have the anchor's hash. */
  anchorMismatch: 'anchor_mismatch',
  /** The chain ends before the anchor's sequence number: entries were removed from its end. */
  anchorMissing: 'anchor_missing',
} as const;

export type BreakReason = (typeof BREAK_REASON)[keyof typeof BREAK_REASON];

export interface ChainBreak {
  chain: number;
  /** The first sequence number at which the chain is not what was appended (null for an unchained entry). */
  sequence: number | null;
  /** The row found there, when there is one (a gap's missing entry has none). */
  entryId: number | null;
  reason: BreakReason;
}

export type ChainVerdict = { whole: true; chain: number; count: number; head: ChainHead | null } | ({ whole: false } & ChainBreak);

const REASON_TEXT: Record<BreakReason, string> = {
  hash_mismatch: 'its content does not match its hash (changed after it was written)',
  gap: 'it is missing (the sequence jumps past it)',
  wrong_previous_hash: 'it does not name the hash of the entry before it',
  inserted: 'it was inserted (it was never appended to the chain)',
  wrong_chain: "it sits in another organization's chain",
  unchained: 'it has no place in the chain (written without a sequence number or hash)',
  anchor_mismatch: "its hash is not the posted anchor's",
  anchor_missing: 'the chain ends before the posted anchor (entries were removed from its end)',
};

/** Why an entry breaks the chain, as a clause for the operator. */
export function describeBreakReason(reason: BreakReason): string {
  return REASON_TEXT[reason];
}

/**
 * Walks one chain. `add` takes the entries in sequence order and returns the first break (and
 * keeps returning it); `finish` returns the verdict, checked against an anchor when one is given.
 * Holds only the last two hashes, so a chain of any length verifies in flat memory.
 */
export class ChainVerifier {
  private count = 0;
  private last: { id: number; sequence: number; hash: string } | null = null;
  /** The hash of the entry before `last`, to tell an entry slipped in between two from a changed one. */
  private beforeLast: string | null = null;
  private broken: ChainBreak | null = null;
  private anchorSeen = false;

  constructor(
    readonly chain: number,
    private readonly anchor: ChainHead | null = null,
  ) {}

  add(entry: StoredEntry): ChainBreak | null {
    if (this.broken) return this.broken;
    this.broken = this.check(entry);
    if (this.broken) return this.broken;
    this.beforeLast = this.last?.hash ?? GENESIS_HASH;
    this.last = { id: entry.id, sequence: entry.sequence, hash: entry.hash! };
    this.count += 1;
    if (this.anchor && entry.sequence === this.anchor.sequence) {
      if (entry.hash !== this.anchor.hash) this.broken = this.breakAt(entry.sequence, entry.id, BREAK_REASON.anchorMismatch);
      this.anchorSeen = true;
    }
    return this.broken;
  }

  /** Entries of the chain that have no sequence number: each is a break, but not at a number. */
  addUnchained(entryId: number): ChainBreak | null {
    if (!this.broken) this.broken = { chain: this.chain, sequence: null, entryId, reason: BREAK_REASON.unchained };
    return this.broken;
  }

  finish(): ChainVerdict {
    if (!this.broken && this.anchor && !this.anchorSeen) {
      this.broken = this.breakAt((this.last?.sequence ?? 0) + 1, null, BREAK_REASON.anchorMissing);
    }
    if (this.broken) return { whole: false, ...this.broken };
    return { whole: true, chain: this.chain, count: this.count, head: this.last && { sequence: this.last.sequence, hash: this.last.hash } };
  }

  private check(entry: StoredEntry): ChainBreak | null {
    const expected = (this.last?.sequence ?? 0) + 1;
    // A second entry with the number just checked (possible only once the unique index is gone).
    if (entry.sequence < expected) return this.breakAt(entry.sequence, entry.id, BREAK_REASON.inserted);
    if (entry.sequence > expected) return this.breakAt(expected, null, BREAK_REASON.gap);
    if (chainOf(entry.organizationId) !== this.chain || entry.chain !== this.chain) {
      return this.breakAt(entry.sequence, entry.id, BREAK_REASON.wrongChain);
    }
    const previous = this.last?.hash ?? GENESIS_HASH;
    if (entry.previousHash !== previous) {
      // Naming the hash from two entries back: the entry before this one was slipped in between
      // them, and the numbers after it shifted up.
      if (this.last && entry.previousHash === this.beforeLast) return this.breakAt(this.last.sequence, this.last.id, BREAK_REASON.inserted);
      return this.breakAt(entry.sequence, entry.id, BREAK_REASON.wrongPreviousHash);
    }
    if (entry.hash === null || !namesPreviousHash(entry) || !hashMatches(entry, entry.hash)) {
      return this.breakAt(entry.sequence, entry.id, BREAK_REASON.hashMismatch);
    }
    return null;
  }

  private breakAt(sequence: number, entryId: number | null, reason: BreakReason): ChainBreak {
    return { chain: this.chain, sequence, entryId, reason };
  }
}

function hashMatches(entry: StoredEntry & { previousHash: string }, hash: string): boolean {
  const text = entry.snapshotText;
  if (!text) return entryHash(entry) === hash;
  // Appends store canonical JSON; entries chained by the backfill may not, and are parsed.
  if (entryHashWithSnapshots(entry, text.before ?? 'null', text.after ?? 'null') === hash) return true;
  try {
    const parsed = (json: string | null): unknown => (json === null ? null : JSON.parse(json));
    return entryHash({ ...entry, before: parsed(text.before), after: parsed(text.after) }) === hash;
  } catch {
    // Not JSON at all: written around Gatehouse.
    return false;
  }
}

/** Narrows without copying: `log verify` checks a million entries, and each copy was garbage. */
function namesPreviousHash(entry: StoredEntry): entry is StoredEntry & { previousHash: string } {
  return entry.previousHash !== null;
}

/** Verifies a whole chain held in memory (for tests and small chains); the database streams instead. */
export function verifyChain(
  chain: number,
  entries: Iterable<StoredEntry>,
  options: { anchor?: ChainHead | null; unchainedIds?: readonly number[] } = {},
): ChainVerdict {
  const verifier = new ChainVerifier(chain, options.anchor ?? null);
  for (const entry of entries) if (verifier.add(entry)) break;
  for (const id of options.unchainedIds ?? []) verifier.addUnchained(id);
  return verifier.finish();
}
