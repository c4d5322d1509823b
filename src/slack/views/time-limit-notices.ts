/** What people, admins and the audit channel are told when access nears its end, ends, or is removed. */
import type { KnownBlock, ModalView } from '@slack/types';
import type { ConnectionEndEvent } from '../../domain/outbox-messages.js';
import { TEXT_LIMIT } from '../../domain/text-limits.js';
import type { OrganizationSummary, RequestCardModel } from '../../domain/read-models.js';
import type { AdministratorsRunningOut, ConnectionNotice } from '../../services/lifecycle.js';
import { SLASH_COMMAND } from '../commands.js';
import {
  actions,
  button,
  calendarDateLabel,
  confirmDialog,
  context,
  fallbackText,
  header,
  LIMIT,
  mention,
  mrkdwn,
  onDateTime,
  organizationLabel,
  personName,
  plain,
  section,
} from './format.js';
import { ACTION, CALLBACK, EXTEND_FORM_BLOCK, INPUT_ACTION } from './ids.js';
import { encodeMetadata, extendFormMetadata, type ExtendFormMetadata } from './metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { ENGLISH, type Words } from './words.js';

type Message = { text: string; blocks: KnownBlock[] };

function where(organization: OrganizationSummary): string {
  return escapeMrkdwn(organizationLabel(organization));
}

function endLabel(notice: Pick<ConnectionNotice, 'endsOn' | 'endsAt'>, words: Words = ENGLISH): string {
  if (notice.endsOn) return escapeMrkdwn(words.calendarDate(notice.endsOn));
  return notice.endsAt ? words.onDateTime(notice.endsAt) : words.say.itsEndDate;
}

/** When something ends, from the days left until its last day: that day itself is "today". */
function endsWhen(daysLeft: number): string {
  if (daysLeft <= 0) return 'today';
  return daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`;
}

/** The person's warning, some days before their access ends; `daysLeft` counts to the last day of access. */
export function expiryWarningMessage(notice: ConnectionNotice, daysLeft: number, words: Words = ENGLISH): Message {
  const when = words.within(daysLeft);
  const day = endLabel(notice, words);
  const sentence = words.say.expiryWarning(where(notice.organization), when, day);
  return {
    text: fallbackText(words.say.expiryWarningShort(where(notice.organization), when)),
    blocks: [section(mrkdwn(`:hourglass_flowing_sand: ${sentence}`)), context(mrkdwn(words.say.expiryWarningHelp))],
  };
}

/**
 * The warning that an organization is about to be left without an Administrator, to each of its
 * Administrators and to Gatehouse's operators, each told what they can do about it.
 */
export function lastAdministratorsWarningMessage(
  notice: AdministratorsRunningOut,
  daysLeft: number,
  reader: 'administrator' | 'operator',
): Message {
  const when = endsWhen(daysLeft);
  const day = escapeMrkdwn(calendarDateLabel(notice.lastDay));
  const administrators = notice.administrators.map(mention).join(', ') || 'nobody';
  const sentence =
    `*${where(notice.organization)}* will be left without an Administrator ${when}, after ${day}, when the access of ` +
    `its Administrators (${administrators}) ends. Nobody could decide its requests then.`;
  const remedy =
    reader === 'administrator'
      ? "Ask another Administrator to extend your end date, or ask Gatehouse's operators to add an Administrator."
      : `Add an Administrator with \`gatehouse admin add ${escapeMrkdwn(notice.organization.customerNumber)} SLACK_USER_ID\`, or ` +
        `ask one of them to extend another's end date.`;
  return {
    text: fallbackText(`${where(notice.organization)} will be left without an Administrator ${when}, after ${day}.`),
    blocks: [section(mrkdwn(`:warning: ${sentence}`)), context(mrkdwn(remedy))],
  };
}

/** The person's notice that their access expired, or that they were removed after the grace period. */
export function connectionEndedMessage(notice: ConnectionNotice, event: ConnectionEndEvent, words: Words = ENGLISH): Message {
  const organization = where(notice.organization);
  const day = endLabel(notice, words);
  const text =
    event === 'expired'
      ? words.say.accessExpired(
          organization,
          day,
          notice.restorableUntil ? words.onDateTime(notice.restorableUntil) : words.say.thirtyDaysAfter,
        )
      : words.say.accessRemoved(organization, day);
  return {
    text: fallbackText(text.replace(/\*/g, '')),
    blocks: [section(mrkdwn(text)), context(mrkdwn(words.say.seeWhatYouHold(`\`${SLASH_COMMAND} me\``)))],
  };
}

