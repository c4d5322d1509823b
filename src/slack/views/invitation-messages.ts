/**
 * What an invitee is sent, in their invitation's language: a DM with an Accept button when their
 * address belongs to someone in the workspace, otherwise an email with the code. When neither can
 * reach them, the inviting admin gets the codes to hand over. Everything here is pure, so an
 * admin's preview (with a placeholder code) shows exactly what the invitee will get.
 */
import type { KnownBlock } from '@slack/types';
import type {
  CallerSettings,
  InvitationCodeHandover,
  InvitationLanguage,
  InvitationMessageModel,
  OrganizationSummary,
  PermissionChangeInfo,
  PermissionInfo,
  PersonSummary,
} from '../../domain/read-models.js';
import { SLASH_COMMAND } from '../commands.js';
import {
  actions,
  button,
  context,
  fallbackText,
  header,
  LIMIT,
  mention,
  mrkdwn,
  oneLine,
  onDateTime,
  organizationLabel,
  personDetails,
  personName,
  plain,
  section,
  slackDate,
} from './format.js';
import { ACTION } from './ids.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

type Message = { text: string; blocks: KnownBlock[] };

// ---------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------

interface InvitationStrings {
  /** The locale Intl formats dates in. */
  locale: string;
  /** How the first day of a month is written: French says "1er janvier". */
  firstOfMonth: string;
  /** A Slack date token's format, joining date and time the way the language does. */
  slackDateFormat: string;
  subject: (organization: string) => string;
  greeting: string;
  invited: (inviter: string, organization: string) => string;
  messageFrom: (inviter: string) => string;
  grantsHeading: string;
  noPermissions: string;
  supportLevel: Record<CallerSettings['supportLevel'], string>;
  /** Caller levels by the names My Esri gives them; a level missing here is shown as it is. */
  callerLevelNames: Readonly<Record<string, string>>;
  callerLevel: (level: string) => string;
  authorizedCaller: (details: string) => string;
  accessEnds: (date: string) => string;
  validUntil: (date: string) => string;
  acceptButton: string;
  orType: (command: string) => string;
  howToAccept: string;
  joinWorkspace: (inviter: string, contact: string) => string;
  typeCommand: string;
  codeIsPersonal: string;
  unexpected: string;
  /** For someone already connected: what accepting does to what they hold now. */
  changeHeading: string;
  keeps: string;
  gains: string;
  loses: string;
}

/** French puts a non-breaking space before a colon. */
const NBSP = '\u00a0';

