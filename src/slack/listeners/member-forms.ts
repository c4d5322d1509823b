/**
 * The forms opened from a row of `/access users`: Edit, Disconnect and Restore of a member, and
 * Edit, Resend and Revoke of a pending invitation. Each is pushed on the list modal (or opened
 * from App Home), calls one service, and redraws the list once it is done.
 */
import type { View, WebClient } from '@slack/web-api';
import { DomainError } from '../../domain/errors.js';
import { isAuthorizedCallerInvitation, requireInvitationTextsFit } from '../../domain/invitations.js';
import type { MemberRowKey } from '../../domain/member-management.js';
import type { CallerSettings, PersonSummary } from '../../domain/read-models.js';
import { invitationForManagement } from '../../services/invitations/invitation-for-management.js';
import { disconnectMember } from '../../services/members/member-disconnect.js';
import { editMember, memberForEditing } from '../../services/members/member-edit.js';
import { restoreMember } from '../../services/members/member-restore.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ListenerRouter, ViewSubmissionArgs } from '../listener-router.js';
import type { FieldPlacement } from '../refusals.js';
import { MEMBER_EDIT_PERMISSION_TOGGLE } from '../routes.js';
import { tellPrivately } from '../tell-privately.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { ACTION, CALLBACK, INPUT_ACTION, MEMBER_DISCONNECT_BLOCK, MEMBER_EDIT_BLOCK, MEMBER_RESTORE_BLOCK } from '../views/ids.js';
import { invitationEditView } from '../views/invitation-edit-form.js';
import { invitationResendView } from '../views/invitation-resend-form.js';
import { invitationRevokeView } from '../views/invitation-revoke-form.js';
import { memberDisconnectView } from '../views/member-disconnect-form.js';
import {
  draftOf,
  memberEditView,
  memberWords,
  NOTIFY_VALUE,
  permissionsBeyondRole,
  PREVIEW_SHOWN_BLOCK,
  type MemberEditDraft,
  type MemberEditFormModel,
} from '../views/member-edit-form.js';
import { memberRestoreView } from '../views/member-restore-form.js';
import { decodeMetadata, memberFormMetadata, type MemberFormMetadata, type MemberListSurface } from '../views/metadata.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { dateOf, selectedValueOf, selectedValuesOf, stateOf, textOf, type ViewStateValues } from '../view-state.js';
import { blockIdsOf, tagsFrom } from './invite-form-input.js';
import { redrawMemberList } from './users-list.js';

export type RowFormVerb = 'edit' | 'disconnect' | 'restore' | 'resend' | 'revoke';

const UNREADABLE_ROW_FORM = "Gatehouse couldn't read that form. Close it and open the person again from `/access users`.";

/** Where the Edit form shows a refusal: on the field it is about, otherwise on the note, where the admin is looking. */
export const MEMBER_EDIT_FIELDS: FieldPlacement = (() => {
  const permissions = [MEMBER_EDIT_BLOCK.accessPermissions, MEMBER_EDIT_BLOCK.adminPermissions, MEMBER_EDIT_BLOCK.note];
  return {
    fields: {
      permissions,
      startsOn: MEMBER_EDIT_BLOCK.startsOn,
      endsOn: MEMBER_EDIT_BLOCK.endsOn,
      supportLevel: [MEMBER_EDIT_BLOCK.supportLevel, ...permissions],
      callerLevel: [MEMBER_EDIT_BLOCK.callerLevel, ...permissions],
      tags: MEMBER_EDIT_BLOCK.tags,
      note: MEMBER_EDIT_BLOCK.note,
    },
    fallback: MEMBER_EDIT_BLOCK.note,
  };
})();

export const MEMBER_DISCONNECT_FIELDS: FieldPlacement = {
  fields: { note: MEMBER_DISCONNECT_BLOCK.note },
  fallback: MEMBER_DISCONNECT_BLOCK.note,
};

export const MEMBER_RESTORE_FIELDS: FieldPlacement = {
  fields: { endsOn: MEMBER_RESTORE_BLOCK.endsOn, note: MEMBER_RESTORE_BLOCK.note },
  fallback: MEMBER_RESTORE_BLOCK.endsOn,
};

/** The actor as the preview names them: a mention needs only the Slack user id. */
function actorOf(slackUserId: string): PersonSummary {
  return { slackUserId, displayName: slackUserId, email: null };
}

function memberMetadataOf(view: { private_metadata?: string }): MemberFormMetadata & { row: { kind: 'member'; connectionId: number } } {
  const metadata = decodeMetadata(memberFormMetadata, view.private_metadata);
  if (!metadata || metadata.row.kind !== 'member') throw new DomainError('unreadable', UNREADABLE_ROW_FORM);
  return { ...metadata, row: metadata.row };
}

/**
 * What the Edit form says now. Permissions the editor's role does not cover are not on the form
 * and stay as they are; the policy refuses any change to them whatever a payload says.
 */
