import type { Member } from './generated/sqlite/client.js';
import { memberBySlackId } from './joined-reads.js';
import { preparedStatement, sqlOf, type SqlTarget } from './sql.js';

const insertStatement = preparedStatement((build, args: { slackUserId: string; now: Date }) =>
  build
    .insertInto('Member')
    .values({ slackUserId: args.slackUserId, displayName: args.slackUserId, createdAt: args.now, updatedAt: args.now })
    .onConflict((conflict) => conflict.column('slackUserId').doNothing()),
);

/**
 * The member record for a Slack user, created with their user id as the name when Gatehouse has
 * none yet (Slack is asked for the real name later). Safe when two requests create it at once.
 */
export async function insertMemberIfAbsent(target: SqlTarget, slackUserId: string, now: Date): Promise<Member> {
  const sql = sqlOf(target);
  await sql.execute(insertStatement(sql, { slackUserId, now }));
  return (await memberBySlackId(target, slackUserId))!;
}
