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
