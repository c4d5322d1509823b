import type { Db } from '../db/client.js';

// What an operator's view of the system reads: the latest outbox rows and permission-log entries,
// newest first. The demo's panels show them; nothing here changes state.

export async function latestOutboxMessages(prisma: Db, limit: number) {
  return prisma.outboxMessage.findMany({ orderBy: { id: 'desc' }, take: limit });
}

export async function latestPermissionLogEntries(prisma: Db, limit: number) {
  return prisma.permissionLogEntry.findMany({
    orderBy: { id: 'desc' },
    take: limit,
    include: { actor: true, subjectMember: true, organization: true },
  });
}

/** Outbox rows that are due now and not yet delivered or given up on. */
export async function dueOutboxCount(prisma: Db, now: Date): Promise<number> {
  return prisma.outboxMessage.count({ where: { status: 'PENDING', availableAt: { lte: now } } });
}

export async function organizationCount(prisma: Db): Promise<number> {
  return prisma.organization.count();
}
