/**
 * What someone and their organization's Administrators are told when an admin changes, disconnects
 * or restores someone's access. The member reads what they gained and lost and who did it; the log
 * note is for the log and the Administrators, so it is never shown to the member.
 */
import type { KnownBlock } from '@slack/types';
import type { AccessChangeNotice, AccessSnapshot, PermissionInfo } from '../../domain/read-models.js';
import { context, fallbackText, mention, mrkdwn, oneLine, organizationLabel, personName, section } from './format.js';
import { callerDescription, shownEntry } from './invite-form-parts.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { ENGLISH, type Words } from './words.js';

export type AccessChangeAudience = 'member' | 'administrator';

type Message = { text: string; blocks: KnownBlock[] };

/** How much of a note the Administrators' message shows; notes are capped at 1000 characters anyway. */
const NOTE_SHOWN = 1000;

function statusLabel(status: string, words: Words): string {
  const say = words.say;
  const labels: Record<string, string> = {
    ACTIVE: say.statusActive,
    EXPIRED: say.statusExpired,
    SUSPENDED: say.statusDisabled,
    REMOVED: say.statusDisconnected,
    PENDING: say.statusPending,
  };
  return labels[status] ?? oneLine(status);
}

function orgName(notice: AccessChangeNotice): string {
  return escapeMrkdwn(organizationLabel(notice.organization));
}

/** The subject inside mrkdwn: a mention when they are a member, otherwise their escaped address. */
function subjectShown(notice: AccessChangeNotice, words: Words): string {
  if (notice.subject) return mention(notice.subject);
  return notice.subjectEmail ? shownEntry(notice.subjectEmail) : words.say.someone;
}

/** The subject as plain words for the fallback text, escaped because Slack reads it as mrkdwn. */
function subjectWords(notice: AccessChangeNotice, words: Words): string {
  if (notice.subject) return escapeMrkdwn(personName(notice.subject));
  return notice.subjectEmail ? shownEntry(notice.subjectEmail) : words.say.someone;
}

function keysOf(permissions: readonly PermissionInfo[]): Set<string> {
  return new Set(permissions.map((permission) => permission.key));
}

/** A snapshot that grants nothing: disconnected access keeps its permissions in the log, but holds none. */
function heldPermissions(snapshot: AccessSnapshot | null): PermissionInfo[] {
  if (!snapshot || snapshot.status === 'REMOVED') return [];
  return snapshot.permissions;
}

function names(permissions: readonly PermissionInfo[]): string {
  return permissions.map((permission) => escapeMrkdwn(oneLine(permission.name))).join(', ');
}

function tagsShown(tags: readonly string[], words: Words): string {
  return tags.length > 0 ? tags.map((tag) => `\`${escapeMrkdwn(truncate(oneLine(tag), 50))}\``).join(' ') : `_${words.say.noTags}_`;
}

function dateShown(calendarDate: string | null, none: string, words: Words): string {
  return calendarDate ? escapeMrkdwn(words.calendarDate(calendarDate)) : none;
}

function callerShown(snapshot: AccessSnapshot | null, words: Words): string {
  return snapshot?.caller ? escapeMrkdwn(callerDescription(snapshot.caller)) : words.say.notACaller;
}

function sameTags(before: readonly string[], after: readonly string[]): boolean {
  return before.length === after.length && before.every((tag, index) => tag === after[index]);
}

function sameCaller(before: AccessSnapshot | null, after: AccessSnapshot | null): boolean {
  return (
    (before?.caller?.supportLevel ?? null) === (after?.caller?.supportLevel ?? null) &&
    (before?.caller?.callerLevel ?? null) === (after?.caller?.callerLevel ?? null)
  );
}

/** One line per thing that changed, in the reader's words; the member's lines speak to them. */
function changeLines(notice: AccessChangeNotice, audience: AccessChangeAudience, words: Words): string[] {
  const say = words.say;
  const { before, after } = notice;
  const was = heldPermissions(before);
  const is = heldPermissions(after);
  const wasKeys = keysOf(was);
  const isKeys = keysOf(is);
  const gained = is.filter((permission) => !wasKeys.has(permission.key));
  const lost = was.filter((permission) => !isKeys.has(permission.key));
  const lines: string[] = [];
  if (before && after && before.status !== after.status) {
    lines.push(`*${say.changeStatus}:* ${statusLabel(before.status, words)} → ${statusLabel(after.status, words)}`);
  }
  if (gained.length > 0) lines.push(`*${audience === 'member' ? say.changeYouNowHave : say.changeGained}:* ${names(gained)}`);
  if (lost.length > 0) lines.push(`*${audience === 'member' ? say.changeYouNoLongerHave : say.changeLost}:* ${names(lost)}`);
  const kept = is.filter((permission) => wasKeys.has(permission.key));
  if ((gained.length > 0 || lost.length > 0) && kept.length > 0) lines.push(`*${say.changeStillHeld}:* ${names(kept)}`);
  const day = (calendarDate: string | null, none: string) => dateShown(calendarDate, none, words);
  if (after && (!before || before.startsOn !== after.startsOn)) {
    lines.push(`*${say.changeStarts}:* ${day(before?.startsOn ?? null, say.whenConnected)} → ${day(after.startsOn, say.whenConnected)}`);
  }
  if (after && (!before || before.endsOn !== after.endsOn)) {
    lines.push(`*${say.changeEnds}:* ${day(before?.endsOn ?? null, say.noEndDate)} → ${day(after.endsOn, say.noEndDate)}`);
  }
  if (after && (!before || !sameTags(before.tags, after.tags))) {
    lines.push(`*${say.changeTags}:* ${tagsShown(before?.tags ?? [], words)} → ${tagsShown(after.tags, words)}`);
  }
  if (after && !sameCaller(before, after)) {
    lines.push(`*${say.changeCaller}:* ${callerShown(before, words)} → ${callerShown(after, words)}`);
  }
  return lines;
}

