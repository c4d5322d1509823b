import type { App } from '@slack/bolt';
import type { HomeView } from '@slack/types';
import { z } from 'zod';
import type { SqlTarget } from '../../db/sql.js';
import { DomainError } from '../../domain/errors.js';
import { chooseHomeSection, homeSectionOf } from '../../services/members/home-tab.js';
import { managedOrganizations } from '../../services/members/managing-admin.js';
import { defaultMemberQuery, memberList } from '../../services/members/member-list.js';
import { myAccess } from '../../services/read-models.js';
import { homeStartOf } from '../../services/settings.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ListenerRouter } from '../listener-router.js';
import { ACTION } from '../views/ids.js';
import { myAccessHome, myAccessMessage } from '../views/my-access.js';
import { usersListHome } from '../views/users-list.js';

const appHomeOpened = z.object({
  user: z.string().min(1),
  tab: z.string(),
});

/**
 * The person's own access, with the section buttons when they manage an organization's members;
 * `expandedOrganizationId` shows that organization's details open.
 */
async function accessHome(
  reader: SqlTarget,
  slackUserId: string,
  now: Date,
  expandedOrganizationId: number | null = null,
): Promise<HomeView> {
  const [model, managed] = await Promise.all([
    myAccess(reader, slackUserId, now, expandedOrganizationId),
    managedOrganizations(reader, slackUserId, now),
  ]);
  const membersOf = managed.find(({ roles }) => roles.administrator || roles.trainingAdmin);
  return myAccessHome(model, membersOf?.id ?? null);
}

/**
 * App Home as the person last left it: their own access, or the members list they chose. A list
 * they may no longer see (their admin role ended) falls back to their own access.
 */
export async function homeViewFor(reader: SqlTarget, slackUserId: string, now: Date): Promise<HomeView> {
  const section = await homeSectionOf(reader, slackUserId);
  if (section.section === 'members') {
    try {
      return usersListHome(await memberList(reader, slackUserId, section.query, now));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return accessHome(reader, slackUserId, now);
}

/**
 * App Home as it opens: on the start section the person chose in `/access settings`, remembered so
 * redraws keep it; otherwise where they left it. A users section they can no longer see is not
 * remembered, and they see their own access.
 */
async function openingHomeView(context: GatehouseContext, slackUserId: string, now: Date): Promise<HomeView> {
  const start = await homeStartOf(context.sql, slackUserId);
  if (start === 'access') {
    await chooseHomeSection(context.prisma, slackUserId, { section: 'access' });
  } else if (start === 'members') {
    const managed = await managedOrganizations(context.sql, slackUserId, now);
    const membersOf = managed.find(({ roles }) => roles.administrator || roles.trainingAdmin);
    if (membersOf) await chooseHomeSection(context.prisma, slackUserId, { section: 'members', query: defaultMemberQuery(membersOf.id) });
  }
  return homeViewFor(context.sql, slackUserId, now);
}

export function registerAppHome(app: App, context: GatehouseContext): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    const parsed = appHomeOpened.safeParse(event);
    if (!parsed.success || parsed.data.tab !== 'home') return;
    try {
      await client.views.publish({ user_id: parsed.data.user, view: await openingHomeView(context, parsed.data.user, context.now()) });
    } catch (error) {
      // The tab stays as it was; opening it again tries again.
      logger.warn('could not publish the App Home tab', error);
    }
  });
}

const organizationValue = z.object({ value: z.coerce.number().int().positive() });

/** App Home's section buttons; the choice is remembered, so the next redraw shows the same section. */
export function homeSectionListeners(context: GatehouseContext) {
  return {
    async accessShown({ ack, body, client }: ActionArgs) {
      await ack();
      const userId = body.user.id;
      await chooseHomeSection(context.prisma, userId, { section: 'access' });
      await client.views.publish({ user_id: userId, view: await accessHome(context.sql, userId, context.now()) });
    },

    async membersShown({ ack, body, action, client }: ActionArgs) {
      await ack();
      const chosen = organizationValue.safeParse(action);
      if (!chosen.success) throw new DomainError('unreadable', "Gatehouse couldn't read that button. Open App Home again.");
      const userId = body.user.id;
      const query = defaultMemberQuery(chosen.data.value);
      // Refused (not an admin there), this throws before anything is remembered; the person is told privately.
      const model = await memberList(context.sql, userId, query, context.now());
      await chooseHomeSection(context.prisma, userId, { section: 'members', query });
      await client.views.publish({ user_id: userId, view: usersListHome(model) });
    },
  };
}

/**
 * Opening and closing one organization's details in the person's own access: App Home is
 * published again, and `/access me` (an ephemeral message) is replaced through its response_url.
 */
export function myAccessDetailListeners(context: GatehouseContext) {
  async function redraw({ body, client, respond }: ActionArgs, expandedOrganizationId: number | null): Promise<void> {
    const userId = body.user.id;
    const now = context.now();
    if (body.view?.type === 'home') {
      // Opening details is a look, not a choice of section: the section stored stays as it is.
      await client.views.publish({ user_id: userId, view: await accessHome(context.sql, userId, now, expandedOrganizationId) });
      return;
    }
    const model = await myAccess(context.sql, userId, now, expandedOrganizationId);
    await respond({ replace_original: true, ...myAccessMessage(model) });
  }

  return {
    async detailsOpened(args: ActionArgs) {
      await args.ack();
      const chosen = organizationValue.safeParse(args.action);
      if (!chosen.success) throw new DomainError('unreadable', "Gatehouse couldn't read that button. Run `/access me` again.");
      await redraw(args, chosen.data.value);
    },

    async detailsClosed(args: ActionArgs) {
      await args.ack();
      await redraw(args, null);
    },
  };
}

export function registerHomeSections(router: ListenerRouter, context: GatehouseContext): void {
  const sections = homeSectionListeners(context);
  router.action(ACTION.homeShowAccess, sections.accessShown);
  router.action(ACTION.homeShowMembers, sections.membersShown);
  const details = myAccessDetailListeners(context);
  router.action(ACTION.myAccessExpand, details.detailsOpened);
  router.action(ACTION.myAccessCollapse, details.detailsClosed);
}
