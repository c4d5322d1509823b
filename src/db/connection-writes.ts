import { preparedStatement, sqlOf, type SqlTarget } from './sql.js';

/*
 * Writes on the decision path as portable SQL: the ORM spent more time preparing these few rows
 * than the databases spent writing them. JSON goes in as text, which both SQLite and PostgreSQL
 * accept for their JSON columns.
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

type DecisionValues = Omit<RequestDecisionWrite, 'onlyInTriage' | 'granted'> & { granted: string | null };

function decisionStatement(onlyInTriage: boolean) {
  return preparedStatement((build, decision: DecisionValues) =>
    build
      .updateTable('AccessRequest')
      .set({
        status: decision.outcome,
        decidedById: decision.decidedById,
        decidedAt: decision.at,
        decisionNote: decision.note,
        grantedPermissions: decision.granted,
        updatedAt: decision.at,
      })
      .where('id', '=', decision.requestId)
      .where('status', '=', 'PENDING')
      .$if(onlyInTriage, (update) => update.where('inTriage', '=', true)),
  );
}

const DECISION = { anywhere: decisionStatement(false), inTriage: decisionStatement(true) };

/** Records a decision only while the request is still pending; false when someone else got there first. */
export async function claimPendingRequest(target: SqlTarget, decision: RequestDecisionWrite): Promise<boolean> {
  const sql = sqlOf(target);
  const statement = decision.onlyInTriage ? DECISION.inTriage : DECISION.anywhere;
  const changed = await sql.execute(
    statement(sql, {
      requestId: decision.requestId,
      outcome: decision.outcome,
      decidedById: decision.decidedById,
      note: decision.note,
      granted: decision.granted ? JSON.stringify(decision.granted) : null,
      at: decision.at,
    }),
  );
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

interface ConnectionValues {
  organizationId: number;
  memberId: number;
  tags: string;
  startsOn: string | null;
  startsAt: Date | null;
  endsOn: string | null;
  endsAt: Date | null;
  callerSupportLevel: 'STANDARD' | 'PREMIUM' | null;
  callerLevel: string | null;
  connectedById: number;
  at: Date;
}

/** The upsert of activateConnection; `setsCaller` false leaves an existing connection's caller settings alone. */
function upsertConnectionStatement(setsCaller: boolean) {
  return preparedStatement((build, write: ConnectionValues) =>
    build
      .insertInto('Connection')
      .values({
        organizationId: write.organizationId,
        memberId: write.memberId,
        status: 'ACTIVE',
        tags: write.tags,
        startsOn: write.startsOn,
        startsAt: write.startsAt,
        endsOn: write.endsOn,
        endsAt: write.endsAt,
        callerSupportLevel: write.callerSupportLevel,
        callerLevel: write.callerLevel,
        connectedById: write.connectedById,
        connectedAt: write.at,
        updatedAt: write.at,
      })
      .onConflict((conflict) =>
        conflict.columns(['organizationId', 'memberId']).doUpdateSet((eb) => ({
          status: 'ACTIVE',
          tags: eb.ref('excluded.tags'),
          startsOn: eb.ref('excluded.startsOn'),
          startsAt: eb.ref('excluded.startsAt'),
          endsOn: eb.ref('excluded.endsOn'),
          endsAt: eb.ref('excluded.endsAt'),
          expiredAt: null,
          removedAt: null,
          connectedById: eb.ref('excluded.connectedById'),
          // A removed connection comes back as a new one.
          connectedAt: eb
            .case()
            .when('Connection.status', '=', 'REMOVED')
            .then(eb.ref('excluded.connectedAt'))
            .else(eb.ref('Connection.connectedAt'))
            .end(),
          updatedAt: eb.ref('excluded.updatedAt'),
          ...(setsCaller ? { callerSupportLevel: eb.ref('excluded.callerSupportLevel'), callerLevel: eb.ref('excluded.callerLevel') } : {}),
        })),
      )
      .returning('id'),
  );
}

const UPSERT_CONNECTION = { keepingCaller: upsertConnectionStatement(false), settingCaller: upsertConnectionStatement(true) };

/**
 * Makes the member actively connected with exactly these permissions, replacing whatever they held.
 * A removed connection comes back as a new one, so its connection date is today's. One upsert on
 * the (organization, member) key, so a connection another writer created meanwhile is updated
 * rather than colliding with it; callers hold LOCK.connection for what they read before.
 */
export async function activateConnection(target: SqlTarget, write: ActiveConnectionWrite): Promise<number> {
  const sql = sqlOf(target);
  const statement = write.caller === undefined ? UPSERT_CONNECTION.keepingCaller : UPSERT_CONNECTION.settingCaller;
  const [row] = await sql.rows(
    statement(sql, {
      organizationId: write.organizationId,
      memberId: write.memberId,
      tags: JSON.stringify(write.tags),
      startsOn: write.startsOn ?? null,
      startsAt: write.startsAt ?? null,
      endsOn: write.endsOn,
      endsAt: write.endsAt,
      callerSupportLevel: write.caller?.supportLevel ?? null,
      callerLevel: write.caller?.callerLevel ?? null,
      connectedById: write.connectedById,
      at: write.at,
    }),
  );
  const connectionId = row!.id;
  await sql.execute(sql.build.deleteFrom('ConnectionPermission').where('connectionId', '=', connectionId));
  if (write.permissions.length > 0) {
    await sql.execute(
      sql.build.insertInto('ConnectionPermission').values(write.permissions.map((permissionKey) => ({ connectionId, permissionKey }))),
    );
  }
  return connectionId;
}
