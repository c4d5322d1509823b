import { describe, expect, it } from 'vitest';
import { en } from './catalog-en.js';
import { CATALOGS } from './catalogs.js';
import { LANGUAGES } from './languages.js';

/** Every key, and for a message with values how many it takes, as the English catalog has them. */
function shapeOf(catalog: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(catalog)
      .map(([key, value]): [string, string] => [key, typeof value === 'function' ? `message of ${value.length}` : typeof value])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

describe('the message catalogs', () => {
  it.each(LANGUAGES)('%s has every key English has, and no other, each taking the same values', (language) => {
    expect(shapeOf(CATALOGS[language])).toEqual(shapeOf(en));
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s is translated: no text is left in English', (language) => {
    const catalog = CATALOGS[language] as Record<string, unknown>;
    const sample = (value: unknown) => (typeof value === 'function' ? String(value(...Array(value.length).fill('X'))) : String(value));
    const untranslated = Object.entries(en)
      // Date formats and the number on the first of a month may be the same in two languages.
      .filter(([key]) => !['slackDateTime', 'slackLongDateTime', 'firstOfMonth', 'locale'].includes(key))
      .filter(([key, value]) => sample(catalog[key]) === sample(value))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it('fills in every value a message names', () => {
    for (const language of LANGUAGES) {
      for (const [key, value] of Object.entries(CATALOGS[language])) {
        if (typeof value !== 'function') continue;
        const marks = Array.from({ length: value.length }, (_, index) => `«${index}»`);
        const text = String((value as (...args: string[]) => string)(...marks));
        expect(
          marks.filter((mark) => !text.includes(mark)),
          `${language}.${key}`,
        ).toEqual([]);
      }
    }
  });
});
