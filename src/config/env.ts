import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { PROJECT_ROOT } from '../db/paths.js';

/** The SQLite file used when DATABASE_URL is not set, in the project's own folder wherever it is run from. */
export const DEFAULT_SQLITE_URL = 'file:./data/gatehouse.db';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value) || value.startsWith('file:'),
    'must start with postgresql:// (PostgreSQL) or file: (SQLite)',
  );

const channelId = z
  .string()
  .trim()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123456789');

const databaseSchema = z.object({
  DATABASE_URL: optionalText.pipe(databaseUrl.optional()).transform((value) => value ?? DEFAULT_SQLITE_URL),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

/** What the jobs need, whether the server schedules them or an operator runs one by hand. */
const jobSchema = databaseSchema.extend({
  OPERATOR_USER_IDS: optionalText
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user ids separated by commas, e.g. U0123,U0456'))),
  EXPIRY_WARNING_DAYS: optionalText
    .transform((value) =>
      (value ?? '14,7,1')
        .split(',')
        .map((day) => day.trim())
        .filter(Boolean)
        .map(Number),
    )
    .pipe(z.array(z.number().int().min(1).max(365)).max(10)),
  REQUEST_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(3),
  REQUEST_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});

const appSchema = jobSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SLACK_BOT_TOKEN: z
      .string()
      .trim()
      .regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
    SLACK_SIGNING_SECRET: z.string().trim().min(8, 'must be the app signing secret (Basic Information page)'),
    SLACK_APP_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
        .optional(),
    ),
    SLACK_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    TRIAGE_CHANNEL_ID: optionalText.pipe(channelId.optional()),
    JOB_INTERVAL_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(30)
      .refine((minutes) => 60 % minutes === 0, 'must divide an hour: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30')
      .default(5),
    OUTBOX_RETRY_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
    SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional()),
    SMTP_FROM: optionalText.pipe(
      z
        .string()
        .regex(/^[^\s@]+@[^\s@]+$|<[^\s@]+@[^\s@]+>$/, 'must be an address, e.g. Gatehouse <access@example.com>')
        .optional(),
    ),
  })
  .refine((config) => !config.SMTP_URL || config.SMTP_FROM, { path: ['SMTP_FROM'], message: 'is required when SMTP_URL is set' });

/** Every variable Gatehouse reads. */
export const CONFIG_VARIABLES = Object.keys(appSchema.shape);

export type DatabaseConfig = z.infer<typeof databaseSchema>;
export type JobConfig = z.infer<typeof jobSchema>;
export type AppConfig = z.infer<typeof appSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Record<string, string | undefined>;

function parseWith<Schema extends z.ZodType>(schema: Schema, env: Environment): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const reason = issue.code === 'invalid_type' && env[variable] === undefined ? 'is required' : issue.message;
    return `${variable} ${reason}`;
  });
  throw new ConfigError(problems);
}

/**
 * The process environment, with the project's `.env` file (beside its package.json) filled in
 * underneath it, so the CLI run from a subdirectory reads the same settings as the server.
 * Values already set in the environment win over the file.
 */
export function readProcessEnvironment(projectRoot = PROJECT_ROOT): Environment {
  const file = path.join(projectRoot, '.env');
  const fromFile = existsSync(file) ? dotenv.parse(readFileSync(file)) : {};
  return { ...fromFile, ...process.env };
}

export function loadDatabaseConfig(env: Environment = readProcessEnvironment()): DatabaseConfig {
  return parseWith(databaseSchema, env);
}

export function loadJobConfig(env: Environment = readProcessEnvironment()): JobConfig {
  return parseWith(jobSchema, env);
}

export function loadAppConfig(env: Environment = readProcessEnvironment()): AppConfig {
  return parseWith(appSchema, env);
}
