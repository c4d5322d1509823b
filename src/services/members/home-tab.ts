/**
 * Which part of App Home someone last chose: their own access, or the members list of an
 * organization they manage with its search and filters, so a redraw keeps them where they were.
 */
import type { Db } from '../../db/client.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { memberListQuerySchema, type MemberListQuery } from '../../domain/member-management.js';

export type HomeSection = { section: 'access' } | { section: 'members'; query: MemberListQuery };

const ACCESS: HomeSection = { section: 'access' };

/** The stored query, or null when it is missing or not one Gatehouse wrote. */
function storedQuery(text: string | null): MemberListQuery | null {
  if (text === null) return null;
  try {
    const parsed = memberListQuerySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The section someone last chose; their own access when they chose none, or what is stored cannot be read. */
export async function homeSectionOf(reader: SqlTarget, slackUserId: string): Promise<HomeSection> {
  const sql = sqlOf(reader);
  const [row] = await sql.rows(
    sql.build
      .selectFrom('HomeTab as h')
      .innerJoin('Member as m', 'm.id', 'h.memberId')
      .select(['h.section', 'h.query'])
      .where('m.slackUserId', '=', slackUserId),
  );
  if (row?.section !== 'members') return ACCESS;
  const query = storedQuery(row.query);
  return query ? { section: 'members', query } : ACCESS;
}

/** Remembers the section someone chose; someone Gatehouse has no member record for has nothing to remember. */
export async function chooseHomeSection(prisma: Db, slackUserId: string, section: HomeSection): Promise<void> {
  const member = await prisma.member.findUnique({ where: { slackUserId }, select: { id: true } });
  if (!member) return;
  const query = section.section === 'members' ? JSON.stringify(memberListQuerySchema.parse(section.query)) : null;
  await prisma.homeTab.upsert({
    where: { memberId: member.id },
    create: { memberId: member.id, section: section.section, query },
    update: { section: section.section, query },
  });
}