export function readMemberEdit(state: ViewStateValues, model: MemberEditFormModel): MemberEditDraft & { tagsText: string | null } {
  const ticked = [
    ...selectedValuesOf(state, MEMBER_EDIT_BLOCK.adminPermissions, INPUT_ACTION),
    ...selectedValuesOf(state, MEMBER_EDIT_BLOCK.accessPermissions, INPUT_ACTION),
  ];
  const kept = permissionsBeyondRole(model.row, model.grantable).map((permission) => permission.key);
  const supportLevel = selectedValueOf(state, MEMBER_EDIT_BLOCK.supportLevel, INPUT_ACTION);
  const caller: CallerSettings | null =
    supportLevel === 'STANDARD' || supportLevel === 'PREMIUM'
      ? { supportLevel, callerLevel: selectedValueOf(state, MEMBER_EDIT_BLOCK.callerLevel, INPUT_ACTION) }
      : null;
  const tagsText = textOf(state, MEMBER_EDIT_BLOCK.tags, INPUT_ACTION);
  return {
    permissions: [...new Set([...ticked, ...kept])],
    tags: tagsFrom(tagsText),
    tagsText,
    startsOn: dateOf(state, MEMBER_EDIT_BLOCK.startsOn, INPUT_ACTION),
    endsOn: dateOf(state, MEMBER_EDIT_BLOCK.endsOn, INPUT_ACTION),
    caller,
    note: textOf(state, MEMBER_EDIT_BLOCK.note, INPUT_ACTION),
    notifyMember: selectedValuesOf(state, MEMBER_EDIT_BLOCK.notify, INPUT_ACTION).includes(NOTIFY_VALUE),
  };
}

/**
 * Redraws the list the form was opened from, once the change is saved and the actor told. A list
 * that cannot be redrawn (closed meanwhile) changes nothing about what was saved, so it is only logged.
 */
export async function redrawListAfter(
  client: WebClient,
  context: GatehouseContext,
  userId: string,
  surface: MemberListSurface,
): Promise<void> {
  await redrawMemberList(client, context, userId, surface).catch((error: unknown) =>
    context.logger.warn({ err: error }, 'the members list was not redrawn after a change'),
  );
}

function refuseVerb(verb: RowFormVerb, row: MemberRowKey): never {
  const reason =
    row.kind === 'member'
      ? 'Only pending invitations can be resent or revoked.'
      : `A pending invitation cannot be ${verb === 'restore' ? 'restored' : 'disconnected'}: edit, resend or revoke it instead.`;
  throw new DomainError('forbidden', reason);
}

async function rowFormView(args: {
  context: GatehouseContext;
  userId: string;
  verb: RowFormVerb;
  row: MemberRowKey;
  surface: MemberListSurface;
}): Promise<View> {
  const { context, userId, verb, row, surface } = args;
  const now = context.now();
  if (row.kind === 'member') {
    if (verb === 'resend' || verb === 'revoke') refuseVerb(verb, row);
    const model = await memberForEditing(context.prisma, userId, row.connectionId, now);
    const metadata: MemberFormMetadata = { row, listViewId: surface.listViewId, list: surface.list };
    if (verb === 'disconnect') return memberDisconnectView(model.organization, model.row, metadata);
    if (verb === 'restore') return memberRestoreView(model.organization, model.row, metadata);
    return memberEditView(model, draftOf(model.row), { metadata, actor: actorOf(userId), preview: false, now });
  }
  if (verb === 'disconnect' || verb === 'restore') refuseVerb(verb, row);
  const { invitation, grantable } = await invitationForManagement(context.prisma, userId, row.invitationId, now);
  const metadata = { invitationId: invitation.invitationId, surface };
  if (verb === 'resend') return invitationResendView(invitation, metadata);
  if (verb === 'revoke') return invitationRevokeView(invitation, metadata);
  const showCallerFields = isAuthorizedCallerInvitation(invitation.permissions.map((permission) => permission.key));
  return invitationEditView({ invitation, grantable, showCallerFields }, metadata);
}

/**
 * Opens the form for one row, as the list's row menu chose it: pushed on the list modal, or opened
 * on its own from App Home. A refusal (the actor may not touch this row) is thrown before anything opens.
 */
export async function openRowForm(args: {
  client: WebClient;
  context: GatehouseContext;
  userId: string;
  triggerId: string;
  verb: RowFormVerb;
  row: MemberRowKey;
  surface: MemberListSurface;
}): Promise<void> {
  const { client, context, userId, triggerId, surface } = args;
  const view = await rowFormView(args);
  await openModalOnTrigger({
    client,
    triggerId,
    view,
    logger: context.logger,
    push: surface.listViewId !== null,
    tell: (text) => tellPrivately(client, userId, null, text),
  });
}

