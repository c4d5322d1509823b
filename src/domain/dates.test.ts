import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addDaysIn,
  addElapsedDays,
  addWeeksIn,
  calendarDateIn,
  calendarDaysBetween,
  endOfDayIn,
  isCalendarDate,
  startOfDayIn,
} from './dates.js';

const hoursBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;

describe('calendar dates in a time zone', () => {
  it('accepts only days that exist, as YYYY-MM-DD', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true); // a leap year
    expect(isCalendarDate('2100-02-29')).toBe(false); // a century that is not one
    expect(isCalendarDate('2000-02-29')).toBe(true); // a century that is
    expect(isCalendarDate('2026-04-31')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-00-10')).toBe(false);
    expect(isCalendarDate('2026-12-31')).toBe(true);
  });

  it('refuses junk and near misses', () => {
    for (const junk of [
      '',
      'tomorrow',
      '26-2-1',
      '2026-2-01',
      '2026-02-1',
      '2026/02/01',
      ' 2026-02-01',
      '2026-02-01 ',
      '2026-02-01T00:00',
      '20260201',
      'abcd-ef-gh',
      '2026-02-01\n',
    ]) {
      expect(isCalendarDate(junk), JSON.stringify(junk)).toBe(false);
    }
  });

  it('ends a day at the next midnight where the organization is, across DST', () => {
    expect(endOfDayIn('2026-11-25', 'UTC').toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(endOfDayIn('2026-11-25', 'America/Los_Angeles').toISOString()).toBe('2026-11-26T08:00:00.000Z');
    // 2026-03-08 is 23 hours long in Los Angeles, 2026-11-01 is 25.
    expect(startOfDayIn('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(endOfDayIn('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(hoursBetween(startOfDayIn('2026-11-01', 'America/Los_Angeles'), endOfDayIn('2026-11-01', 'America/Los_Angeles'))).toBe(25);
    // The last day of February in a leap year ends on the 29th's midnight, not March 1st's.
    expect(endOfDayIn('2028-02-28', 'UTC').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('starts a day whose midnight is skipped at the first instant after the gap', () => {
    // Chile moves its clocks from 00:00 to 01:00 on 2026-09-06.
    expect(startOfDayIn('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(endOfDayIn('2026-09-05', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });

  it("tells today's date where the organization is", () => {
    const instant = new Date('2026-11-26T05:00:00Z');
    expect(calendarDateIn(instant, 'UTC')).toBe('2026-11-26');
    expect(calendarDateIn(instant, 'America/Los_Angeles')).toBe('2026-11-25');
    expect(calendarDateIn(new Date('2026-11-25T23:30:00Z'), 'Asia/Kolkata')).toBe('2026-11-26');
  });

  it('adds and counts calendar days, through month ends and leap days', () => {
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addCalendarDays('2026-03-08', 30)).toBe('2026-04-07');
    expect(calendarDaysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(calendarDaysBetween('2027-02-01', '2027-03-01')).toBe(28);
    expect(calendarDaysBetween('2026-12-08', '2026-12-01')).toBe(-7);
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('days on an organization’s calendar', () => {
  // 2026: Los Angeles springs forward on March 8 and falls back on November 1; Berlin on March 29 and October 25.
  it('keeps the wall-clock time across a daylight-saving change, so a day is 23 or 25 hours', () => {
    const beforeSpring = new Date('2026-03-07T18:00:00.000Z'); // 10:00 PST
    expect(addDaysIn(beforeSpring, 1, 'America/Los_Angeles').toISOString()).toBe('2026-03-08T17:00:00.000Z'); // 10:00 PDT
    const beforeFall = new Date('2026-10-31T17:00:00.000Z'); // 10:00 PDT
    expect(addDaysIn(beforeFall, 1, 'America/Los_Angeles').toISOString()).toBe('2026-11-01T18:00:00.000Z'); // 10:00 PST
    expect(addDaysIn(new Date('2026-03-28T09:00:00.000Z'), 1, 'Europe/Berlin').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(addDaysIn(new Date('2026-03-07T18:00:00.000Z'), 1, 'Asia/Kolkata').toISOString()).toBe('2026-03-08T18:00:00.000Z');
    expect(addDaysIn(new Date('2026-03-08T17:00:00.000Z'), -1, 'America/Los_Angeles').toISOString()).toBe('2026-03-07T18:00:00.000Z');
  });

  it('adds weeks the same way', () => {
    expect(addWeeksIn(new Date('2026-03-01T08:00:00.000Z'), 6, 'Europe/Berlin').toISOString()).toBe('2026-04-12T07:00:00.000Z');
    expect(addWeeksIn(new Date('2026-03-01T08:00:00.000Z'), 6, 'UTC').toISOString()).toBe('2026-04-12T08:00:00.000Z');
  });

  it('returns plain instants, whatever zone the arithmetic followed', () => {
    const later = addDaysIn(new Date('2026-03-07T18:00:00.000Z'), 1, 'America/Los_Angeles');
    expect(later.constructor).toBe(Date);
    expect(JSON.stringify(later)).toBe('"2026-03-08T17:00:00.000Z"');
  });

  it('counts elapsed days as 24 hours each, whatever the clocks do', () => {
    expect(addElapsedDays(new Date('2026-03-07T18:00:00.000Z'), 1).toISOString()).toBe('2026-03-08T18:00:00.000Z');
    expect(addElapsedDays(new Date('2026-03-31T00:00:00.000Z'), -30).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});
