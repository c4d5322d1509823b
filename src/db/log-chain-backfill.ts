/**
 * Chains the permissions log entries written before the hash chain existed. The chain's migration
 * added its columns empty (every old entry in chain 0, without a sequence number or hash); this
 * gives each one its organization's chain, the next sequence number in createdAt, id order, the
 * previous entry's hash and its own, and the derived columns the log's filters read. The
 * append-only triggers allow exactly that: an entry without a hash may be given its chain columns.
 *
 * Run by `db migrate` after the SQL migrations, and again at every start-up, so an interrupted run
 * is finished by the next; with nothing left to chain it costs one indexed read.
 */
import { chainOf, entryHash, GENESIS_HASH, NO_ORGANIZATION_CHAIN, type ChainHead } from '../domain/log-chain.js';
import { LOCK, lockKeys } from './locks.js';
import { derivedColumns } from './permission-log.js';
import { preparedStatement, type Sql, type SqlDatabase } from './sql.js';

/** Entries chained per transaction: each holds the chain's lock only that long, and memory stays flat. */
const BATCH_SIZE = 1000;

/** Chains every entry that has no place in a chain yet; returns how many it chained. */
export async function backfillLogChain(database: SqlDatabase, options: { batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const organizations = await database.rows(unchainedOrganizationsStatement(database, { chain: NO_ORGANIZATION_CHAIN }));
  let chained = 0;
  for (const { organizationId } of organizations) {
    for (;;) {
      const count = await database.transaction((sql) => chainBatch(sql, organizationId, batchSize));
      chained += count;
      if (count < batchSize) break;
    }
  }
  return chained;
}

/** Chains the organization's next oldest unchained entries after its chain's head, under the chain's lock. */
async function chainBatch(sql: Sql, organizationId: number | null, batchSize: number): Promise<number> {
  const chain = chainOf(organizationId);
  await lockKeys(sql, LOCK.logChain(chain));
  const [last] = await sql.rows(headStatement(sql, { chain }));
  let head: ChainHead | null = last && last.sequence !== null && last.hash !== null ? { sequence: last.sequence, hash: last.hash } : null;
  const entries =
    organizationId === null
      ? await sql.rows(unchainedOfNoOrganizationStatement(sql, { chain: NO_ORGANIZATION_CHAIN, limit: batchSize }))
      : await sql.rows(unchainedOfOrganizationStatement(sql, { chain: NO_ORGANIZATION_CHAIN, organizationId, limit: batchSize }));
  for (const entry of entries) {
    const content = {
      ...entry,
      chain,
      sequence: (head?.sequence ?? 0) + 1,
      previousHash: head?.hash ?? GENESIS_HASH,
      before: entry.before ?? null,
      after: entry.after ?? null,
    };
    const hash = entryHash(content);
    const changed = await sql.execute(
      chainEntryStatement(sql, {
        id: entry.id,
        chain,
        sequence: content.sequence,
        previousHash: content.previousHash,
        hash,
        ...derivedColumns(entry.action, content.before, content.after),
      }),
    );
    // Under the chain's lock nobody else chains it; an entry gone or chained is a database being tampered with.
    if (changed !== 1) throw new Error(`Chaining permissions log entry ${entry.id} changed ${changed} rows.`);
    head = { sequence: content.sequence, hash };
  }
  return entries.length;
}

/** The organizations with unchained entries: every old entry waits in chain 0, the column's default. */
const unchainedOrganizationsStatement = preparedStatement((build, args: { chain: number }) =>
  build.selectFrom('PermissionLogEntry').select('organizationId').distinct().where('chain', '=', args.chain).where('sequence', 'is', null),
);

const headStatement = preparedStatement((build, args: { chain: number }) =>
  build
    .selectFrom('PermissionLogEntry')
    .select(['sequence', 'hash'])
    .where('chain', '=', args.chain)
    .where('sequence', 'is not', null)
    .orderBy('sequence', 'desc')
    .limit(1),
);

const UNCHAINED_COLUMNS = [
  'id',
  'organizationId',
  'actorId',
  'actorLabel',
  'subjectMemberId',
  'subjectEmail',
  'action',
  'before',
  'after',
  'note',
  'createdAt',
] as const;

const unchainedOfOrganizationStatement = preparedStatement((build, args: { chain: number; organizationId: number; limit: number }) =>
  build
    .selectFrom('PermissionLogEntry')
    .select(UNCHAINED_COLUMNS)
    .where('chain', '=', args.chain)
    .where('sequence', 'is', null)
    .where('organizationId', '=', args.organizationId)
    .orderBy('createdAt')
    .orderBy('id')
    .limit(args.limit),
);

const unchainedOfNoOrganizationStatement = preparedStatement((build, args: { chain: number; limit: number }) =>
  build
    .selectFrom('PermissionLogEntry')
    .select(UNCHAINED_COLUMNS)
    .where('chain', '=', args.chain)
    .where('sequence', 'is', null)
    .where('organizationId', 'is', null)
    .orderBy('createdAt')
    .orderBy('id')
    .limit(args.limit),
);

const chainEntryStatement = preparedStatement(
  (
    build,
    args: { id: number; chain: number; sequence: number; previousHash: string; hash: string; permissionKeys: string; aboutCaller: boolean },
  ) =>
    build
      .updateTable('PermissionLogEntry')
      .set({
        chain: args.chain,
        sequence: args.sequence,
        previousHash: args.previousHash,
        hash: args.hash,
        permissionKeys: args.permissionKeys,
        aboutCaller: args.aboutCaller,
      })
      .where('id', '=', args.id)
      .where('hash', 'is', null),
);
