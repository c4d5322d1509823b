import type { OutboxItem } from '../domain/outbox-messages.js';
import { insertRows } from './bulk-insert.js';
import type { SqlTarget } from './sql.js';

/**
 * Queues messages inside the caller's transaction, so they exist exactly when the change does.
 * Written as multi-row INSERTs: every change writes several messages, and the ORM's createMany
 * cost a decision more than all its other writes together.
 */
export async function insertOutboxItems(target: SqlTarget, items: readonly OutboxItem[], now: Date): Promise<void> {
  await insertRows(
    target,
    'OutboxMessage',
    items.map((item) => ({
      kind: item.kind,
      payload: JSON.stringify(item),
      requestId: 'requestId' in item ? item.requestId : null,
      audience: 'audience' in item ? item.audience : null,
      availableAt: now,
      createdAt: now,
    })),
  );
}
