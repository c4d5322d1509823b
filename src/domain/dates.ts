import { tz, TZDate } from '@date-fns/tz';
import { addDays, addHours, addWeeks, differenceInCalendarDays, format, isValid, parse } from 'date-fns';

/*
 * Two kinds of dates. A calendar date (YYYY-MM-DD, as Slack's date picker sends it) is a day on
 * the organization's calendar, no instant. An instant is a Date. Arithmetic on calendar dates runs
 * in UTC, where every day is a day whatever the server's own zone; arithmetic on instants names the
 * zone whose calendar it follows, or says it counts elapsed hours. date-fns without an `in` zone
 * would silently use the server's local zone, so nothing here calls it that way.
 */

const CALENDAR_DATE_FORMAT = 'yyyy-MM-dd';
// date-fns' parser also takes one-digit months and days; a calendar date has exactly this shape.
const CALENDAR_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const CALENDAR = tz('UTC');

/** A YYYY-MM-DD calendar date, at midnight UTC; null when it is not one, or names no real day (2026-02-30). */
function parseCalendarDate(text: string): TZDate | null {
  if (!CALENDAR_DATE_SHAPE.test(text)) return null;
  const day = parse(text, CALENDAR_DATE_FORMAT, new Date(0), { in: CALENDAR });
  return isValid(day) ? day : null;
}

function calendarDateOrThrow(text: string): TZDate {
  const day = parseCalendarDate(text);
  // Callers validate input with isCalendarDate first; getting here is a bug, not bad input.
  if (!day) throw new RangeError(`Not a calendar date: ${JSON.stringify(text)}`);
  return day;
}

/** True for a YYYY-MM-DD date that exists on the calendar: 2028-02-29 is one, 2026-02-29 is not. */
export function isCalendarDate(text: string): boolean {
  return parseCalendarDate(text) !== null;
}

/** The calendar date `days` days after (or, negative, before) another. */
export function addCalendarDays(calendarDate: string, days: number): string {
  return format(addDays(calendarDateOrThrow(calendarDate), days, { in: CALENDAR }), CALENDAR_DATE_FORMAT, { in: CALENDAR });
}

/** Calendar days from one date to a later one: 1 from a day to the next, negative when `to` is earlier. */
export function calendarDaysBetween(from: string, to: string): number {
  return differenceInCalendarDays(calendarDateOrThrow(to), calendarDateOrThrow(from), { in: CALENDAR });
}

/** The instant a calendar date begins in a time zone (the first instant after the gap, when midnight is skipped). */
export function startOfDayIn(calendarDate: string, timeZone: string): Date {
  const day = calendarDateOrThrow(calendarDate);
  return new Date(new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), timeZone).getTime());
}

/** The instant a calendar date ends in a time zone: the start of the next day there. */
export function endOfDayIn(calendarDate: string, timeZone: string): Date {
  return startOfDayIn(addCalendarDays(calendarDate, 1), timeZone);
}

/** The calendar date an instant falls on in a time zone. */
export function calendarDateIn(instant: Date, timeZone: string): string {
  return format(instant, CALENDAR_DATE_FORMAT, { in: tz(timeZone) });
}

// TZDate prints itself with the zone's offset; instants leave here as plain Dates, as Prisma and
// toISOString callers expect.
const instantOf = (zoned: Date): Date => new Date(zoned.getTime());

/**
 * The same wall-clock time `days` calendar days later in a time zone (earlier when negative): 30
 * days after 10:00 is 10:00, even when a daylight-saving change makes that 719 or 721 hours.
 */
export function addDaysIn(instant: Date, days: number, timeZone: string): Date {
  return instantOf(addDays(instant, days, { in: tz(timeZone) }));
}

/** The same wall-clock time `weeks` calendar weeks later in a time zone. */
export function addWeeksIn(instant: Date, weeks: number, timeZone: string): Date {
  return instantOf(addWeeks(instant, weeks, { in: tz(timeZone) }));
}

/** `days` times 24 hours after an instant (before, when negative): elapsed time, for periods no calendar governs. */
export function addElapsedDays(instant: Date, days: number): Date {
  return addHours(instant, days * 24);
}