const STRINGS: Record<InvitationLanguage, InvitationStrings> = {
  en: {
    locale: 'en-US',
    firstOfMonth: '1',
    slackDateFormat: '{date_long} at {time}',
    subject: (organization) => `Invitation to join ${organization}`,
    greeting: 'Hello,',
    invited: (inviter, organization) => `${inviter} invited you to join ${organization}.`,
    messageFrom: (inviter) => `Message from ${inviter}:`,
    grantsHeading: 'What you will be able to do',
    noPermissions: 'Membership of the organization, with no permissions yet.',
    supportLevel: { STANDARD: 'Standard support', PREMIUM: 'Premium support' },
    callerLevelNames: {},
    callerLevel: (level) => `caller level: ${level}`,
    authorizedCaller: (details) => `You will be an authorized caller for technical support (${details}).`,
    accessEnds: (date) => `Your access lasts until the end of ${date}.`,
    validUntil: (date) => `This invitation is valid until ${date}.`,
    acceptButton: 'Accept invitation',
    orType: (command) => `You can also accept it by typing ${command}.`,
    howToAccept: 'How to accept',
    joinWorkspace: (inviter, contact) =>
      `Join the Slack workspace ${inviter} uses. If you have not been invited to it yet, ask ${contact} for an invitation.`,
    typeCommand: 'In Slack, type this command in any conversation and send it:',
    codeIsPersonal: 'This code is yours alone: please do not share it.',
    unexpected: 'If you were not expecting this invitation, you can ignore this email.',
    changeHeading: 'You are already connected. Accepting changes your permissions like this:',
    keeps: 'You keep',
    gains: 'You gain',
    loses: 'You lose',
  },
  es: {
    locale: 'es',
    firstOfMonth: '1',
    slackDateFormat: '{date_long} a las {time}',
    subject: (organization) => `Invitación para unirse a ${organization}`,
    greeting: 'Hola:',
    invited: (inviter, organization) => `${inviter} le ha invitado a unirse a ${organization}.`,
    messageFrom: (inviter) => `Mensaje de ${inviter}:`,
    grantsHeading: 'Lo que podrá hacer',
    noPermissions: 'Formar parte de la organización, por ahora sin permisos.',
    supportLevel: { STANDARD: 'soporte Estándar', PREMIUM: 'soporte Premium' },
    callerLevelNames: { Primary: 'principal', Secondary: 'secundario', Backup: 'suplente' },
    callerLevel: (level) => `nivel de contacto: ${level}`,
    authorizedCaller: (details) => `Será contacto autorizado del soporte técnico (${details}).`,
    accessEnds: (date) => `Su acceso durará hasta el final del ${date}.`,
    validUntil: (date) => `Esta invitación es válida hasta el ${date}.`,
    acceptButton: 'Aceptar la invitación',
    orType: (command) => `También puede aceptarla escribiendo ${command}.`,
    howToAccept: 'Cómo aceptar',
    joinWorkspace: (inviter, contact) =>
      `Únase al espacio de trabajo de Slack que utiliza ${inviter}. Si aún no ha recibido una invitación para unirse, pídasela a ` +
      `${contact}.`,
    typeCommand: 'En Slack, escriba este comando en cualquier conversación y envíelo:',
    codeIsPersonal: 'Este código es solo para usted: no lo comparta con nadie.',
    unexpected: 'Si no esperaba esta invitación, puede ignorar este correo.',
    changeHeading: 'Ya está conectado. Al aceptar, sus permisos cambian así:',
    keeps: 'Conserva',
    gains: 'Obtiene',
    loses: 'Pierde',
  },
  fr: {
    locale: 'fr',
    firstOfMonth: '1er',
    slackDateFormat: '{date_long} à {time}',
    subject: (organization) => `Invitation à rejoindre ${organization}`,
    greeting: 'Bonjour,',
    invited: (inviter, organization) => `${inviter} vous invite à rejoindre ${organization}.`,
    messageFrom: (inviter) => `${inviter} vous écrit${NBSP}:`,
    grantsHeading: 'Ce que vous pourrez faire',
    noPermissions: "Faire partie de l'organisation, sans autorisation pour l'instant.",
    supportLevel: { STANDARD: 'support Standard', PREMIUM: 'support Premium' },
    callerLevelNames: { Primary: 'principal', Secondary: 'secondaire', Backup: 'suppléant' },
    callerLevel: (level) => `niveau d'appelant${NBSP}: ${level}`,
    authorizedCaller: (details) => `Vous serez appelant autorisé auprès du support technique (${details}).`,
    accessEnds: (date) => `Votre accès restera valable jusqu'au ${date} inclus.`,
    validUntil: (date) => `Cette invitation est valable jusqu'au ${date}.`,
    acceptButton: "Accepter l'invitation",
    orType: (command) => `Vous pouvez aussi l'accepter en tapant ${command}.`,
    howToAccept: 'Comment accepter',
    joinWorkspace: (inviter, contact) =>
      `Rejoignez l'espace de travail Slack qu'utilise ${inviter}. Si vous n'avez pas encore reçu d'invitation à le rejoindre, ` +
      `demandez-en une à ${contact}.`,
    typeCommand: `Dans Slack, tapez cette commande dans n'importe quelle conversation et envoyez-la${NBSP}:`,
    codeIsPersonal: `Ce code vous est personnel${NBSP}: ne le communiquez à personne.`,
    unexpected: "Si vous n'attendiez pas cette invitation, vous pouvez ignorer cet e-mail.",
    changeHeading: `Vous êtes déjà connecté. En acceptant, vos autorisations changent ainsi${NBSP}:`,
    keeps: 'Vous conservez',
    gains: 'Vous obtenez',
    loses: 'Vous perdez',
  },
};

// ---------------------------------------------------------------------------------------------
// Pieces the DM and the email share
// ---------------------------------------------------------------------------------------------

