/**
 * `/access report`, for Administrators: how many members hold each permission and the first of
 * them by name, and how the organization's members stand. Counted in SQL, whatever the size.
 */
import { sql as raw, type ExpressionBuilder } from 'kysely';
import type { DB } from '../../db/query-builder.js';
import { sqlOf, type SqlTarget } from '../../db/sql.js';
import { calendarDateIn } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { mayTake } from '../../domain/member-policy.js';
import { REPORT_NAMED_HOLDERS, type PermissionsReportModel } from '../../domain/permissions-report.js';
import { organizationSummary, permissionCatalog, personSummary } from '../read-models.js';
import { managedOrganizations, managingAdmin, noManagedOrganizationReason, type ManagingAdmin } from '../members/managing-admin.js';

/** Said in refusals: what the report lets an Administrator do. */
export const REPORT_PURPOSE = 'see who holds each permission';

/** The actor, refused (naming the organization's Administrators) unless the policy lets them see its report. */
export async function reportingAdmin(
  reader: SqlTarget,
  actorSlackUserId: string,
  organizationId: number,
  now: Date,
): Promise<ManagingAdmin> {
  const admin = await managingAdmin(reader, actorSlackUserId, organizationId, now, REPORT_PURPOSE);
  const decision = mayTake('report.view', {
    actor: admin.facts,
    context: { today: calendarDateIn(now, admin.organization.timeZone), otherAdministrators: 0 },
  });
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
  return admin;
}

type HolderScope = ExpressionBuilder<DB & { c: DB['Connection'] }, 'c'>;

/** Access that holds its permissions now: active, and its end (if any) not passed. */
function holdsNow(now: Date) {
  return (eb: HolderScope) => eb.and([eb('c.status', '=', 'ACTIVE'), eb.or([eb('c.endsAt', 'is', null), eb('c.endsAt', '>', now)])]);
}

/**
 * The report of one organization, or with none given, of the first the actor is an Administrator
 * of. Refuses limited admins and members with the policy's reason.
 */
export async function permissionsReport(
  reader: SqlTarget,
  actorSlackUserId: string,
  organizationId: number | null,
  now: Date,
): Promise<PermissionsReportModel> {
  const managed = await managedOrganizations(reader, actorSlackUserId, now);
  if (managed.length === 0) {
    throw new DomainError('forbidden', await noManagedOrganizationReason(reader, actorSlackUserId, now, REPORT_PURPOSE));
  }
  const administered = managed.filter((organization) => organization.roles.administrator);
  // A limited admin asks of the organization they manage, so the policy's refusal names its Administrators.
  const chosen = organizationId ?? (administered[0] ?? managed[0]!).id;
  const admin = await reportingAdmin(reader, actorSlackUserId, chosen, now);
  const sql = sqlOf(reader);
  const id = admin.organization.id;

  const [standing] = await sql.rows(
    sql.build
      .selectFrom('Connection as c')
      .where('c.organizationId', '=', id)
      .where('c.status', '<>', 'REMOVED')
      .select((eb) => [
        eb.fn.countAll<number | bigint>().as('total'),
        raw<number>`sum(case when ${eb.ref('c.status')} = 'SUSPENDED' then 1 else 0 end)`.as('disabled'),
        raw<number>`sum(case when ${eb.ref('c.status')} = 'EXPIRED' or (${eb.ref('c.status')} = 'ACTIVE' and ${eb.ref(
          'c.endsAt',
        )} is not null and ${eb.ref('c.endsAt')} <= ${now}) then 1 else 0 end)`.as('expired'),
      ]),
  );
  const total = Number(standing?.total ?? 0);
  const disabled = Number(standing?.disabled ?? 0);
  const expired = Number(standing?.expired ?? 0);

  const counts = await sql.rows(
    sql.build
      .selectFrom('ConnectionPermission as p')
      .innerJoin('Connection as c', 'c.id', 'p.connectionId')
      .where('c.organizationId', '=', id)
      .where(holdsNow(now))
      .groupBy('p.permissionKey')
      .select((eb) => ['p.permissionKey', eb.fn.countAll<number | bigint>().as('count')]),
  );
  const ranked = sql.build
    .selectFrom('ConnectionPermission as p')
    .innerJoin('Connection as c', 'c.id', 'p.connectionId')
    .innerJoin('Member as m', 'm.id', 'c.memberId')
    .where('c.organizationId', '=', id)
    .where(holdsNow(now))
    .select((eb) => [
      'p.permissionKey',
      'm.slackUserId',
      'm.displayName',
      'm.email',
      raw<number>`row_number() over (partition by ${eb.ref('p.permissionKey')} order by lower(${eb.ref('m.displayName')}), ${eb.ref(
        'm.id',
      )})`.as('rank'),
    ]);
  const first = await sql.rows(
    sql.build
      .selectFrom(ranked.as('h'))
      .selectAll('h')
      .where('h.rank', '<=', REPORT_NAMED_HOLDERS)
      .orderBy('h.permissionKey')
      .orderBy('h.rank'),
  );
  const countOf = new Map(counts.map((row) => [row.permissionKey, Number(row.count)]));
  return {
    organization: organizationSummary(admin.organization),
    organizations: administered.map(organizationSummary),
    members: { total, active: total - disabled - expired, expired, disabled },
    holders: permissionCatalog().map((permission) => ({
      permission,
      count: countOf.get(permission.key) ?? 0,
      first: first.filter((row) => row.permissionKey === permission.key).map(personSummary),
    })),
  };
}
