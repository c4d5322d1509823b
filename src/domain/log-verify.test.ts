import { describe, expect, it } from 'vitest';
import { entryHash, formatAnchor, GENESIS_HASH, parseAnchor } from './log-chain.js';
import { BREAK_REASON, describeBreakReason, verifyChain, type StoredEntry } from './log-verify.js';

const CHAIN = 7;

/** A chain of `count` entries of organization 7, hashed as appendChained hashes them. */
function chainOf(count: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let previousHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= count; sequence += 1) {
    const content = {
      chain: CHAIN,
      sequence,
      previousHash,
      organizationId: CHAIN,
      actorId: 3,
      actorLabel: null,
      subjectMemberId: 100 + sequence,
      subjectEmail: null,
      action: 'connection.permissions_changed',
      before: { permissions: ['esri_access'], endsOn: null },
      after: { permissions: ['esri_access', 'e_learning'], endsOn: '2027-01-31' },
      note: sequence % 2 === 0 ? `note ${sequence}` : null,
      createdAt: new Date(Date.UTC(2026, 10, 1, 12, 0, sequence)),
    };
    const hash = entryHash(content);
    entries.push({ ...content, id: 1000 + sequence, hash });
    previousHash = hash;
  }
  return entries;
}

/** Re-hashes an entry after it was changed, as an attacker who knows the encoding would. */
function forged(entry: StoredEntry): StoredEntry {
  return { ...entry, hash: entryHash({ ...entry, previousHash: entry.previousHash! }) };
}

describe('verifying a chain of the permissions log', () => {
  it('finds a whole chain whole, counting its entries and naming its head', () => {
    const entries = chainOf(5);
    expect(verifyChain(CHAIN, entries)).toEqual({ whole: true, chain: CHAIN, count: 5, head: { sequence: 5, hash: entries[4]!.hash } });
    expect(verifyChain(CHAIN, [])).toEqual({ whole: true, chain: CHAIN, count: 0, head: null });
  });

  it('hashes snapshots the same whatever order their keys come back in', () => {
    const entries = chainOf(2);
    const reordered = { ...entries[0]!, after: { endsOn: '2027-01-31', permissions: ['esri_access', 'e_learning'] } };
    expect(verifyChain(CHAIN, [reordered, entries[1]!]).whole).toBe(true);
  });

  it('names a changed field at its entry', () => {
    const entries = chainOf(6);
    entries[3] = { ...entries[3]!, note: 'rewritten' };
    expect(verifyChain(CHAIN, entries)).toEqual({
      whole: false,
      chain: CHAIN,
      sequence: 4,
      entryId: 1004,
      reason: BREAK_REASON.hashMismatch,
    });
  });

  it('names a changed entry that was re-hashed at the entry after it, which names the old hash', () => {
    const entries = chainOf(6);
    entries[2] = forged({ ...entries[2]!, note: 'rewritten' });
    expect(verifyChain(CHAIN, entries)).toMatchObject({ whole: false, sequence: 4, reason: BREAK_REASON.wrongPreviousHash });
  });

  it('names a removed entry by its missing number, and a removed first entry as 1', () => {
    const entries = chainOf(6);
    expect(verifyChain(CHAIN, [...entries.slice(0, 2), ...entries.slice(3)])).toEqual({
      whole: false,
      chain: CHAIN,
      sequence: 3,
      entryId: null,
      reason: BREAK_REASON.gap,
    });
    expect(verifyChain(CHAIN, entries.slice(1))).toMatchObject({ sequence: 1, reason: BREAK_REASON.gap });
  });

  it('names the first of two swapped entries', () => {
    const entries = chainOf(6);
    const swap = (a: StoredEntry, b: StoredEntry): StoredEntry => ({ ...a, subjectMemberId: b.subjectMemberId, note: b.note });
    const [second, fifth] = [entries[1]!, entries[4]!];
    entries[1] = swap(second, fifth);
    entries[4] = swap(fifth, second);
    expect(verifyChain(CHAIN, entries)).toMatchObject({ sequence: 2, entryId: 1002, reason: BREAK_REASON.hashMismatch });
  });

  it('names an entry slipped in between two, with the numbers after it shifted, even when it was hashed', () => {
    const entries = chainOf(5);
    const slipped = forged({ ...entries[2]!, id: 9999, note: 'never happened', previousHash: entries[1]!.hash });
    const shifted = entries.slice(2).map((entry) => ({ ...entry, sequence: entry.sequence + 1 }));
    expect(verifyChain(CHAIN, [...entries.slice(0, 2), slipped, ...shifted])).toEqual({
      whole: false,
      chain: CHAIN,
      sequence: 3,
      entryId: 9999,
      reason: BREAK_REASON.inserted,
    });
  });

  it('names a second entry with a number already taken', () => {
    const entries = chainOf(4);
    const duplicate = { ...entries[1]!, id: 9999 };
    expect(verifyChain(CHAIN, [...entries.slice(0, 2), duplicate, ...entries.slice(2)])).toMatchObject({
      sequence: 2,
      entryId: 9999,
      reason: BREAK_REASON.inserted,
    });
  });

  it("names an entry of another organization's chain, and an entry with no place in the chain", () => {
    const entries = chainOf(3);
    entries[1] = forged({ ...entries[1]!, organizationId: 8 });
    expect(verifyChain(CHAIN, entries)).toMatchObject({ sequence: 2, reason: BREAK_REASON.wrongChain });
    expect(verifyChain(CHAIN, chainOf(3), { unchainedIds: [42] })).toEqual({
      whole: false,
      chain: CHAIN,
      sequence: null,
      entryId: 42,
      reason: BREAK_REASON.unchained,
    });
  });

  it('names a first entry that does not start from the genesis hash', () => {
    const entries = chainOf(2);
    entries[0] = forged({ ...entries[0]!, previousHash: 'f'.repeat(64) });
    expect(verifyChain(CHAIN, entries)).toMatchObject({ sequence: 1, reason: BREAK_REASON.wrongPreviousHash });
  });

  it('checks the chain against a posted anchor, which catches a rewritten tail', () => {
    const entries = chainOf(6);
    const anchor = parseAnchor(formatAnchor({ sequence: 4, hash: entries[3]!.hash! }))!;
    expect(verifyChain(CHAIN, entries, { anchor })).toMatchObject({ whole: true, count: 6 });

    // Every entry from 3 on rewritten and re-hashed: the chain links up, but not to the anchor.
    const rewritten: StoredEntry[] = entries.slice(0, 2);
    for (const entry of entries.slice(2)) {
      rewritten.push(forged({ ...entry, note: 'rewritten', previousHash: rewritten.at(-1)!.hash }));
    }
    expect(verifyChain(CHAIN, rewritten).whole).toBe(true);
    expect(verifyChain(CHAIN, rewritten, { anchor })).toEqual({
      whole: false,
      chain: CHAIN,
      sequence: 4,
      entryId: 1004,
      reason: BREAK_REASON.anchorMismatch,
    });

    // Entries removed from the end: the anchor's entry is not there.
    expect(verifyChain(CHAIN, entries.slice(0, 3), { anchor })).toMatchObject({
      sequence: 4,
      entryId: null,
      reason: BREAK_REASON.anchorMissing,
    });
  });

  it('says why in words for every reason', () => {
    for (const reason of Object.values(BREAK_REASON)) expect(describeBreakReason(reason)).toMatch(/\w/);
  });
});
