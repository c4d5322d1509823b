import type { Member } from './generated/sqlite/client.js';
import { memberBySlackId } from './joined-reads.js';
import { sqlOf, type SqlTarget } from './sql.js';

/**
 * The member record for a Slack user, created with their user id as the name when Gatehouse has
 * none yet (Slack is asked for the real name later). Safe when two requests create it at once.
 */
export async function insertMemberIfAbsent(target: SqlTarget, slackUserId: string, now: Date): Promise<Member> {
  const sql = sqlOf(target);
  await sql.execute(
    sql.build
      .insertInto('Member')
      .values({ slackUserId, displayName: slackUserId, createdAt: now, updatedAt: now })
      .onConflict((conflict) => conflict.column('slackUserId').doNothing()),
  );
  return (await memberBySlackId(target, slackUserId))!;
}