/** How user text is made safe, and emphasis written, in one output format. */
interface Markup {
  text: (raw: string) => string;
  strong: (formatted: string) => string;
}

const MRKDWN: Markup = { text: escapeMrkdwn, strong: (formatted) => `*${formatted}*` };
const HTML: Markup = { text: escapeHtml, strong: (formatted) => `<strong>${formatted}</strong>` };
const PLAIN_TEXT: Markup = { text: (raw) => raw, strong: (formatted) => formatted };

/** Permission names and descriptions come from the catalog; these bounds only guard the limits. */
const PERMISSION_NAME_SHOWN = 100;
const PERMISSION_DESCRIPTION_SHOWN = 300;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function permissionEntry(permission: PermissionInfo, markup: Markup): string {
  const name = markup.strong(markup.text(truncate(oneLine(permission.name), PERMISSION_NAME_SHOWN)));
  const description = truncate(oneLine(permission.description), PERMISSION_DESCRIPTION_SHOWN);
  return description ? `${name} — ${markup.text(description)}` : name;
}

function callerSentence(strings: InvitationStrings, caller: CallerSettings | null, markup: Markup): string | null {
  if (!caller) return null;
  const level = caller.callerLevel ? oneLine(caller.callerLevel) : '';
  const support = strings.supportLevel[caller.supportLevel];
  const details = level ? `${support}, ${strings.callerLevel(markup.text(strings.callerLevelNames[level] ?? level))}` : support;
  return strings.authorizedCaller(details);
}

function formatDate(instant: Date, options: Intl.DateTimeFormatOptions, strings: InvitationStrings): string {
  return new Intl.DateTimeFormat(strings.locale, options)
    .formatToParts(instant)
    .map((part) => (part.type === 'day' && part.value === '1' ? strings.firstOfMonth : part.value))
    .join('');
}

/** "December 31, 2099" for a YYYY-MM-DD calendar date; it is no instant, so no time zone moves it. */
function calendarDateText(calendarDate: string, strings: InvitationStrings): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(calendarDate);
  if (!match) return calendarDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return formatDate(date, { dateStyle: 'long', timeZone: 'UTC' }, strings);
}

/** An instant in the organization's time zone, naming the zone, for readers Slack cannot localize for. */
function instantText(instant: Date, timeZone: string, strings: InvitationStrings): string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  };
  return formatDate(instant, options, strings);
}

/** Line breaks kept, but no run of blank lines longer than one. */
function personalMessageLines(message: string): string[] {
  return message
    .replace(/\r\n?/g, '\n')
    .trim()
    .replace(/\n{3,}/g, '\n\n')
    .split('\n');
}

/**
 * The personal message as a mrkdwn quote. It is cut on the escaped text, so the cut can never
 * land inside an entity or push the section past Slack's limit.
 */
function mrkdwnQuote(message: string, limit: number): string {
  let quoted = '> ';
  for (const character of personalMessageLines(message).join('\n')) {
    const piece = character === '\n' ? '\n> ' : escapeMrkdwn(character);
    if (quoted.length + piece.length > limit - 1) return `${quoted}…`;
    quoted += piece;
  }
  return quoted;
}

function personalMessageSection(heading: string, message: string): KnownBlock {
  const lead = `*${heading}*\n`;
  return section(mrkdwn(lead + mrkdwnQuote(message, LIMIT.sectionText - lead.length)));
}

/**
 * A code span around something the reader must copy exactly, such as a code with `_` in it.
 * Inside a span nothing formats, so only what could close it or start a token is neutralized.
 */
function codeSpan(text: string): string {
  const inert = oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '\u02CB');
  return `\`${inert}\``;
}

function acceptCommand(slashCommand: string, code: string): string {
  return `${slashCommand} accept ${code}`;
}

// ---------------------------------------------------------------------------------------------
// The Accept button
// ---------------------------------------------------------------------------------------------

/**
 * The button carries the invitation, its code and the permissions the person was shown they
 * would lose: clicking it agrees to lose those, and nothing more.
 */
export function acceptButtonValue(invitationId: number, code: string, confirmedLosses: readonly string[] = []): string {
  return confirmedLosses.length > 0 ? `${invitationId}.${code}:${confirmedLosses.join(',')}` : `${invitationId}.${code}`;
}

