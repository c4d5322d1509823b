import { describe, expect, it } from 'vitest';
import { mergeAddressLists, parseAddressList } from './email-addresses.js';

describe('pasted address lists', () => {
  it('splits on newlines, commas, semicolons and spaces, and folds repeats', () => {
    const parsed = parseAddressList('ada@example.com, Bob@Example.com;carol@example.com\n\n dan@example.com ADA@example.com');
    expect(parsed.valid).toEqual(['ada@example.com', 'bob@example.com', 'carol@example.com', 'dan@example.com']);
    expect(parsed).toMatchObject({ invalid: [], duplicates: 1 });
  });

  it('keeps what is not an address, as typed, for the admin to remove', () => {
    const parsed = parseAddressList('ada@example.com not-an-address bob@ @example.com eve@example');
    expect(parsed.valid).toEqual(['ada@example.com']);
    expect(parsed.invalid).toEqual(['not-an-address', 'bob@', '@example.com', 'eve@example']);
  });

  it('reads "Name <address>" as mail clients copy it', () => {
    expect(
      parseAddressList('"Ada Lovelace" <ada@example.com>, Bob Smith <bob@example.com>; carol@example.com Dan <dan@example.com>'),
    ).toEqual({
      valid: ['ada@example.com', 'bob@example.com', 'dan@example.com', 'carol@example.com'],
      invalid: [],
      duplicates: 0,
    });
  });

  it('handles 1000 addresses', () => {
    const text = Array.from({ length: 1000 }, (_, index) => `person${index}@example.com`).join('\n');
    expect(parseAddressList(text).valid).toHaveLength(1000);
  });
});

describe('pasted address lists, adversarially', () => {
  // Quadratic trimming took about 18 s on this input; linear trimming takes milliseconds.
  it('trims a 100,000-character run of quotes in linear time', () => {
    const entry = `a${'"'.repeat(100_000)}b`;
    expect(parseAddressList(entry).invalid).toEqual([entry]);
    expect(parseAddressList(`(((${'"'.repeat(100_000)}ada@example.org${')'.repeat(100_000)}`).valid).toEqual(['ada@example.org']);
  }, 5_000);
});

describe('mergeAddressLists', () => {
  it('adds a paste to the kept lists, folding repeats of kept entries and keeping those entries as they were', () => {
    const kept = { valid: ['ada@example.org'], invalid: ['Bad Entry'], duplicates: 2 };
    const merged = mergeAddressLists(kept, parseAddressList('ADA@example.org, bad entry, bob@example.org; bob@example.org'));
    expect(merged).toEqual({ valid: ['ada@example.org', 'bob@example.org'], invalid: ['Bad Entry', 'bad', 'entry'], duplicates: 4 });
  });
});
