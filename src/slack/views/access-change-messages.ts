/**
 * The notice of one change to someone's access. Helper A's minimal copy, so the dispatcher's case
 * can be tested before helper D's full view is merged; D's replaces it.
 */
import type { KnownBlock } from '@slack/types';
import type { AccessChangeNotice, AccessSnapshot } from '../../domain/read-models.js';
import { fallbackText, mention, mrkdwn, organizationLabel, permissionNames, section } from './format.js';
import { escapeMrkdwn } from './mrkdwn.js';

const VERB: Record<AccessChangeNotice['action'], string> = {
  edited: 'changed the access of',
  disconnected: 'disconnected',
  restored: 'restored the access of',
  end_date_changed: 'changed the end date of',
  caller_changed: 'changed the authorized-caller settings of',
  invitation_edited: 'changed the invitation of',
};

function terms(snapshot: AccessSnapshot | null): string {
  if (!snapshot) return 'nothing';
  const ends = snapshot.endsOn ? `, until ${snapshot.endsOn}` : '';
  const caller = snapshot.caller ? `, ${snapshot.caller.supportLevel.toLowerCase()} support caller` : '';
  return `${snapshot.status.toLowerCase()}: ${escapeMrkdwn(permissionNames(snapshot.permissions))}${ends}${caller}`;
}

export function accessChangedMessage(
  notice: AccessChangeNotice,
  audience: 'member' | 'administrator',
): { text: string; blocks: KnownBlock[] } {
  const who = audience === 'member' ? 'you' : notice.subject ? mention(notice.subject) : escapeMrkdwn(notice.subjectEmail ?? 'someone');
  const organization = escapeMrkdwn(organizationLabel(notice.organization));
  const headline = `${mention(notice.actor)} ${VERB[notice.action]} ${who} in ${organization}.`;
  const note = notice.note ? `\nNote: ${escapeMrkdwn(notice.note)}` : '';
  return {
    text: fallbackText(headline),
    blocks: [section(mrkdwn(`${headline}\nBefore: ${terms(notice.before)}\nAfter: ${terms(notice.after)}${note}`))],
  };
}
