import { Prisma } from './generated/sqlite/client.js';
import { sqlOf, type SqlTarget } from './sql.js';

/**
 * Rows per INSERT statement. SQLite allows 32,766 parameters per statement and PostgreSQL 65,535;
 * the widest table written here has 16 columns, so this stays well clear of both.
 */
const ROWS_PER_STATEMENT = 200;

type Value = string | number | boolean | Date | null;

/**
 * Inserts many rows with one statement per chunk, in the caller's transaction, and returns the
 * requested columns of each inserted row. Table and column names are the
 * caller's constants and never come from input.
 */
export async function insertRows<Returned extends Record<string, unknown> = Record<string, never>>(
  target: SqlTarget,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly Value[]>,
  returning: readonly (keyof Returned & string)[] = [],
): Promise<Returned[]> {
  const sql = sqlOf(target);
  const inserted: Returned[] = [];
  const into = Prisma.raw(`"${table}" (${columns.map((column) => `"${column}"`).join(', ')})`);
  const returningClause = Prisma.raw(returning.length > 0 ? ` RETURNING ${returning.map((column) => `"${column}"`).join(', ')}` : '');
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const values = Prisma.join(chunk.map((row) => Prisma.sql`(${Prisma.join(row as Value[])})`));
    if (returning.length > 0) {
      // Neither database promises RETURNING rows in VALUES order, so callers match them by a key column.
      inserted.push(...(await sql.query<Returned>(Prisma.sql`INSERT INTO ${into} VALUES ${values}${returningClause}`)));
    } else {
      await sql.execute(Prisma.sql`INSERT INTO ${into} VALUES ${values}`);
    }
  }
  return inserted;
}