/** "Your access to City of Redlands changed", in words that fit the action. */
function memberHeadline(notice: AccessChangeNotice, words: Words): string {
  const say = words.say;
  const org = `*${orgName(notice)}*`;
  const endsOn = notice.after?.endsOn ?? null;
  switch (notice.action) {
    case 'disconnected':
      return say.memberDisconnected(org);
    case 'restored':
      return endsOn ? say.memberRestoredUntil(org, dateShown(endsOn, '', words)) : say.memberRestored(org);
    case 'end_date_changed':
      return endsOn ? say.memberEndsOn(org, dateShown(endsOn, '', words)) : say.memberNoEnd(org);
    case 'caller_changed':
      return say.memberCallerChanged(org);
    case 'invitation_edited':
      return say.memberInvitationEdited(org);
    case 'edited':
      return say.memberEdited(org);
  }
}

/** The Administrators' sentence for an action: who did it, to whom, where. */
function adminSentence(notice: AccessChangeNotice, words: Words): (actor: string, subject: string, organization: string) => string {
  const say = words.say;
  const sentences: Record<AccessChangeNotice['action'], (actor: string, subject: string, organization: string) => string> = {
    edited: say.adminChanged,
    disconnected: say.adminDisconnected,
    restored: say.adminRestored,
    end_date_changed: say.adminEndDate,
    caller_changed: say.adminCaller,
    invitation_edited: say.adminInvitation,
  };
  return sentences[notice.action];
}

function adminHeadline(notice: AccessChangeNotice, words: Words): string {
  return adminSentence(notice, words)(mention(notice.actor), subjectShown(notice, words), `*${orgName(notice)}*`);
}

function adminFallback(notice: AccessChangeNotice, words: Words): string {
  return adminSentence(notice, words)(escapeMrkdwn(personName(notice.actor)), subjectWords(notice, words), orgName(notice));
}

function memberFallback(notice: AccessChangeNotice, words: Words): string {
  const say = words.say;
  const org = orgName(notice);
  switch (notice.action) {
    case 'disconnected':
      return say.memberDisconnectedShort(org);
    case 'restored':
      return say.memberRestoredShort(org);
    case 'end_date_changed':
      return say.memberEndDateShort(org);
    case 'caller_changed':
      return say.memberCallerShort(org);
    case 'invitation_edited':
      return say.memberInvitationShort(org);
    case 'edited':
      return say.memberEditedShort(org);
  }
}

/**
 * The message about one change, for the member or for an Administrator. Each section stays far
 * inside Block Kit's 3000 characters: the catalog is short, tags are ten of 50 characters at most,
 * and the note is cut to 1000.
 */
export function accessChangedMessage(notice: AccessChangeNotice, audience: AccessChangeAudience, words: Words = ENGLISH): Message {
  const say = words.say;
  const lines = changeLines(notice, audience, words);
  const headline = audience === 'member' ? memberHeadline(notice, words) : adminHeadline(notice, words);
  const blocks: KnownBlock[] = [section(mrkdwn(headline))];
  if (lines.length > 0) blocks.push(section(mrkdwn(lines.join('\n'))));
  if (audience === 'administrator' && notice.note) {
    blocks.push(section(mrkdwn(`*${say.noteForTheLog}:* ${escapeMrkdwn(truncate(notice.note, NOTE_SHOWN))}`)));
  }
  const by = audience === 'member' ? say.changedBy(mention(notice.actor)) : say.loggedAs(notice.logEntryId);
  const follow =
    audience === 'member'
      ? notice.action === 'disconnected'
        ? say.askToReconnect('`/access request`')
        : say.seeEverything('`/access me`')
      : say.seeMembers('`/access users`');
  blocks.push(context(mrkdwn(`${by}  ·  ${follow}`)));
  return { text: fallbackText(audience === 'member' ? memberFallback(notice, words) : adminFallback(notice, words)), blocks };
}
