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
import { dateOf, stateOf, textOf } from '../view-state.js';
import { tellPrivately } from '../tell-privately.js';

/** How far ahead the Extend form suggests the new end date. */
const SUGGESTED_EXTENSION_DAYS = 30;

/** Extend or remove end dates from the admins' digest. Policy is checked by the service on every change. */
export function registerEndDates(router: ListenerRouter, context: GatehouseContext): void {
  const onDigestButton: Parameters<ListenerRouter['action']>[1] = async ({ body, action, ack, client }) => {
    await ack();
    const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
    const choice = 'value' in action && typeof action.value === 'string' ? parseEndDateChoice(action.value) : null;
    if (!choice) throw new DomainError('unreadable', "Gatehouse couldn't read that choice.");
    const now = context.now();
    if (choice.verb === 'remove') {
      await changeEndDate(
        context.prisma,
        { actorSlackUserId: body.user.id, connectionId: choice.connectionId, endsOn: null, note: null },
        now,
      );
      context.wakeOutbox();
      const notice = await connectionNotice(context.prisma, choice.connectionId);
      await tellPrivately(client, body.user.id, channelId, `Done: <@${notice?.person.slackUserId ?? ''}> now has access with no end date.`);
      return;
    }
    const notice = await connectionNotice(context.prisma, choice.connectionId);
    if (!notice) throw new DomainError('unknown_connection', 'That connection no longer exists.');
    const suggested = addCalendarDays(calendarDateIn(now, notice.organization.timeZone), SUGGESTED_EXTENSION_DAYS);
    const view = extendEndDateView(notice, { connectionId: choice.connectionId }, suggested);
    await openModalOnTrigger({
      client,
      triggerId: body.trigger_id,
      view,
      logger: context.logger,
      tell: (text) => tellPrivately(client, body.user.id, channelId, text),
    });
  };
  router.action(ACTION.extendEndDate, onDigestButton);
  router.action(ACTION.removeEndDate, onDigestButton);

  router.view(
    CALLBACK.extendEndDate,
    async ({ body, view, ack, client }) => {
      const metadata = decodeMetadata(extendFormMetadata, view.private_metadata);
      const state = stateOf(view);
      const endsOn = dateOf(state, EXTEND_FORM_BLOCK.endsOn, INPUT_ACTION);
      if (!metadata || !endsOn) throw DomainError.ofFields({ endsOn: 'Choose the new last day of access.' });
      const note = textOf(state, EXTEND_FORM_BLOCK.note, INPUT_ACTION);
      if (note && note.length > TEXT_LIMIT.endDateNote)
        throw DomainError.ofFields({ note: tooLongMessage(TEXT_LIMIT.endDateNote) }, 'too_long');
      await changeEndDate(
        context.prisma,
        { actorSlackUserId: body.user.id, connectionId: metadata.connectionId, endsOn, note },
        context.now(),
      );
      await ack();
      context.wakeOutbox();
      await tellPrivately(client, body.user.id, null, `Saved: access now lasts until the end of ${endsOn}.`);
    },
    { fields: { endsOn: EXTEND_FORM_BLOCK.endsOn, note: EXTEND_FORM_BLOCK.note }, fallback: EXTEND_FORM_BLOCK.endsOn },
  );
}
