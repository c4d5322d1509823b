import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { PERMISSION_CATALOG } from '../../src/domain/permission-catalog.js';
import { createEmptyDatabase, DATABASE_KINDS, type EmptyDatabase } from '../support/databases.js';

interface CliResult {
  status: number;
  out: string[];
  err: string[];
}

describe.each(DATABASE_KINDS)('the gatehouse CLI on %s', (kind) => {
  let empty: EmptyDatabase;
  let db: Database;

  const cli = async (...argv: string[]): Promise<CliResult> => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(
      argv,
      { out: (line) => out.push(line), err: (line) => err.push(line) },
      {
        DATABASE_URL: empty.url,
      },
    );
    return { status, out, err };
  };

  const everyRowCount = async () => {
    const { prisma } = db;
    return {
      organizations: await prisma.organization.count(),
      members: await prisma.member.count(),
      connections: await prisma.connection.count(),
      grants: await prisma.connectionPermission.count(),
      permissions: await prisma.permission.count(),
      log: await prisma.permissionLogEntry.count(),
      organizationsState: JSON.stringify(await prisma.organization.findMany({ orderBy: { id: 'asc' } })),
    };
  };

  beforeAll(async () => {
    empty = await createEmptyDatabase(kind);
    expect((await cli('db', 'migrate')).status).toBe(0);
    db = await openDatabase(empty.target);
  });
  afterAll(async () => {
    await db.close();
    await empty.drop();
  });

  it('stores the permission catalog when it migrates, and seeds it idempotently and lists it', async () => {
    expect(await db.prisma.permission.count()).toBe(PERMISSION_CATALOG.length);
    await db.prisma.permission.deleteMany();
    expect(await cli('permissions', 'seed')).toMatchObject({
      status: 0,
      out: ['Permission catalog seeded: 11 added, 0 brought up to date.'],
    });
    expect((await cli('permissions', 'seed')).out).toEqual(['Permission catalog seeded: 0 added, 11 brought up to date.']);
    const stored = await db.prisma.permission.findMany({ orderBy: { sortOrder: 'asc' } });
    expect(stored.map((permission) => permission.name)).toEqual(PERMISSION_CATALOG.map((permission) => permission.name));
    const listed = await cli('permissions', 'list', '--json');
    expect(JSON.parse(listed.out.join('\n'))).toHaveLength(11);
  });

  it("runs a job by hand and shows each job's last run and the parked messages", async () => {
    expect((await cli('jobs', 'status')).out[1]).toBe('  never run');
    const ran = await cli('jobs', 'run', 'time-limits');
    expect(ran.status).toBe(0);
    expect(ran.out[0]).toMatch(/^time-limits ran in \d+ ms: warned 0, digests 0, expired 0, removed 0, invitationsExpired 0\.$/);
    await db.prisma.outboxMessage.create({
      data: { kind: 'home.refresh', payload: '{"kind":"home.refresh","userId":"U1"}', status: 'FAILED', attempts: 10 },
    });
    const status = await cli('jobs', 'status');
    expect(status.out[1]).toMatch(
      /^ {2}last run .* \(tick manual:.*\) on .*: succeeded in \d+ ms, \{"warned":0,"digests":0,"expired":0,"removed":0,"invitationsExpired":0\}$/,
    );
    expect(status.out.at(-1)).toBe('Outbox: 0 waiting, 1 parked as failed after repeated attempts.');
    expect(JSON.parse((await cli('jobs', 'status', '--json')).out.join('\n'))).toMatchObject({
      parkedMessages: 1,
      jobs: [{ job: 'time-limits' }, { job: 'requests' }, { job: 'log-anchor' }],
    });
    expect(await cli('jobs', 'run', 'nope')).toMatchObject({
      status: 1,
      err: ['gatehouse: unknown job "nope"; jobs: time-limits, requests, log-anchor'],
    });

    // An operator sees why a message was parked and sends it round again.
    await db.prisma.outboxMessage.updateMany({ data: { lastError: 'channel_not_found' } });
    expect((await cli('outbox', 'failed')).out[0]).toMatch(/^#\d+ home\.refresh \(10 attempts, queued .*\): channel_not_found$/);
    expect(await cli('outbox', 'retry')).toMatchObject({ status: 1, err: ['gatehouse: give the ids of parked messages, or --all'] });
    expect(await cli('outbox', 'retry', 'x')).toMatchObject({ status: 1 });
    expect((await cli('outbox', 'retry', '--all')).out).toEqual([
      '1 message(s) will be delivered again; a running server picks them up within seconds.',
    ]);
    expect(await db.prisma.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect((await cli('outbox', 'failed')).out).toEqual(['No messages are parked.']);
    await db.prisma.outboxMessage.deleteMany();
  });

  it('creates an organization, sets its channels, and adds and removes an Administrator', async () => {
    const created = await cli(
      'org',
      'create',
      '--name',
      'City of Redlands',
      '--customer-number',
      '100200',
      '--acronym',
      'COR',
      '--city',
      'Redlands',
      '--country',
      'US',
      '--time-zone',
      'America/Los_Angeles',
    );
    expect(created).toMatchObject({ status: 0, err: [] });
    expect(await cli('org', 'channels', '100200', '--admin-channel', 'C0ADMINS', '--audit-channel', 'C0AUDIT')).toMatchObject({
      status: 0,
    });
    expect(await cli('admin', 'add', '100200', 'U0ADA', '--name', 'Ada Lovelace', '--email', 'Ada@Example.com')).toMatchObject({
      status: 0,
      out: ['U0ADA is now an Administrator of City of Redlands.'],
    });

    const listed = JSON.parse((await cli('org', 'list', '--json')).out.join('\n')) as unknown[];
    expect(listed).toEqual([
      expect.objectContaining({
        name: 'City of Redlands',
        customerNumber: '100200',
        timeZone: 'America/Los_Angeles',
        adminChannelId: 'C0ADMINS',
        auditChannelId: 'C0AUDIT',
        administrators: ['U0ADA'],
      }),
    ]);
    const member = await db.prisma.member.findUniqueOrThrow({ where: { slackUserId: 'U0ADA' } });
    expect(member).toMatchObject({ displayName: 'Ada Lovelace', email: 'ada@example.com' });

    // The only Administrator stays until another is added.
    expect(await cli('admin', 'remove', '100200', 'U0ADA')).toMatchObject({ status: 1 });
    expect(await cli('admin', 'add', '100200', 'U0CAROL')).toMatchObject({ status: 0 });
    expect(await cli('admin', 'remove', '100200', 'U0ADA')).toMatchObject({ status: 0 });
    expect(JSON.parse((await cli('org', 'list', '--json')).out.join('\n'))[0].administrators).toEqual(['U0CAROL']);

    const log = await db.prisma.permissionLogEntry.findMany({ orderBy: { id: 'asc' } });
    expect(log.map((entry) => entry.action)).toEqual([
      'organization.created',
      'organization.channels_changed',
      'connection.created',
      'connection.created',
      'connection.permissions_changed',
    ]);
    expect(log[4]).toMatchObject({
      actorLabel: 'operator',
      subjectMemberId: member.id,
      before: expect.objectContaining({ permissions: ['administrator'] }),
      after: expect.objectContaining({ permissions: [] }),
    });
  });

  it.each([
    [['org', 'create', '--name', 'No Number'], '--customer-number is required'],
    [['org', 'create', '--name', 'Dup', '--customer-number', '100200'], 'customer number 100200 already belongs to City of Redlands'],
    [['org', 'create', '--name', 'Bad Zone', '--customer-number', '9', '--time-zone', 'Mars/Olympus'], 'is not a time zone'],
    [['org', 'create', '--name', 'Bad Flag', '--customer-number', '9', '--colour', 'red'], "Unknown option '--colour'"],
    [['org', 'create', '--name', '   ', '--customer-number', '9'], '--name must not be empty'],
    [['org', 'channels', '100200', '--admin-channel', '#admins'], 'a Slack channel id looks like C0123ABCD'],
    [['org', 'channels', '100200'], 'give --admin-channel, --audit-channel or both'],
    [['org', 'channels', '424242', '--admin-channel', 'C0NEW'], 'no organization has customer number 424242'],
    [['admin', 'add', '100200', 'ada'], 'a Slack user id looks like U0123ABCD'],
    [['admin', 'add', '100200'], 'expected 2 arguments, got 1'],
    [['admin', 'add', '424242', 'U0BOB'], 'no organization has customer number 424242'],
    [['admin', 'add', '100200', 'U0BOB', '--email', 'bob-at-example'], '--email must be an email address'],
    [['admin', 'remove', '100200', 'U0NOBODY'], 'U0NOBODY is not an Administrator of City of Redlands'],
    [['org', 'frobnicate'], 'unknown command "org frobnicate"'],
    [['log', 'verify', '--org', '100200', '--anchor', 'latest'], '--anchor must be SEQUENCE:HASH, as posted to the audit channel'],
    [['log', 'verify', '--anchor', `1:${'a'.repeat(64)}`], '--anchor needs --org'],
    [['log', 'verify', '--org', '424242'], 'no organization has customer number 424242'],
    [['log', 'verify', 'everything'], 'unexpected argument everything'],
  ])('refuses %j with one line, exit status 1, and writes nothing', async (argv, reason) => {
    const before = await everyRowCount();
    const result = await cli(...argv);
    expect(result.status).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(reason);
    expect(result.err[0]).toMatch(/^gatehouse: /);
    expect(await everyRowCount()).toEqual(before);
  });

  it('refuses an Administrator who already is one, without a second log entry', async () => {
    expect((await cli('admin', 'add', '100200', 'U0BOB')).status).toBe(0);
    const before = await everyRowCount();
    expect(await cli('admin', 'add', '100200', 'U0BOB')).toMatchObject({
      status: 1,
      err: ['gatehouse: U0BOB is already an Administrator of City of Redlands'],
    });
    expect(await everyRowCount()).toEqual(before);
  });

  it('verifies the permissions log, of every organization or one, against a posted anchor, and names a broken entry', async () => {
    const entries = await db.prisma.permissionLogEntry.count();
    const chains = (await db.prisma.permissionLogEntry.findMany({ distinct: ['chain'], select: { chain: true } })).length;
    expect(await cli('log', 'verify')).toEqual({
      status: 0,
      out: [`The permissions log is whole: ${entries} entries in ${chains} chain(s).`],
      err: [],
    });
    const organization = await db.prisma.organization.findUniqueOrThrow({ where: { customerNumber: '100200' } });
    const own = await db.prisma.permissionLogEntry.findMany({ where: { chain: organization.id }, orderBy: { sequence: 'asc' } });
    const head = own.at(-1)!;
    const one = await cli('log', 'verify', '--org', '100200');
    expect(one).toEqual({
      status: 0,
      out: [`The permissions log of City of Redlands (100200) is whole: ${own.length} entries, head ${head.sequence}:${head.hash}.`],
      err: [],
    });
    expect((await cli('log', 'verify', '--org', '100200', '--anchor', `2:${own[1]!.hash}`)).out).toEqual([
      `The permissions log of City of Redlands (100200) is whole: ${own.length} entries, head ${head.sequence}:${head.hash}; entry 2 matches the anchor.`,
    ]);
    expect(await cli('log', 'verify', '--org', '100200', '--anchor', `2:${own[0]!.hash}`)).toEqual({
      status: 1,
      out: [],
      err: [
        `gatehouse: the permissions log is broken: entry 2 (id ${own[1]!.id}) of City of Redlands (100200): its hash is not the posted anchor's.`,
      ],
    });
    expect((await cli('log', 'verify', '--org', '100200', '--anchor', `${own.length + 1}:${head.hash}`)).err).toEqual([
      `gatehouse: the permissions log is broken: entry ${own.length + 1} of City of Redlands (100200): the chain ends before the posted anchor (entries were removed from its end).`,
    ]);

    // Someone with the database's keys turns the triggers off and rewrites an entry: it stays changed.
    if (kind === 'postgresql') await db.prisma.$executeRawUnsafe('ALTER TABLE "PermissionLogEntry" DISABLE TRIGGER USER');
    else await db.prisma.$executeRawUnsafe('DROP TRIGGER "PermissionLogEntry_no_update"');
    await db.prisma.$executeRawUnsafe(`UPDATE "PermissionLogEntry" SET "note" = 'rewritten' WHERE "id" = ${own[1]!.id}`);
    for (const argv of [
      ['log', 'verify'],
      ['log', 'verify', '--org', '100200'],
    ]) {
      expect(await cli(...argv)).toEqual({
        status: 1,
        out: [],
        err: [
          `gatehouse: the permissions log is broken: entry 2 (id ${own[1]!.id}) of City of Redlands (100200): its content does not match its hash (changed after it was written).`,
        ],
      });
    }
  });
});

describe('the installed gatehouse command', () => {
  it('exits 1 with a one-line reason on bad input', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli/gatehouse.ts'), 'org', 'create', '--name', 'X'],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: { PATH: process.env.PATH, DATABASE_URL: 'file::memory:' },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['gatehouse: --customer-number is required']);
  });
});