/** Codes are base64url (see invitation-tokens.ts) and permission keys snake_case; anything else did not come from Gatehouse. */
const ACCEPT_BUTTON_VALUE = /^([1-9]\d{0,15})\.([A-Za-z0-9_-]{1,256})(?::([a-z_]{1,64}(?:,[a-z_]{1,64}){0,31}))?$/;

export function parseAcceptButtonValue(value: string): { invitationId: number; code: string; confirmedLosses: string[] } | null {
  const match = ACCEPT_BUTTON_VALUE.exec(value);
  if (!match?.[1] || !match[2]) return null;
  const invitationId = Number(match[1]);
  return Number.isSafeInteger(invitationId) ? { invitationId, code: match[2], confirmedLosses: match[3]?.split(',') ?? [] } : null;
}

/** Keeps, gains and loses, each a heading over its permissions; empty lists are left out. */
function changeLines(strings: Pick<InvitationStrings, 'keeps' | 'gains' | 'loses'>, change: PermissionChangeInfo): string {
  const groups: Array<[string, PermissionInfo[]]> = [
    [strings.keeps, change.keeps],
    [strings.gains, change.gains],
    [strings.loses, change.loses],
  ];
  return groups
    .filter(([, permissions]) => permissions.length > 0)
    .map(
      ([heading, permissions]) => `*${heading}*\n${permissions.map((permission) => `• ${permissionEntry(permission, MRKDWN)}`).join('\n')}`,
    )
    .join('\n');
}

/** What accepting does to someone already connected, in English, for replies outside the invitation itself. */
export function accessChangeText(change: PermissionChangeInfo): string {
  return changeLines(STRINGS.en, change);
}

// ---------------------------------------------------------------------------------------------
// The invitee's DM
// ---------------------------------------------------------------------------------------------

export function invitationDirectMessage(model: InvitationMessageModel): Message {
  const strings = STRINGS[model.language];
  const organization = escapeMrkdwn(organizationLabel(model.organization));
  const inviter = mention(model.invitedBy);
  const permissions =
    model.permissions.length > 0
      ? model.permissions.map((permission) => `• ${permissionEntry(permission, MRKDWN)}`).join('\n')
      : strings.noPermissions;
  const details = [
    callerSentence(strings, model.caller, MRKDWN),
    model.endsOn ? strings.accessEnds(escapeMrkdwn(calendarDateText(model.endsOn, strings))) : null,
  ].filter((line): line is string => line !== null);
  const expires = slackDate(model.expiresAt, strings.slackDateFormat, instantText(model.expiresAt, model.organization.timeZone, strings));

  const blocks: KnownBlock[] = [
    header(strings.subject(organizationLabel(model.organization))),
    section(mrkdwn(`:envelope_with_arrow: ${strings.invited(inviter, `*${organization}*`)}`)),
    context(plain(personDetails(model.invitedBy))),
    ...(model.personalMessage?.trim() ? [personalMessageSection(strings.messageFrom(inviter), model.personalMessage)] : []),
    section(mrkdwn(`*${strings.grantsHeading}*\n${permissions}`)),
    ...(model.change ? [section(mrkdwn(`${strings.changeHeading}\n${changeLines(strings, model.change)}`))] : []),
    ...(details.length > 0 ? [section(mrkdwn(details.join('\n')))] : []),
    actions(`invitation_${model.invitationId}`, [
      button({
        text: strings.acceptButton,
        actionId: ACTION.acceptInvitation,
        value: acceptButtonValue(
          model.invitationId,
          model.code,
          model.change?.loses.map((permission) => permission.key),
        ),
        style: 'primary',
      }),
    ]),
    context(mrkdwn(`${strings.validUntil(expires)}  ·  ${strings.orType(codeSpan(acceptCommand(SLASH_COMMAND, model.code)))}`)),
  ];
  return { text: fallbackText(strings.invited(escapeMrkdwn(personName(model.invitedBy)), organization)), blocks };
}

// ---------------------------------------------------------------------------------------------
// The invitee's email
// ---------------------------------------------------------------------------------------------

/** The inviter's name, and their address when there is one, so someone outside Slack can write to them. */
function inviterContact(person: PersonSummary): string {
  return person.email ? `${personName(person)} (${oneLine(person.email)})` : personName(person);
}

