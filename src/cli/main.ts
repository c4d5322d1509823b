import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadDatabaseConfig, loadJobConfig } from '../config/env.js';
import { openDatabase, type Database, type Db } from '../db/client.js';
import { DatabaseUnavailableError, withDatabaseCause } from '../db/database-errors.js';
import { parseDatabaseUrl } from '../db/database-url.js';
import { verifyLogChains } from '../db/log-verify.js';
import { applyPendingMigrations, assertMigrated } from '../db/migrations.js';
import { formatAnchor, NO_ORGANIZATION_CHAIN, parseAnchor } from '../domain/log-chain.js';
import { describeBreakReason, type ChainBreak } from '../domain/log-verify.js';
import { DomainError } from '../domain/errors.js';
import { ensurePermissionCatalog, seedPermissionCatalog, listPermissionCatalog } from '../services/catalog.js';
import { addAdministrator, removeAdministrator } from '../services/administrators.js';
import { JOBS, jobNamed, jobSettingsOf, jobsStatus, runJobForTick } from '../jobs/jobs.js';
import { parkedMessages, retryParkedMessages } from '../services/outbox.js';
import {
  createOrganization,
  findOrganizationByCustomerNumber,
  listOrganizationsWithAdministrators,
  setOrganizationChannels,
} from '../services/organizations.js';
import { USAGE, helpStatus } from './usage.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

type Environment = Record<string, string | undefined>;

/** Bad input: reported on one line, exit status 1, nothing written. */
class UsageError extends Error {}

const text = (label: string, max: number) =>
  z.string().trim().min(1, `${label} must not be empty`).max(max, `${label} must be at most ${max} characters`);
const customerNumber = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,32}$/, 'the customer number must be 1–32 letters, digits or dashes');
const slackUserId = z
  .string()
  .trim()
  .regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id looks like U0123ABCD');
const channelId = z
  .string()
  .trim()
  .regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id looks like C0123ABCD');
const channelOrNone = z.union([z.literal('none').transform(() => null), channelId]);

const organizationInput = z.object({
  name: text('--name', 200),
  'customer-number': customerNumber,
  acronym: text('--acronym', 30).optional(),
  city: text('--city', 100).optional(),
  country: text('--country', 100).optional(),
  'time-zone': text('--time-zone', 64).optional(),
  'admin-channel': channelId.optional(),
  'audit-channel': channelId.optional(),
});

const administratorInput = z.object({
  customerNumber,
  slackUserId,
  name: text('--name', 200).optional(),
  email: z.email('--email must be an email address').optional(),
});

const anchorInput = z.string().transform((value, context) => {
  const anchor = parseAnchor(value);
  if (!anchor) context.addIssue({ code: 'custom', message: '--anchor must be SEQUENCE:HASH, as posted to the audit channel' });
  return anchor ?? z.NEVER;
});

/** The first broken entry of a chain, for the operator: where (sequence and organization) and why. */
async function describeBreak(prisma: Db, broken: ChainBreak): Promise<string> {
  const organization =
    broken.chain === NO_ORGANIZATION_CHAIN ? null : await prisma.organization.findUnique({ where: { id: broken.chain } });
  const chain = organization
    ? `${organization.name} (${organization.customerNumber})`
    : broken.chain === NO_ORGANIZATION_CHAIN
      ? 'the entries about no organization'
      : `organization #${broken.chain}`;
  const entry = broken.sequence === null ? `an entry (id ${broken.entryId}) with no sequence number` : `entry ${broken.sequence}`;
  const id = broken.sequence !== null && broken.entryId !== null ? ` (id ${broken.entryId})` : '';
  return `${entry}${id} of ${chain}: ${describeBreakReason(broken.reason)}.`;
}

const POSITIONAL_LABELS: Record<string, string> = {
  customerNumber: 'CUSTOMER_NUMBER',
  slackUserId: 'SLACK_USER_ID',
};

function parse<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
  const label = key ? (POSITIONAL_LABELS[key] ?? `--${key}`) : 'the value';
  if (issue?.code === 'invalid_type' && key !== undefined && (value as Record<string, unknown>)[key] === undefined) {
    throw new UsageError(`${label} is required`);
  }
  throw new UsageError(issue?.message ?? `${label} is not valid`);
}

