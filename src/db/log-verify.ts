/**
 * `log verify`: reads the permissions log back and hands each chain, in sequence order, to the pure
 * verifier (src/domain/log-verify.ts). One chain is read in keyset batches on the (chain, sequence)
 * index; the whole log in keyset batches by id, front to back. Either way memory stays flat however
 * long the log is.
 */
import { sql as raw } from 'kysely';
import { chainOf, type ChainHead } from '../domain/log-chain.js';
import { ChainVerifier, type ChainBreak, type ChainVerdict, type StoredEntry } from '../domain/log-verify.js';
import { preparedStatement, sqlOf, type Sql, type SqlTarget } from './sql.js';

/** Entries per read: a round trip is cheap next to hashing them, and a small batch dies young, so the garbage collector keeps up. */
const BATCH_SIZE = 1000;

export interface LogVerification {
  /** Entries checked in whole chains (a broken chain's are not counted). */
  entries: number;
  chains: number;
  /** The first chain's first break, or null when every chain is whole. */
  broken: ChainBreak | null;
  /** Each whole chain's head, by chain. */
  heads: Map<number, ChainHead | null>;
}

/**
 * Verifies the given chains, in chain order, stopping at the first broken one; or, when `chains` is
 * omitted, every chain in the log, naming the broken chain with the lowest number. An anchor
 * checks the one chain it is given for.
 */
export async function verifyLogChains(
  target: SqlTarget,
  options: {
    chains?: readonly number[];
    anchor?: ChainHead | null;
    batchSize?: number;
    /** How many entries of a chain the whole-log walk holds back before walking that chain alone (for tests). */
    heldBackLimit?: number;
  } = {},
): Promise<LogVerification> {
  const sql = sqlOf(target);
  const batchSize = options.batchSize ?? BATCH_SIZE;
  if (!options.chains) {
    if (options.anchor) throw new Error('An anchor is the head of one chain; name the chain it belongs to.');
    return verifyEveryChain(sql, batchSize, options.heldBackLimit ?? HELD_BACK_LIMIT);
  }
  const result: LogVerification = { entries: 0, chains: 0, broken: null, heads: new Map() };
  for (const chain of options.chains) {
    const verdict = await verifyOneChain(sql, chain, options.anchor ?? null, batchSize);
    result.chains += 1;
    if (!verdict.whole) {
      const { whole: _whole, ...broken } = verdict;
      result.broken = broken;
      break;
    }
    result.entries += verdict.count;
    result.heads.set(chain, verdict.head);
  }
  return result;
}

/**
 * Entries of one chain read ahead of their turn that the whole-log walk holds back. Past this, the
 * chain is walked again on its own, in sequence order, so memory stays flat whatever was done to it.
 */
const HELD_BACK_LIMIT = 20_000;

interface ChainWalk {
  verifier: ChainVerifier;
  /** The sequence number the chain needs next. */
  next: number;
  /** Entries that came before their turn, by sequence number (more than one only when numbers repeat). */
  heldBack: Map<number, BatchRow[]>;
  heldBackCount: number;
  broken: boolean;
  /** Too much out of order: walked again on its own once the table is read. */
  walkAlone: boolean;
}

/**
 * Every chain at once, reading the table in id order: rows lie on disk in the order they were
 * written, so the table is read once, front to back, instead of once per chain by index. Within a
 * chain, ids follow sequence numbers (appends are serialized by the chain's lock); the few that do
 * not (entries chained by the backfill) are held back until their turn.
 */
