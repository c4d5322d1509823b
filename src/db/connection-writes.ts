import { Prisma } from './generated/sqlite/client.js';
import { sqlOf, type SqlTarget } from './sql.js';

/*
 * Writes on the decision path as portable SQL: the ORM spent more time preparing these few rows
 * than the databases spent writing them. Enum values and JSON go in as text, which both SQLite and
 * PostgreSQL accept for those columns.
 */

export interface RequestDecisionWrite {
  requestId: number;
  outcome: 'APPROVED' | 'DENIED';
  decidedById: number;
  note: string | null;
  /** What an approval grants; null for a denial. */
  granted: string[] | null;
  /** An operator's decision in triage counts only while the request is still in triage. */
  onlyInTriage?: boolean;
  at: Date;
}

/** Records a decision only while the request is still pending; false when someone else got there first. */
export async function claimPendingRequest(target: SqlTarget, decision: RequestDecisionWrite): Promise<boolean> {
  const changed = await sqlOf(target).execute(Prisma.sql`
    UPDATE "AccessRequest"
    SET "status" = ${decision.outcome}, "decidedById" = ${decision.decidedById}, "decidedAt" = ${decision.at},
        "decisionNote" = ${decision.note}, "grantedPermissions" = ${decision.granted ? JSON.stringify(decision.granted) : null},
        "updatedAt" = ${decision.at}
    WHERE "id" = ${decision.requestId} AND "status" = 'PENDING'${decision.onlyInTriage ? Prisma.sql` AND "inTriage" = TRUE` : Prisma.empty}`);
  return changed === 1;
}

export interface ActiveConnectionWrite {
  organizationId: number;
  memberId: number;
  /** The member's current connection row, whatever its status, or null if they never had one. */
  existing: { id: number; status: string; connectedAt: Date } | null;
  permissions: readonly string[];
  tags: readonly string[];
  /** The first day of access and the instant it begins; null for right away. */
  startsOn?: string | null;
  startsAt?: Date | null;
  endsOn: string | null;
  endsAt: Date | null;
  /** Authorized-caller settings: set them, clear them (null), or leave them as they are (undefined). */
  caller?: { supportLevel: 'STANDARD' | 'PREMIUM'; callerLevel: string | null } | null;
  connectedById: number;
  at: Date;
}

/**
 * Makes the member actively connected with exactly these permissions, replacing whatever they held.
 * A removed connection comes back as a new one, so its connection date is today's.
 */
export async function activateConnection(target: SqlTarget, write: ActiveConnectionWrite): Promise<number> {
  const sql = sqlOf(target);
  const tags = JSON.stringify(write.tags);
  let connectionId: number;
  if (write.existing) {
    connectionId = write.existing.id;
    const connectedAt = write.existing.status === 'REMOVED' ? write.at : write.existing.connectedAt;
    const callerColumns =
      write.caller === undefined
        ? Prisma.empty
        : Prisma.sql`, "callerSupportLevel" = ${write.caller?.supportLevel ?? null}, "callerLevel" = ${write.caller?.callerLevel ?? null}`;
    await sql.execute(Prisma.sql`
      UPDATE "Connection"
      SET "status" = 'ACTIVE', "tags" = ${tags}, "startsOn" = ${write.startsOn ?? null}, "startsAt" = ${write.startsAt ?? null},
          "endsOn" = ${write.endsOn}, "endsAt" = ${write.endsAt}, "expiredAt" = NULL,
          "removedAt" = NULL, "connectedById" = ${write.connectedById}, "connectedAt" = ${connectedAt}, "updatedAt" = ${write.at}${callerColumns}
      WHERE "id" = ${connectionId}`);
    await sql.execute(Prisma.sql`DELETE FROM "ConnectionPermission" WHERE "connectionId" = ${connectionId}`);
  } else {
    const [row] = await sql.query<{ id: number }>(Prisma.sql`
      INSERT INTO "Connection" ("organizationId", "memberId", "status", "tags", "startsOn", "startsAt", "endsOn", "endsAt", "callerSupportLevel",
        "callerLevel", "connectedById", "connectedAt", "updatedAt")
      VALUES (${write.organizationId}, ${write.memberId}, 'ACTIVE', ${tags}, ${write.startsOn ?? null}, ${write.startsAt ?? null}, ${write.endsOn},
        ${write.endsAt}, ${write.caller?.supportLevel ?? null},
        ${write.caller?.callerLevel ?? null}, ${write.connectedById}, ${write.at}, ${write.at})
      RETURNING "id"`);
    connectionId = row!.id;
  }
  if (write.permissions.length > 0) {
    const rows = write.permissions.map((permissionKey) => Prisma.sql`(${connectionId}, ${permissionKey})`);
    await sql.execute(Prisma.sql`INSERT INTO "ConnectionPermission" ("connectionId", "permissionKey") VALUES ${Prisma.join(rows)}`);
  }
  return connectionId;
}
