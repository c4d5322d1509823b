/**
 * `/access me` and the App Home tab: where someone is connected and with what, the requests they
 * are waiting on, and, for Administrators, the requests waiting on them. Lists can be long, so each
 * surface shows the first items and says how many more there are, staying well inside Slack's
 * limits (100 blocks in a view; 50 blocks and about 13,200 characters in a message).
 */
import type { HomeView, KnownBlock } from '@slack/types';
import type {
  ConnectionSummary,
  ExpandedConnection,
  MyAccessModel,
  PendingRequestSummary,
  RequestCardModel,
} from '../../domain/read-models.js';
import { graceEndsAt } from '../../domain/time-limits.js';
import {
  blockTextLength,
  button,
  calendarDateLabel,
  connectionStatusLabel,
  context,
  onDateTime,
  DIVIDER,
  endDate,
  fallbackText,
  header,
  mention,
  mrkdwn,
  oneLine,
  organizationLabel,
  permissionNames,
  prettyDateTime,
  requestedOrganizationLabel,
  section,
} from './format.js';
import { ACTION } from './ids.js';
import { homeSectionsBlock } from './users-list.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { decisionButtons, withdrawButton } from './request-card.js';

type Surface = 'home' | 'message';

/** How many items of each list a surface shows, and how much of each purpose. */
interface ListLimits {
  connections: number;
  pending: number;
  awaiting: number;
  purpose: number;
}

const HOME_BLOCKS = 100;
/** Blocks the home tab keeps free beyond its lists, so a small change in wording never tips it over. */
const HOME_SPARE_BLOCKS = 10;
/** Headings, dividers, "more" lines and the intro around the lists. */
const HOME_FIXED_BLOCKS = 13;
const HOME_LIMITS: ListLimits = { connections: 40, pending: 10, awaiting: 15, purpose: 300 };

const MESSAGE_BLOCKS = 50;
/** Well under Slack's hidden ~13,200-character total, which counts every text in the blocks. */
const MESSAGE_TEXT_BUDGET = 10_000;
const MESSAGE_LIMITS: ListLimits = { connections: 8, pending: 4, awaiting: 4, purpose: 150 };

const ORGANIZATION_SHOWN = 100;
/** Administrators an open organization names before "and N more". */
const ADMINISTRATORS_SHOWN = 10;
const PERMISSIONS_SHOWN = 500;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function quotedPurpose(purpose: string, limit: number): string {
  return `_“${escapeMrkdwn(truncate(oneLine(purpose), limit))}”_`;
}

function permissionsLine(permissions: ConnectionSummary['permissions']): string {
  return escapeMrkdwn(truncate(permissionNames(permissions, 'No permissions'), PERMISSIONS_SHOWN));
}

/** The lists' headings: a header block in App Home, a bold line in a message. */
function heading(surface: Surface, text: string): KnownBlock {
  return surface === 'home' ? header(text) : section(mrkdwn(`*${escapeMrkdwn(text)}*`));
}

function moreLine(surface: Surface, more: number, what: string): KnownBlock[] {
  if (more <= 0) return [];
  const where = surface === 'message' ? ': open the Gatehouse App Home to see them' : '';
  return [context(mrkdwn(`…and ${plural(more, `more ${what}`, `more ${what}s`)}${where}.`))];
}

// ---------------------------------------------------------------------------------------------
// The lists
// ---------------------------------------------------------------------------------------------

/** Opens or closes one organization's details; the listener redraws the surface it is on. */
function detailsButton(connection: ConnectionSummary, open: boolean) {
  const value = String(connection.organization.id);
  return open
    ? button({ text: 'Hide details', actionId: ACTION.myAccessCollapse, value })
    : button({ text: 'Details', actionId: ACTION.myAccessExpand, value });
}

