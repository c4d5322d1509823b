import type { BlockAction, ViewOutput } from '@slack/bolt';
import type { ListenerRouter } from '../listener-router.js';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { parseTags, PURPOSE_LENGTH, type FieldErrors } from '../../domain/access-requests.js';
import { overLongTexts, tagsProblem, TEXT_LIMIT, tooLongMessage } from '../../domain/text-limits.js';
import { isCalendarDate } from '../../domain/dates.js';
import { DomainError, refuseFields } from '../../domain/errors.js';
import {
  decideRequest,
  decisionForm,
  routeTriagedRequest,
  submitAccessRequest,
  withdrawRequest,
  type DecisionInput,
} from '../../services/access-requests.js';
import { profileIsStale, rememberProfile } from '../../services/members.js';
import { requestForm, searchOrganizations } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import { openModalOnTrigger } from '../trigger-bound.js';
import type { PlainTextOption } from '@slack/types';
import { approveFormView, denyFormView } from '../views/decision-forms.js';
import { organizationOption } from '../views/format.js';
import { ACTION, APPROVE_FORM_BLOCK, CALLBACK, DENY_FORM_BLOCK, INPUT_ACTION, REQUEST_FORM_BLOCK } from '../views/ids.js';
import { decisionFormMetadata, decodeMetadata, requestFormMetadata, type DecisionFormMetadata } from '../views/metadata.js';
import { alreadyDecidedText } from '../views/notices.js';
import { requestFormView } from '../views/request-form.js';
import { tellPrivately } from '../tell-privately.js';
import { isAuthorizedCallerInvitation } from '../../domain/invitations.js';
import type { CallerSettings } from '../../domain/read-models.js';
import { APPROVE_PERMISSION_TOGGLE } from '../routes.js';
import { blockIdsOf } from './invite-form-input.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import type { FieldPlacement } from '../refusals.js';
import { dateOf, selectedValueOf, selectedValuesOf, stateOf, textOf, type ViewStateValues } from '../view-state.js';

const requestId = z.coerce.number().int().positive();