export function invitationEmail(
  model: InvitationMessageModel,
  options: { slashCommand: string },
): { subject: string; text: string; html: string } {
  const strings = STRINGS[model.language];
  const organization = organizationLabel(model.organization);
  const inviter = personName(model.invitedBy);
  const contact = inviterContact(model.invitedBy);
  const command = acceptCommand(options.slashCommand, model.code);
  const expires = instantText(model.expiresAt, model.organization.timeZone, strings);
  const endsOn = model.endsOn ? calendarDateText(model.endsOn, strings) : null;
  const message = model.personalMessage?.trim() ? personalMessageLines(model.personalMessage) : null;
  const subject = strings.subject(organization);

  const details = (markup: Markup) =>
    [callerSentence(strings, model.caller, markup), endsOn ? strings.accessEnds(markup.text(endsOn)) : null].filter(
      (line): line is string => line !== null,
    );
  const plainDetails = details(PLAIN_TEXT);

  const text = [
    strings.greeting,
    strings.invited(inviter, organization),
    ...(message ? [`${strings.messageFrom(inviter)}\n${message.map((line) => `> ${line}`).join('\n')}`] : []),
    `${strings.grantsHeading}\n${
      model.permissions.length > 0
        ? model.permissions.map((permission) => `- ${permissionEntry(permission, PLAIN_TEXT)}`).join('\n')
        : strings.noPermissions
    }`,
    ...(plainDetails.length > 0 ? [plainDetails.join('\n')] : []),
    `${strings.howToAccept}\n1. ${strings.joinWorkspace(inviter, contact)}\n2. ${strings.typeCommand}`,
    `    ${command}`,
    `${strings.validUntil(expires)}\n${strings.codeIsPersonal}`,
    strings.unexpected,
  ].join('\n\n');

  const paragraph = (content: string) => `<p>${content}</p>`;
  const htmlBody = [
    paragraph(strings.greeting),
    paragraph(strings.invited(escapeHtml(inviter), HTML.strong(escapeHtml(organization)))),
    ...(message
      ? [
          paragraph(escapeHtml(strings.messageFrom(inviter))),
          `<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid ` +
            `#ccc;color:#444">${message.map(escapeHtml).join('<br>')}</blockquote>`,
        ]
      : []),
    paragraph(HTML.strong(strings.grantsHeading)),
    model.permissions.length > 0
      ? `<ul>${model.permissions.map((permission) => `<li>${permissionEntry(permission, HTML)}</li>`).join('')}</ul>`
      : paragraph(strings.noPermissions),
    ...details(HTML).map(paragraph),
    paragraph(HTML.strong(strings.howToAccept)),
    `<ol><li>${strings.joinWorkspace(escapeHtml(inviter), escapeHtml(contact))}</li><li>${strings.typeCommand}<br>` +
      `<code style="display:inline-block;margin-top:.5em;padding:.3em ` +
      `.5em;background:#f4f4f4;font-size:1.1em">${escapeHtml(command)}</code></li></ol>`,
    paragraph(`${strings.validUntil(escapeHtml(expires))}<br>${strings.codeIsPersonal}`),
    paragraph(`<small>${strings.unexpected}</small>`),
  ].join('\n');
  const html =
    `<!DOCTYPE html>\n<html lang="${model.language}">\n<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1d1c1d">\n${htmlBody}\n</body>\n</html>\n`;

  return { subject, text: `${text}\n`, html };
}

// ---------------------------------------------------------------------------------------------
// The codes an admin hands over
// ---------------------------------------------------------------------------------------------

/** Text in one message's invitee lines; with the intro, a message stays far below Slack's hidden ~13k total. */
const HANDOVER_LINES_PER_MESSAGE = 9000;
/** The longest an email address can be; longer text is not an address worth showing whole. */
const EMAIL_SHOWN = 254;

