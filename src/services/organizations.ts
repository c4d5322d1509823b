import { lockKeys, LOCK } from '../db/locks.js';
import { appendLogEntry } from '../db/permission-log.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../domain/errors.js';
import { ACTOR, LOG_ACTION } from '../domain/permissions-log.js';
import { PERMISSION } from '../domain/permission-catalog.js';
import { isValidTimeZone } from '../domain/time-zones.js';

export interface NewOrganization {
  name: string;
  customerNumber: string;
  acronym?: string;
  city?: string;
  country?: string;
  timeZone?: string;
  adminChannelId?: string;
  auditChannelId?: string;
}

/** The lower-cased text an organization is found by. */
export function organizationSearchText(name: string, acronym?: string | null): string {
  return [name, acronym].filter(Boolean).join(' ').toLowerCase();
}

function organizationSnapshot(organization: NewOrganization & { id?: number }) {
  return {
    name: organization.name,
    customerNumber: organization.customerNumber,
    acronym: organization.acronym ?? null,
    city: organization.city ?? null,
    country: organization.country ?? null,
    timeZone: organization.timeZone ?? 'UTC',
    adminChannelId: organization.adminChannelId ?? null,
    auditChannelId: organization.auditChannelId ?? null,
  };
}

export async function createOrganization(prisma: Db, input: NewOrganization) {
  if (input.timeZone && !isValidTimeZone(input.timeZone)) {
    throw new DomainError('invalid_time_zone', `"${input.timeZone}" is not a time zone; use a name such as Europe/Paris`);
  }
  return prisma.$transaction(async (tx) => {
    await lockKeys(tx, LOCK.organization(input.customerNumber));
    const taken = await tx.organization.findUnique({ where: { customerNumber: input.customerNumber } });
    if (taken) {
      throw new DomainError('customer_number_taken', `customer number ${input.customerNumber} already belongs to ${taken.name}`);
    }
    const organization = await tx.organization.create({
      data: { ...input, searchText: organizationSearchText(input.name, input.acronym) },
    });
    await appendLogEntry(tx, {
      organizationId: organization.id,
      actorLabel: ACTOR.operator,
      action: LOG_ACTION.organizationCreated,
      after: organizationSnapshot(input),
      createdAt: new Date(),
    });
    return organization;
  });
}

export async function findOrganizationByCustomerNumber(prisma: Db, customerNumber: string) {
  const organization = await prisma.organization.findUnique({ where: { customerNumber } });
  if (!organization) {
    throw new DomainError('unknown_organization', `no organization has customer number ${customerNumber}`);
  }
  return organization;
}

export interface ChannelChanges {
  /** A channel id, null to clear it, or undefined to leave it as it is. */
  adminChannelId?: string | null;
  auditChannelId?: string | null;
}

export async function setOrganizationChannels(prisma: Db, customerNumber: string, changes: ChannelChanges) {
  return prisma.$transaction(async (tx) => {
    // Changes take turns, so the log's before is what the previous change left.
    await lockKeys(tx, LOCK.organization(customerNumber));
    const before = await tx.organization.findUnique({ where: { customerNumber } });
    if (!before) throw new DomainError('unknown_organization', `no organization has customer number ${customerNumber}`);
    const after = await tx.organization.update({ where: { id: before.id }, data: changes });
    await appendLogEntry(tx, {
      organizationId: before.id,
      actorLabel: ACTOR.operator,
      action: LOG_ACTION.organizationChannelsChanged,
      before: { adminChannelId: before.adminChannelId, auditChannelId: before.auditChannelId },
      after: { adminChannelId: after.adminChannelId, auditChannelId: after.auditChannelId },
      createdAt: new Date(),
    });
    return after;
  });
}

/** Every organization with the Slack users who are its active Administrators. */
export async function listOrganizationsWithAdministrators(prisma: Db) {
  const organizations = await prisma.organization.findMany({
    orderBy: { name: 'asc' },
    include: {
      connections: {
        where: { status: 'ACTIVE', permissions: { some: { permissionKey: PERMISSION.administrator } } },
        include: { member: true },
        orderBy: { connectedAt: 'asc' },
      },
    },
  });
  return organizations.map(({ connections, ...organization }) => ({
    ...organization,
    administrators: connections.map((connection) => connection.member),
  }));
}
