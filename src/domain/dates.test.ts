import { describe, expect, it } from 'vitest';
import { calendarDateIn, endOfDayIn, isCalendarDate, startOfDayIn } from './dates.js';

describe('calendar dates in a time zone', () => {
  it('validates dates', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('26-2-1')).toBe(false);
  });

  it('ends a day at the next midnight where the organization is, across DST', () => {
    expect(endOfDayIn('2026-11-25', 'UTC').toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(endOfDayIn('2026-11-25', 'America/Los_Angeles').toISOString()).toBe('2026-11-26T08:00:00.000Z');
    // 2026-03-08 is 23 hours long in Los Angeles.
    expect(startOfDayIn('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(endOfDayIn('2026-03-08', 'America/Los_Angeles').toISOString()).toBe('2026-03-09T07:00:00.000Z');
  });

  it("tells today's date where the organization is", () => {
    const instant = new Date('2026-11-26T05:00:00Z');
    expect(calendarDateIn(instant, 'UTC')).toBe('2026-11-26');
    expect(calendarDateIn(instant, 'America/Los_Angeles')).toBe('2026-11-25');
  });
});
