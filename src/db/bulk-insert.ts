import type { Insertable } from 'kysely';
import type { DB } from './query-builder.js';
import { sqlOf, type SqlTarget } from './sql.js';

/**
 * Rows per INSERT statement. SQLite allows 32,766 parameters per statement and PostgreSQL 65,535;
 * the widest table written here has 16 columns, so this stays well clear of both.
 */
const ROWS_PER_STATEMENT = 200;

/**
 * Inserts many rows with one statement per chunk, in the caller's transaction. Every row must name
 * the same columns: SQLite has no DEFAULT inside VALUES for a column one row leaves out.
 */
export async function insertRows<Table extends keyof DB>(
  target: SqlTarget,
  table: Table,
  rows: ReadonlyArray<Insertable<DB[Table]>>,
): Promise<void> {
  const sql = sqlOf(target);
  await insertInChunks(rows, async (chunk) => {
    await sql.execute(sql.build.insertInto(table).values(chunk));
    return [];
  });
}

/**
 * Runs `insert` on the rows a chunk at a time and collects what each chunk returns, for inserts
 * that need RETURNING (built at the call site, where Kysely knows the table). Neither database
 * promises RETURNING rows in VALUES order, so callers match them by a key column.
 */
export async function insertInChunks<Row, Returned>(
  rows: readonly Row[],
  insert: (chunk: Row[]) => Promise<Returned[]>,
): Promise<Returned[]> {
  const returned: Returned[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT)
    returned.push(...(await insert(rows.slice(start, start + ROWS_PER_STATEMENT))));
  return returned;
}
