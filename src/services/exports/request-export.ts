/**
 * An admin asks for a CSV export (the permissions grid, the permissions report, or the log with
 * the filters they had on). The policy decides; the log records who exported what and when; the
 * outbox row that makes and uploads the file commits with that entry, so every file sent is logged.
 */
import { TRANSACTION_OPTIONS, type Db } from '../../db/client.js';
import { appendChained } from '../../db/permission-log.js';
import type { SqlTarget } from '../../db/sql.js';
import { calendarDateIn } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { exportRequestSchema, type ExportKind, type ExportRequest } from '../../domain/log-query.js';
import type { ManagementAction } from '../../domain/member-management.js';
import { logScopeOf, mayTake, type LogScope } from '../../domain/member-policy.js';
import { LOG_ACTION } from '../../domain/permissions-log.js';
import { enqueue } from '../outbox.js';
import { managingAdmin, type ManagingAdmin } from '../members/managing-admin.js';

/** What each export is called in refusals, log entries and the file's message. */
export const EXPORT_LABEL: Record<ExportKind, string> = {
  grid: 'the permissions grid',
  report: 'the permissions report',
  log: 'the permissions log',
};

export function exportAction(kind: ExportKind): ManagementAction {
  return kind === 'log' ? 'log.export' : 'report.export';
}

/** The actor, refused (naming whom to ask) unless the policy lets them make this export of this organization. */
export async function exportingAdmin(
  reader: SqlTarget,
  actorSlackUserId: string,
  organizationId: number,
  kind: ExportKind,
  now: Date,
): Promise<ManagingAdmin> {
  const admin = await managingAdmin(reader, actorSlackUserId, organizationId, now, `export ${EXPORT_LABEL[kind]}`);
  const decision = mayTake(exportAction(kind), {
    actor: admin.facts,
    context: { today: calendarDateIn(now, admin.organization.timeZone), otherAdministrators: 0 },
  });
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
  return admin;
}

/** The log entry's record of an export: which one, and the log's filters for a log export. */
export function exportedSnapshot(request: ExportRequest) {
  return request.kind === 'log' ? { export: request.kind, filters: request.filters } : { export: request.kind };
}

export async function requestExport(
  prisma: Db,
  input: { actorSlackUserId: string; organizationId: number; request: unknown },
  now: Date,
): Promise<{ logEntryId: number; kind: ExportKind }> {
  const parsed = exportRequestSchema.safeParse(input.request);
  if (!parsed.success) throw new DomainError('unreadable', "Gatehouse couldn't read what to export. Open the view again and retry.");
  const request = parsed.data;
  return prisma.$transaction(async (tx) => {
    const admin = await exportingAdmin(tx, input.actorSlackUserId, input.organizationId, request.kind, now);
    const entry = await appendChained(tx, {
      organizationId: admin.organization.id,
      actorId: admin.member.id,
      action: LOG_ACTION.exported,
      before: null,
      after: exportedSnapshot(request),
      note: null,
      createdAt: now,
    });
    await enqueue(
      tx,
      [
        {
          kind: 'export.csv',
          organizationId: admin.organization.id,
          request,
          logEntryId: entry.id,
          upToSequence: entry.sequence,
          userId: admin.member.slackUserId,
        },
      ],
      now,
    );
    return { logEntryId: entry.id, kind: request.kind };
  }, TRANSACTION_OPTIONS);
}

/** What the dispatcher needs to make a queued export: the organization, and what the admin may see of the log. */
export interface ExportToDeliver {
  organization: ManagingAdmin['organization'];
  scope: LogScope;
  request: ExportRequest;
}

/**
 * A queued export as it stands at delivery: null when the admin may no longer make it (their
 * role ended since), so the file goes out only under the policy as it is when it is made.
 */
export async function exportToDeliver(
  reader: SqlTarget,
  item: { organizationId: number; userId: string; request: ExportRequest },
  now: Date,
): Promise<ExportToDeliver | null> {
  try {
    const admin = await exportingAdmin(reader, item.userId, item.organizationId, item.request.kind, now);
    return { organization: admin.organization, scope: logScopeOf(admin.roles), request: item.request };
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}
