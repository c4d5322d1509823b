/**
 * A member's own settings (`/access settings`): their language and where App Home opens. The
 * language is read for every message Gatehouse sends them, so it is one indexed lookup by Slack id.
 */
import { memberBySlackId } from '../db/joined-reads.js';
import type { Db } from '../db/client.js';
import type { SqlTarget } from '../db/sql.js';
import { DomainError } from '../domain/errors.js';
import { homeStartOr, type MySettings } from '../domain/my-settings.js';
import { CATALOGS } from '../i18n/catalogs.js';
import { DEFAULT_LANGUAGE, languageOr, type Language } from '../i18n/languages.js';
import { managedOrganizations } from './members/managing-admin.js';
import { memberFor, type SlackProfile } from './members.js';

/** The language someone reads Gatehouse in; English for people Gatehouse does not know yet. */
export async function languageOf(reader: SqlTarget, slackUserId: string): Promise<Language> {
  const member = await memberBySlackId(reader, slackUserId);
  return member ? languageOr(member.language) : DEFAULT_LANGUAGE;
}

export interface SettingsModel {
  settings: MySettings;
  /** Whether the members list can be a start section: only for people who manage an organization's members. */
  managesMembers: boolean;
}

/** Training admins manage members too; a callers admin's part is `/access callers`, not App Home's list. */
async function managesMembers(reader: SqlTarget, slackUserId: string, now: Date): Promise<boolean> {
  const managed = await managedOrganizations(reader, slackUserId, now);
  return managed.some(({ roles }) => roles.administrator || roles.trainingAdmin);
}

export async function mySettings(reader: SqlTarget, slackUserId: string, now: Date): Promise<SettingsModel> {
  const member = await memberBySlackId(reader, slackUserId);
  return {
    settings: {
      language: languageOr(member?.language),
      homeStart: homeStartOr(member?.homeStart),
    },
    managesMembers: await managesMembers(reader, slackUserId, now),
  };
}

/** Where App Home opens for someone: a section, or null to reopen it where it was left. */
export async function homeStartOf(reader: SqlTarget, slackUserId: string): Promise<'access' | 'members' | null> {
  const start = homeStartOr((await memberBySlackId(reader, slackUserId))?.homeStart);
  return start === 'last' ? null : start;
}

/**
 * Stores the settings and says whether anything changed. One UPDATE of the member's own row: the
 * last submission wins, which is what someone changing their own preference expects.
 */
export async function saveMySettings(
  prisma: Db,
  profile: SlackProfile,
  settings: MySettings,
  now: Date,
): Promise<{ changed: boolean; settings: MySettings }> {
  if (settings.homeStart === 'members' && !(await managesMembers(prisma, profile.slackUserId, now))) {
    throw DomainError.ofFields({ homeStart: CATALOGS[settings.language].settingsHomeStartOnlyAdmins });
  }
  return prisma.$transaction(async (tx) => {
    const member = await memberFor(tx, profile);
    const changed = languageOr(member.language) !== settings.language || homeStartOr(member.homeStart) !== settings.homeStart;
    if (changed) {
      await tx.member.update({ where: { id: member.id }, data: { language: settings.language, homeStart: settings.homeStart } });
    }
    return { changed, settings };
  });
}
