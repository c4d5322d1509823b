/** Checks shared by the steps that choose what an invitation grants. */
import { calendarDateIn, isCalendarDate } from '../../domain/dates.js';
import type { InvitationFieldErrors } from '../../domain/invitations.js';
import type { OrganizationSummary } from '../../domain/read-models.js';

export function checkTimeRange(
  range: { startsOn: string | null; endsOn: string | null },
  organization: OrganizationSummary,
  now: Date,
): InvitationFieldErrors {
  const { startsOn, endsOn } = range;
  if (startsOn && !isCalendarDate(startsOn)) return { startsOn: 'That is not a date.' };
  if (!endsOn) return {};
  if (!isCalendarDate(endsOn)) return { endsOn: 'That is not a date.' };
  if (endsOn < calendarDateIn(now, organization.timeZone)) return { endsOn: 'Choose today or a later date, or leave it empty.' };
  if (startsOn && startsOn > endsOn) return { startsOn: 'Access has to start on or before its last day.' };
  return {};
}