async function verifyEveryChain(sql: Sql, batchSize: number, heldBackLimit: number): Promise<LogVerification> {
  const walks = new Map<number, ChainWalk>();
  const unchained = new Map<number, number>();
  const walkOf = (chain: number): ChainWalk => {
    let walk = walks.get(chain);
    if (!walk) {
      walk = { verifier: new ChainVerifier(chain), next: 1, heldBack: new Map(), heldBackCount: 0, broken: false, walkAlone: false };
      walks.set(chain, walk);
    }
    return walk;
  };
  const check = (walk: ChainWalk, row: BatchRow) => {
    if (walk.verifier.add(storedEntry(row))) walk.broken = true;
    else walk.next = row.sequence! + 1;
  };
  let after = 0;
  for (;;) {
    const rows = await sql.rows(tableBatchStatement(sql, { after, limit: batchSize }));
    for (const row of rows) {
      if (row.sequence === null) {
        const chain = chainOf(row.organizationId);
        if (!unchained.has(chain)) unchained.set(chain, row.id);
        walkOf(chain);
        continue;
      }
      const walk = walkOf(row.chain);
      if (walk.broken || walk.walkAlone) continue;
      if (row.sequence > walk.next) {
        walk.heldBack.set(row.sequence, [...(walk.heldBack.get(row.sequence) ?? []), row]);
        walk.heldBackCount += 1;
        if (walk.heldBackCount > heldBackLimit) Object.assign(walk, { walkAlone: true, heldBack: new Map(), heldBackCount: 0 });
        continue;
      }
      check(walk, row);
      for (let waiting = walk.heldBack.get(walk.next); waiting && !walk.broken; waiting = walk.heldBack.get(walk.next)) {
        walk.heldBack.delete(walk.next);
        walk.heldBackCount -= waiting.length;
        for (const held of waiting) if (!walk.broken) check(walk, held);
      }
    }
    if (rows.length < batchSize) break;
    after = rows.at(-1)!.id;
  }

  const result: LogVerification = { entries: 0, chains: 0, broken: null, heads: new Map() };
  for (const chain of [...walks.keys()].sort((a, b) => a - b)) {
    const walk = walks.get(chain)!;
    let verdict: ChainVerdict;
    if (walk.walkAlone) verdict = await verifyOneChain(sql, chain, null, batchSize);
    else {
      // Still held back at the end: the entry they wait for is missing, which the first of them shows.
      const first = Math.min(...walk.heldBack.keys());
      if (!walk.broken && Number.isFinite(first)) check(walk, walk.heldBack.get(first)![0]!);
      const stray = unchained.get(chain);
      if (stray !== undefined) walk.verifier.addUnchained(stray);
      verdict = walk.verifier.finish();
    }
    result.chains += 1;
    if (!verdict.whole) {
      const { whole: _whole, ...broken } = verdict;
      result.broken ??= broken;
      continue;
    }
    result.entries += verdict.count;
    result.heads.set(chain, verdict.head);
  }
  return result;
}

async function verifyOneChain(sql: Sql, chain: number, anchor: ChainHead | null, batchSize: number): Promise<ChainVerdict> {
  const verifier = new ChainVerifier(chain, anchor);
  // From the last sequence number read, inclusive, so that a second entry with that number (only
  // possible once someone dropped the unique index) is not stepped over between batches.
  let from = 0;
  let seenAtFrom = new Set<number>();
  for (;;) {
    const rows = await sql.rows(chainBatchStatement(sql, { chain, from, limit: batchSize }));
    let fresh = 0;
    for (const row of rows) {
      if (row.sequence === from && seenAtFrom.has(row.id)) continue;
      fresh += 1;
      if (verifier.add(storedEntry(row))) return verifier.finish();
    }
    if (fresh === 0 || rows.length < batchSize) break;
    const last = rows.at(-1)!.sequence!;
    seenAtFrom = new Set(rows.filter((row) => row.sequence === last).map((row) => row.id));
    if (last === from) seenAtFrom = new Set([...seenAtFrom, ...rows.map((row) => row.id)]);
    from = last;
  }
  const [unchained] = await sql.rows(unchainedStatement(sql, { chain }));
  if (unchained) verifier.addUnchained(unchained.id);
  return verifier.finish();
}

