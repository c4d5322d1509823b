/**
 * `/access leave` and `/access contact`: what members do for themselves. Each opens a modal of the
 * person's own organizations; the submission calls one service and shows its outcome in the modal.
 */
import { DomainError } from '../../domain/errors.js';
import { contactAdministrators } from '../../services/members/contact-admins.js';
import { leaveOrganization, leavingPreview } from '../../services/members/leave-organization.js';
import { helpContacts, myOrganizations } from '../../services/members/my-organizations.js';
import type { GatehouseContext } from '../context.js';
import type { ListenerRouter, ViewSubmissionArgs } from '../listener-router.js';
import type { FieldPlacement } from '../refusals.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import { CALLBACK, INPUT_ACTION, SELF_SERVICE_BLOCK } from '../views/ids.js';
import { decodeMetadata, leaveFormMetadata } from '../views/metadata.js';
import {
  contactFormView,
  contactSentView,
  leaveConfirmView,
  leaveFormView,
  leftView,
  noAdministratorToContact,
  NOTHING_TO_LEAVE,
} from '../views/self-service.js';
import { selectedValueOf, stateOf, textOf, type ViewStateValues } from '../view-state.js';
import type { SubcommandRequest } from './access-command.js';

export const LEAVE_FORM_FIELDS: FieldPlacement = {
  fields: { organization: SELF_SERVICE_BLOCK.leaveOrganization },
  fallback: SELF_SERVICE_BLOCK.leaveOrganization,
};

export const LEAVE_CONFIRM_FIELDS: FieldPlacement = {
  fields: { note: SELF_SERVICE_BLOCK.leaveNote },
  fallback: SELF_SERVICE_BLOCK.leaveNote,
};

export const CONTACT_FORM_FIELDS: FieldPlacement = {
  fields: { organization: SELF_SERVICE_BLOCK.contactOrganization, message: SELF_SERVICE_BLOCK.contactMessage },
  fallback: SELF_SERVICE_BLOCK.contactMessage,
};

/** The organization a select chose, or the form's refusal. */
function organizationChosen(state: ViewStateValues, blockId: string): number {
  const value = Number(selectedValueOf(state, blockId, INPUT_ACTION));
  if (!Number.isInteger(value) || value <= 0) throw DomainError.ofFields({ organization: 'Choose an organization.' });
  return value;
}

/** `/access leave`: the person's organizations to choose from, or why there is nothing to leave. */
export async function openLeaveForm(context: GatehouseContext, request: SubcommandRequest): Promise<void> {
  const organizations = await myOrganizations(context.sql, request.userId, context.now());
  if (organizations.length === 0) {
    await request.ack({ response_type: 'ephemeral', text: NOTHING_TO_LEAVE });
    return;
  }
  // The trigger is good for three seconds, so the form opens right after the ack.
  await request.ack();
  await openModalOnTrigger({
    client: request.client,
    triggerId: request.triggerId,
    view: leaveFormView(organizations),
    logger: context.logger,
    tell: request.tellByResponseUrl,
  });
}

/** `/access contact`: the organizations with someone to write to, or who can help when none has. */
export async function openContactForm(context: GatehouseContext, request: SubcommandRequest): Promise<void> {
  const organizations = await myOrganizations(context.sql, request.userId, context.now());
  const reachable = organizations.filter((organization) => organization.administrators.length > 0);
  const unreachable = organizations.filter((organization) => organization.administrators.length === 0);
  const help = helpContacts(context.settings.operatorUserIds);
  if (reachable.length === 0) {
    await request.ack({ response_type: 'ephemeral', text: noAdministratorToContact(unreachable, help) });
    return;
  }
  await request.ack();
  await openModalOnTrigger({
    client: request.client,
    triggerId: request.triggerId,
    view: contactFormView(reachable, unreachable, help),
    logger: context.logger,
    tell: request.tellByResponseUrl,
  });
}

export function selfServiceListeners(context: GatehouseContext) {
  return {
    /** Step one of leaving: the choice is checked (the last Administrator is refused here already), then confirmed. */
    async leaveChosen({ body, view, ack }: ViewSubmissionArgs) {
      const organizationId = organizationChosen(stateOf(view), SELF_SERVICE_BLOCK.leaveOrganization);
      let preview;
      try {
        preview = await leavingPreview(context.sql, body.user.id, organizationId, context.now());
      } catch (error) {
        // Shown on the select, where the choice was made.
        if (error instanceof DomainError) throw DomainError.ofFields({ organization: error.message }, error.code);
        throw error;
      }
      await ack({ response_action: 'update', view: leaveConfirmView(preview) });
    },

    async leaveConfirmed({ body, view, ack }: ViewSubmissionArgs) {
      const metadata = decodeMetadata(leaveFormMetadata, view.private_metadata);
      if (!metadata) throw new DomainError('unreadable', "Gatehouse couldn't read that form. Close it and run `/access leave` again.");
      const note = textOf(stateOf(view), SELF_SERVICE_BLOCK.leaveNote, INPUT_ACTION);
      const left = await leaveOrganization(
        context.prisma,
        { slackUserId: body.user.id, organizationId: metadata.organizationId, note },
        context.now(),
      );
      await ack({ response_action: 'update', view: leftView(left.organization, left.administratorsTold) });
      context.wakeOutbox();
    },

    async contactSubmitted({ body, view, ack }: ViewSubmissionArgs) {
      const state = stateOf(view);
      const organizationId = organizationChosen(state, SELF_SERVICE_BLOCK.contactOrganization);
      const sent = await contactAdministrators(
        context.prisma,
        { slackUserId: body.user.id, organizationId, message: textOf(state, SELF_SERVICE_BLOCK.contactMessage, INPUT_ACTION) },
        context.now(),
      );
      await ack({ response_action: 'update', view: contactSentView(sent.organization, sent.administratorsTold) });
      context.wakeOutbox();
    },
  };
}

export function registerSelfService(router: ListenerRouter, context: GatehouseContext): void {
  const listeners = selfServiceListeners(context);
  router.view(CALLBACK.selfLeave, listeners.leaveChosen, LEAVE_FORM_FIELDS);
  router.view(CALLBACK.selfLeaveConfirm, listeners.leaveConfirmed, LEAVE_CONFIRM_FIELDS);
  router.view(CALLBACK.selfContact, listeners.contactSubmitted, CONTACT_FORM_FIELDS);
}
