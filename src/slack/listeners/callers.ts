/**
 * `/access callers`: the authorized callers of an organization, and the forms to add, edit and
 * remove one. The forms are pushed on the list, which is redrawn once each is done.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { requireInvitationTextsFit } from '../../domain/invitations.js';
import type { CallerListModel } from '../../domain/member-management.js';
import type { CallerSettings } from '../../domain/read-models.js';
import { callerList, editCaller, inviteCaller, promoteToCaller, removeCaller } from '../../services/members/callers.js';
import { managedOrganizations, noManagedOrganizationReason } from '../../services/members/managing-admin.js';
import type { GatehouseContext } from '../context.js';
import type { ActionArgs, ListenerRouter, ViewSubmissionArgs } from '../listener-router.js';
import type { FieldPlacement } from '../refusals.js';
import { tellPrivately } from '../tell-privately.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { callerAddView, callerEditView, callerRemoveView } from '../views/caller-forms.js';
import { callersListView, parseCallerRowValue } from '../views/callers-list.js';
import { ACTION, CALLBACK, CALLER_FORM_BLOCK, INPUT_ACTION } from '../views/ids.js';
import { callerFormMetadata, decodeMetadata, type CallerFormMetadata } from '../views/metadata.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { selectedValueOf, stateOf, textOf, type ViewStateValues } from '../view-state.js';

const UNREADABLE_CALLER_FORM = "Gatehouse couldn't read that form. Close it and run `/access callers` again.";

/** Where the caller forms show a refusal: on its field, otherwise on the note. */
export const CALLER_FORM_FIELDS: FieldPlacement = {
  fields: {
    address: CALLER_FORM_BLOCK.address,
    addresses: CALLER_FORM_BLOCK.address,
    email: CALLER_FORM_BLOCK.address,
    member: CALLER_FORM_BLOCK.member,
    supportLevel: CALLER_FORM_BLOCK.supportLevel,
    callerLevel: CALLER_FORM_BLOCK.callerLevel,
    note: CALLER_FORM_BLOCK.note,
  },
  fallback: CALLER_FORM_BLOCK.note,
};

/** A users_select's choice: Slack sends the picked user's id. */
const pickedUser = z.object({ selected_user: z.string().regex(/^[UW][A-Z0-9]+$/) });

function memberPickedIn(state: ViewStateValues): string | null {
  const picked = pickedUser.safeParse(state[CALLER_FORM_BLOCK.member]?.[INPUT_ACTION]);
  return picked.success ? picked.data.selected_user : null;
}

function callerSettingsIn(state: ViewStateValues): CallerSettings {
  const supportLevel = selectedValueOf(state, CALLER_FORM_BLOCK.supportLevel, INPUT_ACTION);
  if (supportLevel !== 'STANDARD' && supportLevel !== 'PREMIUM') {
    throw DomainError.ofFields({ supportLevel: 'Choose Standard or Premium support.' });
  }
  return { supportLevel, callerLevel: selectedValueOf(state, CALLER_FORM_BLOCK.callerLevel, INPUT_ACTION) };
}

function noteIn(state: ViewStateValues): string | null {
  const note = textOf(state, CALLER_FORM_BLOCK.note, INPUT_ACTION);
  requireInvitationTextsFit({ note });
  return note;
}

function metadataOf(view: { private_metadata?: string } | undefined): CallerFormMetadata {
  const metadata = decodeMetadata(callerFormMetadata, view?.private_metadata);
  if (!metadata) throw new DomainError('unreadable', UNREADABLE_CALLER_FORM);
  return metadata;
}

function connectionIdOf(metadata: CallerFormMetadata): number {
  if (metadata.row?.kind !== 'member') throw new DomainError('unreadable', UNREADABLE_CALLER_FORM);
  return metadata.row.connectionId;
}

function listView(model: CallerListModel) {
  return callersListView(model, { organizationId: model.organization.id, row: null, listViewId: null });
}

/** `/access callers`: refused with who to ask when the actor manages no organization, or none of its callers. */
export async function openCallersList(
  context: GatehouseContext,
  request: {
    userId: string;
    triggerId: string;
    ack: () => Promise<void>;
    client: WebClient;
    tellByResponseUrl: (text: string) => Promise<unknown>;
  },
): Promise<void> {
  const { userId, client } = request;
  const now = context.now();
  const organizations = await managedOrganizations(context.prisma, userId, now);
  if (organizations.length === 0) {
    throw new DomainError('forbidden', await noManagedOrganizationReason(context.prisma, userId, now, 'manage its authorized callers'));
  }
  const model = await callerList(context.prisma, userId, null, now);
  // The trigger is good for three seconds, so the form opens right after the ack.
  await request.ack();
  await openModalOnTrigger({
    client,
    triggerId: request.triggerId,
    view: listView(model),
    logger: context.logger,
    tell: request.tellByResponseUrl,
  });
}

