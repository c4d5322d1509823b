import { z } from 'zod';
import { stripEnds } from './trim.js';

/** An invitation goes to at most this many people at once. */
export const MAX_ADDRESSES_PER_INVITATION = 1000;

const emailAddress = z.email();

export interface ParsedAddressList {
  /** Valid addresses, lower-cased, each once, in the order first pasted. */
  valid: string[];
  /** What could not be an address, as typed, each once. */
  invalid: string[];
  /** How many entries were dropped because they repeated an earlier one. */
  duplicates: number;
}

const BRACKETED = /<([^<>]*)>/g;

function clean(entry: string): string {
  return stripEnds(entry, `"'(`, `"')`).trim();
}

/**
 * The entries in one comma-, semicolon- or line-separated segment. Where a mail client wrote
 * "Name <address>", the bracketed address counts and the name's words are dropped; other words
 * count as entries, so a stray word is reported rather than silently lost.
 */
function entriesOfSegment(segment: string): string[] {
  const bracketed = [...segment.matchAll(BRACKETED)].map((match) => clean(match[1] ?? ''));
  if (bracketed.length === 0) return segment.split(/\s+/).map(clean).filter(Boolean);
  const outside = segment
    .replace(/"[^"]*"/g, ' ')
    .replace(BRACKETED, ' ')
    .split(/\s+/)
    .map(clean)
    .filter((word) => word.includes('@'));
  return [...bracketed, ...outside].filter(Boolean);
}

/**
 * Reads addresses as admins paste them: separated by newlines, commas, semicolons or spaces,
 * with "Name <address>" forms and stray quotes tolerated, and repeats folded (case-insensitively).
 */
export function parseAddressList(text: string): ParsedAddressList {
  const entries = text.split(/[\n,;]+/).flatMap(entriesOfSegment);
  const seen = new Set<string>();
  const valid: string[] = [];
  const invalid: string[] = [];
  let duplicates = 0;
  for (const entry of entries) {
    const key = entry.toLowerCase();
    if (seen.has(key)) {
      duplicates += 1;
      continue;
    }
    seen.add(key);
    if (emailAddress.safeParse(key).success) valid.push(key);
    else invalid.push(entry);
  }
  return { valid, invalid, duplicates };
}

/**
 * A new paste added to the lists kept from earlier pastes: repeats of what is kept are folded
 * (case-insensitively, as within one paste), and the kept entries are not read again, so they stay
 * exactly as they were and each paste costs only its own length.
 */
export function mergeAddressLists(kept: ParsedAddressList, pasted: ParsedAddressList): ParsedAddressList {
  const seen = new Set([...kept.valid, ...kept.invalid.map((entry) => entry.toLowerCase())]);
  let duplicates = kept.duplicates + pasted.duplicates;
  const added = (entries: string[]) =>
    entries.filter((entry) => {
      const key = entry.toLowerCase();
      if (seen.has(key)) {
        duplicates += 1;
        return false;
      }
      seen.add(key);
      return true;
    });
  const valid = [...kept.valid, ...added(pasted.valid)];
  const invalid = [...kept.invalid, ...added(pasted.invalid)];
  return { valid, invalid, duplicates };
}
