/**
 * A member's own settings (`/access settings`): today their language. The language is read for
 * every message Gatehouse sends them, so it is one indexed lookup by Slack id.
 */
import { memberBySlackId } from '../db/joined-reads.js';
import type { Db } from '../db/client.js';
import type { SqlTarget } from '../db/sql.js';
import { DEFAULT_LANGUAGE, languageOr, type Language } from '../i18n/languages.js';
import { memberFor, type SlackProfile } from './members.js';

/** The language someone reads Gatehouse in; English for people Gatehouse does not know yet. */
export async function languageOf(reader: SqlTarget, slackUserId: string): Promise<Language> {
  const member = await memberBySlackId(reader, slackUserId);
  return member ? languageOr(member.language) : DEFAULT_LANGUAGE;
}

export interface MySettings {
  language: Language;
}

export async function mySettings(reader: SqlTarget, slackUserId: string): Promise<MySettings> {
  return { language: await languageOf(reader, slackUserId) };
}

/**
 * Stores the settings and says whether anything changed. One UPDATE of the member's own row: the
 * last submission wins, which is what someone changing their own preference expects.
 */
export async function saveMySettings(
  prisma: Db,
  profile: SlackProfile,
  settings: MySettings,
): Promise<{ changed: boolean; settings: MySettings }> {
  return prisma.$transaction(async (tx) => {
    const member = await memberFor(tx, profile);
    const changed = languageOr(member.language) !== settings.language;
    if (changed) await tx.member.update({ where: { id: member.id }, data: { language: settings.language } });
    return { changed, settings };
  });
}
