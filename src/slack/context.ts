import type { Db } from '../db/client.js';
import type { SqlDatabase } from '../db/sql.js';
import type { Logger } from '../logger.js';
import type { Settings } from '../services/access-requests.js';
import type { InvitationSettings } from '../services/invitations/settings.js';

/** What listeners need to call services: the database handle, settings, the clock and the outbox. */
export interface GatehouseContext {
  prisma: Db;
  /** The same database for the hand-written SQL of the busiest paths. */
  sql: SqlDatabase;
  settings: Settings;
  invitations: InvitationSettings;
  logger: Logger;
  now(): Date;
  /** Tells the outbox dispatcher that new messages were committed. */
  wakeOutbox(): void;
}
