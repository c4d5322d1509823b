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
 * A removed connection comes back as a new one, so its connection date is today's. One upsert on
 * the (organization, member) key, so a connection another writer created meanwhile is updated
 * rather than colliding with it; callers hold LOCK.connection for what they read before.
 */
export async function activateConnection(target: SqlTarget, write: ActiveConnectionWrite): Promise<number> {
  const sql = sqlOf(target);
  const callerColumns =
    write.caller === undefined ? Prisma.empty : Prisma.sql`, "callerSupportLevel" = excluded."callerSupportLevel", "callerLevel" = excluded."callerLevel"`;
  const [row] = await sql.query<{ id: number }>(Prisma.sql`
    INSERT INTO "Connection" ("organizationId", "memberId", "status", "tags", "startsOn", "startsAt", "endsOn", "endsAt", "callerSupportLevel",
      "callerLevel", "connectedById", "connectedAt", "updatedAt")
    VALUES (${write.organizationId}, ${write.memberId}, 'ACTIVE', ${JSON.stringify(write.tags)}, ${write.startsOn ?? null}, ${write.startsAt ?? null},
      ${write.endsOn}, ${write.endsAt}, ${write.caller?.supportLevel ?? null}, ${write.caller?.callerLevel ?? null}, ${write.connectedById}, ${write.at},
      ${write.at})
    ON CONFLICT ("organizationId", "memberId") DO UPDATE
    SET "status" = 'ACTIVE', "tags" = excluded."tags", "startsOn" = excluded."startsOn", "startsAt" = excluded."startsAt",
        "endsOn" = excluded."endsOn", "endsAt" = excluded."endsAt", "expiredAt" = NULL, "removedAt" = NULL,
        "connectedById" = excluded."connectedById",
        "connectedAt" = CASE WHEN "Connection"."status" = 'REMOVED' THEN excluded."connectedAt" ELSE "Connection"."connectedAt" END,
        "updatedAt" = excluded."updatedAt"${callerColumns}
    RETURNING "id"`);
  const connectionId = row!.id;
  await sql.execute(Prisma.sql`DELETE FROM "ConnectionPermission" WHERE "connectionId" = ${connectionId}`);
  if (write.permissions.length > 0) {
    const rows = write.permissions.map((permissionKey) => Prisma.sql`(${connectionId}, ${permissionKey})`);
    await sql.execute(Prisma.sql`INSERT INTO "ConnectionPermission" ("connectionId", "permissionKey") VALUES ${Prisma.join(rows)}`);
  }
  return connectionId;
}
