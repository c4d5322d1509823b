/**
 * Hand-made members and invitations of one organization, for tests of the members list, the
 * selection and bulk actions that need to say exactly who holds what.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import { endOfDayIn } from '../../src/domain/dates.js';
import { hashInvitationToken } from '../../src/domain/invitation-tokens.js';

export interface ConnectOptions {
  permissions: string[];
  tags?: string[];
  status?: 'ACTIVE' | 'EXPIRED' | 'SUSPENDED' | 'REMOVED';
  endsOn?: string | null;
  connectedAt?: Date;
  timeZone?: string;
  caller?: 'STANDARD' | 'PREMIUM';
}

/** A member (created if new) connected to the organization as given; returns the connection and member ids. */
export async function connect(
  prisma: Db,
  organizationId: number,
  person: { id: string; realName: string; email: string },
  options: ConnectOptions,
): Promise<{ connectionId: number; memberId: number }> {
  const member = await prisma.member.upsert({
    where: { slackUserId: person.id },
    create: { slackUserId: person.id, displayName: person.realName, email: person.email.toLowerCase() },
    update: {},
  });
  const endsOn = options.endsOn ?? null;
  const connection = await prisma.connection.create({
    data: {
      organizationId,
      memberId: member.id,
      status: options.status ?? 'ACTIVE',
      tags: options.tags ?? [],
      endsOn,
      endsAt: endsOn ? endOfDayIn(endsOn, options.timeZone ?? 'UTC') : null,
      expiredAt: options.status === 'EXPIRED' && endsOn ? endOfDayIn(endsOn, options.timeZone ?? 'UTC') : null,
      callerSupportLevel: options.caller ?? null,
      ...(options.connectedAt ? { connectedAt: options.connectedAt } : {}),
      permissions: { create: options.permissions.map((permissionKey) => ({ permissionKey })) },
    },
  });
  return { connectionId: connection.id, memberId: member.id };
}

/** A pending invitation to an address; returns its id. */
export async function invite(
  prisma: Db,
  organizationId: number,
  invitedById: number,
  email: string,
  options: { permissions: string[]; tags?: string[]; endsOn?: string | null; issuedAt?: Date; expiresAt: Date },
): Promise<number> {
  const invitation = await prisma.invitation.create({
    data: {
      organizationId,
      email: email.toLowerCase(),
      permissions: options.permissions,
      tags: options.tags ?? [],
      endsOn: options.endsOn ?? null,
      tokenHash: hashInvitationToken(randomUUID()),
      invitedById,
      expiresAt: options.expiresAt,
      ...(options.issuedAt ? { issuedAt: options.issuedAt } : {}),
    },
  });
  return invitation.id;
}
