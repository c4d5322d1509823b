import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  ConfigError,
  DEFAULT_SQLITE_URL,
  loadAppConfig,
  loadDatabaseConfig,
  readProcessEnvironment,
} from '../../src/config/env.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'a-signing-secret-value',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('fills in the defaults', () => {
    const config = loadAppConfig(valid);
    expect(config).toMatchObject({ PORT: 3000, DATABASE_URL: DEFAULT_SQLITE_URL, LOG_LEVEL: 'info' });
    expect(config.SLACK_APP_TOKEN).toBeUndefined();
    expect(config.SLACK_API_URL).toBeUndefined();
  });

  it('names every missing variable in one error', () => {
    const problems = problemsOf({});
    expect(problems).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN is required/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET is required/),
    ]);
  });

  it('names every invalid variable and says what is wrong', () => {
    const problems = problemsOf({
      ...valid,
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/gatehouse',
      SLACK_API_URL: 'not a url',
      SLACK_APP_TOKEN: 'xoxb-wrong-kind',
      TRIAGE_CHANNEL_ID: '#triage',
      LOG_LEVEL: 'loud',
    });
    const variables = problems.map((problem) => problem.split(' ')[0]).sort();
    expect(variables).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'PORT',
      'SLACK_API_URL',
      'SLACK_APP_TOKEN',
      'SLACK_BOT_TOKEN',
      'TRIAGE_CHANNEL_ID',
    ]);
    expect(problems.find((problem) => problem.startsWith('SLACK_BOT_TOKEN'))).toContain('xoxb-');
  });

  it('treats empty values as unset', () => {
    expect(loadAppConfig({ ...valid, DATABASE_URL: '', SLACK_APP_TOKEN: '  ' })).toMatchObject({
      DATABASE_URL: DEFAULT_SQLITE_URL,
      SLACK_APP_TOKEN: undefined,
    });
  });

  it('accepts PostgreSQL and SQLite URLs', () => {
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/gatehouse' }).DATABASE_URL).toBe(
      'postgresql://u:p@db:5432/gatehouse',
    );
    expect(loadDatabaseConfig({ DATABASE_URL: 'file:/var/lib/gatehouse.db' }).DATABASE_URL).toBe('file:/var/lib/gatehouse.db');
  });

  it('reads a .env file, with the real environment winning', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-env-'));
    writeFileSync(path.join(dir, '.env'), 'GATEHOUSE_TEST_FROM_FILE=file\nPATH=from-file\n');
    const env = readProcessEnvironment(dir);
    expect(env.GATEHOUSE_TEST_FROM_FILE).toBe('file');
    expect(env.PATH).not.toBe('from-file');
  });
});

describe('.env.example', () => {
  it('lists and explains every variable, and nothing else', () => {
    const lines = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8').split('\n');
    const listed = lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split('=')[0]);
    expect([...listed].sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const variable of listed) {
      const index = lines.findIndex((line) => line.startsWith(`${variable}=`));
      expect(lines[index - 1], `${variable} needs an explanation above it`).toMatch(/^# /);
    }
  });
});

describe('start-up with a bad configuration', () => {
  it('stops with one message naming each bad variable, and shows no secret', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-start-'));
    const result = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(PROJECT_ROOT, 'src/server.ts')],
      {
        cwd,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          PATH: process.env.PATH,
          SLACK_SIGNING_SECRET: 'short',
          SLACK_APP_TOKEN: 'xapp-very-secret-app-token',
          PORT: '99999',
        },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    for (const variable of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT']) expect(result.stderr).toContain(variable);
    expect(result.stderr).not.toContain('SLACK_APP_TOKEN');
    expect(result.stderr + result.stdout).not.toContain('very-secret');
    expect(result.stdout).toBe('');
  });
});

describe('run from another directory', () => {
  const startedIn = process.cwd();
  afterEach(() => process.chdir(startedIn));

  it('reads .env from the project root and ignores one where it was run', () => {
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cwd-'));
    writeFileSync(path.join(elsewhere, '.env'), 'GATEHOUSE_TEST_WRONG_ENV_FILE=read\n');
    process.chdir(elsewhere);
    const env = readProcessEnvironment();
    expect(env.GATEHOUSE_TEST_WRONG_ENV_FILE).toBeUndefined();
    expect(env).toEqual(readProcessEnvironment(PROJECT_ROOT));
  });

  it('resolves the default SQLite database, and any relative path, from the project root', () => {
    process.chdir(mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cwd-')));
    expect(parseDatabaseUrl(DEFAULT_SQLITE_URL)).toMatchObject({
      provider: 'sqlite',
      filePath: path.join(PROJECT_ROOT, 'data', 'gatehouse.db'),
    });
    expect(parseDatabaseUrl('file:/var/lib/gatehouse.db')).toMatchObject({ filePath: '/var/lib/gatehouse.db' });
  });
});
