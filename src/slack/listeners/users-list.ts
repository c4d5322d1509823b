/**
 * `/access users` and App Home's members section: every control of the list reads the query the
 * view carries, changes it, asks for the page and draws it again where it was pressed.
 */
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import {
  ENDS_WITHIN_DAYS,
  MEMBER_SORTS,
  MEMBER_STATUS_FILTERS,
  type MemberListQuery,
  type MemberStatusFilter,
} from '../../domain/member-management.js';
import { PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import { chooseHomeSection } from '../../services/members/home-tab.js';
import { managedOrganizations, noManagedOrganizationReason } from '../../services/members/managing-admin.js';
import { defaultMemberQuery, memberList } from '../../services/members/member-list.js';
import { clearSelection, selectRows, toggleSelection } from '../../services/members/selection.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ListenerRouter, ViewSubmissionArgs } from '../listener-router.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { stateOf, textOf, type ViewStateValues } from '../view-state.js';
import { ACTION, CALLBACK, USERS_LIST_BLOCK } from '../views/ids.js';
import { parseRowValue } from '../views/member-values.js';
import { decodeMetadata, memberListMetadata, type MemberListMetadata } from '../views/metadata.js';
import { ANY, LIST_TEXT_LIMIT, usersListHome, usersListModal } from '../views/users-list.js';
import { openRowForm } from './member-forms.js';

export const UNREADABLE_LIST = "Gatehouse couldn't read that list. Run `/access users` again.";

/** Where a list is drawn: a modal (by its view id) or the person's App Home. */
export interface ListSurface {
  /** The list modal's view id, or null for App Home. */
  listViewId: string | null;
  list: MemberListMetadata;
}

/** The list a control was pressed in, with the hash that keeps an older redraw from overwriting a newer one. */
interface PressedList extends ListSurface {
  hash: string | undefined;
  state: ViewStateValues;
}

const pressedView = z.object({
  id: z.string().min(1),
  type: z.enum(['modal', 'home']),
  hash: z.string().optional(),
  private_metadata: z.string().optional(),
});

function pressedList(body: ActionArgs['body']): PressedList {
  const view = pressedView.safeParse(body.view);
  const list = view.success ? decodeMetadata(memberListMetadata, view.data.private_metadata) : null;
  if (!view.success || !list || !body.view) throw new DomainError('unreadable', UNREADABLE_LIST);
  return {
    listViewId: view.data.type === 'modal' ? view.data.id : null,
    list,
    hash: view.data.hash,
    state: stateOf(body.view),
  };
}

/** A search or tag as typed: one line, at most what the list's metadata carries, null when empty. */
function typed(text: string | null | undefined, limit: number): string | null {
  const cleaned = (text ?? '').replace(/\s+/g, ' ').trim().slice(0, limit).trim();
  return cleaned === '' ? null : cleaned;
}

/** The search and tag boxes as they stand in the view. */
function typedFilters(state: ViewStateValues): Pick<MemberListQuery, 'search' | 'tag'> {
  return {
    search: typed(textOf(state, USERS_LIST_BLOCK.search, ACTION.usersSearch), LIST_TEXT_LIMIT.search),
    tag: typed(textOf(state, USERS_LIST_BLOCK.tag, ACTION.usersFilterTag), LIST_TEXT_LIMIT.tag),
  };
}

const textAction = z.object({ value: z.string().nullish() });
const selectAction = z.object({ selected_option: z.object({ value: z.string() }) });
const buttonAction = z.object({ value: z.string() });

function selectedValue(action: unknown): string {
  const parsed = selectAction.safeParse(action);
  if (!parsed.success) throw new DomainError('unreadable', UNREADABLE_LIST);
  return parsed.data.selected_option.value;
}

/** A filter's choice: "Any …" is null, anything else must be one of the choices the list offers. */
function filterChoice<T>(action: unknown, parse: (value: string) => T | undefined): T | null {
  const value = selectedValue(action);
  if (value === ANY) return null;
  const chosen = parse(value);
  if (chosen === undefined) throw new DomainError('unreadable', UNREADABLE_LIST);
  return chosen;
}

const statusOf = (value: string) => MEMBER_STATUS_FILTERS.find((status): status is MemberStatusFilter => status === value);
const permissionOf = (value: string) => PERMISSION_CATALOG.find((permission) => permission.key === value)?.key;
const endsWithinOf = (value: string) => ENDS_WITHIN_DAYS.find((days) => String(days) === value);
const sortOf = (value: string) => MEMBER_SORTS.find((sort) => sort === value);

/** Draws the list in the modal or App Home it belongs to; App Home also remembers it as the section to show. */
async function drawList(client: WebClient, context: GatehouseContext, userId: string, surface: ListSurface, hash?: string): Promise<void> {
  const model = await memberList(context.sql, userId, surface.list, context.now());
  try {
    if (surface.listViewId === null) {
      await chooseHomeSection(context.prisma, userId, { section: 'members', query: model.query });
      await client.views.publish({ user_id: userId, view: usersListHome(model), ...(hash ? { hash } : {}) });
    } else {
      await client.views.update({ view_id: surface.listViewId, view: usersListModal(model), ...(hash ? { hash } : {}) });
    }
  } catch (error) {
    // A newer version of the list is already showing: it is the one to keep.
    if (error instanceof WebAPIPlatformError && error.data.error === 'hash_conflict') {
      context.logger.debug({ err: error }, 'members list was not redrawn');
      return;
    }
    throw error;
  }
}

/** For the forms opened from the list: draws the list again once they have saved. */
export async function redrawMemberList(client: WebClient, context: GatehouseContext, userId: string, surface: ListSurface): Promise<void> {
  await drawList(client, context, userId, surface);
}

/** `/access users [search]` and `/access invitations`: the list of the first organization this person manages. */
export async function openUsersList(
  client: WebClient,
  context: GatehouseContext,
  request: {
    userId: string;
    triggerId: string;
    search: string | null;
    status: MemberStatusFilter | null;
    tell: (text: string) => Promise<unknown>;
  },
): Promise<void> {
  const now = context.now();
  const organizations = await managedOrganizations(context.sql, request.userId, now);
  if (organizations.length === 0) {
    throw new DomainError('forbidden', await noManagedOrganizationReason(context.sql, request.userId, now, 'manage its members'));
  }
  // An organization whose members they may list comes first; with none, the list says to use `/access callers`.
  const first = organizations.find(({ roles }) => roles.administrator || roles.trainingAdmin) ?? organizations[0]!;
  const query: MemberListQuery = {
    ...defaultMemberQuery(first.id),
    search: typed(request.search, LIST_TEXT_LIMIT.search),
    status: request.status,
  };
  const model = await memberList(context.sql, request.userId, query, now);
  await openModalOnTrigger({
    client,
    triggerId: request.triggerId,
    view: usersListModal(model),
    logger: context.logger,
    tell: request.tell,
  });
}

export function usersListListeners(context: GatehouseContext) {
  /** The list again, with the query changed as `change` says. */
  const redrawWith = async (
    { ack, body, action, client }: ActionArgs,
    change: (pressed: PressedList, action: unknown) => MemberListMetadata,
  ) => {
    await ack();
    const pressed = pressedList(body);
    await drawList(client, context, body.user.id, { listViewId: pressed.listViewId, list: change(pressed, action) }, pressed.hash);
  };
  /** A search or filter change starts again at the first page. */
  const refiltered = (pressed: PressedList, changes: Partial<MemberListMetadata>): MemberListMetadata => ({
    ...pressed.list,
    ...typedFilters(pressed.state),
    ...changes,
    page: 0,
  });

  return {
    organizationPicked: (args: ActionArgs) =>
      redrawWith(args, (_pressed, action) => {
        const organizationId = z.coerce.number().int().positive().safeParse(selectedValue(action));
        if (!organizationId.success) throw new DomainError('unreadable', UNREADABLE_LIST);
        return defaultMemberQuery(organizationId.data);
      }),
    searched: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => {
        const parsed = textAction.safeParse(action);
        return refiltered(pressed, { search: typed(parsed.success ? parsed.data.value : null, LIST_TEXT_LIMIT.search) });
      }),
    tagFiltered: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => {
        const parsed = textAction.safeParse(action);
        return refiltered(pressed, { tag: typed(parsed.success ? parsed.data.value : null, LIST_TEXT_LIMIT.tag) });
      }),
    statusFiltered: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => refiltered(pressed, { status: filterChoice(action, statusOf) })),
    permissionFiltered: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => refiltered(pressed, { permission: filterChoice(action, permissionOf) })),
    endsWithinFiltered: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => refiltered(pressed, { endsWithinDays: filterChoice(action, endsWithinOf) })),
    sorted: (args: ActionArgs) =>
      redrawWith(args, (pressed, action) => {
        const sort = sortOf(selectedValue(action));
        if (!sort) throw new DomainError('unreadable', UNREADABLE_LIST);
        return { ...pressed.list, sort, page: 0 };
      }),
    previousPage: (args: ActionArgs) => redrawWith(args, (pressed) => ({ ...pressed.list, page: Math.max(0, pressed.list.page - 1) })),
    nextPage: (args: ActionArgs) => redrawWith(args, (pressed) => ({ ...pressed.list, page: pressed.list.page + 1 })),

    /** The ⋯ menu of a row: Select toggles it in the selection; the rest open their form. */
    async rowChosen({ ack, body, action, client }: ActionArgs) {
      await ack();
      const pressed = pressedList(body);
      const { verb, key } = parseRowValue(selectedValue(action));
      const userId = body.user.id;
      if (verb === 'select') {
        await toggleSelection(
          context.prisma,
          { actorSlackUserId: userId, organizationId: pressed.list.organizationId, row: key },
          context.now(),
        );
        await drawList(client, context, userId, pressed);
        return;
      }
      await openRowForm({
        client,
        context,
        userId,
        triggerId: body.trigger_id,
        verb,
        row: key,
        surface: { listViewId: pressed.listViewId, list: pressed.list },
      });
    },

    async pageSelected({ ack, body, action, client }: ActionArgs) {
      await ack();
      const pressed = pressedList(body);
      const userId = body.user.id;
      // The button names the page it was drawn on; the rows are read again, as the policy sees them now.
      const page = z.coerce.number().int().min(0).safeParse(buttonAction.safeParse(action).data?.value);
      const list = { ...pressed.list, page: page.success ? page.data : pressed.list.page };
      const model = await memberList(context.sql, userId, list, context.now());
      const rows = model.rows.filter((row) => row.can.select && !row.selected).map((row) => row.key);
      if (rows.length > 0) {
        await selectRows(context.prisma, { actorSlackUserId: userId, organizationId: list.organizationId, rows }, context.now());
      }
      await drawList(client, context, userId, { listViewId: pressed.listViewId, list });
    },

    async selectionCleared({ ack, body, client }: ActionArgs) {
      await ack();
      const pressed = pressedList(body);
      await clearSelection(context.prisma, { actorSlackUserId: body.user.id, organizationId: pressed.list.organizationId }, context.now());
      await drawList(client, context, body.user.id, pressed);
    },

    /** The modal's Search button: what Enter in the search and tag boxes does. */
    async searchSubmitted({ ack, body, view }: ViewSubmissionArgs) {
      const list = decodeMetadata(memberListMetadata, view.private_metadata);
      if (!list) throw new DomainError('unreadable', UNREADABLE_LIST);
      const query = { ...list, ...typedFilters(stateOf(view)), page: 0 };
      const model = await memberList(context.sql, body.user.id, query, context.now());
      await ack({ response_action: 'update', view: usersListModal(model) });
    },
  };
}

export function registerUsersList(router: ListenerRouter, context: GatehouseContext): void {
  const list = usersListListeners(context);
  router.action(ACTION.usersPickOrganization, list.organizationPicked);
  router.action(ACTION.usersSearch, list.searched);
  router.action(ACTION.usersFilterTag, list.tagFiltered);
  router.action(ACTION.usersFilterStatus, list.statusFiltered);
  router.action(ACTION.usersFilterPermission, list.permissionFiltered);
  router.action(ACTION.usersFilterEndsWithin, list.endsWithinFiltered);
  router.action(ACTION.usersSort, list.sorted);
  router.action(ACTION.usersPreviousPage, list.previousPage);
  router.action(ACTION.usersNextPage, list.nextPage);
  router.action(ACTION.usersManageRow, list.rowChosen);
  router.action(ACTION.usersSelectPage, list.pageSelected);
  router.action(ACTION.usersClearSelection, list.selectionCleared);
  router.view(CALLBACK.usersList, list.searchSubmitted, { fields: {}, fallback: USERS_LIST_BLOCK.search });
}
