/** Rules for access that ends on a date: when people are warned, when it ends, and when they are removed. */

import { addDaysIn, addElapsedDays, calendarDateIn, calendarDaysBetween } from './dates.js';

/**
 * Calendar days after the end, in the organization's time zone, during which an admin can still
 * extend or remove the end date.
 */
export const GRACE_DAYS = 30;

/** Default lead times for warnings, in days before the end. */
export const DEFAULT_WARNING_LEAD_DAYS: readonly number[] = [14, 7, 1];

/**
 * When a connection that ended at `endsAt` is removed if nobody restores it: the same wall-clock
 * time 30 days later on the organization's calendar, 719 or 721 hours when the clocks change between.
 */
export function graceEndsAt(endsAt: Date, timeZone: string): Date {
  return addDaysIn(endsAt, GRACE_DAYS, timeZone);
}

/** The latest end whose grace period is over at `now` in a time zone: access that ended by then is removed. */
export function latestEndPastGrace(now: Date, timeZone: string): Date {
  return addDaysIn(now, -GRACE_DAYS, timeZone);
}

/**
 * The warning due now for access ending at `endsAt`: the smallest lead time whose moment has come,
 * or null before the first one and after the end. After downtime only the most urgent warning is
 * due, so nobody gets the 14-day and the 7-day warning in the same minute. Lead times are elapsed
 * days (24 hours each): a reminder an hour early or late across a clock change harms nobody, and
 * the days a warning names come from the calendar (daysLeftUntil).
 */
export function warningDue(endsAt: Date, leadDays: readonly number[], now: Date): number | null {
  if (now.getTime() >= endsAt.getTime()) return null;
  const due = leadDays.filter((lead) => now.getTime() >= addElapsedDays(endsAt, -lead).getTime());
  return due.length === 0 ? null : Math.min(...due);
}

/**
 * Days from `now` until the last day of access, counted on the organization's calendar: 0 on the
 * last day itself, 1 the day before. The lead time that made a warning due is not this: a job that
 * catches up, or access given less than a lead time before its end, warns with fewer days left.
 */
export function daysLeftUntil(lastDay: string, timeZone: string, now: Date): number {
  return Math.max(0, calendarDaysBetween(calendarDateIn(now, timeZone), lastDay));
}

/** The last calendar day of access in the organization: the end date, or the day of the last instant before `endsAt`. */
export function lastDayOfAccess(access: { endsOn: string | null; endsAt: Date }, timeZone: string): string {
  return access.endsOn ?? calendarDateIn(new Date(access.endsAt.getTime() - 1), timeZone);
}

/** The earliest `endsAt` for which some warning is due now: anything ending before this plus the longest lead. */
export function warningHorizon(leadDays: readonly number[], now: Date): Date {
  return addElapsedDays(now, Math.max(0, ...leadDays));
}

/** Identifies one warning for one end date, so it is sent once however often the job runs. */
export function warningKey(connectionId: number, endsAt: Date, leadDays: number): string {
  return `warning:${connectionId}:${endsAt.toISOString()}:${leadDays}`;
}

/** An Administrator's time range: null ends mean from always and until further notice. */
export interface AdministratorSpan {
  startsAt: Date | null;
  endsAt: Date | null;
}

/**
 * The moment an organization that has an Administrator now is first left without one, as their
 * time ranges stand; null when someone stays without an end, or when it has no Administrator now
 * (there is nothing left to warn about then).
 */
export function administratorsRunOutAt(spans: readonly AdministratorSpan[], now: Date): Date | null {
  let coveredUntil = now.getTime();
  for (let step = 0; ; step += 1) {
    const reaching = spans.filter(
      (span) => (span.startsAt?.getTime() ?? -Infinity) <= coveredUntil && (span.endsAt?.getTime() ?? Infinity) > coveredUntil,
    );
    if (reaching.length === 0) return step === 0 ? null : new Date(coveredUntil);
    const end = Math.max(...reaching.map((span) => span.endsAt?.getTime() ?? Infinity));
    if (end === Infinity) return null;
    coveredUntil = end;
  }
}

/** Identifies one warning to one person that an organization runs out of Administrators at `runsOutAt`. */
export function lastAdministratorWarningKey(organizationId: number, runsOutAt: Date, leadDays: number, slackUserId: string): string {
  return `last-admin:${organizationId}:${runsOutAt.toISOString()}:${leadDays}:${slackUserId}`;
}
