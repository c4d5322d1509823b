/**
 * The selection's forms: review it (take people out, choose the action), then confirm it with one
 * note. The services decide who each action applies to; these forms only carry the choices.
 */
import { WebAPIPlatformError, type View, type WebClient } from '@slack/web-api';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { mayGrant } from '../../domain/invitations.js';
import { BULK_ACTIONS, SELECTION_LIMIT, type BulkAction } from '../../domain/member-management.js';
import { TEXT_LIMIT, tooLongMessage } from '../../domain/text-limits.js';
import { applyBulkAction, previewBulkAction } from '../../services/members/bulk-action.js';
import { managingAdmin } from '../../services/members/managing-admin.js';
import { selectionReview, unselectRows } from '../../services/members/selection.js';
import { permissionCatalog } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ListenerRouter, ViewSubmissionArgs } from '../listener-router.js';
import type { FieldPlacement } from '../refusals.js';
import { tellPrivately } from '../tell-privately.js';
import { FORM_DID_NOT_OPEN, openModalOnTrigger } from '../trigger-bound.js';
import { dateOf, selectedValueOf, selectedValuesOf, stateOf, textOf } from '../view-state.js';
import { BULK_TAG_LIMIT, bulkConfirmModal, bulkReviewModal } from '../views/bulk-forms.js';
import { ACTION, BULK_CONFIRM_BLOCK, BULK_REVIEW_BLOCK, CALLBACK, INPUT_ACTION } from '../views/ids.js';
import { CALENDAR_DATE } from '../views/invite-form-parts.js';
import { parseRowKeyValue } from '../views/member-values.js';
import { bulkFormMetadata, decodeMetadata, memberListMetadata, type BulkFormMetadata } from '../views/metadata.js';
import { redrawMemberList, UNREADABLE_LIST } from './users-list.js';

const UNREADABLE_SELECTION = "Gatehouse couldn't read that form. Run `/access users` and review the selection again.";

const REVIEW_FIELDS: FieldPlacement = {
  fields: {
    action: BULK_REVIEW_BLOCK.action,
    tag: BULK_REVIEW_BLOCK.tag,
    endsOn: BULK_REVIEW_BLOCK.endsOn,
    permission: [BULK_REVIEW_BLOCK.permission, BULK_REVIEW_BLOCK.action],
  },
  fallback: BULK_REVIEW_BLOCK.action,
};

const CONFIRM_FIELDS: FieldPlacement = {
  fields: { note: BULK_CONFIRM_BLOCK.note },
  fallback: BULK_CONFIRM_BLOCK.note,
  elsewhere: 'Go back to change the action.',
};

/** The take-out menu: the people chosen in it, at most a selection's worth. */
const unselectAction = z.object({ selected_options: z.array(z.object({ value: z.string() })).max(SELECTION_LIMIT) });

const pressedView = z.object({ id: z.string().min(1), type: z.enum(['modal', 'home']), hash: z.string().optional() });

function formMetadata(raw: unknown): BulkFormMetadata {
  const metadata = decodeMetadata(bulkFormMetadata, raw);
  if (!metadata) throw new DomainError('unreadable', UNREADABLE_SELECTION);
  return metadata;
}

/** The review form, as it stands for this admin now. */
async function reviewView(context: GatehouseContext, userId: string, metadata: BulkFormMetadata): Promise<View> {
  const now = context.now();
  const [review, admin] = await Promise.all([
    selectionReview(context.sql, userId, metadata.list.organizationId, now),
    managingAdmin(context.sql, userId, metadata.list.organizationId, now),
  ]);
  const grantable = permissionCatalog().filter((permission) => mayGrant(admin.roles, permission.key));
  return bulkReviewModal({ organization: review.organization, rows: review.rows, roles: admin.roles, grantable }, metadata);
}

/** The chosen action and what it needs, or field errors for what is missing. */
function chosenAction(view: ViewSubmissionArgs['view']): BulkAction {
  const state = stateOf(view);
  const kind = z.enum(BULK_ACTIONS).safeParse(selectedValueOf(state, BULK_REVIEW_BLOCK.action, INPUT_ACTION));
  if (!kind.success) throw DomainError.ofFields({ action: 'Choose what to do.' });
  switch (kind.data) {
    case 'add_tag':
    case 'remove_tag': {
      const tag = textOf(state, BULK_REVIEW_BLOCK.tag, INPUT_ACTION)?.replace(/\s+/g, ' ');
      if (!tag) throw DomainError.ofFields({ tag: 'Type the tag.' });
      if (tag.length > BULK_TAG_LIMIT) throw DomainError.ofFields({ tag: tooLongMessage(BULK_TAG_LIMIT) });
      return { kind: kind.data, tag };
    }
    case 'set_end_date': {
      const endsOn = dateOf(state, BULK_REVIEW_BLOCK.endsOn, INPUT_ACTION);
      if (!endsOn || !CALENDAR_DATE.test(endsOn)) throw DomainError.ofFields({ endsOn: 'Choose the end date.' });
      return { kind: kind.data, endsOn };
    }
    case 'add_permission':
    case 'remove_permission': {
      const permission = selectedValueOf(state, BULK_REVIEW_BLOCK.permission, INPUT_ACTION);
      if (!permission) throw DomainError.ofFields({ permission: 'Choose the permission.' });
      return { kind: kind.data, permission };
    }
    case 'clear_end_date':
    case 'resend':
    case 'disconnect':
      return { kind: kind.data };
  }
}