describe.each(DATABASE_KINDS)('the gatehouse CLI on a fresh %s database', (kind) => {
  it('adds an Administrator without anyone seeding the permission catalog first', async () => {
    const empty = await createEmptyDatabase(kind);
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const status = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { DATABASE_URL: empty.url });
      return { status, out, err };
    };
    try {
      expect((await run('db', 'migrate')).status).toBe(0);
      expect((await run('org', 'create', '--name', 'Fresh Town', '--customer-number', '300300')).status).toBe(0);
      expect(await run('admin', 'add', '300300', 'U0FRESH')).toMatchObject({
        status: 0,
        err: [],
        out: ['U0FRESH is now an Administrator of Fresh Town.'],
      });
      const db = await openDatabase(empty.target);
      try {
        expect(await db.prisma.permission.count()).toBe(PERMISSION_CATALOG.length);
        expect(await db.prisma.connectionPermission.count({ where: { permissionKey: 'administrator' } })).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      await empty.drop();
    }
  });
});

describe('the gatehouse CLI when the database is not there', () => {
  const run = async (databaseUrl: string, ...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line) }, { DATABASE_URL: databaseUrl });
    return { status, out, err };
  };

  it.each([
    ['org', 'list'],
    ['db', 'migrate'],
  ])('names an unreachable PostgreSQL server by host and port (%s %s)', async (...argv) => {
    const result = await run('postgresql://gatehouse:secret@127.0.0.1:1/gatehouse', ...argv);
    expect(result).toMatchObject({ status: 2, out: [] });
    expect(result.err).toEqual([
      'gatehouse: cannot reach the PostgreSQL server at 127.0.0.1:1; check that it is running and that DATABASE_URL names the right host and port.',
    ]);
  });

  it('says an SQLite file cannot be opened where DATABASE_URL puts it', async () => {
    const notAFolder = path.join(mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-')), 'plain-file');
    writeFileSync(notAFolder, '');
    const result = await run(`file:${notAFolder}/gatehouse.db`, 'org', 'list');
    expect(result).toMatchObject({ status: 2, out: [] });
    expect(result.err).toEqual([
      `gatehouse: cannot open the SQLite database at ${notAFolder}/gatehouse.db (EEXIST); check that DATABASE_URL names a file in a folder Gatehouse can write.`,
    ]);
  });

  it('says the database does not exist', async () => {
    const result = await run(`postgresql://postgres@127.0.0.1:${inject('postgresPort')}/no_such_database`, 'org', 'list');
    expect(result).toMatchObject({ status: 2, out: [] });
    expect(result.err).toEqual([
      `gatehouse: the PostgreSQL server at 127.0.0.1:${inject('postgresPort')} has no database "no_such_database"; create it, then run \`gatehouse db migrate\`.`,
    ]);
  });

  it('says the server refused the user', async () => {
    const result = await run(`postgresql://nobody_here:pw@127.0.0.1:${inject('postgresPort')}/postgres`, 'org', 'list');
    expect(result).toMatchObject({ status: 2, out: [] });
    expect(result.err).toEqual([
      `gatehouse: the PostgreSQL server at 127.0.0.1:${inject('postgresPort')} refused user "nobody_here": role "nobody_here" does not exist.`,
    ]);
  });

  it('says a PostgreSQL database that was never migrated is not migrated, and how to fix it', async () => {
    const empty = await createEmptyDatabase('postgresql');
    try {
      const result = await run(empty.url, 'org', 'list');
      expect(result).toMatchObject({ status: 2, out: [] });
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(
        /^gatehouse: the database is not migrated: \d+ migration\(s\) missing \(.+\); run `gatehouse db migrate` \(or `npm run db:migrate`\) with this DATABASE_URL\.$/,
      );
    } finally {
      await empty.drop();
    }
  });
});

describe('the installed gatehouse command run from a subdirectory', () => {
  it('finds a relative SQLite path from the project root, not from where it was run', () => {
    const name = `cli-subdirectory-${randomBytes(4).toString('hex')}.db`;
    const subdirectory = path.join(PROJECT_ROOT, 'src', 'cli');
    const files = ['', '-wal', '-shm'].map((suffix) => path.join(PROJECT_ROOT, 'data', `${name}${suffix}`));
    try {
      const result = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(PROJECT_ROOT, 'src/cli/gatehouse.ts'),
          'org',
          'create',
          '--name',
          'Sub Dir',
          '--customer-number',
          '400400',
        ],
        {
          cwd: subdirectory,
          encoding: 'utf8',
          timeout: 60_000,
          env: { PATH: process.env.PATH, DATABASE_URL: `file:./data/${name}` },
        },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(existsSync(files[0]!)).toBe(true);
      expect(existsSync(path.join(subdirectory, 'data', name))).toBe(false);
    } finally {
      for (const file of files) rmSync(file, { force: true });
      rmSync(path.join(subdirectory, 'data', name), { force: true });
    }
  });
});