function connectionBlock(connection: ConnectionSummary, open: boolean): KnownBlock {
  const accessory = detailsButton(connection, open);
  const ends = endDate(connection.endsAt, connection.endsOn);
  if (connection.status === 'EXPIRED' && connection.endsAt) {
    // Expired access counts for nothing, but an admin can still bring it back for a while.
    const where = escapeMrkdwn(organizationLabel(connection.organization, ORGANIZATION_SHOWN));
    const until = onDateTime(graceEndsAt(connection.endsAt, connection.organization.timeZone));
    return section(
      mrkdwn(
        `*${where}*  ·  Expired on ${ends ?? 'its end date'}; your admin can restore it until ${until}\nNot in effect: ` +
          `${permissionsLine(connection.permissions)}`,
      ),
      { accessory },
    );
  }
  const endsWord = connection.status === 'ACTIVE' || connection.status === 'SUSPENDED' ? 'access ends' : 'access ended';
  const facts = [connectionStatusLabel(connection.status), ...(ends ? [`${endsWord} ${ends}`] : [])].join('  ·  ');
  const where = escapeMrkdwn(organizationLabel(connection.organization, ORGANIZATION_SHOWN));
  return section(mrkdwn(`*${where}*  ·  ${facts}\n${permissionsLine(connection.permissions)}`), { accessory });
}

/** How much of one permission's description the details show; the section's 3,000 characters hold the whole catalog. */
const DESCRIPTION_SHOWN = 160;
/** Blocks an open organization adds under its summary. */
const DETAIL_BLOCKS = 3;

function permissionDetails(permissions: ConnectionSummary['permissions']): string {
  if (permissions.length === 0) return '*Your permissions:* none';
  const lines = permissions.map(
    (permission) =>
      `• *${escapeMrkdwn(oneLine(permission.name))}*: ${escapeMrkdwn(truncate(oneLine(permission.description), DESCRIPTION_SHOWN))}`,
  );
  return `*Your permissions:*\n${lines.join('\n')}`;
}

function datesLine(connection: ConnectionSummary, expanded: ExpandedConnection): string {
  const starts = connection.startsOn ? `starts ${escapeMrkdwn(calendarDateLabel(connection.startsOn))}` : null;
  const ends = endDate(connection.endsAt, connection.endsOn);
  return [`Connected ${prettyDateTime(expanded.connectedAt)}`, ...(starts ? [starts] : []), ends ? `ends ${ends}` : 'no end date'].join(
    '  ·  ',
  );
}

function administratorsLine(expanded: ExpandedConnection): string {
  const named = expanded.administrators.slice(0, ADMINISTRATORS_SHOWN).map(mention);
  if (named.length === 0) return "*Administrators:* none yet. Gatehouse's operators can add one.";
  const more = expanded.administrators.length - named.length;
  return `*Administrators:* ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}  ·  \`/access contact\` writes to them`;
}

/** The open organization: what each permission is for, its dates, and who administers it. */
function detailBlocks(connection: ConnectionSummary, expanded: ExpandedConnection): KnownBlock[] {
  return [
    section(mrkdwn(permissionDetails(connection.permissions))),
    context(mrkdwn(datesLine(connection, expanded))),
    section(mrkdwn(administratorsLine(expanded))),
  ];
}

/** The connections a surface lists: the first `shown`, and the open one even when it comes later. */
function shownConnections(model: MyAccessModel, shown: number): ConnectionSummary[] {
  const first = model.connections.slice(0, shown);
  const openId = model.expanded?.organizationId;
  const open = model.connections.find((connection) => connection.organization.id === openId);
  if (!open || first.includes(open)) return first;
  return [...first.slice(0, Math.max(0, shown - 1)), open];
}

function connectionBlocks(model: MyAccessModel, surface: Surface, shown: number): KnownBlock[] {
  const connections = model.connections;
  if (connections.length === 0) {
    return [
      heading(surface, 'Your organizations'),
      section(mrkdwn("You're not connected to any organization yet. Ask to join one with `/access request`.")),
    ];
  }
  const expanded = model.expanded ?? null;
  const listed = shownConnections(model, shown);
  return [
    heading(surface, `Your organizations (${connections.length})`),
    ...listed.flatMap((connection) => {
      const open = expanded !== null && expanded.organizationId === connection.organization.id;
      return open ? [connectionBlock(connection, true), ...detailBlocks(connection, expanded)] : [connectionBlock(connection, false)];
    }),
    ...moreLine(surface, connections.length - listed.length, 'organization'),
  ];
}