/** Pushes the review on the list modal, or opens it over App Home, which has no modal to push on. */
async function showReview(client: WebClient, context: GatehouseContext, body: ActionArgs['body'], listViewId: string | null, view: View) {
  const tell = (text: string) => tellPrivately(client, body.user.id, null, text);
  if (listViewId === null) {
    await openModalOnTrigger({ client, triggerId: body.trigger_id, view, logger: context.logger, tell });
    return;
  }
  try {
    await client.views.push({ trigger_id: body.trigger_id, view });
  } catch (error) {
    const expected = error instanceof WebAPIPlatformError;
    context.logger[expected ? 'warn' : 'error']({ err: error, method: 'views.push' }, 'Slack did not open the form');
    await tell(FORM_DID_NOT_OPEN);
  }
}

export function bulkActionListeners(context: GatehouseContext) {
  return {
    /** "Review selection (N)" in the list. */
    async reviewRequested({ ack, body, client }: ActionArgs) {
      await ack();
      const pressed = pressedView.safeParse(body.view);
      const list = pressed.success ? decodeMetadata(memberListMetadata, body.view?.private_metadata) : null;
      if (!pressed.success || !list) throw new DomainError('unreadable', UNREADABLE_LIST);
      const listViewId = pressed.data.type === 'modal' ? pressed.data.id : null;
      const view = await reviewView(context, body.user.id, { listViewId, list, action: null });
      await showReview(client, context, body, listViewId, view);
    },

    /** People taken out in the review: the review and the list under it are drawn again. */
    async peopleUnselected({ ack, body, action, client }: ActionArgs) {
      await ack();
      const pressed = pressedView.safeParse(body.view);
      if (!pressed.success || !body.view) throw new DomainError('unreadable', UNREADABLE_SELECTION);
      const metadata = formMetadata(body.view.private_metadata);
      const chosen = unselectAction.safeParse(action);
      if (!chosen.success) throw new DomainError('unreadable', UNREADABLE_SELECTION);
      const rows = chosen.data.selected_options.map((option) => parseRowKeyValue(option.value));
      if (rows.length === 0) return;
      const userId = body.user.id;
      await unselectRows(context.prisma, { actorSlackUserId: userId, organizationId: metadata.list.organizationId, rows }, context.now());
      await client.views
        .update({ view_id: pressed.data.id, hash: pressed.data.hash, view: await reviewView(context, userId, metadata) })
        // hash_conflict: a newer version of the review is already showing.
        .catch((error: unknown) => context.logger.debug({ err: error }, 'selection review was not redrawn'));
      await redrawMemberList(client, context, userId, { listViewId: metadata.listViewId, list: metadata.list });
    },

    /** Next: who the action applies to, and who is left out and why, before anything changes. */
    async reviewSubmitted({ ack, body, view }: ViewSubmissionArgs) {
      const metadata = formMetadata(view.private_metadata);
      const action = chosenAction(view);
      const preview = await previewBulkAction(context.sql, body.user.id, metadata.list.organizationId, action, context.now());
      if (preview.applicable.length === 0) {
        const why = preview.skipped[0]?.reason ?? 'The selection is empty.';
        throw DomainError.ofFields({ action: `This applies to none of the selected people. ${why}` });
      }
      const catalog = permissionCatalog();
      const permissionName = (key: string) => catalog.find((permission) => permission.key === key)?.name ?? key;
      await ack({ response_action: 'push', view: bulkConfirmModal({ ...preview, permissionName }, { ...metadata, action }) });
    },

    /** Apply: one note for the batch, one log entry per person; the admins get one summary. */
    async confirmSubmitted({ ack, body, view, client }: ViewSubmissionArgs) {
      const metadata = formMetadata(view.private_metadata);
      if (!metadata.action) throw new DomainError('unreadable', UNREADABLE_SELECTION);
      const state = stateOf(view);
      const note = textOf(state, BULK_CONFIRM_BLOCK.note, INPUT_ACTION);
      if (note && note.length > TEXT_LIMIT.note) throw DomainError.ofFields({ note: tooLongMessage(TEXT_LIMIT.note) });
      const notifyMembers = selectedValuesOf(state, BULK_CONFIRM_BLOCK.notify, INPUT_ACTION).includes('notify');
      const userId = body.user.id;
      const result = await applyBulkAction(
        context.prisma,
        { actorSlackUserId: userId, organizationId: metadata.list.organizationId, action: metadata.action, note, notifyMembers },
        context.invitations,
        context.now(),
      );
      // Done closes the list's forms; from App Home, the tab underneath shows the list as it is now.
      await ack({ response_action: 'clear' });
      context.wakeOutbox();
      if (metadata.listViewId === null) await redrawMemberList(client, context, userId, { listViewId: null, list: metadata.list });
      await tellPrivately(client, userId, null, `Done: ${result.changed} changed, ${result.skipped} left out.`);
    },
  };
}

export function registerBulkActions(router: ListenerRouter, context: GatehouseContext): void {
  const bulk = bulkActionListeners(context);
  router.action(ACTION.usersReviewSelection, bulk.reviewRequested);
  router.action(ACTION.bulkUnselect, bulk.peopleUnselected);
  router.view(CALLBACK.bulkReview, bulk.reviewSubmitted, REVIEW_FIELDS);
  router.view(CALLBACK.bulkConfirm, bulk.confirmSubmitted, CONFIRM_FIELDS);
}