/** How many people an admin's summary names before saying how many more there are. */
const NAMED = 40;

/** An admin's summary of whose access expired, or who was removed. */
export function connectionsEndedSummary(organization: OrganizationSummary, event: ConnectionEndEvent, notices: DigestEntry[]): Message {
  const verb = event === 'expired' ? 'expired' : 'ended: removed after 30 days';
  const lines = notices.slice(0, NAMED).map((notice) => `• ${mention(notice.person)}  (end date ${endLabel(notice)})`);
  const more = notices.length > NAMED ? `\n…and ${notices.length - NAMED} more.` : '';
  const heading =
    event === 'expired'
      ? `:hourglass: Access to *${where(organization)}* ${verb} for ` +
        `${notices.length === 1 ? 'one person' : `${notices.length} people`}. An administrator can extend or remove their end date ` +
        `within 30 days to restore it.`
      : `:wave: ${notices.length === 1 ? 'One person was' : `${notices.length} people were`} removed from *${where(organization)}*: ` +
        `their access ${verb}.`;
  const text = fallbackText(heading.replace(/\*/g, ''));
  if (event === 'expired') {
    // The admin can act at once: each person with the digest's restore buttons, as many as fit.
    const shown = notices.slice(0, RESTORABLE_SHOWN);
    const blocks: KnownBlock[] = [section(mrkdwn(heading))];
    for (const notice of shown) blocks.push(...digestEntry(notice, `${mention(notice.person)}  ·  end date ${endLabel(notice)}`, true));
    if (notices.length > shown.length)
      blocks.push(context(mrkdwn(`…and ${notices.length - shown.length} more: see them in your daily digest.`)));
    return { text, blocks };
  }
  return { text, blocks: [section(mrkdwn(heading)), section(mrkdwn(truncate(`${lines.join('\n')}${more}`, LIMIT.sectionText)))] };
}

/** People an admin's expiry summary lists with buttons: two blocks each, within Slack's 50. */
const RESTORABLE_SHOWN = 23;

/** The inviting admin's note that invitations went unaccepted for six weeks and were deleted. */
export function invitationsExpiredMessage(organization: OrganizationSummary, emails: string[]): Message {
  const listed = emails
    .slice(0, NAMED)
    .map((email) => `• ${escapeMrkdwn(email)}`)
    .join('\n');
  const more = emails.length > NAMED ? `\n…and ${emails.length - NAMED} more.` : '';
  const invitations = emails.length === 1 ? 'An invitation' : `${emails.length} invitations`;
  const heading =
    `${invitations} to *${where(organization)}* went unaccepted for 6 weeks and ${emails.length === 1 ? 'was' : 'were'} deleted. ` +
    `Invite again with \`${SLASH_COMMAND} invite\` if they still need access.`;
  return {
    text: fallbackText(`${emails.length} invitations to ${where(organization)} expired.`),
    blocks: [section(mrkdwn(heading)), section(mrkdwn(truncate(`${listed}${more}`, LIMIT.sectionText)))],
  };
}

/** An admin's reminder of a request still waiting for a decision. */
export function requestReminderMessage(card: RequestCardModel): Message {
  const organization = card.organization ? where(card.organization) : 'an unlisted organization';
  const sentence =
    `:alarm_clock: ${mention(card.requester)} is still waiting for a decision on access to *${organization}* ` +
    `(request #${card.requestId}, asked ${onDateTime(card.createdAt)}).`;
  return {
    text: fallbackText(`A request for access to ${organization} is still waiting for a decision.`),
    blocks: [section(mrkdwn(sentence)), context(mrkdwn('Approve or deny it from its card, or from the Gatehouse Home tab.'))],
  };
}

/** The requester's notice that their request expired without a decision. */
export function requestExpiredMessage(card: RequestCardModel, words: Words = ENGLISH): Message {
  const organization = card.organization ? where(card.organization) : words.say.yourOrganization;
  const sentence = words.say.requestExpired(organization, card.requestId, words.onDateTime(card.createdAt), `\`${SLASH_COMMAND} request\``);
  return { text: fallbackText(sentence.replace(/\*/g, '')), blocks: [section(mrkdwn(sentence))] };
}

