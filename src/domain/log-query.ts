/**
 * How the permissions log is asked for: by `/access log`'s filters, and by the CSV export of the
 * log with the filters the admin had on. Kept in view metadata and in outbox rows, so it is parsed
 * with one schema wherever it comes back.
 */
import { z } from 'zod';
import { LOG_ACTION, type LogAction } from './permissions-log.js';

/** Entries per page of `/access log`: each is a section and a context line, and an expanded one a few more. */
export const LOG_PAGE_SIZE = 15;

const LOG_ACTIONS = Object.values(LOG_ACTION) as [LogAction, ...LogAction[]];
const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const logFiltersSchema = z.object({
  /** Entries about this member (the subject), by member id. */
  memberId: z.number().int().positive().nullable().default(null),
  /** Entries made by this member, by member id. */
  actorId: z.number().int().positive().nullable().default(null),
  action: z.enum(LOG_ACTIONS).nullable().default(null),
  /** Entries whose before or after snapshot holds this permission key. */
  permission: z.string().min(1).max(100).nullable().default(null),
  /** First and last calendar day, inclusive, in the organization's time zone. */
  from: calendarDate.nullable().default(null),
  to: calendarDate.nullable().default(null),
});

export type LogFilters = z.infer<typeof logFiltersSchema>;

export const NO_LOG_FILTERS: LogFilters = logFiltersSchema.parse({});

export const logQuerySchema = z.object({
  organizationId: z.number().int().positive(),
  filters: logFiltersSchema,
  /** From 0, newest first. */
  page: z.number().int().min(0).default(0),
});

export type LogQuery = z.infer<typeof logQuerySchema>;

/** What an admin can export as CSV into their DM. */
export const exportRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid') }),
  z.object({ kind: z.literal('report') }),
  z.object({ kind: z.literal('log'), filters: logFiltersSchema }),
]);

export type ExportRequest = z.infer<typeof exportRequestSchema>;
export type ExportKind = ExportRequest['kind'];
