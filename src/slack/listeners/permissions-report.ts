/**
 * `/access report` and the CSV exports: the report modal, its organization picker, the holder
 * counts that open `/access users` on those holders, and the export buttons of the report and of
 * `/access log`, each of which asks the export service and lets the file follow in the DM.
 */
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { exportRequestSchema, type ExportRequest } from '../../domain/log-query.js';
import { PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import { permissionsReport } from '../../services/exports/permissions-report.js';
import { requestExport } from '../../services/exports/request-export.js';
import { defaultMemberQuery, memberList } from '../../services/members/member-list.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ListenerRouter } from '../listener-router.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { ACTION } from '../views/ids.js';
import { decodeMetadata, logViewMetadata } from '../views/metadata.js';
import { permissionsReportModal } from '../views/permissions-report.js';
import { usersListModal } from '../views/users-list.js';

export const UNREADABLE_REPORT = "Gatehouse couldn't read that report. Run `/access report` again.";
const UNREADABLE_LOG = "Gatehouse couldn't read that log's filters. Run `/access log` again.";

const buttonAction = z.object({ value: z.string().max(2000) });
const selectAction = z.object({ selected_option: z.object({ value: z.string() }) });
const organizationId = z.coerce.number().int().positive();
const holdersValue = z.string().regex(/^([1-9]\d{0,9}):([a-z_]{1,60})$/);
const pressedView = z.object({ id: z.string().min(1), hash: z.string().optional(), private_metadata: z.string().optional() });

/** `/access report`: the report of the first organization the person is an Administrator of. */
export async function openPermissionsReport(
  client: WebClient,
  context: GatehouseContext,
  request: { userId: string; triggerId: string; tell: (text: string) => Promise<unknown> },
): Promise<void> {
  const model = await permissionsReport(context.sql, request.userId, null, context.now());
  await openModalOnTrigger({
    client,
    triggerId: request.triggerId,
    view: permissionsReportModal(model),
    logger: context.logger,
    tell: request.tell,
  });
}

function buttonValue(action: unknown, unreadable: string): string {
  const parsed = buttonAction.safeParse(action);
  if (!parsed.success) throw new DomainError('unreadable', unreadable);
  return parsed.data.value;
}

/** The organization a report button names (its value). */
function organizationOfButton(action: unknown): number {
  const parsed = organizationId.safeParse(buttonValue(action, UNREADABLE_REPORT));
  if (!parsed.success) throw new DomainError('unreadable', UNREADABLE_REPORT);
  return parsed.data;
}

/** The log export's request, from the button's value, and its organization, from the log modal's metadata. */
function logExportOf(body: ActionArgs['body'], action: unknown): { organizationId: number; request: ExportRequest } {
  let value: unknown;
  try {
    value = JSON.parse(buttonValue(action, UNREADABLE_LOG));
  } catch {
    throw new DomainError('unreadable', UNREADABLE_LOG);
  }
  const request = exportRequestSchema.safeParse(value);
  const view = pressedView.safeParse(body.view);
  const metadata = view.success ? decodeMetadata(logViewMetadata, view.data.private_metadata) : null;
  if (!request.success || request.data.kind !== 'log' || !metadata) throw new DomainError('unreadable', UNREADABLE_LOG);
  return { organizationId: metadata.query.organizationId, request: request.data };
}

export function permissionsReportListeners(context: GatehouseContext) {
  /** Asks for the export; the file follows in the person's DM, through the outbox. */
  const exportRequested = async (userId: string, organization: number, request: ExportRequest) => {
    await requestExport(context.prisma, { actorSlackUserId: userId, organizationId: organization, request }, context.now());
    context.wakeOutbox();
  };

  return {
    async organizationPicked({ ack, body, action, client }: ActionArgs) {
      await ack();
      const view = pressedView.safeParse(body.view);
      const picked = organizationId.safeParse(selectAction.safeParse(action).data?.selected_option.value);
      if (!view.success || !picked.success) throw new DomainError('unreadable', UNREADABLE_REPORT);
      const model = await permissionsReport(context.sql, body.user.id, picked.data, context.now());
      try {
        await client.views.update({
          view_id: view.data.id,
          view: permissionsReportModal(model),
          ...(view.data.hash ? { hash: view.data.hash } : {}),
        });
      } catch (error) {
        // A newer version of the report is already showing: it is the one to keep.
        if (error instanceof WebAPIPlatformError && error.data.error === 'hash_conflict') return;
        throw error;
      }
    },

    /** A permission's count: `/access users` on its holders (active access holding it), pushed on the report. */
    async holdersChosen({ ack, body, action, client }: ActionArgs) {
      await ack();
      const parsed = holdersValue.safeParse(buttonValue(action, UNREADABLE_REPORT));
      const match = parsed.success ? /^(\d+):(.+)$/.exec(parsed.data) : null;
      const permission = PERMISSION_CATALOG.find((candidate) => candidate.key === match?.[2]);
      if (!match || !permission) throw new DomainError('unreadable', UNREADABLE_REPORT);
      const query = { ...defaultMemberQuery(Number(match[1])), permission: permission.key, status: 'active' as const };
      const model = await memberList(context.sql, body.user.id, query, context.now());
      await openModalOnTrigger({
        client,
        triggerId: body.trigger_id,
        view: usersListModal(model),
        logger: context.logger,
        tell: (text) => client.chat.postMessage({ channel: body.user.id, text }),
        push: true,
      });
    },

    async reportExportRequested({ ack, body, action }: ActionArgs) {
      await ack();
      await exportRequested(body.user.id, organizationOfButton(action), { kind: 'report' });
    },

    async gridExportRequested({ ack, body, action }: ActionArgs) {
      await ack();
      await exportRequested(body.user.id, organizationOfButton(action), { kind: 'grid' });
    },

    async logExportRequested({ ack, body, action }: ActionArgs) {
      await ack();
      const { organizationId: organization, request } = logExportOf(body, action);
      await exportRequested(body.user.id, organization, request);
    },
  };
}

export function registerPermissionsReport(router: ListenerRouter, context: GatehouseContext): void {
  const report = permissionsReportListeners(context);
  router.action(ACTION.reportPickOrganization, report.organizationPicked);
  router.action(ACTION.reportHolders, report.holdersChosen);
  router.action(ACTION.reportExport, report.reportExportRequested);
  router.action(ACTION.gridExport, report.gridExportRequested);
  router.action(ACTION.logExport, report.logExportRequested);
}