function pendingBlock(request: PendingRequestSummary, purposeLimit: number): KnownBlock {
  const where = escapeMrkdwn(truncate(oneLine(request.organizationLabel), ORGANIZATION_SHOWN));
  const lines = [
    `*${where}*  ·  asked ${prettyDateTime(request.createdAt)}`,
    permissionsLine(request.requested),
    quotedPurpose(request.purpose, purposeLimit),
  ];
  return section(mrkdwn(lines.join('\n')), { accessory: withdrawButton(request.requestId) });
}

function pendingBlocks(model: MyAccessModel, surface: Surface, limits: ListLimits): KnownBlock[] {
  const pending = model.pendingRequests;
  if (pending.length === 0) return [];
  return [
    heading(surface, `Your requests waiting for an answer (${pending.length})`),
    ...pending.slice(0, limits.pending).map((request) => pendingBlock(request, limits.purpose)),
    ...moreLine(surface, pending.length - limits.pending, 'request'),
  ];
}

function awaitingBlocks(request: RequestCardModel, purposeLimit: number): KnownBlock[] {
  const where = escapeMrkdwn(requestedOrganizationLabel(request, ORGANIZATION_SHOWN));
  const lines = [
    `${mention(request.requester)} asks for access to *${where}*  ·  request #${request.requestId}, sent ` +
      `${prettyDateTime(request.createdAt)}`,
    permissionsLine(request.requested),
    quotedPurpose(request.purpose, purposeLimit),
  ];
  return [section(mrkdwn(lines.join('\n'))), decisionButtons(request.requestId, `awaiting_${request.requestId}`)];
}

function awaitingSection(model: MyAccessModel, surface: Surface, limits: ListLimits): KnownBlock[] {
  if (!model.isAdmin) return [];
  const listed = model.awaitingDecision.slice(0, limits.awaiting);
  // The count may exceed what the model lists; whatever is not shown is counted in "more".
  const total = Math.max(model.awaitingCount, model.awaitingDecision.length);
  if (total === 0) {
    return [
      heading(surface, 'Waiting for your decision (0)'),
      context(mrkdwn('Nothing right now. New requests for your organizations come to you as direct messages.')),
    ];
  }
  return [
    heading(surface, `Waiting for your decision (${total})`),
    ...listed.flatMap((request) => awaitingBlocks(request, limits.purpose)),
    ...moreLine(surface, total - listed.length, 'request'),
  ];
}

function listBlocks(model: MyAccessModel, surface: Surface, limits: ListLimits): KnownBlock[] {
  const parts = [
    awaitingSection(model, surface, limits),
    pendingBlocks(model, surface, limits),
    connectionBlocks(model, surface, limits.connections),
  ];
  return parts.filter((part) => part.length > 0).flatMap((part, index) => (index === 0 ? part : [DIVIDER, ...part]));
}

// ---------------------------------------------------------------------------------------------
// App Home
// ---------------------------------------------------------------------------------------------

const COMMANDS_LINE =
  '`/access request` to ask for access or more permissions  ·  `/access me` for this overview in any conversation  ·  ' +
  '`/access contact` to write to your Administrators  ·  `/access leave` to leave an organization  ·  `/access help` for every command';

function hasNothing(model: MyAccessModel): boolean {
  return model.connections.length === 0 && model.pendingRequests.length === 0 && !model.isAdmin;
}

function welcomeBlocks(): KnownBlock[] {
  return [
    header('Welcome to Gatehouse'),
    section(mrkdwn("Gatehouse looks after who can do what in your organizations. You're not connected to any organization yet.")),
    section(
      mrkdwn(
        [
          '• `/access request`  Ask to be connected to an organization, or for more permissions. Its Administrators decide.',
          '• `/access me`  See your organizations, permissions and pending requests.',
          '• `/access help`  List every command.',
        ].join('\n'),
      ),
    ),
  ];
}

