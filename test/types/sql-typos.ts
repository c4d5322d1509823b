/*
 * Hand-written SQL that names something the schema lacks must not compile. Each statement below
 * has one deliberate mistake; `@ts-expect-error` makes `npm run typecheck` fail if a mistake ever
 * stops being an error (the types went loose), so this file is a test that runs in typecheck.
 * test/db/sql-typecheck.test.ts also mutates a real statement and runs the compiler on it.
 */
import { queryBuilderFor } from '../../src/db/query-builder.js';

const build = queryBuilderFor('postgres');

export const typos = [
  // @ts-expect-error: an enum value the schema does not have (ConnectionStatus has REMOVED).
  build.updateTable('Connection').set({ status: 'REMOVD' }),
  // @ts-expect-error: the same typo in a condition.
  build.selectFrom('Connection').select('id').where('status', '=', 'REMOVD'),
  // @ts-expect-error: a table the schema does not have.
  build.selectFrom('Connections').select('id'),
  // @ts-expect-error: a column the table does not have.
  build.selectFrom('Member').select('slackUserID'),
  // @ts-expect-error: a column of another table, through its alias.
  build.selectFrom('Member as m').select('m.customerNumber'),
  // @ts-expect-error: a value of the wrong type for its column (a number for a date).
  build.updateTable('Member').set({ updatedAt: 20261202 }),
  // @ts-expect-error: an insert that leaves out a required column (updatedAt has no default in SQL).
  build.insertInto('Member').values({ slackUserId: 'U1', displayName: 'Ada' }),
  // @ts-expect-error: RETURNING a column the table does not have.
  build.deleteFrom('InviteDraft').where('id', '=', 1).returning('draftId'),
];