export function callerListeners(context: GatehouseContext) {
  /** Redraws the list a form was pushed on, once the change is saved; a list closed meanwhile is only logged. */
  async function redrawList(client: WebClient, userId: string, metadata: CallerFormMetadata): Promise<void> {
    if (!metadata.listViewId) return;
    const listViewId = metadata.listViewId;
    try {
      const model = await callerList(context.prisma, userId, metadata.organizationId, context.now());
      await client.views.update({ view_id: listViewId, view: listView(model) });
    } catch (error) {
      context.logger.warn({ err: error }, 'the callers list was not redrawn after a change');
    }
  }

  async function pushForm({ body, client }: ActionArgs, view: Parameters<typeof openModalOnTrigger>[0]['view']): Promise<void> {
    await openModalOnTrigger({
      client,
      triggerId: body.trigger_id,
      view,
      logger: context.logger,
      push: true,
      tell: (text) => tellPrivately(client, body.user.id, null, text),
    });
  }

  return {
    async organizationPicked({ body, action, ack, client }: ActionArgs) {
      await ack();
      const view = body.view;
      const value = 'selected_option' in action ? action.selected_option?.value : undefined;
      const organizationId = Number(value);
      if (!view || !Number.isInteger(organizationId) || organizationId <= 0) return;
      const model = await callerList(context.prisma, body.user.id, organizationId, context.now());
      await client.views
        .update({ view_id: view.id, hash: view.hash, view: listView(model) })
        // hash_conflict: a newer version of the list is already showing.
        .catch((error: unknown) => context.logger.debug({ err: error }, 'callers list was not redrawn'));
    },

    async addRequested(args: ActionArgs) {
      await args.ack();
      const view = args.body.view;
      const metadata = metadataOf(view);
      const model = await callerList(context.prisma, args.body.user.id, metadata.organizationId, context.now());
      if (!model.canAdd) throw new DomainError('forbidden', `You cannot add callers to ${model.organization.name}.`);
      await pushForm(
        args,
        callerAddView(model.organization, { organizationId: model.organization.id, row: null, listViewId: view?.id ?? null }),
      );
    },

    async rowChosen(args: ActionArgs) {
      await args.ack();
      const { body, action } = args;
      const metadata = metadataOf(body.view);
      const choice = 'selected_option' in action && action.selected_option ? parseCallerRowValue(action.selected_option.value ?? '') : null;
      if (!choice) throw new DomainError('unreadable', UNREADABLE_CALLER_FORM);
      const model = await callerList(context.prisma, body.user.id, metadata.organizationId, context.now());
      const row = model.callers.find((caller) => caller.key.kind === 'member' && caller.key.connectionId === choice.connectionId);
      if (!row) throw new DomainError('unknown_connection', 'That person is no longer an authorized caller here.');
      const formMetadata: CallerFormMetadata = {
        organizationId: model.organization.id,
        row: { kind: 'member', connectionId: choice.connectionId },
        listViewId: body.view?.id ?? null,
      };
      const form =
        choice.verb === 'edit'
          ? callerEditView(model.organization, row, formMetadata)
          : callerRemoveView(model.organization, row, formMetadata);
      await pushForm(args, form);
    },

    async addSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = metadataOf(view);
      const state = stateOf(view);
      const address = textOf(state, CALLER_FORM_BLOCK.address, INPUT_ACTION);
      const member = memberPickedIn(state);
      if ((address === null) === (member === null)) {
        const both = 'Give an email address or a member, not both: one caller at a time.';
        const neither = 'Give the email address of the person to invite, or pick a member to promote.';
        throw DomainError.ofFields({ address: address ? both : neither, member: address ? both : neither });
      }
      const caller = callerSettingsIn(state);
      const note = noteIn(state);
      const now = context.now();
      if (address !== null) {
        await inviteCaller(
          context.prisma,
          {
            actorSlackUserId: body.user.id,
            organizationId: metadata.organizationId,
            email: address,
            caller,
            note,
            // Caller invitations go out in English; `/access invite` offers the other languages.
            language: 'en',
            personalMessage: null,
          },
          context.invitations,
          now,
        );
      } else if (member !== null) {
        await promoteToCaller(
          context.prisma,
          { actorSlackUserId: body.user.id, organizationId: metadata.organizationId, memberSlackUserId: member, caller, note },
          now,
        );
      }
      await ack();
      context.wakeOutbox();
      const done =
        address !== null
          ? `Invited ${escapeMrkdwn(address)} as an authorized caller: they become one when they accept.`
          : `<@${member}> is now an authorized caller.`;
      await tellPrivately(client, body.user.id, null, done);
      await redrawList(client, body.user.id, metadata);
    },

    async editSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = metadataOf(view);
      const state = stateOf(view);
      await editCaller(
        context.prisma,
        { actorSlackUserId: body.user.id, connectionId: connectionIdOf(metadata), caller: callerSettingsIn(state), note: noteIn(state) },
        context.now(),
      );
      await ack();
      context.wakeOutbox();
      await tellPrivately(client, body.user.id, null, 'Saved the caller settings.');
      await redrawList(client, body.user.id, metadata);
    },

    async removeSubmitted({ body, view, ack, client }: ViewSubmissionArgs) {
      const metadata = metadataOf(view);
      await removeCaller(
        context.prisma,
        { actorSlackUserId: body.user.id, connectionId: connectionIdOf(metadata), note: noteIn(stateOf(view)) },
        context.now(),
      );
      await ack();
      context.wakeOutbox();
      await tellPrivately(client, body.user.id, null, 'Removed the authorized caller: both support permissions were taken away.');
      await redrawList(client, body.user.id, metadata);
    },
  };
}

export function registerCallers(router: ListenerRouter, context: GatehouseContext): void {
  const callers = callerListeners(context);
  router.action(ACTION.callersPickOrganization, callers.organizationPicked);
  router.action(ACTION.callersAdd, callers.addRequested);
  router.action(ACTION.callersManageRow, callers.rowChosen);
  router.view(CALLBACK.callerAdd, callers.addSubmitted, CALLER_FORM_FIELDS);
  router.view(CALLBACK.callerEdit, callers.editSubmitted, CALLER_FORM_FIELDS);
  router.view(CALLBACK.callerRemove, callers.removeSubmitted, CALLER_FORM_FIELDS);
}
