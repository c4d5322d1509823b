/**
 * `/access log`: opens the log modal, and redraws it with the filter, page or expanded entry each
 * control names. Every redraw reads the log again, as the policy lets the viewer see it now.
 */
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import { isCalendarDate } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { LOG_PAGE_SIZE, logFiltersSchema, NO_LOG_FILTERS, type LogFilters } from '../../domain/log-query.js';
import { PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import { LOG_ACTION, type LogAction } from '../../domain/permissions-log.js';
import { browseLog, logPersonOf, startLog, type LogViewState } from '../../services/log/browse-log.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ListenerRouter } from '../listener-router.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { ACTION } from '../views/ids.js';
import { decodeMetadata, logViewMetadata } from '../views/metadata.js';
import { ANY_ACTION, permissionsLogModal } from '../views/permissions-log.js';

export const UNREADABLE_LOG = "Gatehouse couldn't read that log view. Run `/access log` again.";

const pressedView = z.object({ id: z.string().min(1), hash: z.string().optional(), private_metadata: z.string().optional() });

interface PressedLog {
  viewId: string;
  hash: string | undefined;
  state: LogViewState;
}

function pressedLog(body: ActionArgs['body']): PressedLog {
  const view = pressedView.safeParse(body.view);
  const state = view.success ? decodeMetadata(logViewMetadata, view.data.private_metadata) : null;
  if (!view.success || !state) throw new DomainError('unreadable', UNREADABLE_LOG);
  return { viewId: view.data.id, hash: view.data.hash, state };
}

const selectAction = z.object({ selected_option: z.object({ value: z.string() }) });
const userAction = z.object({ selected_user: z.string().regex(/^[UW][A-Z0-9]+$/) });
const dateAction = z.object({ selected_date: z.string().nullish() });
const buttonAction = z.object({ value: z.string() });

function parsed<T>(schema: z.ZodType<T>, action: unknown): T {
  const result = schema.safeParse(action);
  if (!result.success) throw new DomainError('unreadable', UNREADABLE_LOG);
  return result.data;
}

/** A select's choice: "Any …" is null, anything else must be one the view offers. */
function choice<T extends string>(action: unknown, offered: readonly T[]): T | null {
  const value = parsed(selectAction, action).selected_option.value;
  if (value === ANY_ACTION) return null;
  const chosen = offered.find((candidate) => candidate === value);
  if (chosen === undefined) throw new DomainError('unreadable', UNREADABLE_LOG);
  return chosen;
}

/** A date picker's day; Slack sends null when the day is cleared. */
function pickedDay(action: unknown): string | null {
  const day = parsed(dateAction, action).selected_date ?? null;
  if (day !== null && !isCalendarDate(day)) throw new DomainError('unreadable', UNREADABLE_LOG);
  return day;
}

const ACTIONS = Object.values(LOG_ACTION) as LogAction[];
const PERMISSION_KEYS = PERMISSION_CATALOG.map((permission) => permission.key);

async function drawLog(client: WebClient, context: GatehouseContext, userId: string, pressed: PressedLog, state: LogViewState) {
  const model = await browseLog(context.sql, userId, state, context.now());
  try {
    await client.views.update({
      view_id: pressed.viewId,
      view: permissionsLogModal(model),
      ...(pressed.hash ? { hash: pressed.hash } : {}),
    });
  } catch (error) {
    // A newer version of the log is already showing: it is the one to keep.
    if (error instanceof WebAPIPlatformError && error.data.error === 'hash_conflict') {
      context.logger.debug({ err: error }, 'permissions log was not redrawn');
      return;
    }
    throw error;
  }
}

/** `/access log [filters]`: text it cannot read, and anyone who administers nothing, is refused before anything opens. */
export async function openPermissionsLog(
  context: GatehouseContext,
  request: {
    userId: string;
    triggerId: string;
    text: string;
    ack: () => Promise<void>;
    client: WebClient;
    tellByResponseUrl: (text: string) => Promise<unknown>;
  },
): Promise<void> {
  const state = await startLog(context.sql, request.userId, request.text, context.now());
  // Slack waits three seconds for the ack; the trigger lasts as long, so the page is read right after it.
  await request.ack();
  const model = await browseLog(context.sql, request.userId, state, context.now());
  await openModalOnTrigger({
    client: request.client,
    triggerId: request.triggerId,
    view: permissionsLogModal(model),
    logger: context.logger,
    tell: request.tellByResponseUrl,
  });
}

export function permissionsLogListeners(context: GatehouseContext) {
  /** The log again, with the state changed as `change` says. */
  const redrawWith = async (
    { ack, body, action, client }: ActionArgs,
    change: (pressed: PressedLog, action: unknown) => LogViewState | Promise<LogViewState>,
  ) => {
    await ack();
    const pressed = pressedLog(body);
    await drawLog(client, context, body.user.id, pressed, await change(pressed, action));
  };
  /** A filter change starts again at the first page, with every entry closed. */
  const refiltered = (pressed: PressedLog, changes: Partial<LogFilters>): LogViewState => ({
    query: { ...pressed.state.query, filters: logFiltersSchema.parse({ ...pressed.state.query.filters, ...changes }), page: 0 },
    expanded: [],
  });
  const paged = (pressed: PressedLog, page: number): LogViewState => ({
    query: { ...pressed.state.query, page: Math.max(0, page) },
    expanded: [],
  });

  return {
    organizationPicked: (args: ActionArgs) =>
      redrawWith(args, (_pressed, action) => {
        const organizationId = z.coerce.number().int().positive().safeParse(parsed(selectAction, action).selected_option.value);
        if (!organizationId.success) throw new DomainError('unreadable', UNREADABLE_LOG);
        return { query: { organizationId: organizationId.data, filters: NO_LOG_FILTERS, page: 0 }, expanded: [] };
      }),
    memberFiltered: (args: ActionArgs) =>
      redrawWith(args, async (pressed, action) =>
        refiltered(pressed, { memberId: await logPersonOf(context.sql, parsed(userAction, action).selected_user) }),
      ),
    actorFiltered: (args: ActionArgs) =>
      redrawWith(args, async (pressed, action) =>
        refiltered(pressed, { actorId: await logPersonOf(context.sql, parsed(userAction, action).selected_user) }),
      ),
    actionFiltered: (args: ActionArgs) => redrawWith(args, (pressed, action) => refiltered(pressed, { action: choice(action, ACTIONS) })),
    permissionFiltered: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => refiltered(pressed, { permission: choice(action, PERMISSION_KEYS) })),
    fromFiltered: (args: ActionArgs) => redrawWith(args, (pressed, action) => refiltered(pressed, { from: pickedDay(action) })),
    toFiltered: (args: ActionArgs) => redrawWith(args, (pressed, action) => refiltered(pressed, { to: pickedDay(action) })),
    filtersCleared: (args: ActionArgs) => redrawWith(args, (pressed) => refiltered(pressed, NO_LOG_FILTERS)),
    previousPage: (args: ActionArgs) => redrawWith(args, (pressed) => paged(pressed, pressed.state.query.page - 1)),
    nextPage: (args: ActionArgs) => redrawWith(args, (pressed) => paged(pressed, pressed.state.query.page + 1)),
    /** Details opens an entry, or closes it when it is open; the page stays as it is. */
    detailsToggled: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => {
        const id = z.coerce.number().int().positive().safeParse(parsed(buttonAction, action).value);
        if (!id.success) throw new DomainError('unreadable', UNREADABLE_LOG);
        const open = pressed.state.expanded;
        const expanded = open.includes(id.data) ? open.filter((entry) => entry !== id.data) : [...open, id.data];
        return { query: pressed.state.query, expanded: expanded.slice(-LOG_PAGE_SIZE) };
      }),
  };
}

export function registerPermissionsLog(router: ListenerRouter, context: GatehouseContext): void {
  const log = permissionsLogListeners(context);
  router.action(ACTION.logPickOrganization, log.organizationPicked);
  router.action(ACTION.logFilterMember, log.memberFiltered);
  router.action(ACTION.logFilterActor, log.actorFiltered);
  router.action(ACTION.logFilterAction, log.actionFiltered);
  router.action(ACTION.logFilterPermission, log.permissionFiltered);
  router.action(ACTION.logFilterFrom, log.fromFiltered);
  router.action(ACTION.logFilterTo, log.toFiltered);
  router.action(ACTION.logClearFilters, log.filtersCleared);
  router.action(ACTION.logPreviousPage, log.previousPage);
  router.action(ACTION.logNextPage, log.nextPage);
  router.action(ACTION.logDetails, log.detailsToggled);
}
