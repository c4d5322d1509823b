// Kept apart from main.ts, which loads Prisma, pg and every service: `gatehouse help` reads only
// this file, so it answers at Node's own start-up speed.

export const USAGE = `Usage: gatehouse <command>

Organizations
  org create --name NAME --customer-number NUMBER [--acronym A] [--city C] [--country C]
             [--time-zone Area/City] [--admin-channel C…] [--audit-channel C…]
  org list [--json]
  org channels CUSTOMER_NUMBER [--admin-channel C…|none] [--audit-channel C…|none]

Administrators
  admin add CUSTOMER_NUMBER SLACK_USER_ID [--name "Display name"] [--email ADDRESS]
  admin remove CUSTOMER_NUMBER SLACK_USER_ID

Permission catalog
  permissions seed
  permissions list [--json]

Jobs
  jobs run NAME      run a job now, once (time-limits, requests, log-anchor)
  jobs status [--json]

Outbox
  outbox failed [--json]          messages parked after repeated failed deliveries
  outbox retry ID… | outbox retry --all

Permissions log
  log verify [--org CUSTOMER_NUMBER] [--anchor SEQ:HASH]
                     recompute the hash chain; exit 1 naming the first broken entry

Database
  db migrate`;

/**
 * The exit status when `argv` asks for the usage text (0 for `help`, 1 for no command at all, which
 * is a mistake), or null when it names a command.
 */
export function helpStatus(argv: readonly string[]): number | null {
  const [group] = argv;
  if (group === undefined || group === '') return 1;
  return group === 'help' || group === '--help' || group === '-h' ? 0 : null;
}
