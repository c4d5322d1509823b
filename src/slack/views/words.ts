/**
 * A reader's language in the views: their catalog, and dates written the way it writes them.
 * Slack draws date tokens in the reader's own Slack locale; the token's format string and its
 * fallback (for clients that cannot draw it) follow the chosen language.
 */
import { CATALOGS, type Catalog } from '../../i18n/catalogs.js';
import { DEFAULT_LANGUAGE, type Language } from '../../i18n/languages.js';
import { slackDate, utcDateTime } from './format.js';
import { escapeMrkdwn } from './mrkdwn.js';

export interface Words {
  language: Language;
  say: Catalog;
  /** A day and time, as a Slack date token. */
  onDateTime(instant: Date): string;
  /** A YYYY-MM-DD calendar date written out ("31 de diciembre de 2099"); anything else as it is. */
  calendarDate(calendarDate: string): string;
  /**
   * When access ends, as mrkdwn: `endsAt` is the first instant without access, so the token shows
   * the second before it; without it, the calendar day.
   */
  endDate(endsAt: Date | null, endsOn: string | null): string | null;
  /** "today", "tomorrow" or "in N days", counted to a last day. */
  within(daysLeft: number): string;
}

export function wordsFor(language: Language): Words {
  const say = CATALOGS[language];
  const calendarDate = (text: string): string => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) return text;
    const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    return new Intl.DateTimeFormat(say.locale, { dateStyle: 'long', timeZone: 'UTC' })
      .formatToParts(day)
      .map((part) => (part.type === 'day' && part.value === '1' ? say.firstOfMonth : part.value))
      .join('');
  };
  return {
    language,
    say,
    onDateTime: (instant) => slackDate(instant, say.slackDateTime, utcDateTime(instant)),
    calendarDate,
    endDate: (endsAt, endsOn) => {
      if (endsAt) {
        const fallback = endsOn ? say.endOfDay(calendarDate(endsOn)) : utcDateTime(endsAt);
        return slackDate(new Date(endsAt.getTime() - 1000), say.slackLongDateTime, fallback);
      }
      return endsOn ? escapeMrkdwn(calendarDate(endsOn)) : null;
    },
    within: (daysLeft) => (daysLeft <= 0 ? say.today : daysLeft === 1 ? say.tomorrow : say.inDays(daysLeft)),
  };
}

/** English, for readers whose language is not known (channels, operators). */
export const ENGLISH = wordsFor(DEFAULT_LANGUAGE);