/** Splits items into runs whose joined length (one separator between items) stays within `budget`. */
function chunkByLength(items: readonly string[], budget: number): string[][] {
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let length = 0;
  for (const item of items) {
    const grown = chunk.length === 0 ? item.length : length + 1 + item.length;
    if (chunk.length > 0 && grown > budget) {
      chunks.push(chunk);
      chunk = [item];
      length = item.length;
    } else {
      chunk.push(item);
      length = grown;
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * Tells the inviting admin that an invitee's Slack account refused the invitation DM, so the
 * invitation went to their address by email instead (with the code, which the admin never sees).
 */
export function invitationEmailedNotice(notice: { organization: OrganizationSummary; email: string; slackError: string }): Message {
  const organization = escapeMrkdwn(organizationLabel(notice.organization));
  const email = escapeMrkdwn(truncate(oneLine(notice.email), EMAIL_SHOWN));
  const text =
    `:email: Your invitation to *${organization}* for ${email} was sent by email: Slack would not deliver it as a DM ` +
    `(${codeSpan(notice.slackError)}), for example because the account is deactivated.`;
  return { text: fallbackText(`Your invitation for ${email} was sent by email instead of Slack`), blocks: [section(mrkdwn(text))] };
}

/**
 * DMs listing each invitee's address and code, for invitees Gatehouse could reach neither in Slack
 * (no account has the address, or the account refused the DM, with Slack's reason) nor by email.
 * A long list is split over as many messages as Slack's limits need; each says which part it is.
 * No invitations, no messages.
 */
export function invitationCodesMessage(handover: InvitationCodeHandover): Message[] {
  const { invitations } = handover;
  if (invitations.length === 0) return [];
  const organization = escapeMrkdwn(organizationLabel(handover.organization));
  const firstExpiry = invitations[0]?.expiresAt.getTime();
  const sharedExpiry = invitations.every((invitation) => invitation.expiresAt.getTime() === firstExpiry)
    ? invitations[0]?.expiresAt
    : undefined;

  const lines = invitations.map((invitation) => {
    const email = escapeMrkdwn(truncate(oneLine(invitation.email), EMAIL_SHOWN));
    const expiry = sharedExpiry ? '' : `  ·  valid until ${onDateTime(invitation.expiresAt)}`;
    const refused = invitation.slackError ? `  ·  Slack refused the DM: ${codeSpan(invitation.slackError)}` : '';
    return `• ${email}: ${codeSpan(invitation.code)}${expiry}${refused}`;
  });
  const parts = chunkByLength(lines, HANDOVER_LINES_PER_MESSAGE);
  const count = invitations.length === 1 ? '1 invitation' : `${invitations.length} invitations`;
  const refusedCount = invitations.filter((invitation) => invitation.slackError).length;
  const unreachable =
    refusedCount === 0
      ? 'No one in this Slack workspace uses these addresses'
      : refusedCount === invitations.length
        ? 'Slack would not deliver a DM to the accounts with these addresses'
        : 'No one in this Slack workspace uses some of these addresses, and Slack would not deliver a DM to the accounts with the others';
  const reason = handover.emailConfigured
    ? `${unreachable}, and the invitations were not sent by email.`
    : `${unreachable}, and Gatehouse cannot send email because no mail server is configured.`;
  const usage =
    `Each person joins this Slack workspace, then types ${codeSpan(acceptCommand(SLASH_COMMAND, 'CODE'))} with their own code.` +
    (sharedExpiry ? ` The codes are valid until ${onDateTime(sharedExpiry)}.` : '') +
    ' Gatehouse does not keep the codes and cannot show them again, so pass them on privately.';

  return parts.map((part, index) => {
    const partLabel = parts.length > 1 ? ` (part ${index + 1} of ${parts.length})` : '';
    const intro: KnownBlock[] =
      index === 0
        ? [
            header('Invitation codes to hand over'),
            section(
              mrkdwn(
                `:key: ${count} to *${organization}* could not be delivered${partLabel}. ${reason} Please give each person their ` +
                  `code yourself.`,
              ),
            ),
            context(mrkdwn(usage)),
          ]
        : [section(mrkdwn(`*Invitation codes for ${organization}, continued*${partLabel}`))];
    const sections = chunkByLength(part, LIMIT.sectionText).map((sectionLines) => section(mrkdwn(sectionLines.join('\n'))));
    const text =
      index === 0 ? `Invitation codes to hand over for ${organization}${partLabel}` : `Invitation codes for ${organization}${partLabel}`;
    return { text: fallbackText(text), blocks: [...intro, ...sections] };
  });
}
