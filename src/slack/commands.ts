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
  { name: 'accept', usage: '/access accept CODE', summary: 'Accept an invitation with the code from it.' },
  { name: 'invite', usage: '/access invite', summary: 'Administrators: invite up to 1000 people by email.' },
  { name: 'invitations', usage: '/access invitations', summary: 'Administrators: resend, edit or revoke pending invitations.' },
  { name: 'help', usage: '/access help', summary: 'Show this list of commands.' },
];

const slashCommandText = z
  .string()
  .max(4000)
  .transform((text) => text.trim().split(/\s+/).filter(Boolean));

export interface ParsedSubcommand {
  name: string;
  args: string[];
}

/** Splits `/access` text into its subcommand and arguments; a bare `/access` means help. */
export function parseSubcommand(text: unknown): ParsedSubcommand {
  const words = slashCommandText.parse(typeof text === 'string' ? text : '');
  const [first, ...args] = words;
  return { name: (first ?? 'help').toLowerCase(), args };
}