const actionChoice = z
  .object({
    action_id: z.string(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
  })
  .loose();

/**
 * Where the request form shows each field's errors. The form leaves out a permission group with
 * nothing left to ask for, so a permissions error goes to whichever group (or, failing both, the
 * purpose) the form has.
 */
const REQUEST_FORM_FIELDS: FieldPlacement = {
  fields: {
    organization: REQUEST_FORM_BLOCK.organization,
    customerNumber: REQUEST_FORM_BLOCK.unlistedCustomerNumber,
    unlistedName: REQUEST_FORM_BLOCK.unlistedName,
    unlistedAcronym: REQUEST_FORM_BLOCK.unlistedAcronym,
    unlistedDepartment: REQUEST_FORM_BLOCK.unlistedDepartment,
    unlistedCity: REQUEST_FORM_BLOCK.unlistedCity,
    permissions: [REQUEST_FORM_BLOCK.accessPermissions, REQUEST_FORM_BLOCK.adminPermissions, REQUEST_FORM_BLOCK.purpose],
    purpose: REQUEST_FORM_BLOCK.purpose,
  },
  fallback: REQUEST_FORM_BLOCK.purpose,
};

function approvedPermissions(state: ViewStateValues): string[] {
  return [
    ...selectedValuesOf(state, APPROVE_FORM_BLOCK.adminPermissions, INPUT_ACTION),
    ...selectedValuesOf(state, APPROVE_FORM_BLOCK.accessPermissions, INPUT_ACTION),
  ];
}

/** The caller settings of the Approve form, when it shows them. */
function approvedCaller(state: ViewStateValues): CallerSettings | null {
  const supportLevel = selectedValueOf(state, APPROVE_FORM_BLOCK.supportLevel, INPUT_ACTION);
  return supportLevel === 'STANDARD' || supportLevel === 'PREMIUM'
    ? { supportLevel, callerLevel: selectedValueOf(state, APPROVE_FORM_BLOCK.callerLevel, INPUT_ACTION) }
    : null;
}

/** A refusal of the decision itself closes its form, and is told where the admin pressed Approve or Deny. */
function decisionChannelOf(view: ViewOutput): string | null {
  return decodeMetadata(decisionFormMetadata, view.private_metadata)?.channelId ?? null;
}

/** Where the Approve form shows each field's errors. */
const APPROVE_FORM_FIELDS: FieldPlacement = {
  fields: {
    permissions: [APPROVE_FORM_BLOCK.accessPermissions, APPROVE_FORM_BLOCK.adminPermissions],
    startsOn: APPROVE_FORM_BLOCK.startsOn,
    endsOn: APPROVE_FORM_BLOCK.endsOn,
    tags: APPROVE_FORM_BLOCK.tags,
    note: APPROVE_FORM_BLOCK.note,
    supportLevel: APPROVE_FORM_BLOCK.supportLevel,
    callerLevel: APPROVE_FORM_BLOCK.callerLevel,
  },
  fallback: APPROVE_FORM_BLOCK.note,
  closeIn: decisionChannelOf,
};

const DENY_FORM_FIELDS: FieldPlacement = {
  fields: { reason: DENY_FORM_BLOCK.reason },
  fallback: DENY_FORM_BLOCK.reason,
  closeIn: decisionChannelOf,
};

const UNREADABLE = "Gatehouse couldn't read that. Please try again, or start over with `/access request`.";

function unreadable(): DomainError {
  return new DomainError('unreadable', UNREADABLE);
}

/**
 * Learns a person's name and email from Slack when it is not known or old, without holding up the
 * reply to them. `knownStale` skips the check when the caller has already made it.
 */
export function refreshProfileLater(
  client: WebClient,
  context: GatehouseContext,
  slackUserId: string,
  teamId?: string,
  knownStale?: boolean,
): void {
  void (async () => {
    try {
      if (!(knownStale ?? (await profileIsStale(context.prisma, slackUserId, context.now())))) return;
      const answer = await client.users.info({ user: slackUserId });
      const profile = answer.user?.profile;
      await rememberProfile(context.prisma, {
        slackUserId,
        slackTeamId: teamId ?? answer.user?.team_id ?? null,
        displayName: profile?.display_name || profile?.real_name || answer.user?.real_name || null,
        email: profile?.email ?? null,
      });
    } catch (error) {
      context.logger.debug({ err: error, slackUserId }, 'could not refresh a Slack profile');
    }
  })();
}

function readRequestForm(state: ViewStateValues, metadata: { organizationId: number | null; unlisted: boolean }) {
  const unlistedTicked = selectedValuesOf(state, REQUEST_FORM_BLOCK.unlistedToggle, ACTION.toggleUnlisted).includes('unlisted');
  const pickedOrganization = selectedValueOf(state, REQUEST_FORM_BLOCK.organization, ACTION.pickOrganization);
  const organizationId = pickedOrganization ? Number(pickedOrganization) : metadata.organizationId;
  const permissions = [
    ...selectedValuesOf(state, REQUEST_FORM_BLOCK.adminPermissions, INPUT_ACTION),
    ...selectedValuesOf(state, REQUEST_FORM_BLOCK.accessPermissions, INPUT_ACTION),
  ];
  const unlistedName = textOf(state, REQUEST_FORM_BLOCK.unlistedName, INPUT_ACTION);
  return {
    unlisted: unlistedTicked,
    organizationId: unlistedTicked || !Number.isInteger(organizationId) ? null : organizationId,
    permissions,
    purpose: textOf(state, REQUEST_FORM_BLOCK.purpose, INPUT_ACTION) ?? '',
    details: unlistedTicked
      ? {
          customerNumber: textOf(state, REQUEST_FORM_BLOCK.unlistedCustomerNumber, INPUT_ACTION),
          name: unlistedName ?? '',
          acronym: textOf(state, REQUEST_FORM_BLOCK.unlistedAcronym, INPUT_ACTION),
          department: textOf(state, REQUEST_FORM_BLOCK.unlistedDepartment, INPUT_ACTION),
          city: textOf(state, REQUEST_FORM_BLOCK.unlistedCity, INPUT_ACTION),
        }
      : null,
  };
}

/** Length and shape checks Slack's own limits do not guarantee for a forged submission. */
function checkRequestFormText(form: ReturnType<typeof readRequestForm>): FieldErrors {
  const errors: FieldErrors = overLongTexts(
    {
      purpose: form.purpose,
      unlistedName: form.details?.name,
      unlistedAcronym: form.details?.acronym,
      unlistedDepartment: form.details?.department,
      unlistedCity: form.details?.city,
    },
    {
      purpose: PURPOSE_LENGTH.max,
      unlistedName: TEXT_LIMIT.organizationName,
      unlistedAcronym: TEXT_LIMIT.acronym,
      unlistedDepartment: TEXT_LIMIT.department,
      unlistedCity: TEXT_LIMIT.city,
    },
  );
  if (form.details) {
    if (!form.details.name) errors.unlistedName = "Tell us your organization's name.";
    const number = form.details.customerNumber;
    if (number && !/^[A-Za-z0-9-]{1,32}$/.test(number)) errors.customerNumber = 'A customer number has only letters, digits and dashes.';
  }
  return errors;
}

export async function openRequestForm(
  client: WebClient,
  context: GatehouseContext,
  userId: string,
  triggerId: string,
  tell: (text: string) => Promise<unknown>,
): Promise<void> {
  const model = await requestForm(context.prisma, userId, { organizationId: null, unlisted: false });
  const view = requestFormView(model, { organizationId: null, unlisted: false });
  await openModalOnTrigger({ client, triggerId, view, logger: context.logger, tell });
}

export function registerAccessRequests(router: ListenerRouter, context: GatehouseContext): void {
  // Choosing an organization or ticking "not listed" redraws the form for that choice.
  const redrawForm = async ({ body, ack, client }: { body: BlockAction; ack: () => Promise<void>; client: WebClient }) => {
    await ack();
    const view = body.view;
    const metadata = decodeMetadata(requestFormMetadata, view?.private_metadata);
    if (!view || !metadata) return;
    const form = readRequestForm(stateOf(view), metadata);
    const choice = { organizationId: form.organizationId, unlisted: form.unlisted };
    // The element just changed is reported in the action itself; it wins over the view's state.
    const changed = actionChoice.safeParse(body.actions[0]);
    if (changed.success && changed.data.action_id === ACTION.toggleUnlisted) {
      choice.unlisted = (changed.data.selected_options ?? []).some((option) => option.value === 'unlisted');
      if (choice.unlisted) choice.organizationId = null;
    }
    if (changed.success && changed.data.action_id === ACTION.pickOrganization && changed.data.selected_option) {
      const picked = Number(changed.data.selected_option.value);
      if (Number.isInteger(picked) && picked > 0 && !choice.unlisted) choice.organizationId = picked;
    }
    const model = await requestForm(context.prisma, body.user.id, choice);
    await client.views.update({ view_id: view.id, hash: view.hash, view: requestFormView(model, choice) }).catch((error: unknown) => {
      // hash_conflict: a newer version of the form is already showing; nothing to redraw.
      context.logger.debug({ err: error }, 'request form was not redrawn');
    });
  };
  router.action(ACTION.pickOrganization, redrawForm);
  router.action(ACTION.toggleUnlisted, redrawForm);

  // External selects search the organizations as the person types; triage also shows customer numbers.
  const organizationSearch =
    (withCustomerNumber: boolean) =>
    async ({ options, ack }: { options: { value?: unknown }; ack: (response: { options: PlainTextOption[] }) => Promise<void> }) => {
      const organizations = await searchOrganizations(context.prisma, String(options.value ?? '').slice(0, 100));
      await ack({ options: organizations.map((organization) => organizationOption(organization, withCustomerNumber)) });
    };
  router.options(ACTION.pickOrganization, organizationSearch(false));
  router.options(ACTION.triageRoute, organizationSearch(true));

  router.view(
    CALLBACK.requestForm,
    async ({ body, view, ack }) => {
      const metadata = decodeMetadata(requestFormMetadata, view.private_metadata);
      if (!metadata) throw unreadable();
      const form = readRequestForm(stateOf(view), metadata);
      refuseFields(checkRequestFormText(form));
      await submitAccessRequest(
        context.prisma,
        {
          requester: { slackUserId: body.user.id, slackTeamId: body.user.team_id ?? body.team?.id ?? null },
          organizationId: form.organizationId,
          unlisted: form.details,
          permissions: form.permissions,
          purpose: form.purpose,
          submissionKey: `${view.id}:${view.hash}`,
        },
        context.settings,
        context.now(),
      );
      await ack();
      context.wakeOutbox();
    },
    REQUEST_FORM_FIELDS,
  );

  registerDecisions(router, context);

  // Withdrawing and routing are quick database changes, made before the ack so Slack's answer
  // already reflects them.
  router.action(ACTION.withdraw, async ({ body, action, ack, client }) => {
    const id = requestId.safeParse('value' in action ? action.value : undefined);
    const channelId = body.channel?.id ?? body.container?.channel_id;
    if (!id.success) throw unreadable();
    const result = await withdrawRequest(context.prisma, { requestId: id.data, actor: { slackUserId: body.user.id } }, context.now());
    await ack();
    if (!result.ok) await tellPrivately(client, body.user.id, channelId, alreadyDecidedText(result.alreadyDecided));
    else context.wakeOutbox();
  });

  router.action(ACTION.triageRoute, async ({ body, action, ack, client }) => {
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const blockId = 'block_id' in action ? action.block_id : '';
    const id = requestId.safeParse(/^triage_(\d+)$/.exec(blockId)?.[1]);
    const organizationId = requestId.safeParse('selected_option' in action ? action.selected_option?.value : undefined);
    if (!id.success || !organizationId.success) throw unreadable();
    const routed = await routeTriagedRequest(
      context.prisma,
      { requestId: id.data, organizationId: organizationId.data, actor: { slackUserId: body.user.id } },
      context.settings,
      context.now(),
    );
    await ack();
    context.wakeOutbox();
    await tellPrivately(client, body.user.id, channelId, `Sent to the Administrators of ${escapeMrkdwn(routed.organizationName)}.`);
  });
}

function registerDecisions(router: ListenerRouter, context: GatehouseContext): void {
  const openDecisionForm =
    (kind: 'approve' | 'deny', inTriage: boolean) =>
    async ({
      body,
      action,
      ack,
      client,
    }: {
      body: BlockAction;
      action: BlockAction['actions'][number];
      ack: () => Promise<void>;
      client: WebClient;
    }) => {
      await ack();
      const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
      const id = requestId.safeParse('value' in action ? action.value : undefined);
      if (!id.success) throw unreadable();
      const form = await decisionForm(
        context.sql,
        { requestId: id.data, actor: { slackUserId: body.user.id }, inTriage },
        context.settings,
        context.now(),
      );
      if (form.actorProfileStale) refreshProfileLater(client, context, body.user.id, body.user.team_id, true);
      if (!form.ok) {
        await tellPrivately(client, body.user.id, channelId, alreadyDecidedText(form.alreadyDecided));
        return;
      }
      const metadata: DecisionFormMetadata = { requestId: id.data, channelId, inTriage };
      const view =
        kind === 'approve' ? approveFormView({ request: form.card, catalog: form.catalog }, metadata) : denyFormView(form.card, metadata);
      await openModalOnTrigger({
        client,
        triggerId: body.trigger_id,
        view,
        logger: context.logger,
        tell: (text) => tellPrivately(client, body.user.id, channelId, text),
      });
    };
  router.action(ACTION.approve, openDecisionForm('approve', false));
  // Ticking both support permissions (or unticking one) redraws the form with or without the caller settings.
  router.action(APPROVE_PERMISSION_TOGGLE, async function approvePermissionToggled({ body, ack, client }) {
    await ack();
    const view = (body as BlockAction).view;
    const metadata = decodeMetadata(decisionFormMetadata, view?.private_metadata);
    if (!view || !metadata) return;
    const state = stateOf(view);
    const permissions = approvedPermissions(state);
    if (isAuthorizedCallerInvitation(permissions) === blockIdsOf(view).has(APPROVE_FORM_BLOCK.supportLevel)) return;
    const form = await decisionForm(
      context.sql,
      { requestId: metadata.requestId, actor: { slackUserId: body.user.id }, inTriage: false },
      context.settings,
      context.now(),
    );
    if (!form.ok) return;
    const redrawn = approveFormView({ request: form.card, catalog: form.catalog }, metadata, {
      permissions,
      caller: approvedCaller(state),
    });
    await client.views
      .update({ view_id: view.id, hash: view.hash, view: redrawn })
      // hash_conflict: a newer version of the form is already showing.
      .catch((error: unknown) => context.logger.debug({ err: error }, 'approve form was not redrawn'));
  });
  router.action(ACTION.deny, openDecisionForm('deny', false));
  router.action(ACTION.triageDeny, openDecisionForm('deny', true));

  /**
   * Decides, then closes the modal: the news goes out through the outbox, and an admin who came
   * too late is told who decided first. A refusal is shown on the form.
   */
  const submitDecision = async (input: DecisionInput, metadata: DecisionFormMetadata, ack: () => Promise<void>, client: WebClient) => {
    const result = await decideRequest(context.sql, input, context.settings, context.now());
    await ack();
    if (result.ok) context.wakeOutbox();
    else await tellPrivately(client, input.actor.slackUserId, metadata.channelId, alreadyDecidedText(result.alreadyDecided));
  };

  router.view(
    CALLBACK.approveForm,
    async ({ body, view, ack, client }) => {
      const metadata = decodeMetadata(decisionFormMetadata, view.private_metadata);
      if (!metadata || metadata.inTriage) throw DomainError.ofFields({ note: UNREADABLE }, 'unreadable');
      const state = stateOf(view);
      const granted = approvedPermissions(state);
      const startsOn = dateOf(state, APPROVE_FORM_BLOCK.startsOn, INPUT_ACTION);
      const endsOn = dateOf(state, APPROVE_FORM_BLOCK.endsOn, INPUT_ACTION);
      const note = textOf(state, APPROVE_FORM_BLOCK.note, INPUT_ACTION);
      const tagsText = textOf(state, APPROVE_FORM_BLOCK.tags, INPUT_ACTION);
      const tags = parseTags(tagsText);
      const caller = approvedCaller(state);
      refuseFields({
        permissions: granted.length === 0 ? 'Choose at least one permission to grant, or deny the request instead.' : undefined,
        endsOn: endsOn && !isCalendarDate(endsOn) ? 'Choose a date from the calendar.' : undefined,
        startsOn: startsOn && !isCalendarDate(startsOn) ? 'Choose a date from the calendar.' : undefined,
        note: note && note.length > TEXT_LIMIT.note ? tooLongMessage(TEXT_LIMIT.note) : undefined,
        tags: tagsProblem(tagsText, tags, TEXT_LIMIT) ?? undefined,
      });
      await submitDecision(
        {
          requestId: metadata.requestId,
          actor: { slackUserId: body.user.id },
          outcome: 'APPROVED',
          granted,
          startsOn,
          endsOn,
          tags,
          caller,
          note,
          notify: selectedValuesOf(state, APPROVE_FORM_BLOCK.notify, INPUT_ACTION).includes('notify'),
        },
        metadata,
        () => ack(),
        client,
      );
    },
    APPROVE_FORM_FIELDS,
  );

  router.view(
    CALLBACK.denyForm,
    async ({ body, view, ack, client }) => {
      const metadata = decodeMetadata(decisionFormMetadata, view.private_metadata);
      if (!metadata) throw DomainError.ofFields({ reason: UNREADABLE }, 'unreadable');
      const state = stateOf(view);
      const reason = textOf(state, DENY_FORM_BLOCK.reason, INPUT_ACTION);
      if (!reason || reason.length > TEXT_LIMIT.reason)
        throw DomainError.ofFields({ reason: reason ? tooLongMessage(TEXT_LIMIT.reason) : 'Give the requester a reason.' });
      await submitDecision(
        {
          requestId: metadata.requestId,
          actor: { slackUserId: body.user.id },
          outcome: 'DENIED',
          note: reason,
          notify: selectedValuesOf(state, DENY_FORM_BLOCK.notify, INPUT_ACTION).includes('notify'),
          inTriage: metadata.inTriage ?? false,
        },
        metadata,
        () => ack(),
        client,
      );
    },
    DENY_FORM_FIELDS,
  );
}
