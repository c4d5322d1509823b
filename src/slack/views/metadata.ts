import { z } from 'zod';

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
