import { lockKeys, LOCK } from '../db/locks.js';
import { appendLogEntry } from '../db/permission-log.js';
import type { Db, Tx } from '../db/client.js';
import { DomainError } from '../domain/errors.js';
import { PERMISSION } from '../domain/permission-catalog.js';
import { ACTOR, connectionSnapshot, LOG_ACTION } from '../domain/permissions-log.js';
import { adminRolesOf } from '../domain/policy.js';
import { administratorsOf } from './read-models.js';

export interface AdministratorChange {
  customerNumber: string;
  slackUserId: string;
  displayName?: string;
  email?: string;
}

async function organizationFor(tx: Tx, customerNumber: string) {
  const organization = await tx.organization.findUnique({ where: { customerNumber } });
  if (!organization) throw new DomainError('unknown_organization', `no organization has customer number ${customerNumber}`);
  return organization;
}

/**
 * Changes to an organization's Administrators run one after another (see db/locks.ts); on READ
 * COMMITTED every statement after the lock sees what the previous holder committed.
 */
async function lockOrganization(tx: Tx, customerNumber: string): Promise<void> {
  await lockKeys(tx, LOCK.organization(customerNumber));
}

async function requireCatalogEntry(tx: Tx): Promise<void> {
  const entry = await tx.permission.findUnique({ where: { key: PERMISSION.administrator } });
  if (!entry) throw new DomainError('catalog_missing', 'the permission catalog is empty; run `gatehouse permissions seed` first');
}

/**
 * Makes a Slack user an Administrator of an organization, connecting them first if needed.
 * Their other permissions are kept.
 */
export async function addAdministrator(prisma: Db, change: AdministratorChange) {
  return prisma.$transaction(async (tx) => {
    await lockOrganization(tx, change.customerNumber);
    const organization = await organizationFor(tx, change.customerNumber);
    await requireCatalogEntry(tx);
    const member = await tx.member.upsert({
      where: { slackUserId: change.slackUserId },
      create: {
        slackUserId: change.slackUserId,
        displayName: change.displayName ?? change.slackUserId,
        email: change.email?.toLowerCase(),
      },
      update: {
        ...(change.displayName ? { displayName: change.displayName } : {}),
        ...(change.email ? { email: change.email.toLowerCase() } : {}),
      },
    });
    // Approvals and accepted invitations write the same connection under this lock.
    await lockKeys(tx, LOCK.connection(organization.id, member.id));
    const existing = await tx.connection.findUnique({
      where: { organizationId_memberId: { organizationId: organization.id, memberId: member.id } },
      include: { permissions: true },
    });
    const heldBefore = existing && existing.status !== 'REMOVED' ? existing.permissions.map((row) => row.permissionKey) : [];
    if (existing?.status === 'ACTIVE' && heldBefore.includes(PERMISSION.administrator)) {
      throw new DomainError('already_administrator', `${change.slackUserId} is already an Administrator of ${organization.name}`);
    }
    const connection = existing
      ? await tx.connection.update({
          where: { id: existing.id },
          data: {
            status: 'ACTIVE',
            expiredAt: null,
            removedAt: null,
            ...(existing.status === 'REMOVED' ? { tags: [], startsOn: null, startsAt: null, endsOn: null, endsAt: null } : {}),
          },
        })
      : await tx.connection.create({ data: { organizationId: organization.id, memberId: member.id } });
    if (existing?.status === 'REMOVED') await tx.connectionPermission.deleteMany({ where: { connectionId: connection.id } });
    await tx.connectionPermission.create({ data: { connectionId: connection.id, permissionKey: PERMISSION.administrator } });
    await appendLogEntry(tx, {
      organizationId: organization.id,
      actorLabel: ACTOR.operator,
      subjectMemberId: member.id,
      action: existing ? LOG_ACTION.permissionsChanged : LOG_ACTION.connectionCreated,
      before: existing
        ? { ...connectionSnapshot({ ...existing, permissions: existing.permissions.map((row) => row.permissionKey) }) }
        : undefined,
      after: { ...connectionSnapshot({ ...connection, permissions: [...new Set([...heldBefore, PERMISSION.administrator])] }) },
      note: 'Administrator added by an operator',
      createdAt: new Date(),
    });
    return { organization, member };
  });
}

/**
 * Takes the Administrator permission away; the person stays connected with their other permissions.
 * An organization's last effective Administrator stays: nobody could decide its requests otherwise.
 */
export async function removeAdministrator(prisma: Db, change: Pick<AdministratorChange, 'customerNumber' | 'slackUserId'>) {
  return prisma.$transaction(async (tx) => {
    await lockOrganization(tx, change.customerNumber);
    const organization = await organizationFor(tx, change.customerNumber);
    const now = new Date();
    const connection = await tx.connection.findFirst({
      where: { organizationId: organization.id, member: { slackUserId: change.slackUserId } },
      include: { permissions: true, member: true },
    });
    const held = connection?.permissions.map((row) => row.permissionKey) ?? [];
    if (!connection || !held.includes(PERMISSION.administrator)) {
      throw new DomainError('not_administrator', `${change.slackUserId} is not an Administrator of ${organization.name}`);
    }
    const facts = { ...connection, permissions: held };
    const others = (await administratorsOf(tx, organization.id, now)).filter((admin) => admin.id !== connection.memberId);
    if (adminRolesOf(facts, now).administrator && others.length === 0) {
      throw new DomainError(
        'last_administrator',
        `${change.slackUserId} is the only Administrator of ${organization.name}; add another first with \`gatehouse admin add ` +
          `${organization.customerNumber} SLACK_USER_ID\``,
      );
    }
    await tx.connectionPermission.delete({
      where: { connectionId_permissionKey: { connectionId: connection.id, permissionKey: PERMISSION.administrator } },
    });
    await appendLogEntry(tx, {
      organizationId: organization.id,
      actorLabel: ACTOR.operator,
      subjectMemberId: connection.memberId,
      action: LOG_ACTION.permissionsChanged,
      before: { ...connectionSnapshot({ ...connection, permissions: held }) },
      after: { ...connectionSnapshot({ ...connection, permissions: held.filter((key) => key !== PERMISSION.administrator) }) },
      note: 'Administrator removed by an operator',
      createdAt: new Date(),
    });
    return { organization, member: connection.member };
  });
}