export function memberFormListeners(context: GatehouseContext) {
  /** Redraws the Edit form from what it says now; `preview` shows the member's message under it. */
  async function redrawEdit({ body, client }: ActionArgs, preview: boolean | 'if_shown'): Promise<void> {
    const view = body.view;
    if (!view) return;
    const metadata = memberMetadataOf(view);
    const model = await memberForEditing(context.prisma, body.user.id, metadata.row.connectionId, context.now());
    const draft = readMemberEdit(stateOf(view), model);
    const shown = blockIdsOf(view);
    if (preview === 'if_shown') {
      const callerFieldsChange = isAuthorizedCallerInvitation(draft.permissions) !== shown.has(MEMBER_EDIT_BLOCK.supportLevel);
      if (!callerFieldsChange && !shown.has(PREVIEW_SHOWN_BLOCK)) return;
    }
    const showPreview = preview === true || shown.has(PREVIEW_SHOWN_BLOCK);
    await client.views
      .update({
        view_id: view.id,
        hash: view.hash,
        view: memberEditView(model, draft, { metadata, actor: actorOf(body.user.id), preview: showPreview, now: context.now() }),
      })
      // hash_conflict: a newer version of the form is already showing.
      .catch((error: unknown) => context.logger.debug({ err: error }, 'member edit form was not redrawn'));
  }

  return {
    /** Ticking both support permissions shows the caller settings; an open preview follows the form. */
    async memberPermissionToggled(args: ActionArgs) {
      await args.ack();
      await redrawEdit(args, 'if_shown');
    },

    async previewRequested(args: ActionArgs) {
      await args.ack();
      await redrawEdit(args, true);
    },

    async editSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = memberMetadataOf(view);
      const now = context.now();
      const model = await memberForEditing(context.prisma, body.user.id, metadata.row.connectionId, now);
      const { tagsText, ...draft } = readMemberEdit(stateOf(view), model);
      // The tags box as typed, before repeats fold: the service sees only the tags.
      requireInvitationTextsFit({ tagsText, tags: draft.tags, note: draft.note });
      await editMember(
        context.prisma,
        {
          actorSlackUserId: body.user.id,
          connectionId: metadata.row.connectionId,
          permissions: draft.permissions,
          tags: draft.tags,
          startsOn: draft.startsOn,
          endsOn: draft.endsOn,
          caller: isAuthorizedCallerInvitation(draft.permissions) ? draft.caller : null,
          note: draft.note,
          notifyMember: draft.notifyMember,
        },
        now,
      );
      await ack();
      context.wakeOutbox();
      const told = draft.notifyMember ? ' They were sent a message about it.' : '';
      await tellPrivately(client, body.user.id, null, `Saved the changes to ${escapeMrkdwn(memberWords(model.row))}.${told}`);
      await redrawListAfter(client, context, body.user.id, metadata);
    },

    async disconnectSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = memberMetadataOf(view);
      const state = stateOf(view);
      const note = textOf(state, MEMBER_DISCONNECT_BLOCK.note, INPUT_ACTION);
      requireInvitationTextsFit({ note });
      const notifyMember = selectedValuesOf(state, MEMBER_DISCONNECT_BLOCK.notify, INPUT_ACTION).includes(NOTIFY_VALUE);
      await disconnectMember(
        context.prisma,
        { actorSlackUserId: body.user.id, connectionId: metadata.row.connectionId, note, notifyMember },
        context.now(),
      );
      await ack();
      context.wakeOutbox();
      await tellPrivately(client, body.user.id, null, 'Disconnected. Their record and history stay; the Administrators were told.');
      await redrawListAfter(client, context, body.user.id, metadata);
    },

    async restoreSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = memberMetadataOf(view);
      const state = stateOf(view);
      const note = textOf(state, MEMBER_RESTORE_BLOCK.note, INPUT_ACTION);
      requireInvitationTextsFit({ note });
      const endsOn = dateOf(state, MEMBER_RESTORE_BLOCK.endsOn, INPUT_ACTION);
      await restoreMember(
        context.prisma,
        { actorSlackUserId: body.user.id, connectionId: metadata.row.connectionId, endsOn, note },
        context.now(),
      );
      await ack();
      context.wakeOutbox();
      await tellPrivately(client, body.user.id, null, 'Restored. They and the Administrators were told.');
      await redrawListAfter(client, context, body.user.id, metadata);
    },
  };
}

export function registerMemberForms(router: ListenerRouter, context: GatehouseContext): void {
  const forms = memberFormListeners(context);
  router.action(MEMBER_EDIT_PERMISSION_TOGGLE, forms.memberPermissionToggled);
  router.action(ACTION.memberEditPreview, forms.previewRequested);
  router.view(CALLBACK.memberEdit, forms.editSubmitted, MEMBER_EDIT_FIELDS);
  router.view(CALLBACK.memberDisconnect, forms.disconnectSubmitted, MEMBER_DISCONNECT_FIELDS);
  router.view(CALLBACK.memberRestore, forms.restoreSubmitted, MEMBER_RESTORE_FIELDS);
}
