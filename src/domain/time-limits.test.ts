import { describe, expect, it } from 'vitest';
import { endOfDayIn } from './dates.js';
import {
  administratorsRunOutAt,
  daysLeftUntil,
  graceEndsAt,
  latestEndPastGrace,
  lastDayOfAccess,
  warningDue,
  warningHorizon,
  warningKey,
} from './time-limits.js';

const END = new Date('2027-03-01T08:00:00.000Z');
const daysBefore = (days: number, ms = 0) => new Date(END.getTime() - days * 86_400_000 + ms);

describe('warningDue', () => {
  it('is due exactly at 14, 7 and 1 days before the end, and not a millisecond earlier', () => {
    const leads = [14, 7, 1];
    expect(warningDue(END, leads, daysBefore(14, -1))).toBeNull();
    expect(warningDue(END, leads, daysBefore(14))).toBe(14);
    expect(warningDue(END, leads, daysBefore(7, -1))).toBe(14);
    expect(warningDue(END, leads, daysBefore(7))).toBe(7);
    expect(warningDue(END, leads, daysBefore(1))).toBe(1);
    expect(warningDue(END, leads, END)).toBeNull();
  });

  it('after downtime, gives only the most urgent warning', () => {
    expect(warningDue(END, [14, 7, 1], daysBefore(3))).toBe(7);
    expect(warningDue(END, [1, 14, 7], daysBefore(0, -1000))).toBe(1);
  });

  it('keys each warning by connection, end date and lead, and ends the grace period 30 days after the end', () => {
    expect(warningKey(5, END, 7)).toBe('warning:5:2027-03-01T08:00:00.000Z:7');
    expect(graceEndsAt(END, 'UTC').toISOString()).toBe('2027-03-31T08:00:00.000Z');
  });

  it('looks as far ahead as the longest lead time', () => {
    expect(warningHorizon([1, 14, 7], daysBefore(20)).toISOString()).toBe(daysBefore(6).toISOString());
  });
});

describe('the 30-day grace period', () => {
  const hoursBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;

  // Access ends at midnight where the organization is; the grace period ends at midnight there 30
  // calendar days later, however many hours a daylight-saving change in between makes that.
  it.each([
    ['America/Los_Angeles', 'March', '2026-02-28', '2026-03-31T07:00:00.000Z', 719],
    ['America/Los_Angeles', 'November', '2026-10-14', '2026-11-14T08:00:00.000Z', 721],
    ['Europe/Berlin', 'March', '2026-03-14', '2026-04-13T22:00:00.000Z', 719],
    ['Europe/Berlin', 'October', '2026-10-09', '2026-11-08T23:00:00.000Z', 721],
    ['Asia/Kolkata', 'March (no DST)', '2026-02-28', '2026-03-30T18:30:00.000Z', 720],
    ['UTC', 'a leap February', '2028-02-14', '2028-03-16T00:00:00.000Z', 720],
  ])('in %s across %s: 30 days after the end at the same wall-clock time', (timeZone, _when, lastDay, graceOver, hours) => {
    const endsAt = endOfDayIn(lastDay, timeZone);
    const over = graceEndsAt(endsAt, timeZone);
    expect(over.toISOString()).toBe(graceOver);
    expect(hoursBetween(endsAt, over)).toBe(hours);
    // The sweep's cutoff is the same rule read backwards: at the moment grace is over, an end at
    // the cutoff is this very end, and a millisecond earlier it is not due yet.
    expect(latestEndPastGrace(over, timeZone).toISOString()).toBe(endsAt.toISOString());
    expect(latestEndPastGrace(new Date(over.getTime() - 1), timeZone).getTime()).toBeLessThan(endsAt.getTime());
  });

  it('counts the leap day as one of the 30', () => {
    expect(graceEndsAt(endOfDayIn('2028-02-14', 'UTC'), 'UTC')).toEqual(endOfDayIn('2028-03-15', 'UTC'));
    expect(graceEndsAt(endOfDayIn('2027-02-14', 'UTC'), 'UTC')).toEqual(endOfDayIn('2027-03-16', 'UTC'));
  });
});

describe('administratorsRunOutAt', () => {
  const now = new Date('2031-01-01T00:00:00.000Z');
  const at = (day: string) => new Date(`2031-01-${day}T00:00:00.000Z`);

  it('is the latest end when every Administrator has one', () => {
    expect(
      administratorsRunOutAt(
        [
          { startsAt: null, endsAt: at('10') },
          { startsAt: null, endsAt: at('20') },
        ],
        now,
      ),
    ).toEqual(at('20'));
  });

  it('is null while someone stays without an end, and when nobody is an Administrator now', () => {
    expect(
      administratorsRunOutAt(
        [
          { startsAt: null, endsAt: at('10') },
          { startsAt: null, endsAt: null },
        ],
        now,
      ),
    ).toBeNull();
    expect(administratorsRunOutAt([], now)).toBeNull();
    expect(administratorsRunOutAt([{ startsAt: at('05'), endsAt: null }], now)).toBeNull();
  });

  it('counts an Administrator who starts in time, and finds the gap before one who starts late', () => {
    expect(
      administratorsRunOutAt(
        [
          { startsAt: null, endsAt: at('10') },
          { startsAt: at('10'), endsAt: null },
        ],
        now,
      ),
    ).toBeNull();
    expect(
      administratorsRunOutAt(
        [
          { startsAt: null, endsAt: at('10') },
          { startsAt: at('12'), endsAt: null },
        ],
        now,
      ),
    ).toEqual(at('10'));
  });
});

describe('daysLeftUntil', () => {
  // A warning names the days actually left, not the lead time that made it due: access given five
  // days before its end, or a job catching up, must not be told "in 14 days".
  it('counts calendar days to the last day in the organization’s time zone', () => {
    const instant = new Date('2026-12-02T06:30:00.000Z');
    expect(daysLeftUntil('2026-12-08', 'America/Los_Angeles', instant)).toBe(7); // still Dec 1 in Redlands
    expect(daysLeftUntil('2026-12-08', 'Europe/Berlin', instant)).toBe(6);
    expect(daysLeftUntil('2026-12-02', 'Europe/Berlin', instant)).toBe(0);
    expect(daysLeftUntil('2026-11-30', 'Europe/Berlin', instant)).toBe(0);
  });

  it('takes the last day from the end instant when there is no end date', () => {
    expect(lastDayOfAccess({ endsOn: null, endsAt: new Date('2027-03-01T08:00:00.000Z') }, 'America/Los_Angeles')).toBe('2027-02-28');
    expect(lastDayOfAccess({ endsOn: '2027-02-28', endsAt: new Date('2027-03-01T08:00:00.000Z') }, 'UTC')).toBe('2027-02-28');
  });
});