/** `positionalCount` null takes any number of positional arguments. */
function parseCommandLine(args: string[], options: ParseArgsConfig['options'], positionalCount: number | null) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's message goes on to explain `--`; the first sentence is the reason.
    throw new UsageError((error as Error).message.split(/\.\s/)[0] ?? 'invalid arguments');
  }
  if (positionalCount !== null && parsed.positionals.length !== positionalCount) {
    throw new UsageError(
      positionalCount === 0
        ? `unexpected argument ${parsed.positionals[0]}`
        : `expected ${positionalCount} argument${positionalCount > 1 ? 's' : ''}, got ${parsed.positionals.length}`,
    );
  }
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
}

/** A command's work; it may return an exit status other than 0 for an outcome that is not a mistake of input (a broken log). */
type Work = (prisma: Db, io: CliIo, database: Database) => Promise<void | number>;

interface Command {
  /** Validates the arguments before the database is opened, and returns the work to do. */
  prepare(args: string[], env: Environment | undefined): Work;
}

const stringOption = { type: 'string' } as const;

const COMMANDS: Record<string, Command> = {
  'org create': {
    prepare(args) {
      const { values } = parseCommandLine(
        args,
        {
          name: stringOption,
          'customer-number': stringOption,
          acronym: stringOption,
          city: stringOption,
          country: stringOption,
          'time-zone': stringOption,
          'admin-channel': stringOption,
          'audit-channel': stringOption,
        },
        0,
      );
      const input = parse(organizationInput, values);
      return async (prisma, io) => {
        const organization = await createOrganization(prisma, {
          name: input.name,
          customerNumber: input['customer-number'],
          acronym: input.acronym,
          city: input.city,
          country: input.country,
          timeZone: input['time-zone'],
          adminChannelId: input['admin-channel'],
          auditChannelId: input['audit-channel'],
        });
        io.out(`Created ${organization.name} (customer number ${organization.customerNumber}).`);
      };
    },
  },
  'org list': {
    prepare(args) {
      const { values } = parseCommandLine(args, {}, 0);
      return async (prisma, io) => {
        const organizations = await listOrganizationsWithAdministrators(prisma);
        if (values.json) {
          io.out(
            JSON.stringify(
              organizations.map((organization) => ({
                name: organization.name,
                customerNumber: organization.customerNumber,
                acronym: organization.acronym,
                city: organization.city,
                country: organization.country,
                timeZone: organization.timeZone,
                adminChannelId: organization.adminChannelId,
                auditChannelId: organization.auditChannelId,
                administrators: organization.administrators.map((member) => member.slackUserId),
              })),
              null,
              2,
            ),
          );
          return;
        }
        if (organizations.length === 0) {
          io.out('No organizations yet. Create one with `gatehouse org create`.');
          return;
        }
        for (const organization of organizations) {
          const acronym = organization.acronym ? ` (${organization.acronym})` : '';
          io.out(`${organization.customerNumber}  ${organization.name}${acronym}  ${organization.timeZone}`);
          io.out(`    admin channel: ${organization.adminChannelId ?? '—'}   audit channel: ${organization.auditChannelId ?? '—'}`);
          const admins = organization.administrators.map((member) =>
            member.displayName === member.slackUserId ? member.slackUserId : `${member.displayName} (${member.slackUserId})`,
          );
          io.out(`    administrators: ${admins.length > 0 ? admins.join(', ') : 'none'}`);
        }
      };
    },
  },
  'org channels': {
    prepare(args) {
      const { values, positionals } = parseCommandLine(args, { 'admin-channel': stringOption, 'audit-channel': stringOption }, 1);
      const number = parse(customerNumber, positionals[0]);
      const admin = values['admin-channel'] === undefined ? undefined : parse(channelOrNone, values['admin-channel']);
      const audit = values['audit-channel'] === undefined ? undefined : parse(channelOrNone, values['audit-channel']);
      if (admin === undefined && audit === undefined) throw new UsageError('give --admin-channel, --audit-channel or both');
      return async (prisma, io) => {
        const organization = await setOrganizationChannels(prisma, number, { adminChannelId: admin, auditChannelId: audit });
        io.out(
          `${organization.name}: admin channel ${organization.adminChannelId ?? 'none'}, audit channel ` +
            `${organization.auditChannelId ?? 'none'}.`,
        );
      };
    },
  },
  'admin add': {
    prepare(args) {
      const { values, positionals } = parseCommandLine(args, { name: stringOption, email: stringOption }, 2);
      const input = parse(administratorInput, {
        customerNumber: positionals[0],
        slackUserId: positionals[1],
        name: values.name,
        email: values.email,
      });
      return async (prisma, io) => {
        const { organization } = await addAdministrator(prisma, {
          customerNumber: input.customerNumber,
          slackUserId: input.slackUserId,
          displayName: input.name,
          email: input.email,
        });
        io.out(`${input.slackUserId} is now an Administrator of ${organization.name}.`);
      };
    },
  },
  'admin remove': {
    prepare(args) {
      const { positionals } = parseCommandLine(args, {}, 2);
      const input = parse(administratorInput.pick({ customerNumber: true, slackUserId: true }), {
        customerNumber: positionals[0],
        slackUserId: positionals[1],
      });
      return async (prisma, io) => {
        const { organization } = await removeAdministrator(prisma, input);
        io.out(`${input.slackUserId} is no longer an Administrator of ${organization.name}.`);
      };
    },
  },
  'permissions seed': {
    prepare(args) {
      parseCommandLine(args, {}, 0);
      return async (prisma, io) => {
        const { created, updated } = await seedPermissionCatalog(prisma);
        io.out(`Permission catalog seeded: ${created} added, ${updated} brought up to date.`);
      };
    },
  },
  'permissions list': {
    prepare(args) {
      const { values } = parseCommandLine(args, {}, 0);
      return async (prisma, io) => {
        const permissions = await listPermissionCatalog(prisma);
        if (values.json) {
          io.out(
            JSON.stringify(
              permissions.map(({ key, name, description, adminScope }) => ({ key, name, description, adminScope })),
              null,
              2,
            ),
          );
          return;
        }
        for (const permission of permissions) {
          io.out(`${permission.key.padEnd(32)} ${permission.name}  [${permission.adminScope.toLowerCase()}]`);
          io.out(`${''.padEnd(32)} ${permission.description}`);
        }
      };
    },
  },
  'jobs run': {
    prepare(args, env) {
      const { positionals } = parseCommandLine(args, {}, 1);
      const job = jobNamed(positionals[0] ?? '');
      if (!job) throw new UsageError(`unknown job "${positionals[0] ?? ''}"; jobs: ${JOBS.map((known) => known.name).join(', ')}`);
      // The same warning days, request limits and operators as the server's scheduled runs.
      const settings = jobSettingsOf(loadJobConfig(env));
      return async (prisma, io) => {
        const now = new Date();
        // A run by hand has a tick of its own, so it never takes a scheduled tick from a replica.
        const outcome = await runJobForTick(job, `manual:${now.toISOString()}`, { prisma, now, ...settings });
        if (outcome.status === 'failed')
          throw new DomainError('job_failed', `${job.name} failed after ${outcome.durationMs} ms: ${outcome.error}`);
        if (outcome.status === 'skipped') {
          io.out(`${job.name} is already running.`);
          return;
        }
        const counts = Object.entries(outcome.counts)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(', ');
        io.out(`${job.name} ran in ${outcome.durationMs} ms: ${counts}.`);
      };
    },
  },
  'jobs status': {
    prepare(args) {
      const { values } = parseCommandLine(args, {}, 0);
      return async (prisma, io) => {
        const status = await jobsStatus(prisma);
        if (values.json) {
          io.out(JSON.stringify(status, null, 2));
          return;
        }
        for (const job of status.jobs) {
          const last = job.lastRun;
          io.out(`${job.job}: ${job.summary}`);
          io.out(
            last
              ? `  last run ${last.startedAt.toISOString()} (tick ${last.tick}) on ${last.runner}: ${last.status.toLowerCase()}` +
                  `${last.durationMs !== null ? ` in ${last.durationMs} ms` : ''}${last.counts ? `, ${JSON.stringify(last.counts)}` : ''}${
                    last.error ? `, error: ${last.error}` : ''
                  }`
              : '  never run',
          );
          if (job.failedRuns > 0) io.out(`  ${job.failedRuns} failed run(s) on record`);
        }
        io.out(`Outbox: ${status.pendingMessages} waiting, ${status.parkedMessages} parked as failed after repeated attempts.`);
      };
    },
  },
  'outbox failed': {
    prepare(args) {
      const { values } = parseCommandLine(args, {}, 0);
      return async (prisma, io) => {
        const parked = await parkedMessages(prisma);
        if (values.json) {
          io.out(JSON.stringify(parked, null, 2));
          return;
        }
        if (parked.length === 0) io.out('No messages are parked.');
        for (const message of parked) {
          io.out(
            `#${message.id} ${message.kind} (${message.attempts} attempts, queued ${message.createdAt.toISOString()}): ` +
              `${message.lastError ?? 'no error recorded'}`,
          );
        }
      };
    },
  },
  'outbox retry': {
    prepare(args) {
      const { values, positionals } = parseCommandLine(args, { all: { type: 'boolean' } }, null);
      const ids = parse(z.array(z.coerce.number().int().positive('message ids are positive whole numbers')), positionals);
      if (Boolean(values.all) === ids.length > 0) throw new UsageError('give the ids of parked messages, or --all');
      return async (prisma, io) => {
        const retried = await retryParkedMessages(prisma, values.all ? 'all' : ids, new Date());
        io.out(`${retried} message(s) will be delivered again; a running server picks them up within seconds.`);
      };
    },
  },
  'log verify': {
    prepare(args) {
      const { values } = parseCommandLine(args, { org: stringOption, anchor: stringOption }, 0);
      const number = values.org === undefined ? undefined : parse(customerNumber, values.org);
      const anchor = values.anchor === undefined ? undefined : parse(anchorInput, values.anchor);
      // An anchor is one organization's head, posted to its audit channel.
      if (anchor && number === undefined) throw new UsageError('--anchor needs --org, the organization whose audit channel posted it');
      return async (prisma, io, database) => {
        const organization = number === undefined ? null : await findOrganizationByCustomerNumber(prisma, number);
        const verification = await verifyLogChains(database.sql, {
          chains: organization ? [organization.id] : undefined,
          anchor: anchor ?? null,
        });
        if (verification.broken) {
          io.err(`gatehouse: the permissions log is broken: ${await describeBreak(prisma, verification.broken)}`);
          return 1;
        }
        if (!organization) {
          io.out(`The permissions log is whole: ${verification.entries} entries in ${verification.chains} chain(s).`);
          return;
        }
        const head = verification.heads.get(organization.id) ?? null;
        io.out(
          `The permissions log of ${organization.name} (${organization.customerNumber}) is whole: ${verification.entries} entries` +
            `${head ? `, head ${formatAnchor(head)}` : ''}${anchor ? `; entry ${anchor.sequence} matches the anchor` : ''}.`,
        );
      };
    },
  },
  'db migrate': {
    prepare(args) {
      parseCommandLine(args, {}, 0);
      // Migrating is done before any command runs, so there is nothing more to do here.
      return async () => undefined;
    },
  },
};

