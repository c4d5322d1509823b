/**
 * What someone and their organization's Administrators are told when an admin changes, disconnects
 * or restores someone's access. The member reads what they gained and lost and who did it; the log
 * note is for the log and the Administrators, so it is never shown to the member.
 */
import type { KnownBlock } from '@slack/types';
import type { AccessChangeNotice, AccessSnapshot, PermissionInfo } from '../../domain/read-models.js';
import { calendarDateLabel, context, fallbackText, mention, mrkdwn, oneLine, organizationLabel, personName, section } from './format.js';
import { callerDescription, shownEntry } from './invite-form-parts.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

export type AccessChangeAudience = 'member' | 'administrator';

type Message = { text: string; blocks: KnownBlock[] };

/** How much of a note the Administrators' message shows; notes are capped at 1000 characters anyway. */
const NOTE_SHOWN = 1000;

const STATUS_LABEL: Record<string, string> = {
  ACTIVE: 'Active',
  EXPIRED: 'Expired',
  SUSPENDED: 'Disabled',
  REMOVED: 'Disconnected',
  PENDING: 'Pending invitation',
};

function statusLabel(status: string): string {
  return STATUS_LABEL[status] ?? oneLine(status);
}

function orgName(notice: AccessChangeNotice): string {
  return escapeMrkdwn(organizationLabel(notice.organization));
}

/** The subject inside mrkdwn: a mention when they are a member, otherwise their escaped address. */
function subjectShown(notice: AccessChangeNotice): string {
  if (notice.subject) return mention(notice.subject);
  return notice.subjectEmail ? shownEntry(notice.subjectEmail) : 'someone';
}

