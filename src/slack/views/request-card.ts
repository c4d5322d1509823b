/**
 * Messages about one access request: the card its deciders act on, and the requester's receipt.
 * Both are redrawn from the request's current state whenever it changes, so a decided request
 * never keeps a button that could still act on it.
 */
import type { ActionsBlock, Button, ExternalSelect, KnownBlock, StaticSelect } from '@slack/types';
import { endOfDayIn } from '../../domain/dates.js';
import type { RequestRouting } from '../../domain/outbox-messages.js';
import type { CardAudience, OrganizationSummary, RequestCardModel } from '../../domain/read-models.js';
import { ENGLISH, type Words } from './words.js';
import {
  actions,
  button,
  confirmDialog,
  connectionStatusLabel,
  context,
  DIVIDER,
  endDate,
  fallbackText,
  LIMIT,
  mention,
  mrkdwn,
  onDateTime,
  organizationLabel,
  organizationOption,
  permissionBullets,
  personDetails,
  personName,
  placeLabel,
  plain,
  prettyDateTime,
  requestedOrganizationLabel,
  section,
} from './format.js';
import { ACTION } from './ids.js';
import { escapeMrkdwn } from './mrkdwn.js';

type Message = { text: string; blocks: KnownBlock[] };

/** Long free text stays readable on a card; the full text is in Gatehouse. */
const PURPOSE_SHOWN = 1500;
const NOTE_SHOWN = 1500;

// ---------------------------------------------------------------------------------------------
// Pieces shared with the decision forms and notices
// ---------------------------------------------------------------------------------------------

/** Who is asking: a mention, plus their name and email as plain text, and when they asked. */
export function requesterBlocks(model: RequestCardModel, lead: string): KnownBlock[] {
  return [section(mrkdwn(lead)), context(plain(personDetails(model.requester)), mrkdwn(`Asked ${prettyDateTime(model.createdAt)}`))];
}

/** The organization the request is for, or what the requester typed about an unlisted one. */
export function organizationBlock(model: Pick<RequestCardModel, 'organization' | 'unlisted'>, words: Words = ENGLISH): KnownBlock {
  const say = words.say;
  if (model.organization) {
    const organization = model.organization;
    const place = placeLabel(organization);
    return section(mrkdwn(`*${say.organizationHeading}*`), {
      fields: [
        plain(organizationLabel(organization, 300), LIMIT.field),
        plain(say.customerNumber(organization.customerNumber), LIMIT.field),
        ...(place ? [plain(place, LIMIT.field)] : []),
      ],
    });
  }
  if (model.unlisted) {
    const typed = model.unlisted;
    return section(mrkdwn(`*${say.organizationHeading}*  ·  _${say.organizationUnlisted}_`), {
      fields: [
        plain(organizationLabel(typed, 300), LIMIT.field),
        plain(typed.customerNumber ? say.customerNumber(typed.customerNumber) : say.customerNumberNotGiven, LIMIT.field),
        ...(typed.department ? [plain(say.department(typed.department), LIMIT.field)] : []),
        ...(typed.city ? [plain(say.city(typed.city), LIMIT.field)] : []),
      ],
    });
  }
  return section(mrkdwn(`*${say.organizationHeading}*  ·  _${say.organizationNotGiven}_`));
}

export function requestedBlock(model: RequestCardModel, label = 'Asking for', words: Words = ENGLISH): KnownBlock {
  const list = model.requested.length > 0 ? permissionBullets(model.requested) : `_${words.say.noPermissionsNamed}_`;
  return section(mrkdwn(`*${label}*\n${list}`));
}

/** The purpose in the requester's own words, as plain text under a label. */
export function purposeBlocks(purpose: string, label = 'What for'): KnownBlock[] {
  return [section(mrkdwn(`*${label}*`)), section(plain(purpose, PURPOSE_SHOWN))];
}

/** What the requester holds in the organization now, if they are connected. */
export function currentConnectionBlock(model: RequestCardModel, lead = 'Already connected'): KnownBlock | null {
  const connection = model.currentConnection;
  if (!connection) return null;
  const ends = endDate(connection.endsAt, connection.endsOn);
  const facts = [connectionStatusLabel(connection.status), ...(ends ? [`access ends ${ends}`] : [])].join('  ·  ');
  const held = connection.permissions.length > 0 ? permissionBullets(connection.permissions) : '_No permissions_';
  return section(mrkdwn(`*${lead}*  ·  ${facts}\n${held}`));
}

/** The end date an approval set, in the readers' time zones when the organization's is known. */
function approvedEndDate(model: RequestCardModel, endsOn: string): string | null {
  return model.organization ? endDate(endOfDayIn(endsOn, model.organization.timeZone), endsOn) : endDate(null, endsOn);
}