/** Runs one CLI command and returns the process exit status. */
export async function runCli(argv: string[], io: CliIo, env?: Environment): Promise<number> {
  const asksForHelp = helpStatus(argv);
  if (asksForHelp !== null) {
    io.out(USAGE);
    return asksForHelp;
  }
  const [group, action, ...rest] = argv;
  const command = COMMANDS[`${group} ${action ?? ''}`];
  if (!command) {
    io.err(`gatehouse: unknown command "${[group, action].filter(Boolean).join(' ')}"; run \`gatehouse help\` for the list`);
    return 1;
  }
  let work: Work;
  let databaseUrl: string;
  try {
    work = command.prepare(rest, env);
    databaseUrl = loadDatabaseConfig(env).DATABASE_URL;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gatehouse: ${error.message}`);
      return 1;
    }
    if (error instanceof ConfigError) {
      io.err(`gatehouse: ${error.problems.join('; ')}`);
      return 1;
    }
    throw error;
  }
  const target = parseDatabaseUrl(databaseUrl);
  const migrating = `${group} ${action}` === 'db migrate';
  try {
    return await withDatabaseCause(target, async () => {
      // The embedded database is kept migrated by whoever opens it; a shared PostgreSQL database is
      // migrated only when an operator asks, once per release.
      if (migrating || target.provider === 'sqlite') {
        const applied = await applyPendingMigrations(target);
        if (applied.length > 0) io.out(`Applied migrations: ${applied.join(', ')}`);
        else if (migrating) io.out('The database is up to date.');
      } else {
        await assertMigrated(target);
      }
      const database = await openDatabase(target, { poolSize: 2 });
      try {
        // Commands rely on the built-in catalog (`admin add` grants from it); `permissions seed`
        // stores it itself and reports what it changed.
        if (`${group} ${action}` !== 'permissions seed') await ensurePermissionCatalog(database.prisma);
        return (await work(database.prisma, io, database)) ?? 0;
      } catch (error) {
        if (error instanceof DomainError) {
          io.err(`gatehouse: ${error.message}`);
          return 1;
        }
        throw error;
      } finally {
        await database.close();
      }
    });
  } catch (error) {
    // The command was fine; the database could not be used. Status 2, like any other failure.
    if (error instanceof DatabaseUnavailableError) {
      io.err(`gatehouse: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