/** The subject as plain words for the fallback text, escaped because Slack reads it as mrkdwn. */
function subjectWords(notice: AccessChangeNotice): string {
  if (notice.subject) return escapeMrkdwn(personName(notice.subject));
  return notice.subjectEmail ? shownEntry(notice.subjectEmail) : 'someone';
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

function tagsShown(tags: readonly string[]): string {
  return tags.length > 0 ? tags.map((tag) => `\`${escapeMrkdwn(truncate(oneLine(tag), 50))}\``).join(' ') : '_none_';
}

function dateShown(calendarDate: string | null, none: string): string {
  return calendarDate ? escapeMrkdwn(calendarDateLabel(calendarDate)) : none;
}

function callerShown(snapshot: AccessSnapshot | null): string {
  return snapshot?.caller ? escapeMrkdwn(callerDescription(snapshot.caller)) : 'not an authorized caller';
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
function changeLines(notice: AccessChangeNotice, audience: AccessChangeAudience): string[] {
  const { before, after } = notice;
  const was = heldPermissions(before);
  const is = heldPermissions(after);
  const wasKeys = keysOf(was);
  const isKeys = keysOf(is);
  const gained = is.filter((permission) => !wasKeys.has(permission.key));
  const lost = was.filter((permission) => !isKeys.has(permission.key));
  const lines: string[] = [];
  if (before && after && before.status !== after.status) {
    lines.push(`*Status:* ${statusLabel(before.status)} → ${statusLabel(after.status)}`);
  }
  if (gained.length > 0) lines.push(`*${audience === 'member' ? 'You now have' : 'Gained'}:* ${names(gained)}`);
  if (lost.length > 0) lines.push(`*${audience === 'member' ? 'You no longer have' : 'Lost'}:* ${names(lost)}`);
  const kept = is.filter((permission) => wasKeys.has(permission.key));
  if ((gained.length > 0 || lost.length > 0) && kept.length > 0) lines.push(`*Still held:* ${names(kept)}`);
  if (after && (!before || before.startsOn !== after.startsOn)) {
    lines.push(`*Starts:* ${dateShown(before?.startsOn ?? null, 'when connected')} → ${dateShown(after.startsOn, 'when connected')}`);
  }
  if (after && (!before || before.endsOn !== after.endsOn)) {
    lines.push(`*Ends:* ${dateShown(before?.endsOn ?? null, 'no end date')} → ${dateShown(after.endsOn, 'no end date')}`);
  }
  if (after && (!before || !sameTags(before.tags, after.tags))) {
    lines.push(`*Tags:* ${tagsShown(before?.tags ?? [])} → ${tagsShown(after.tags)}`);
  }
  if (after && !sameCaller(before, after)) lines.push(`*Authorized caller:* ${callerShown(before)} → ${callerShown(after)}`);
  return lines;
}

/** "Your access to City of Redlands changed", in words that fit the action. */
function memberHeadline(notice: AccessChangeNotice): string {
  const org = `*${orgName(notice)}*`;
  switch (notice.action) {
    case 'disconnected':
      return `:no_entry: Your access to ${org} was disconnected. Every permission you held there was removed.`;
    case 'restored':
      return notice.after?.endsOn
        ? `:white_check_mark: Your access to ${org} was restored, until the end of ${dateShown(notice.after.endsOn, '')}.`
        : `:white_check_mark: Your access to ${org} was restored, with no end date.`;
    case 'end_date_changed':
      return notice.after?.endsOn
        ? `:calendar: Your access to ${org} now ends at the end of ${dateShown(notice.after.endsOn, '')}.`
        : `:calendar: Your access to ${org} no longer has an end date.`;
    case 'caller_changed':
      return `:telephone_receiver: Your authorized-caller settings for ${org} changed.`;
    case 'invitation_edited':
      return `:envelope: Your invitation to ${org} changed: accepting it now gives you what is below.`;
    case 'edited':
      return `:pencil2: Your access to ${org} changed.`;
  }
}

const ADMIN_VERB: Record<AccessChangeNotice['action'], string> = {
  edited: 'changed the access of',
  disconnected: 'disconnected',
  restored: 'restored the access of',
  end_date_changed: 'changed the end date of',
  caller_changed: 'changed the authorized-caller settings of',
  invitation_edited: 'edited the invitation of',
};

function adminHeadline(notice: AccessChangeNotice): string {
  const where = notice.action === 'disconnected' ? 'from' : 'in';
  return `${mention(notice.actor)} ${ADMIN_VERB[notice.action]} ${subjectShown(notice)} ${where} *${orgName(notice)}*.`;
}

function adminFallback(notice: AccessChangeNotice): string {
  const where = notice.action === 'disconnected' ? 'from' : 'in';
  return `${escapeMrkdwn(personName(notice.actor))} ${ADMIN_VERB[notice.action]} ${subjectWords(notice)} ${where} ${orgName(notice)}.`;
}

function memberFallback(notice: AccessChangeNotice): string {
  const org = orgName(notice);
  switch (notice.action) {
    case 'disconnected':
      return `Your access to ${org} was disconnected.`;
    case 'restored':
      return `Your access to ${org} was restored.`;
    case 'end_date_changed':
      return `Your end date in ${org} changed.`;
    case 'caller_changed':
      return `Your authorized-caller settings for ${org} changed.`;
    case 'invitation_edited':
      return `Your invitation to ${org} changed.`;
    case 'edited':
      return `Your access to ${org} changed.`;
  }
}

/**
 * The message about one change, for the member or for an Administrator. Each section stays far
 * inside Block Kit's 3000 characters: the catalog is short, tags are ten of 50 characters at most,
 * and the note is cut to 1000.
 */
export function accessChangedMessage(notice: AccessChangeNotice, audience: AccessChangeAudience): Message {
  const lines = changeLines(notice, audience);
  const blocks: KnownBlock[] = [section(mrkdwn(audience === 'member' ? memberHeadline(notice) : adminHeadline(notice)))];
  if (lines.length > 0) blocks.push(section(mrkdwn(lines.join('\n'))));
  if (audience === 'administrator' && notice.note) {
    blocks.push(section(mrkdwn(`*Note for the log:* ${escapeMrkdwn(truncate(notice.note, NOTE_SHOWN))}`)));
  }
  const by = audience === 'member' ? `Changed by ${mention(notice.actor)}` : `Logged as entry #${notice.logEntryId}`;
  const follow =
    audience === 'member'
      ? notice.action === 'disconnected'
        ? 'To get access again, ask one of its Administrators or use `/access request`.'
        : 'See everything you hold with `/access me`.'
      : 'See the organization’s members with `/access users`.';
  blocks.push(context(mrkdwn(`${by}  ·  ${follow}`)));
  return { text: fallbackText(audience === 'member' ? memberFallback(notice) : adminFallback(notice)), blocks };
}
