/**
 * The daily anchor of the permissions log: each organization with an audit channel gets its
 * chain's head posted there, outside the database, so that a rewritten log can be caught later by
 * `gatehouse log verify --anchor`.
 */
import type { Db } from '../db/client.js';
import { chainHead } from '../db/permission-log.js';
import { chainOf, type ChainHead } from '../domain/log-chain.js';
import type { OutboxItem } from '../domain/outbox-messages.js';
import type { OrganizationSummary } from '../domain/read-models.js';
import { enqueue } from './outbox.js';
import { organizationSummary } from './read-models.js';

/** Queues one `log.anchor` post per organization that has an audit channel and a log entry; one transaction. */
export async function queueLogAnchors(prisma: Db, now: Date): Promise<{ anchored: number }> {
  return prisma.$transaction(async (tx) => {
    const organizations = await tx.organization.findMany({
      where: { auditChannelId: { not: null } },
      select: { id: true, auditChannelId: true },
      orderBy: { id: 'asc' },
    });
    const items: OutboxItem[] = [];
    for (const organization of organizations) {
      // The head as committed: an entry appended while this runs goes in tomorrow's anchor.
      const head = await chainHead(tx, chainOf(organization.id));
      if (!head) continue;
      items.push({
        kind: 'log.anchor',
        organizationId: organization.id,
        sequence: head.sequence,
        hash: head.hash,
        at: now.toISOString(),
        channel: organization.auditChannelId!,
      });
    }
    if (items.length > 0) await enqueue(tx, items, now);
    return { anchored: items.length };
  });
}

/** What a queued anchor post shows; null when its organization is gone. */
export async function logAnchorModel(
  prisma: Db,
  item: Extract<OutboxItem, { kind: 'log.anchor' }>,
): Promise<{ organization: OrganizationSummary; head: ChainHead; at: Date } | null> {
  const organization = await prisma.organization.findUnique({ where: { id: item.organizationId } });
  if (!organization) return null;
  return { organization: organizationSummary(organization), head: { sequence: item.sequence, hash: item.hash }, at: new Date(item.at) };
}
