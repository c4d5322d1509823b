// The composer's hint: the usage lines of `/access help`. The client cannot import src/slack (it is
// compiled on its own, for the browser), so test/demo/client-commands.test.ts keeps this list equal
// to SUBCOMMANDS in src/slack/commands.ts.
export const COMMAND_USAGE: readonly { usage: string; summary: string }[] = [
  { usage: '/access request', summary: 'Ask to be connected to an organization, or for more permissions.' },
  { usage: '/access me', summary: 'See your organizations, permissions and pending requests.' },
  { usage: '/access leave', summary: 'Leave one of your organizations: every permission you hold there is removed.' },
  { usage: '/access contact', summary: "Write to an organization's Administrators (a few messages a day)." },
  { usage: '/access accept CODE', summary: 'Accept an invitation with the code from it.' },
  { usage: '/access invite', summary: 'Administrators: invite up to 1000 people by email.' },
  {
    usage: '/access users [search]',
    summary: 'Administrators: list, search and filter members and invitations; edit, disconnect, restore, or act on up to 100 at once.',
  },
  { usage: '/access invitations', summary: 'Administrators: the pending invitations in /access users, to resend, edit or revoke.' },
  { usage: '/access callers', summary: 'Administrators: list, add, edit and remove authorized callers.' },
  {
    usage: '/access log [@member] [by @person] [permission] [action] [since YYYY-MM-DD] [until YYYY-MM-DD]',
    summary: 'Administrators: the permissions log, newest first, filtered by member, actor, action, permission and dates.',
  },
  {
    usage: '/access report',
    summary: 'Administrators: who holds each permission, with counts; export the report and the grid as CSV.',
  },
  { usage: '/access settings', summary: 'Choose your language and where App Home opens.' },
  { usage: '/access help', summary: 'Show this list of commands.' },
];
