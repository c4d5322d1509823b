import type { DatabaseTarget } from './database-url.js';

/**
 * The database cannot be used as configured: not reachable, refused, missing or not migrated. Its
 * message is one sentence an operator can act on, without the driver's stack.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** What the driver adapters report (`DriverAdapterError.cause`), as far as Gatehouse reads it. */
interface AdapterErrorCause {
  kind: string;
  originalMessage?: string;
  originalCode?: string;
  db?: string;
  user?: string;
  table?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The adapter's own error, wherever the layers above put it: thrown as is by an adapter, or kept
 * in a Prisma error's `meta.driverAdapterError`.
 */
function adapterCause(error: unknown): AdapterErrorCause | undefined {
  for (let current: unknown = error, depth = 0; isRecord(current) && depth < 5; depth += 1) {
    if (current.name === 'DriverAdapterError' && isRecord(current.cause) && typeof current.cause.kind === 'string') {
      return current.cause as unknown as AdapterErrorCause;
    }
    current = isRecord(current.meta) && current.meta.driverAdapterError !== undefined ? current.meta.driverAdapterError : current.cause;
  }
  return undefined;
}

/** `host:port` of a PostgreSQL URL, with the driver's defaults filled in. */
function serverOf(target: DatabaseTarget): string {
  if (target.provider === 'sqlite') return target.filePath;
  const url = new URL(target.url);
  return `${url.hostname || 'localhost'}:${url.port || '5432'}`;
}

function userOf(target: DatabaseTarget): string {
  return target.provider === 'postgresql' ? decodeURIComponent(new URL(target.url).username) : '';
}

function databaseNameOf(target: DatabaseTarget): string {
  return target.provider === 'postgresql' ? decodeURIComponent(new URL(target.url).pathname.slice(1)) : target.filePath;
}

const MIGRATE = '`gatehouse db migrate` (or `npm run db:migrate`) with this DATABASE_URL';

/** The sentence for a database that lacks some of the committed migrations. */
export function notMigratedMessage(missing: string[]): string {
  return `the database is not migrated: ${missing.length} migration(s) missing (${missing.join(', ')}); run ${MIGRATE}.`;
}

function sentenceFor(kind: string, cause: Partial<AdapterErrorCause>, target: DatabaseTarget): string | undefined {
  const server = serverOf(target);
  if (target.provider === 'sqlite') {
    if (kind === 'TableDoesNotExist')
      return `the SQLite database at ${server} is not migrated (table ${cause.table ?? 'unknown'} is missing); run ${MIGRATE}.`;
    return undefined;
  }
  switch (kind) {
    case 'DatabaseNotReachable':
    case 'SocketTimeout':
    case 'ConnectionClosed':
      return (
        `cannot reach the PostgreSQL server at ${server}; check that it is running and that DATABASE_URL names the right host ` +
        `and port.`
      );
    case 'TlsConnectionError':
      return (
        `cannot open a TLS connection to the PostgreSQL server at ` +
        `${server}${cause.originalMessage ? ` (${cause.originalMessage})` : ''}.`
      );
    case 'AuthenticationFailed':
      return (
        `the PostgreSQL server at ${server} refused the password of user "${cause.user ?? userOf(target)}" (authentication ` +
        `failed); check DATABASE_URL.`
      );
    case 'DatabaseAccessDenied':
      return (
        `the PostgreSQL server at ${server} refused user ` +
        `"${userOf(target)}"${cause.originalMessage ? `: ${cause.originalMessage}` : ''}.`
      );
    case 'DatabaseDoesNotExist':
      return (
        `the PostgreSQL server at ${server} has no database "${cause.db ?? databaseNameOf(target)}"; create it, then run ` +
        `\`gatehouse db migrate\`.`
      );
    case 'TableDoesNotExist':
      return `the PostgreSQL database at ${server} is not migrated (table ${cause.table ?? 'unknown'} is missing); run ${MIGRATE}.`;
    case 'TooManyConnections':
      return `the PostgreSQL server at ${server} has no connection to spare (too many connections).`;
    default:
      return undefined;
  }
}

/** Opening the file, or making its folder, failed: the path is wrong or not writable. */
const SQLITE_OPEN_FAILURES = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'EEXIST', 'ENOTDIR', 'ENOENT', 'EACCES', 'EPERM', 'EROFS']);

/** Prisma's codes for the same causes, for errors that carry no adapter error. */
const PRISMA_CODE_KIND: Record<string, string> = {
  P1000: 'AuthenticationFailed',
  P1001: 'DatabaseNotReachable',
  P1002: 'SocketTimeout',
  P1003: 'DatabaseDoesNotExist',
  P1010: 'DatabaseAccessDenied',
  P1017: 'ConnectionClosed',
  P2021: 'TableDoesNotExist',
};

/**
 * Why the database could not be used, as one sentence naming the cause (cannot reach host:port,
 * authentication failed, no such database, not migrated), or undefined when the error is not one
 * of those. Prisma's own messages start with a blank line and the caller's source code.
 */
export function describeDatabaseError(error: unknown, target: DatabaseTarget): string | undefined {
  if (error instanceof DatabaseUnavailableError) return error.message;
  const cause = adapterCause(error);
  if (cause) return sentenceFor(cause.kind, cause, target);
  if (isRecord(error) && typeof error.code === 'string' && PRISMA_CODE_KIND[error.code]) {
    const meta = isRecord(error.meta) ? error.meta : {};
    return sentenceFor(PRISMA_CODE_KIND[error.code]!, { table: typeof meta.table === 'string' ? meta.table : undefined }, target);
  }
  if (target.provider === 'sqlite' && isRecord(error) && typeof error.code === 'string' && SQLITE_OPEN_FAILURES.has(error.code)) {
    return (
      `cannot open the SQLite database at ${target.filePath} (${error.code}); check that DATABASE_URL names a file in a folder ` +
      `Gatehouse can write.`
    );
  }
  return undefined;
}

/** Runs database work, turning a failure with a known cause into a DatabaseUnavailableError that names it. */
export async function withDatabaseCause<T>(target: DatabaseTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const described = describeDatabaseError(error, target);
    if (described === undefined || error instanceof DatabaseUnavailableError) throw error;
    throw new DatabaseUnavailableError(described, { cause: error });
  }
}
