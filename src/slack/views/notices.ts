/**
 * Messages that tell people what happened: the requester's outcome, the other Administrators'
 * notice of a change, the audit channel's line, and the note to an admin who lost a race.
 */
import type { KnownBlock } from '@slack/types';
import { endOfDayIn } from '../../domain/dates.js';
import type { PermissionInfo, PermissionsChangedNotice, RequestDecision, RequestOutcomeModel } from '../../domain/read-models.js';
import {
  context,
  fallbackText,
  mention,
  mrkdwn,
  onDateTime,
  organizationLabel,
  permissionBullets,
  personDetails,
  personName,
  plain,
  requestedOrganizationLabel,
  section,
} from './format.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { ENGLISH, type Words } from './words.js';

type Message = { text: string; blocks: KnownBlock[] };

const NOTE_SHOWN = 1500;

function keysOf(permissions: readonly PermissionInfo[]): Set<string> {
  return new Set(permissions.map((permission) => permission.key));
}

function bulletsOrNone(permissions: readonly PermissionInfo[], none: string, note?: (permission: PermissionInfo) => string | null): string {
  return permissions.length > 0 ? permissionBullets(permissions, note) : `_${none}_`;
}

// ---------------------------------------------------------------------------------------------
// The requester's outcome
// ---------------------------------------------------------------------------------------------

function approvedBlocks(model: RequestOutcomeModel, where: string, words: Words): KnownBlock[] {
  const { decision, differences, request } = model;
  const { say } = words;
  const added = keysOf(differences.added);
  const granted = bulletsOrNone(decision.granted, say.none, (permission) => (added.has(permission.key) ? say.addedByAdministrator : null));
  const ends = decision.endsOn
    ? request.organization
      ? words.endDate(endOfDayIn(decision.endsOn, request.organization.timeZone), decision.endsOn)
      : words.endDate(null, decision.endsOn)
    : null;
  return [
    section(mrkdwn(`:white_check_mark: ${say.approvedHeadline(mention(decision.by), where)}`)),
    context(mrkdwn(say.approvedOn(request.requestId, words.onDateTime(decision.at)))),
    section(mrkdwn(`*${say.whatYouCanDo}*\n${granted}`)),
    ...(differences.removed.length > 0 ? [section(mrkdwn(`*${say.askedNotGranted}*\n${permissionBullets(differences.removed)}`))] : []),
    ...(ends ? [section(mrkdwn(say.accessEnds(ends)))] : []),
    ...(decision.note ? [section(mrkdwn(`*${say.noteFrom(mention(decision.by))}*`)), section(plain(decision.note, NOTE_SHOWN))] : []),
    context(mrkdwn(say.seeEverything('`/access me`'))),
  ];
}

function deniedBlocks(model: RequestOutcomeModel, where: string, words: Words): KnownBlock[] {
  const { decision, request } = model;
  const { say } = words;
  return [
    section(mrkdwn(`:no_entry_sign: ${say.deniedHeadline(where, mention(decision.by))}`)),
    context(mrkdwn(say.deniedOn(request.requestId, words.onDateTime(decision.at)))),
    ...(decision.note ? [section(mrkdwn(`*${say.reason}*`)), section(plain(decision.note, NOTE_SHOWN))] : []),
    context(mrkdwn(say.askAgain('`/access request`'))),
  ];
}

/** The requester's DM with the decision, in their language. */
export function requestOutcomeMessage(model: RequestOutcomeModel, words: Words = ENGLISH): Message {
  const where = escapeMrkdwn(requestedOrganizationLabel(model.request));
  const by = escapeMrkdwn(personName(model.decision.by));
  if (model.decision.outcome === 'APPROVED') {
    return { text: fallbackText(words.say.approvedShort(where, by)), blocks: approvedBlocks(model, where, words) };
  }
  return { text: fallbackText(words.say.deniedShort(where, by)), blocks: deniedBlocks(model, where, words) };
}

// ---------------------------------------------------------------------------------------------
// Another Administrator's notice
// ---------------------------------------------------------------------------------------------

export function permissionsChangedMessage(notice: PermissionsChangedNotice): Message {
  const where = escapeMrkdwn(organizationLabel(notice.organization));
  const beforeKeys = keysOf(notice.before);
  const afterKeys = keysOf(notice.after);
  const before = bulletsOrNone(notice.before, ENGLISH.say.none, (permission) => (afterKeys.has(permission.key) ? null : 'removed'));
  const after = bulletsOrNone(notice.after, ENGLISH.say.none, (permission) => (beforeKeys.has(permission.key) ? null : 'new'));
  const about = [
    personDetails(notice.subject),
    ...(notice.requestId !== null ? [`request #${notice.requestId}`] : []),
    ...(notice.invitationId ? [`invitation #${notice.invitationId}`] : []),
  ].join('  ·  ');
  const headline = notice.invitationId
    ? `:incoming_envelope: ${mention(notice.subject)} accepted the invitation to *${where}*.`
    : `:arrows_counterclockwise: ${mention(notice.actor)} changed ${mention(notice.subject)}'s permissions in *${where}*.`;
  const blocks: KnownBlock[] = [
    section(mrkdwn(headline)),
    context(plain(about)),
    section(mrkdwn('*Permissions*'), { fields: [mrkdwn(`*Before*\n${before}`, 2000), mrkdwn(`*After*\n${after}`, 2000)] }),
    ...(notice.note ? [section(plain(`Note: ${notice.note}`, NOTE_SHOWN))] : []),
  ];
  const text = notice.invitationId
    ? `${escapeMrkdwn(personName(notice.subject))} accepted the invitation to ${where}.`
    : `${escapeMrkdwn(personName(notice.actor))} changed ${escapeMrkdwn(personName(notice.subject))}'s permissions in ${where}.`;
  return { text: fallbackText(text), blocks };
}

// ---------------------------------------------------------------------------------------------
// The admin who clicked too late
// ---------------------------------------------------------------------------------------------

export function alreadyDecidedText(
  decision: RequestDecision | { outcome: 'WITHDRAWN'; at: Date } | { outcome: 'EXPIRED'; at: Date },
): string {
  switch (decision.outcome) {
    case 'APPROVED':
      return `Already approved by ${mention(decision.by)} on ${onDateTime(decision.at)}.`;
    case 'DENIED':
      return `Already denied by ${mention(decision.by)} on ${onDateTime(decision.at)}.`;
    case 'WITHDRAWN':
      return `The requester withdrew this request on ${onDateTime(decision.at)}.`;
    case 'EXPIRED':
      return `This request expired on ${onDateTime(decision.at)} without an answer.`;
  }
}
