import { Prisma } from './generated/sqlite/client.js';
import type { Member } from './generated/sqlite/client.js';
import { memberBySlackId } from './joined-reads.js';
import { sqlOf, type SqlTarget } from './sql.js';

/**
 * The member record for a Slack user, created with their user id as the name when Gatehouse has
 * none yet (Slack is asked for the real name later). Safe when two requests create it at once.
 */
export async function insertMemberIfAbsent(target: SqlTarget, slackUserId: string, now: Date): Promise<Member> {
  await sqlOf(target).execute(Prisma.sql`
    INSERT INTO "Member" ("slackUserId", "displayName", "createdAt", "updatedAt")
    VALUES (${slackUserId}, ${slackUserId}, ${now}, ${now})
    ON CONFLICT ("slackUserId") DO NOTHING`);
  return (await memberBySlackId(target, slackUserId))!;
}