type DigestEntry = ConnectionNotice & { connectionId: number };

/** The person's line in the digest, and their Extend and Remove end date buttons under it. */
function digestEntry(entry: DigestEntry, text: string, restorable: boolean): KnownBlock[] {
  const who = personName(entry.person);
  return [
    section(mrkdwn(text)),
    actions(`end_date_${entry.connectionId}`, [
      button({
        text: restorable ? 'Restore with new end date…' : 'Extend…',
        actionId: ACTION.extendEndDate,
        value: `extend:${entry.connectionId}`,
      }),
      button({
        text: restorable ? 'Restore, no end date' : 'Remove end date',
        actionId: ACTION.removeEndDate,
        value: `remove:${entry.connectionId}`,
        confirm: confirmDialog({
          title: restorable ? 'Restore access?' : 'Remove the end date?',
          text: `${who} will keep access to ${organizationLabel(entry.organization)} with no end date.`,
          confirm: restorable ? 'Restore' : 'Remove end date',
          deny: 'Cancel',
        }),
      }),
    ]),
  ];
}

/** A digest button's value, or null for anything Gatehouse did not put there. */
export function parseEndDateChoice(value: string): { verb: 'extend' | 'remove'; connectionId: number } | null {
  const match = /^(extend|remove):([1-9]\d{0,9})$/.exec(value);
  return match ? { verb: match[1] as 'extend' | 'remove', connectionId: Number(match[2]) } : null;
}

/** An admin's daily digest: who loses access soon, and whose ended access can still be restored. */
export function expiryDigestMessage(digest: {
  organization: OrganizationSummary;
  endingSoon: DigestEntry[];
  restorable: DigestEntry[];
}): Message {
  const blocks: KnownBlock[] = [header(truncate(`Access ending in ${organizationLabel(digest.organization)}`, 150))];
  // Each person takes two blocks; a header, two headings and a closing line leave room for 23.
  const room = 23;
  const soon = digest.endingSoon.slice(0, room);
  const restorable = digest.restorable.slice(0, Math.max(0, room - soon.length));
  if (soon.length > 0) {
    blocks.push(section(mrkdwn('*Ends soon*')));
    for (const entry of soon)
      blocks.push(...digestEntry(entry, `${mention(entry.person)}  ·  ends at the end of ${endLabel(entry)}`, false));
  }
  if (restorable.length > 0) {
    blocks.push(section(mrkdwn('*Ended; can still be restored*')));
    for (const entry of restorable) {
      const until = entry.restorableUntil ? onDateTime(entry.restorableUntil) : 'soon';
      blocks.push(...digestEntry(entry, `${mention(entry.person)}  ·  ended ${endLabel(entry)}, restorable until ${until}`, true));
    }
  }
  const unlisted = digest.endingSoon.length + digest.restorable.length - soon.length - restorable.length;
  blocks.push(
    context(mrkdwn(`${unlisted > 0 ? `${unlisted} more not listed. ` : ''}Extending or removing an end date takes effect at once.`)),
  );
  const count = digest.endingSoon.length;
  return {
    text: fallbackText(`${count} ${count === 1 ? 'person loses' : 'people lose'} access to ${where(digest.organization)} soon.`),
    blocks,
  };
}

/** The form to move an end date later (or restore expired access with a new one). */
export function extendEndDateView(entry: ConnectionNotice, metadata: ExtendFormMetadata, today: string): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.extendEndDate,
    title: plain('Extend access', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    private_metadata: encodeMetadata(extendFormMetadata, metadata),
    blocks: [
      section(
        mrkdwn(
          `${mention(entry.person)} in *${where(entry.organization)}*: access ${entry.status === 'EXPIRED' ? 'ended' : 'ends'} ` +
            `${endLabel(entry)}.`,
        ),
      ),
      {
        type: 'input',
        block_id: EXTEND_FORM_BLOCK.endsOn,
        label: plain('New last day of access'),
        element: { type: 'datepicker', action_id: INPUT_ACTION, initial_date: today },
        hint: plain("Access lasts until the end of this day in the organization's time zone."),
      },
      {
        type: 'input',
        block_id: EXTEND_FORM_BLOCK.note,
        optional: true,
        label: plain('Note for the permissions log'),
        element: { type: 'plain_text_input', action_id: INPUT_ACTION, max_length: TEXT_LIMIT.endDateNote, multiline: true },
      },
    ],
  };
}