/** Fits the connections into the blocks the other lists leave free. */
function homeLimits(model: MyAccessModel): ListLimits {
  const awaitingShown = model.isAdmin ? Math.min(model.awaitingDecision.length, HOME_LIMITS.awaiting) : 0;
  const pendingShown = Math.min(model.pendingRequests.length, HOME_LIMITS.pending);
  const details = model.expanded ? DETAIL_BLOCKS : 0;
  const usedByOthers = 2 * awaitingShown + pendingShown + details + HOME_FIXED_BLOCKS + HOME_SPARE_BLOCKS;
  return { ...HOME_LIMITS, connections: Math.max(1, Math.min(HOME_LIMITS.connections, HOME_BLOCKS - usedByOthers)) };
}

/**
 * App Home's own-access section. `managedOrganizationId` is an organization whose members this
 * person manages: the section buttons go on top, to switch to its members list (one block, which
 * the spare blocks cover). Everyone else sees the tab as it always was.
 */
export function myAccessHome(model: MyAccessModel, managedOrganizationId: number | null = null): HomeView {
  const sections = managedOrganizationId === null ? [] : [homeSectionsBlock('access', managedOrganizationId)];
  if (hasNothing(model)) {
    return { type: 'home', blocks: [...sections, ...welcomeBlocks(), DIVIDER, context(mrkdwn(COMMANDS_LINE))] };
  }
  return {
    type: 'home',
    blocks: [
      ...sections,
      header('Your access'),
      section(mrkdwn(`Hi ${mention(model.person)}. Here is where you're connected, what you can do there, and what's waiting.`)),
      DIVIDER,
      ...listBlocks(model, 'home', homeLimits(model)),
      DIVIDER,
      context(mrkdwn(COMMANDS_LINE)),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// `/access me`
// ---------------------------------------------------------------------------------------------

function messageBlocks(model: MyAccessModel, limits: ListLimits): KnownBlock[] {
  return [
    section(mrkdwn('*Your access in Gatehouse*')),
    ...listBlocks(model, 'message', limits),
    context(mrkdwn('Only you can see this.  ·  `/access request` to ask for more  ·  `/access help` for every command')),
  ];
}

function halved(limits: ListLimits): ListLimits {
  return {
    connections: Math.max(1, Math.floor(limits.connections / 2)),
    pending: Math.max(1, Math.floor(limits.pending / 2)),
    awaiting: Math.max(1, Math.floor(limits.awaiting / 2)),
    purpose: Math.max(40, Math.floor(limits.purpose / 2)),
  };
}

function fitsInMessage(blocks: KnownBlock[]): boolean {
  return blocks.length <= MESSAGE_BLOCKS && blockTextLength(blocks) <= MESSAGE_TEXT_BUDGET;
}

function summaryText(model: MyAccessModel): string {
  const parts = [
    model.connections.length > 0
      ? `connected to ${plural(model.connections.length, 'organization', 'organizations')}`
      : 'not connected to any organization yet',
    ...(model.pendingRequests.length > 0 ? [`${plural(model.pendingRequests.length, 'request', 'requests')} waiting for an answer`] : []),
    ...(model.isAdmin && model.awaitingCount > 0
      ? [`${plural(model.awaitingCount, 'request', 'requests')} waiting for your decision`]
      : []),
  ];
  return `Your access in Gatehouse: ${parts.join(', ')}.`;
}

export function myAccessMessage(model: MyAccessModel): { text: string; blocks: KnownBlock[]; response_type: 'ephemeral' } {
  // Long names and purposes can crowd a message, so the lists shrink until it fits.
  let limits = MESSAGE_LIMITS;
  let blocks = messageBlocks(model, limits);
  for (let attempt = 0; attempt < 4 && !fitsInMessage(blocks); attempt += 1) {
    limits = halved(limits);
    blocks = messageBlocks(model, limits);
  }
  return { response_type: 'ephemeral', text: fallbackText(summaryText(model)), blocks };
}
