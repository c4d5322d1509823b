import { z } from 'zod';
import { LOG_PAGE_SIZE, logQuerySchema } from '../../domain/log-query.js';
import { memberListQuerySchema } from '../../domain/member-management.js';

/**
 * private_metadata of Gatehouse's modals. Slack hands it back untouched, but a forged submission
 * can carry anything, so it is parsed like any other input.
 */
export const requestFormMetadata = z.object({
  organizationId: z.number().int().positive().nullable(),
  unlisted: z.boolean(),
});

export const decisionFormMetadata = z.object({
  requestId: z.number().int().positive(),
  /** Where the admin clicked, so a lost race can be reported there. */
  channelId: z.string().min(1).max(30).nullable(),
  /** Opened from a triage card, where operators rather than the organization's admins decide. */
  inTriage: z.boolean().optional(),
});

/** The invitation modal's three steps share this; the draft holds everything chosen so far. */
export const inviteMetadata = z.object({
  /** Null until the first addresses are checked. */
  draftId: z.number().int().positive().nullable(),
  /** The organization when step 1 shows no picker (one organization, or a draft already exists). */
  organizationId: z.number().int().positive().nullable(),
  /** Goes up with each redraw of step 1, so the addresses box gets a new block_id and shows empty. */
  revision: z.number().int().min(0),
});

/** Edit, Resend and Revoke of one pending invitation. */
export const invitationFormMetadata = z.object({
  invitationId: z.number().int().positive(),
  /** Opened from a row of `/access users`: the list to redraw once the form is done (declared below, with the list's query). */
  surface: z.lazy(() => memberListSurface).optional(),
});

export type RequestFormMetadata = z.infer<typeof requestFormMetadata>;
export type DecisionFormMetadata = z.infer<typeof decisionFormMetadata>;
/** The Extend form of one connection. */
export const extendFormMetadata = z.object({
  connectionId: z.number().int().positive(),
});

export type ExtendFormMetadata = z.infer<typeof extendFormMetadata>;
export type InviteMetadata = z.infer<typeof inviteMetadata>;
export type InvitationFormMetadata = z.infer<typeof invitationFormMetadata>;

export function encodeMetadata<T>(schema: z.ZodType<T>, value: T): string {
  return JSON.stringify(schema.parse(value));
}

/** The metadata, or null when it is missing or not what Gatehouse wrote. */
export function decodeMetadata<T>(schema: z.ZodType<T>, raw: unknown): T | null {
  if (typeof raw !== 'string') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The members list's query, carried by the list modal and App Home's members section. */
export const memberListMetadata = memberListQuerySchema;

export type MemberListMetadata = z.infer<typeof memberListMetadata>;

/** The forms pushed from a row of the list: which row, and the list view to redraw once they are done. */
export const memberFormMetadata = z.object({
  row: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('member'), connectionId: z.number().int().positive() }),
    z.object({ kind: z.literal('invitation'), invitationId: z.number().int().positive() }),
  ]),
  /** The list modal under this form, or null when it was opened from App Home. */
  listViewId: z.string().min(1).max(40).nullable(),
  list: memberListMetadata,
});

export type MemberFormMetadata = z.infer<typeof memberFormMetadata>;

/** The bulk review and confirm forms: the organization, the list to redraw, and (on confirm) the action chosen. */
export const bulkFormMetadata = z.object({
  listViewId: z.string().min(1).max(40).nullable(),
  list: memberListMetadata,
  action: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.enum(['add_tag', 'remove_tag']), tag: z.string().min(1).max(50) }),
      z.object({ kind: z.literal('set_end_date'), endsOn: z.string().max(10) }),
      z.object({ kind: z.enum(['add_permission', 'remove_permission']), permission: z.string().min(1).max(60) }),
      z.object({ kind: z.enum(['clear_end_date', 'resend', 'disconnect']) }),
    ])
    .nullable(),
});

export type BulkFormMetadata = z.infer<typeof bulkFormMetadata>;

/** `/access callers` and the forms opened from it. */
export const callerFormMetadata = z.object({
  organizationId: z.number().int().positive(),
  row: memberFormMetadata.shape.row.nullable(),
  listViewId: z.string().min(1).max(40).nullable(),
});

export type CallerFormMetadata = z.infer<typeof callerFormMetadata>;

/** Where a form opened from a row of `/access users` came from: the list modal (null: App Home) and its query. */
export const memberListSurface = memberFormMetadata.pick({ listViewId: true, list: true });

export type MemberListSurface = z.infer<typeof memberListSurface>;

/** `/access log`: the query it shows, and which entries of the page are expanded. */
export const logViewMetadata = z.object({
  query: logQuerySchema,
  expanded: z.array(z.number().int().positive()).max(LOG_PAGE_SIZE).default([]),
});

export type LogViewMetadata = z.infer<typeof logViewMetadata>;

/** The confirmation step of `/access leave`: the organization chosen. */
export const leaveFormMetadata = z.object({
  organizationId: z.number().int().positive(),
});

export type LeaveFormMetadata = z.infer<typeof leaveFormMetadata>;