interface BatchRow {
  id: number;
  chain: number;
  sequence: number | null;
  previousHash: string | null;
  hash: string | null;
  organizationId: number | null;
  actorId: number | null;
  actorLabel: string | null;
  subjectMemberId: number | null;
  subjectEmail: string | null;
  action: string;
  before: unknown;
  after: unknown;
  note: string | null;
  createdAt: Date;
  /** On SQLite, the snapshots as stored, instead of before and after. */
  beforeText?: string | null;
  afterText?: string | null;
  snapshotText?: StoredEntry['snapshotText'];
}

/** A row read with a sequence number is a stored entry as it is; narrowed rather than copied, a million times over. */
function storedEntry(row: BatchRow): StoredEntry {
  if (!isNumbered(row)) throw new Error(`Permissions log entry ${row.id} has no sequence number to verify at.`);
  if (row.beforeText !== undefined) row.snapshotText = { before: row.beforeText, after: row.afterText ?? null };
  return row;
}

function isNumbered(row: BatchRow): row is BatchRow & { sequence: number } {
  return row.sequence !== null;
}

const VERIFIED_COLUMNS = [
  'id',
  'chain',
  'sequence',
  'previousHash',
  'hash',
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

/** The columns but the snapshots, which SQLite gives as their stored text (SNAPSHOT_TEXT) to be hashed as they are. */
const TEXT_VERIFIED_COLUMNS = VERIFIED_COLUMNS.filter(
  (column): column is Exclude<(typeof VERIFIED_COLUMNS)[number], 'before' | 'after'> => column !== 'before' && column !== 'after',
);

// A cast has no declared type, so the driver hands the text over as it is rather than parsing it as JSON.
const SNAPSHOT_TEXT = [
  raw<string | null>`cast("before" as text)`.as('beforeText'),
  raw<string | null>`cast("after" as text)`.as('afterText'),
] as const;

const chainBatchStatements = {
  postgres: preparedStatement((build, args: { chain: number; from: number; limit: number }) =>
    build
      .selectFrom('PermissionLogEntry')
      .select(VERIFIED_COLUMNS)
      .where('chain', '=', args.chain)
      .where('sequence', '>=', args.from)
      .orderBy('sequence')
      .limit(args.limit),
  ),
  sqlite: preparedStatement((build, args: { chain: number; from: number; limit: number }) =>
    build
      .selectFrom('PermissionLogEntry')
      .select([...TEXT_VERIFIED_COLUMNS, ...SNAPSHOT_TEXT])
      .where('chain', '=', args.chain)
      .where('sequence', '>=', args.from)
      .orderBy('sequence')
      .limit(args.limit),
  ),
};

const tableBatchStatements = {
  postgres: preparedStatement((build, args: { after: number; limit: number }) =>
    build.selectFrom('PermissionLogEntry').select(VERIFIED_COLUMNS).where('id', '>', args.after).orderBy('id').limit(args.limit),
  ),
  sqlite: preparedStatement((build, args: { after: number; limit: number }) =>
    build
      .selectFrom('PermissionLogEntry')
      .select([...TEXT_VERIFIED_COLUMNS, ...SNAPSHOT_TEXT])
      .where('id', '>', args.after)
      .orderBy('id')
      .limit(args.limit),
  ),
};

const chainBatchStatement = (sql: Sql, args: { chain: number; from: number; limit: number }) =>
  chainBatchStatements[sql.provider](sql, args);
const tableBatchStatement = (sql: Sql, args: { after: number; limit: number }) => tableBatchStatements[sql.provider](sql, args);

/** An entry of the chain without a number: written around `appendLogEntry`, or never backfilled. */
const unchainedStatement = preparedStatement((build, args: { chain: number }) =>
  build
    .selectFrom('PermissionLogEntry')
    .select('id')
    .where('sequence', 'is', null)
    // Also by organization: a row put in by hand lands in chain 0, its column's default.
    .where((eb) => eb.or([eb('chain', '=', args.chain), eb('organizationId', '=', args.chain)]))
    .orderBy('id')
    .limit(1),
);
