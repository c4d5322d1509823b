import { z } from 'zod';

/** A subcommand of `/access`, as listed by `/access help`. */
export interface SubcommandHelp {
  name: string;
  usage: string;
  summary: string;
}

export const SLASH_COMMAND = '/access';

/** The subcommands Gatehouse answers, in the order help lists them. */
export const SUBCOMMANDS: SubcommandHelp[] = [
  { name: 'request', usage: '/access request', summary: 'Ask to be connected to an organization, or for more permissions.' },
  { name: 'me', usage: '/access me', summary: 'See your organizations, permissions and pending requests.' },
  { name: 'leave', usage: '/access leave', summary: 'Leave one of your organizations: every permission you hold there is removed.' },
  { name: 'contact', usage: '/access contact', summary: "Write to an organization's Administrators (a few messages a day)." },
  { name: 'accept', usage: '/access accept CODE', summary: 'Accept an invitation with the code from it.' },
  { name: 'invite', usage: '/access invite', summary: 'Administrators: invite up to 1000 people by email.' },
  {
    name: 'users',
    usage: '/access users [search]',
    summary: 'Administrators: list, search and filter members and invitations; edit, disconnect, restore, or act on up to 100 at once.',
  },
  {
    name: 'invitations',
    usage: '/access invitations',
    summary: 'Administrators: the pending invitations in /access users, to resend, edit or revoke.',
  },
  { name: 'callers', usage: '/access callers', summary: 'Administrators: list, add, edit and remove authorized callers.' },
  {
    name: 'log',
    usage: '/access log [@member] [by @person] [permission] [action] [since YYYY-MM-DD] [until YYYY-MM-DD]',
    summary: 'Administrators: the permissions log, newest first, filtered by member, actor, action, permission and dates.',
  },
  {
    name: 'report',
    usage: '/access report',
    summary: 'Administrators: who holds each permission, with counts; export the report and the grid as CSV.',
  },
  { name: 'settings', usage: '/access settings', summary: 'Choose your language and where App Home opens.' },
  { name: 'help', usage: '/access help', summary: 'Show this list of commands.' },
];

/** Slack's own limit on what can be typed after a slash command. */
export const MAX_COMMAND_TEXT = 4000;

const slashCommandText = z
  .string()
  .max(MAX_COMMAND_TEXT)
  .transform((text) => text.trim().split(/\s+/).filter(Boolean));

export interface ParsedSubcommand {
  name: string;
  args: string[];
}

/**
 * Splits `/access` text into its subcommand and arguments; a bare `/access` means help. Undefined
 * when the text is longer than Slack lets anyone type.
 */
export function parseSubcommand(text: unknown): ParsedSubcommand | undefined {
  const words = slashCommandText.safeParse(typeof text === 'string' ? text : '');
  if (!words.success) return undefined;
  const [first, ...args] = words.data;
  return { name: (first ?? 'help').toLowerCase(), args };
}
