import { addCalendarDays, calendarDateIn } from '../../domain/dates.js';
import { DomainError } from '../../domain/errors.js';
import { TEXT_LIMIT, tooLongMessage } from '../../domain/text-limits.js';
import { changeEndDate, connectionNotice } from '../../services/lifecycle.js';
import type { GatehouseContext } from '../context.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import type { ListenerRouter } from '../listener-router.js';
import { ACTION, CALLBACK, EXTEND_FORM_BLOCK, INPUT_ACTION } from '../views/ids.js';
import { decodeMetadata, extendFormMetadata } from '../views/metadata.js';
import { extendEndDateView, parseEndDateChoice } from '../views/time-limit-notices.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { dateOf, textOf, viewStateValues } from '../view-state.js';
import { tellPrivately } from './access-requests.js';

/** How far ahead the Extend form suggests the new end date. */
const SUGGESTED_EXTENSION_DAYS = 30;

/** Extend or remove end dates from the admins' digest. Policy is checked by the service on every change. */
export function registerEndDates(router: ListenerRouter, context: GatehouseContext): void {
  const onDigestButton: Parameters<ListenerRouter['action']>[1] = async ({ body, action, ack, client }) => {
    await ack();
    const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
    const choice = 'value' in action && typeof action.value === 'string' ? parseEndDateChoice(action.value) : null;
    if (!choice) {
      await tellPrivately(client, body.user.id, channelId, "Gatehouse couldn't read that choice.");
      return;
    }
    const now = context.now();
    try {
      if (choice.verb === 'remove') {
        await changeEndDate(context.prisma, { actorSlackUserId: body.user.id, connectionId: choice.connectionId, endsOn: null, note: null }, now);
        context.wakeOutbox();
        const notice = await connectionNotice(context.prisma, choice.connectionId);
        await tellPrivately(client, body.user.id, channelId, `Done: <@${notice?.person.slackUserId ?? ''}> now has access with no end date.`);
        return;
      }
      const notice = await connectionNotice(context.prisma, choice.connectionId);
      if (!notice) throw new DomainError('unknown_connection', 'That connection no longer exists.');
      const suggested = addCalendarDays(calendarDateIn(now, notice.organization.timeZone), SUGGESTED_EXTENSION_DAYS);
      const view = extendEndDateView(notice, { connectionId: choice.connectionId }, suggested);
      await openModalOnTrigger({ client, triggerId: body.trigger_id, view, logger: context.logger, tell: (text) => tellPrivately(client, body.user.id, channelId, text) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await tellPrivately(client, body.user.id, channelId, escapeMrkdwn(error.message));
    }
  };
  router.action(ACTION.extendEndDate, onDigestButton);
  router.action(ACTION.removeEndDate, onDigestButton);

  router.view(CALLBACK.extendEndDate, async ({ body, view, ack, client }) => {
    const metadata = decodeMetadata(extendFormMetadata, view.private_metadata);
    const state = viewStateValues.safeParse(view.state?.values ?? {});
    const endsOn = state.success ? dateOf(state.data, EXTEND_FORM_BLOCK.endsOn, INPUT_ACTION) : null;
    if (!metadata || !endsOn) {
      await ack({ response_action: 'errors', errors: { [EXTEND_FORM_BLOCK.endsOn]: 'Choose the new last day of access.' } });
      return;
    }
    const note = state.success ? textOf(state.data, EXTEND_FORM_BLOCK.note, INPUT_ACTION) : null;
    if (note && note.length > TEXT_LIMIT.endDateNote) {
      await ack({ response_action: 'errors', errors: { [EXTEND_FORM_BLOCK.note]: tooLongMessage(TEXT_LIMIT.endDateNote) } });
      return;
    }
    try {
      await changeEndDate(context.prisma, { actorSlackUserId: body.user.id, connectionId: metadata.connectionId, endsOn, note }, context.now());
      await ack();
      context.wakeOutbox();
      await tellPrivately(client, body.user.id, null, `Saved: access now lasts until the end of ${endsOn}.`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await ack({ response_action: 'errors', errors: { [EXTEND_FORM_BLOCK.endsOn]: error.message } });
    }
  });
}