/** What happened to a request that is no longer pending, for the people who could decide it. */
export function outcomeBlocks(model: RequestCardModel): KnownBlock[] {
  const decision = model.decision;
  switch (model.status) {
    case 'APPROVED': {
      if (!decision) return [section(mrkdwn(':white_check_mark: Approved'))];
      const ends = decision.endsOn ? approvedEndDate(model, decision.endsOn) : null;
      const granted = decision.granted.length > 0 ? permissionBullets(decision.granted) : '_Nothing_';
      const lines = [
        `:white_check_mark: Approved by ${mention(decision.by)} on ${onDateTime(decision.at)}`,
        `*Granted*\n${granted}`,
        ...(ends ? [`Access ends ${ends}`] : []),
      ];
      return [section(mrkdwn(lines.join('\n'))), ...(decision.note ? [section(plain(`Note: ${decision.note}`, NOTE_SHOWN))] : [])];
    }
    case 'DENIED': {
      if (!decision) return [section(mrkdwn(':no_entry_sign: Denied'))];
      return [
        section(mrkdwn(`:no_entry_sign: Denied by ${mention(decision.by)} on ${onDateTime(decision.at)}`)),
        ...(decision.note ? [section(plain(`Reason: ${decision.note}`, NOTE_SHOWN))] : []),
      ];
    }
    case 'WITHDRAWN':
      return [
        section(
          mrkdwn(
            `:leftwards_arrow_with_hook: Withdrawn by the requester${model.withdrawnAt ? ` on ${onDateTime(model.withdrawnAt)}` : ''}`,
          ),
        ),
      ];
    case 'EXPIRED':
      return [section(mrkdwn(':hourglass: Expired unanswered'))];
    case 'PENDING':
      return [];
  }
}

const STATUS_WORD: Record<RequestCardModel['status'], string> = {
  PENDING: 'waiting for a decision',
  APPROVED: 'approved',
  DENIED: 'denied',
  WITHDRAWN: 'withdrawn',
  EXPIRED: 'expired',
};

// ---------------------------------------------------------------------------------------------
// The card for deciders
// ---------------------------------------------------------------------------------------------

/** Approve and Deny, both opening a form; the value is the request id. */
export function decisionButtons(requestId: number, blockId = `request_actions_${requestId}`): ActionsBlock {
  const value = String(requestId);
  return actions(blockId, [
    button({ text: 'Approve', actionId: ACTION.approve, value, style: 'primary' }),
    button({ text: 'Deny', actionId: ACTION.deny, value, style: 'danger' }),
  ]);
}

function routeSelect(organizationOptions: OrganizationSummary[] | null | undefined): StaticSelect | ExternalSelect {
  const confirm = confirmDialog({
    title: 'Send it there?',
    text: 'Gatehouse sends this request to the Administrators of the organization you picked, and it leaves triage.',
    confirm: 'Send',
    deny: 'Pick again',
  });
  const placeholder = plain('Match to an organization', LIMIT.placeholder);
  if (organizationOptions && organizationOptions.length > 0 && organizationOptions.length <= LIMIT.staticSelectOptions) {
    return {
      type: 'static_select',
      action_id: ACTION.triageRoute,
      placeholder,
      options: organizationOptions.map((organization) => organizationOption(organization, true)),
      confirm,
    };
  }
  return { type: 'external_select', action_id: ACTION.triageRoute, placeholder, min_query_length: 1, confirm };
}

function triageButtons(model: RequestCardModel, organizationOptions: OrganizationSummary[] | null | undefined): ActionsBlock {
  return actions(`triage_${model.requestId}`, [
    routeSelect(organizationOptions),
    button({ text: 'Deny', actionId: ACTION.triageDeny, value: String(model.requestId), style: 'danger' }),
  ]);
}

/** Why a request is in triage rather than with an organization's Administrators. */
function triageReason(model: RequestCardModel): KnownBlock {
  const why = model.organization
    ? `${organizationLabel(model.organization)} has no Administrator in Gatehouse yet. Once it has one, pick it below to send the ` +
      `request there, or deny it.`
    : "The requester couldn't find their organization in Gatehouse. Match the request to one below to send it to its " +
      'Administrators, or deny it.';
  return context(plain(why));
}

/** A triage card once an operator sent the request on: where it went, and no controls left. */
function routedFromTriageBlock(model: RequestCardModel): KnownBlock {
  const where = model.organization ? escapeMrkdwn(organizationLabel(model.organization)) : 'an organization';
  return section(mrkdwn(`:arrow_right: Sent to the Administrators of ${where}, who decide it now.`));
}

