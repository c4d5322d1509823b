import { TZDate } from '@date-fns/tz';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: string): boolean {
  const match = CALENDAR_DATE.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The instant a calendar date begins in a time zone. */
export function startOfDayIn(calendarDate: string, timeZone: string): Date {
  const [year, month, day] = calendarDate.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, 0, 0, 0, 0, timeZone).getTime());
}

/** The instant a calendar date ends in a time zone: the start of the next day there. */
export function endOfDayIn(calendarDate: string, timeZone: string): Date {
  const [year, month, day] = calendarDate.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day + 1, 0, 0, 0, 0, timeZone).getTime());
}

/** Today's calendar date in a time zone. */
export function calendarDateIn(instant: Date, timeZone: string): string {
  const zoned = new TZDate(instant.getTime(), timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${zoned.getFullYear()}-${pad(zoned.getMonth() + 1)}-${pad(zoned.getDate())}`;
}
