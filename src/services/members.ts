import { subHours } from 'date-fns';
import type { Db, Tx } from '../db/client.js';

export interface SlackProfile {
  slackUserId: string;
  slackTeamId?: string | null;
  displayName?: string | null;
  email?: string | null;
}

/** The member for a Slack user, created on first sight; a known profile fills in what is missing. */
export async function memberFor(tx: Tx | Db, profile: SlackProfile) {
  const update = {
    ...(profile.slackTeamId ? { slackTeamId: profile.slackTeamId } : {}),
    ...(profile.displayName ? { displayName: profile.displayName } : {}),
    ...(profile.email ? { email: profile.email.toLowerCase() } : {}),
  };
  return tx.member.upsert({
    where: { slackUserId: profile.slackUserId },
    create: {
      slackUserId: profile.slackUserId,
      slackTeamId: profile.slackTeamId ?? null,
      displayName: profile.displayName || profile.slackUserId,
      email: profile.email?.toLowerCase() ?? null,
    },
    update,
  });
}

/** Stores what Slack says about a person (users.info), so cards can show their name and email. */
export async function rememberProfile(prisma: Db, profile: SlackProfile): Promise<void> {
  await memberFor(prisma, profile);
}

/**
 * How long a profile learned from Slack is trusted before it is looked up again. Elapsed hours, not
 * a calendar day: it is a cache's age, and no organization's calendar governs it.
 */
const PROFILE_FRESH_HOURS = 24;

/** Whether Gatehouse should ask Slack for this person's name and email. */
export async function profileIsStale(prisma: Db, slackUserId: string, now: Date): Promise<boolean> {
  return profileNeedsRefresh(slackUserId, await prisma.member.findUnique({ where: { slackUserId } }), now);
}

/** The same judgement for a member record already read. */
export function profileNeedsRefresh(
  slackUserId: string,
  member: { email: string | null; displayName: string; updatedAt: Date } | null,
  now: Date,
): boolean {
  if (!member || !member.email || member.displayName === slackUserId) return true;
  return member.updatedAt < subHours(now, PROFILE_FRESH_HOURS);
}