export function requestCardMessage(
  model: RequestCardModel,
  audience: CardAudience,
  organizationOptions?: OrganizationSummary[] | null,
): Message {
  const pending = model.status === 'PENDING';
  const awaitingTriage = pending && audience === 'triage' && model.inTriage;
  const who = mention(model.requester);
  const lead =
    audience === 'triage'
      ? `:mag: *Needs triage*  ·  ${who} is asking for access  ·  request #${model.requestId}`
      : `:raising_hand: ${who} is asking for access  ·  request #${model.requestId}`;
  const connection = pending ? currentConnectionBlock(model) : null;
  const blocks: KnownBlock[] = [
    ...requesterBlocks(model, lead),
    organizationBlock(model),
    ...(awaitingTriage ? [triageReason(model)] : []),
    requestedBlock(model),
    ...purposeBlocks(model.purpose),
    ...(connection ? [connection, context(mrkdwn('Approving replaces what they hold there with what you grant.'))] : []),
    DIVIDER,
  ];
  if (!pending) blocks.push(...outcomeBlocks(model));
  else if (audience === 'admin') blocks.push(decisionButtons(model.requestId));
  else blocks.push(awaitingTriage ? triageButtons(model, organizationOptions) : routedFromTriageBlock(model));

  const where = escapeMrkdwn(requestedOrganizationLabel(model));
  const text =
    `Access request #${model.requestId} from ${escapeMrkdwn(personName(model.requester))} for ${where}: ` + `${STATUS_WORD[model.status]}`;
  return { text: fallbackText(text), blocks };
}

// ---------------------------------------------------------------------------------------------
// The requester's receipt
// ---------------------------------------------------------------------------------------------

/** Where the request went and what happens next, in the requester's terms. */
function routingExplanation(model: RequestCardModel, routing: RequestRouting, words: Words): string {
  const say = words.say;
  const where = model.organization || model.unlisted ? requestedOrganizationLabel(model) : say.anOrganization;
  // An operator may have sent it on since the receipt was first drawn.
  switch (model.inTriage ? routing : 'admins') {
    case 'admins':
      return say.routedToAdmins(where);
    case 'triage-no-admin':
      return say.routedToOperatorsNoAdmin(where);
    case 'triage-unlisted':
      return say.routedToOperatorsUnlisted;
    case 'unattended-no-admin':
      return say.unattendedNoAdmin(where);
    case 'unattended-unlisted':
      return say.unattendedUnlisted;
  }
}

/** Withdraw, after a confirmation; the value is the request id. */
export function withdrawButton(requestId: number, words: Words = ENGLISH): Button {
  const say = words.say;
  return button({
    text: say.withdraw,
    actionId: ACTION.withdraw,
    value: String(requestId),
    confirm: confirmDialog({
      title: say.withdrawTitle,
      text: say.withdrawText('/access request'),
      confirm: say.withdraw,
      deny: say.keepIt,
      style: 'danger',
    }),
  });
}

/** Where the request stands, told to the requester; reasons and notes come in their own message. */
function requesterStatus(model: RequestCardModel, words: Words): string {
  const say = words.say;
  const decision = model.decision;
  switch (model.status) {
    case 'APPROVED':
      return decision
        ? say.requesterApprovedBy(mention(decision.by), words.onDateTime(decision.at), '`/access me`')
        : say.requesterApproved('`/access me`');
    case 'DENIED':
      return decision ? say.requesterDeniedBy(mention(decision.by), words.onDateTime(decision.at)) : say.requesterDenied;
    case 'WITHDRAWN':
      return model.withdrawnAt ? say.requesterWithdrewOn(words.onDateTime(model.withdrawnAt)) : say.requesterWithdrew;
    case 'EXPIRED':
      return say.requesterExpired('`/access request`');
    case 'PENDING':
      return say.requesterWaiting;
  }
}

function requestStatusWord(status: RequestCardModel['status'], words: Words): string {
  const say = words.say;
  const statusWords: Record<RequestCardModel['status'], string> = {
    PENDING: say.requestStatusPending,
    APPROVED: say.requestStatusApproved,
    DENIED: say.requestStatusDenied,
    WITHDRAWN: say.requestStatusWithdrawn,
    EXPIRED: say.requestStatusExpired,
  };
  return statusWords[status];
}

export function requesterReceiptMessage(model: RequestCardModel, routing: RequestRouting, words: Words = ENGLISH): Message {
  const say = words.say;
  const pending = model.status === 'PENDING';
  const blocks: KnownBlock[] = [
    section(mrkdwn(pending ? say.receiptOnItsWay(model.requestId) : say.receiptTitle(model.requestId))),
    ...(pending ? [section(plain(routingExplanation(model, routing, words)))] : []),
    organizationBlock(model, words),
    requestedBlock(model, say.youAskedFor, words),
    ...purposeBlocks(model.purpose, say.whatFor),
    DIVIDER,
    pending
      ? actions(`receipt_actions_${model.requestId}`, [withdrawButton(model.requestId, words)])
      : section(mrkdwn(requesterStatus(model, words))),
  ];
  const where = escapeMrkdwn(model.organization || model.unlisted ? requestedOrganizationLabel(model) : say.anOrganization);
  const text = pending
    ? say.receiptOnItsWayShort(where, model.requestId)
    : say.receiptShort(where, model.requestId, requestStatusWord(model.status, words));
  return { text: fallbackText(text), blocks };
}
