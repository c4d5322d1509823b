import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { openDatabase } from '../../src/db/client.js';
import { endOfDayIn, calendarDateIn } from '../../src/domain/dates.js';
import { createEmptyDatabase, DATABASE_KINDS, type EmptyDatabase } from '../support/databases.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(DATABASE_KINDS)('`gatehouse jobs run` on %s', (kind) => {
  let empty: EmptyDatabase;
  afterEach(async () => {
    await empty.drop();
  });

  it('runs with the configured warning days and operators, as the server does', async () => {
    empty = await createEmptyDatabase(kind);
    const env = { DATABASE_URL: empty.url, OPERATOR_USER_IDS: 'U0OPS', EXPIRY_WARNING_DAYS: '5' };
    const cli = (...argv: string[]) => runCli(argv, { out: () => {}, err: () => {} }, env);
    expect(await cli('db', 'migrate')).toBe(0);
    expect(await cli('org', 'create', '--name', 'City of Redlands', '--customer-number', '100200')).toBe(0);
    expect(await cli('admin', 'add', '100200', 'U0ADA', '--name', 'Ada Lovelace')).toBe(0);

    const database = await openDatabase(empty.target);
    try {
      // Ada, the only Administrator, has access for five more days: inside the configured lead, not the default 14/7/1.
      const endsOn = calendarDateIn(new Date(Date.now() + 4 * DAY_MS), 'UTC');
      await database.prisma.connection.updateMany({ data: { endsOn, endsAt: endOfDayIn(endsOn, 'UTC') } });
      expect(await cli('jobs', 'run', 'time-limits')).toBe(0);

      const queued = (await database.prisma.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map(
        (row) => JSON.parse(row.payload) as { kind: string; userId?: string; leadDays?: number },
      );
      expect(queued.filter((item) => item.kind === 'connection.warning')).toEqual([
        expect.objectContaining({ userId: 'U0ADA', leadDays: 5 }),
      ]);
      expect(
        queued
          .filter((item) => item.kind === 'administrators.ending')
          .map((item) => [item.userId, item.leadDays])
          .sort(),
      ).toEqual([
        ['U0ADA', 5],
        ['U0OPS', 5],
      ]);
    } finally {
      await database.close();
    }
  });

  it('refuses a bad job setting with exit 1 before it opens the database', async () => {
    empty = await createEmptyDatabase(kind);
    const err: string[] = [];
    const status = await runCli(
      ['jobs', 'run', 'time-limits'],
      { out: () => {}, err: (line) => err.push(line) },
      { DATABASE_URL: empty.url, EXPIRY_WARNING_DAYS: 'soon' },
    );
    expect(status).toBe(1);
    expect(err.join('\n')).toMatch(/EXPIRY_WARNING_DAYS/);
  });
});
