/**
 * `log verify`: reads each chain of the permissions log back in sequence order and hands it to the
 * pure verifier (src/domain/log-verify.ts). Chains are read in keyset batches on the (chain,
 * sequence) index, so memory stays flat however long the log is.
 */
import type { ChainHead } from '../domain/log-chain.js';
import { ChainVerifier, type ChainBreak, type ChainVerdict, type StoredEntry } from '../domain/log-verify.js';
import { preparedStatement, sqlOf, type Sql, type SqlTarget } from './sql.js';

/** Entries per read: large enough that a round trip is cheap next to hashing them, small enough to stay flat. */
const BATCH_SIZE = 5000;

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
 * Verifies the given chains (every chain in the log when `chains` is omitted), in chain order,
 * stopping at the first broken one. An anchor checks the one chain it is given for.
 */
export async function verifyLogChains(
  target: SqlTarget,
  options: { chains?: readonly number[]; anchor?: ChainHead | null; batchSize?: number } = {},
): Promise<LogVerification> {
  const sql = sqlOf(target);
  const chains = options.chains ?? (await sql.rows(chainsStatement(sql, {}))).map((row) => row.chain);
  const result: LogVerification = { entries: 0, chains: 0, broken: null, heads: new Map() };
  for (const chain of chains) {
    const verdict = await verifyOneChain(sql, chain, options.anchor ?? null, options.batchSize ?? BATCH_SIZE);
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
}

function storedEntry(row: BatchRow): StoredEntry {
  return { ...row, sequence: row.sequence!, before: row.before ?? null, after: row.after ?? null };
}

const chainsStatement = preparedStatement((build, _args: Record<string, never>) =>
  build.selectFrom('PermissionLogEntry').select('chain').distinct().orderBy('chain'),
);

const chainBatchStatement = preparedStatement((build, args: { chain: number; from: number; limit: number }) =>
  build
    .selectFrom('PermissionLogEntry')
    .select([
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
    ])
    .where('chain', '=', args.chain)
    .where('sequence', '>=', args.from)
    .orderBy('sequence')
    .limit(args.limit),
);

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
