import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { insertMemberIfAbsent } from '../../src/db/member-writes.js';
import { preparedStatement, sqlOf, type SqlDatabase } from '../../src/db/sql.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DATABASE_KINDS)('hand-written SQL on %s', (kind) => {
  let database: TestDatabase;
  let prisma: Db;
  let sql: SqlDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    prisma = database.database.prisma;
    sql = database.database.sql;
  });
  afterAll(async () => {
    await database.drop();
  });

  it('returns rows typed exactly as they come through Prisma: dates, JSON, text, nulls and 64-bit counts', async () => {
    const organization = await prisma.organization.create({ data: { name: 'Typed', customerNumber: '800001', searchText: 'typed' } });
    const member = await prisma.member.create({ data: { slackUserId: 'UTYPED0001', displayName: 'Tia' } });
    await prisma.connection.create({
      data: {
        organizationId: organization.id,
        memberId: member.id,
        tags: ['north', 'field'],
        endsOn: '2027-03-01',
        endsAt: new Date('2027-03-02T07:59:59.999Z'),
      },
    });
    const statement = sql.build
      .selectFrom('Connection as c')
      .innerJoin('Member as m', 'm.id', 'c.memberId')
      .selectAll('c')
      .select(['m.displayName', 'm.email'])
      .select((eb) => eb.selectFrom('Connection').select(eb.fn.countAll().as('all')).as('connections'))
      .where('c.memberId', '=', member.id)
      .where('c.connectedAt', '<=', new Date(Date.now() + 60_000));

    const direct = await sql.rows(statement);
    const throughPrisma = await sqlOf(prisma).rows(statement);

    expect(direct).toEqual(throughPrisma);
    expect(direct[0]).toMatchObject({
      memberId: member.id,
      tags: ['north', 'field'],
      endsOn: '2027-03-01',
      email: null,
      startsAt: null,
      connections: 1n,
    });
    expect(direct[0]!.endsAt).toEqual(new Date('2027-03-02T07:59:59.999Z'));
  });

  it("runs a prepared statement with each run's own values, through the driver and through Prisma", async () => {
    const named = preparedStatement((build, args: { slackUserId: string; createdAfter: Date }) =>
      build
        .selectFrom('Member')
        .select(['slackUserId', 'displayName'])
        .where('slackUserId', '=', args.slackUserId)
        .where('createdAt', '>', args.createdAfter),
    );
    await insertMemberIfAbsent(sql, 'UPREPARED1', new Date('2026-03-01T00:00:00Z'));
    await insertMemberIfAbsent(sql, 'UPREPARED2', new Date('2026-03-02T00:00:00Z'));
    const before = new Date('2026-02-01T00:00:00Z');

    expect(await sql.rows(named(sql, { slackUserId: 'UPREPARED1', createdAfter: before }))).toEqual([
      { slackUserId: 'UPREPARED1', displayName: 'UPREPARED1' },
    ]);
    expect(await sqlOf(prisma).rows(named(sqlOf(prisma), { slackUserId: 'UPREPARED2', createdAfter: before }))).toEqual([
      { slackUserId: 'UPREPARED2', displayName: 'UPREPARED2' },
    ]);
    expect(await sql.rows(named(sql, { slackUserId: 'UPREPARED2', createdAfter: new Date('2026-03-03T00:00:00Z') }))).toEqual([]);
    expect(named(sql, { slackUserId: 'A', createdAfter: before }).compile().sql).toBe(
      named(sql, { slackUserId: 'B', createdAfter: before }).compile().sql,
    );
  });

  it('refuses a prepared statement whose shape depends on an argument', () => {
    const shaped = preparedStatement((build, args: { limited: boolean }) =>
      build
        .selectFrom('Member')
        .select('id')
        .$if(args.limited, (query) => query.limit(1)),
    );
    expect(() => shaped(sql, { limited: false })).toThrow(/uses its argument "limited" other than as a value/);
  });

  it('refuses to run a statement through Kysely itself, which would bypass the connection Prisma uses', async () => {
    await expect(sql.build.selectFrom('Member').select('id').execute()).rejects.toThrow(/sql\.rows or sql\.execute/);
  });

  it('stores dates and JSON so that Prisma reads back what was written, and compares dates in order', async () => {
    const at = new Date('2026-06-01T12:34:56.789Z');
    const inserted = await insertMemberIfAbsent(sql, 'UWRITTEN01', at);
    const again = await insertMemberIfAbsent(sql, 'UWRITTEN01', new Date());

    expect(again).toEqual(inserted);
    const read = await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'UWRITTEN01' } });
    expect(read).toMatchObject({ id: inserted.id, displayName: 'UWRITTEN01', language: 'en', createdAt: at, updatedAt: at });
    const createdAfter = (instant: Date) =>
      sql.rows(sql.build.selectFrom('Member').select('id').where('createdAt', '>', instant).where('slackUserId', '=', 'UWRITTEN01'));
    const later = await createdAfter(new Date('2026-06-01T12:34:56.788Z'));
    const earlier = await createdAfter(at);
    expect(later).toEqual([{ id: inserted.id }]);
    expect(earlier).toEqual([]);
  });

  it('commits a transaction when its work returns and rolls all of it back when the work throws', async () => {
    const count = async () => await prisma.member.count({ where: { slackUserId: { startsWith: 'UTXN' } } });
    await sql.transaction(async (tx) => {
      await insertMemberIfAbsent(tx, 'UTXN000001', new Date());
      await insertMemberIfAbsent(tx, 'UTXN000002', new Date());
    });
    expect(await count()).toBe(2);

    await expect(
      sql.transaction(async (tx) => {
        await insertMemberIfAbsent(tx, 'UTXN000003', new Date());
        expect(
          await tx.execute(tx.build.updateTable('Member').set({ displayName: 'Changed' }).where('slackUserId', '=', 'UTXN000001')),
        ).toBe(1);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await count()).toBe(2);
    expect((await prisma.member.findUniqueOrThrow({ where: { slackUserId: 'UTXN000001' } })).displayName).toBe('UTXN000001');
    // The connection (SQLite) or pool (PostgreSQL) is usable afterwards.
    await sql.transaction((tx) => insertMemberIfAbsent(tx, 'UTXN000004', new Date()));
    expect(await count()).toBe(3);
  });

  it('never sees half of a Prisma transaction that runs at the same time', async () => {
    const seen: number[] = [];
    const prismaWrites = prisma.$transaction(async (tx) => {
      await tx.member.create({ data: { slackUserId: 'UHALF00001', displayName: 'First half' } });
      await pause(100);
      await tx.member.create({ data: { slackUserId: 'UHALF00002', displayName: 'Second half' } });
    });
    await pause(20);
    const reads = Array.from({ length: 5 }, async (_, index) => {
      await pause(index * 30);
      await sql.transaction(async (tx) => {
        const [row] = await tx.rows(
          tx.build
            .selectFrom('Member')
            .select((eb) => eb.fn.countAll().as('halves'))
            .where('slackUserId', 'like', 'UHALF%'),
        );
        seen.push(Number(row!.halves));
      });
    });
    await Promise.all([prismaWrites, ...reads]);
    expect(seen).toHaveLength(5);
    expect(seen.every((halves) => halves === 0 || halves === 2)).toBe(true);
  });

  it('keeps a write made outside any transaction when a transaction open at that moment rolls back, and never shows its changes', async () => {
    await prisma.member.create({ data: { slackUserId: 'UOUTSIDE01', displayName: 'Before' } });
    // Its outcome is read at once: on a loaded machine it may fail before the reads below finish.
    const rolledBack = sql
      .transaction(async (tx) => {
        await insertMemberIfAbsent(tx, 'UROLLED001', new Date());
        await pause(80);
        throw new Error('this transaction fails');
      })
      .then(
        () => 'committed',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    await pause(20);
    // On SQLite both would otherwise run on the one connection, inside the open transaction.
    const readMeanwhile = await prisma.member.findUnique({ where: { slackUserId: 'UROLLED001' } });
    const changed = await prisma.$executeRaw`UPDATE "Member" SET "displayName" = 'Kept' WHERE "slackUserId" = 'UOUTSIDE01'`;

    expect(await rolledBack).toBe('this transaction fails');
    expect(readMeanwhile).toBeNull();
    expect(changed).toBe(1);
    expect(await prisma.member.findUnique({ where: { slackUserId: 'UOUTSIDE01' } })).toMatchObject({ displayName: 'Kept' });
    expect(await prisma.member.findUnique({ where: { slackUserId: 'UROLLED001' } })).toBeNull();
  });
});
