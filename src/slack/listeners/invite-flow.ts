import type { BlockAction, ViewOutput } from '@slack/bolt';
import type { ListenerRouter, ViewClosedArgs, ViewSubmissionArgs } from '../listener-router.js';
import type { WebClient } from '@slack/web-api';
import { DomainError } from '../../domain/errors.js';
import { invitationExpiresAt } from '../../domain/invitation-tokens.js';
import { checkInvitationTexts, isAuthorizedCallerInvitation, type InvitationFieldErrors, type InvitationTextField } from '../../domain/invitations.js';
import { INVITATION_LANGUAGES, type CallerSettings, type InvitationLanguage, type InvitationMessageModel, type InviteStepModel, type OrganizationSummary } from '../../domain/read-models.js';
import { checkAddresses, chooseGrant, discardDraft, inviteSteps, keepGrantChoices, removeInvalidEntries, saveSendingChoices } from '../../services/invitations/invite-drafts.js';
import { editInvitation } from '../../services/invitations/edit-invitation.js';
import { invitableOrganizations } from '../../services/invitations/invitable-organizations.js';
import { invitationForManagement } from '../../services/invitations/invitation-for-management.js';
import { pendingInvitations } from '../../services/invitations/pending-invitations.js';
import { resendInvitation } from '../../services/invitations/resend-invitation.js';
import { revokeInvitation } from '../../services/invitations/revoke-invitation.js';
import { sendInvitations } from '../../services/invitations/send-invitations.js';
import { permissionCatalog, permissionsFor } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import { openModalOnTrigger, type TriggerBoundCall } from '../trigger-bound.js';
import {
  ACTION,
  CALLBACK,
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_RESEND_BLOCK,
  INVITATION_REVOKE_BLOCK,
  INVITE_ADDRESSES_BLOCK,
  INVITE_GRANT_BLOCK,
  INVITE_SENDING_BLOCK,
} from '../views/ids.js';
import {
  addressesBlockId,
  invitationEditView,
  invitationListMessage,
  invitationResendView,
  invitationRevokeView,
  inviteAddressesView,
  inviteGrantView,
  inviteSendingView,
  inviteSentView,
  parseManageValue,
  PERMISSION_TOGGLE_ACTION,
} from '../views/invite-forms.js';
import { decodeMetadata, invitationFormMetadata, inviteMetadata, type InviteMetadata } from '../views/metadata.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { dateOf, selectedValueOf, selectedValuesOf, textOf, viewStateValues, type ViewStateValues } from '../view-state.js';
import { tellPrivately } from './access-requests.js';


const UNREADABLE = "Gatehouse couldn't read that form. Please start again with `/access invite`.";
/** Shown in the preview instead of a real code, which does not exist until the invitation is sent. */
const PREVIEW_CODE = 'PREVIEW-the-real-code-is-made-when-you-send';

function stateOf(view: ViewOutput): ViewStateValues {
  const parsed = viewStateValues.safeParse(view.state?.values ?? {});
  return parsed.success ? parsed.data : {};
}

function blockIdsOf(view: ViewOutput): Set<string> {
  // Bolt's type says a view always has blocks; a forged submission need not, and Slack's never lack them.
  const blocks = (view.blocks as ViewOutput['blocks'] | undefined) ?? [];
  return new Set(blocks.map((block) => block.block_id).filter((id): id is string => typeof id === 'string'));
}

/** Field errors on the blocks that show them; a field the form lacks falls back to the first permission group. */
function errorsOn(
  view: ViewOutput,
  errors: InvitationFieldErrors,
  blocks: { adminPermissions: string; accessPermissions: string; startsOn: string; endsOn: string; supportLevel: string; callerLevel: string },
): Record<string, string> {
  const present = blockIdsOf(view);
  const permissionsBlock = [blocks.accessPermissions, blocks.adminPermissions].find((id) => present.has(id)) ?? blocks.endsOn;
  const target: Record<keyof InvitationFieldErrors, string> = {
    permissions: permissionsBlock,
    addresses: permissionsBlock,
    startsOn: blocks.startsOn,
    endsOn: blocks.endsOn,
    supportLevel: present.has(blocks.supportLevel) ? blocks.supportLevel : permissionsBlock,
    callerLevel: present.has(blocks.callerLevel) ? blocks.callerLevel : permissionsBlock,
  };
  const keyed: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as Array<[keyof InvitationFieldErrors, string]>) {
    const block = target[field];
    keyed[block] = keyed[block] ? `${keyed[block]} ${message}` : message;
  }
  return keyed;
}

function readGrant(state: ViewStateValues, blocks: typeof INVITE_GRANT_BLOCK | typeof INVITATION_EDIT_BLOCK) {
  const permissions = [...selectedValuesOf(state, blocks.adminPermissions, INPUT_ACTION), ...selectedValuesOf(state, blocks.accessPermissions, INPUT_ACTION)];
  const supportLevel = selectedValueOf(state, blocks.supportLevel, INPUT_ACTION);
  const caller: CallerSettings | null =
    supportLevel === 'STANDARD' || supportLevel === 'PREMIUM' ? { supportLevel, callerLevel: selectedValueOf(state, blocks.callerLevel, INPUT_ACTION) } : null;
  return { permissions, startsOn: dateOf(state, blocks.startsOn, INPUT_ACTION), endsOn: dateOf(state, blocks.endsOn, INPUT_ACTION), caller };
}

function languageFrom(value: string | null): InvitationLanguage {
  return (INVITATION_LANGUAGES as readonly string[]).includes(value ?? '') ? (value as InvitationLanguage) : 'en';
}

function tagsFrom(text: string | null): string[] {
  return [...new Set((text ?? '').split(',').map((tag) => tag.trim()).filter(Boolean))];
}

/** Over-long text on an invitation form, as Slack field errors on the blocks that hold it. */
function textErrorsOn(
  blocks: Partial<Record<InvitationTextField, string>>,
  texts: Parameters<typeof checkInvitationTexts>[0],
): Record<string, string> | null {
  const errors = Object.entries(checkInvitationTexts(texts)).flatMap(([field, message]) => {
    const block = blocks[field as InvitationTextField];
    return block ? [[block, message] as const] : [];
  });
  return errors.length > 0 ? Object.fromEntries(errors) : null;
}

function readSending(state: ViewStateValues) {
  return {
    tags: tagsFrom(textOf(state, INVITE_SENDING_BLOCK.tags, INPUT_ACTION)),
    personalMessage: textOf(state, INVITE_SENDING_BLOCK.personalMessage, INPUT_ACTION),
    language: languageFrom(selectedValueOf(state, INVITE_SENDING_BLOCK.language, INPUT_ACTION)),
    logNote: textOf(state, INVITE_SENDING_BLOCK.note, INPUT_ACTION),
  };
}

/** What the first invitee would receive, with a placeholder where the code will be. */
function previewOf(step: InviteStepModel, now: Date): InvitationMessageModel | null {
  const invitee = step.draft.fresh[0] ?? step.draft.connected[0] ?? step.draft.pending[0];
  if (!invitee) return null;
  return {
    invitationId: 1,
    language: step.choices.language,
    organization: step.draft.organization,
    invitedBy: step.inviter,
    inviteeEmail: invitee,
    permissions: permissionsFor(step.choices.permissions, permissionCatalog()),
    endsOn: step.choices.endsOn,
    caller: step.choices.caller,
    personalMessage: step.choices.personalMessage,
    expiresAt: invitationExpiresAt(now),
    code: PREVIEW_CODE,
  };
}

/** `/access invite`: step 1, for the organizations this admin can invite people to. */
export async function openInviteForm(
  client: WebClient,
  organizations: OrganizationSummary[],
  triggerId: string,
  notice: Pick<TriggerBoundCall, 'logger' | 'tell'>,
): Promise<void> {
  const only = organizations.length === 1 ? organizations[0]!.id : null;
  await openModalOnTrigger({
    client,
    triggerId,
    view: inviteAddressesView({ organizations, selectedOrganizationId: only, draft: null }, { draftId: null, organizationId: only, revision: 0 }),
    ...notice,
  });
}

/** `/access invitations`: the pending invitations of the organizations this person administers. */
export async function invitationList(context: GatehouseContext, userId: string) {
  try {
    return { response_type: 'ephemeral' as const, ...invitationListMessage(await pendingInvitations(context.prisma, userId, context.now())) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { response_type: 'ephemeral' as const, text: escapeMrkdwn(error.message) };
  }
}

export function registerInviteFlow(router: ListenerRouter, context: GatehouseContext): void {
  const redrawAddresses = async (client: WebClient, view: ViewOutput, userId: string, metadata: InviteMetadata, draft: Awaited<ReturnType<typeof removeInvalidEntries>>) => {
    const organizations = await invitableOrganizations(context.prisma, userId, context.now());
    const next = { draftId: draft.draftId, organizationId: draft.organization.id, revision: metadata.revision + 1 };
    await client.views
      .update({ view_id: view.id, hash: view.hash, view: inviteAddressesView({ organizations, selectedOrganizationId: draft.organization.id, draft }, next) })
      .catch((error: unknown) => context.logger.debug({ err: error }, 'invitation step 1 was not redrawn'));
  };

  // Step 1: each paste adds to the draft and shows where every address stands; an empty box goes on.
  router.view(CALLBACK.inviteAddresses, async ({ body, view, ack }) => {
    const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
    const addressesBlock = addressesBlockId(metadata?.revision ?? 0);
    if (!metadata) {
      await ack({ response_action: 'errors', errors: { [addressesBlock]: UNREADABLE } });
      return;
    }
    const state = stateOf(view);
    const userId = body.user.id;
    const now = context.now();
    try {
      const text = textOf(state, addressesBlock, INPUT_ACTION);
      if (text) {
        const picked = Number(selectedValueOf(state, INVITE_ADDRESSES_BLOCK.organization, INPUT_ACTION));
        const organizationId = metadata.organizationId ?? (Number.isInteger(picked) && picked > 0 ? picked : null);
        if (!organizationId) {
          await ack({ response_action: 'errors', errors: { [INVITE_ADDRESSES_BLOCK.organization]: 'Choose the organization to invite people to.' } });
          return;
        }
        const checked = await checkAddresses(context.prisma, { actorSlackUserId: userId, organizationId, text, draftId: metadata.draftId }, now);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: { [addressesBlock]: checked.fieldErrors.addresses ?? 'Check these addresses.' } });
          return;
        }
        const organizations = await invitableOrganizations(context.prisma, userId, now);
        const next = { draftId: checked.draft.draftId, organizationId: checked.draft.organization.id, revision: metadata.revision + 1 };
        await ack({
          response_action: 'update',
          view: inviteAddressesView({ organizations, selectedOrganizationId: next.organizationId, draft: checked.draft }, next),
        });
        return;
      }
      if (!metadata.draftId) {
        await ack({ response_action: 'errors', errors: { [addressesBlock]: 'Paste at least one email address.' } });
        return;
      }
      const step = await inviteSteps(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId }, now);
      const invalid = step.draft.invalid.length;
      const problem =
        invalid > 0
          ? `Remove the ${invalid} invalid ${invalid === 1 ? 'entry' : 'entries'} first.`
          : step.draft.fresh.length + step.draft.connected.length + step.draft.pending.length === 0
            ? 'Paste at least one email address.'
            : null;
      if (problem) {
        await ack({ response_action: 'errors', errors: { [addressesBlock]: problem } });
        return;
      }
      await ack({ response_action: 'push', view: inviteGrantView({ step, showCallerFields: isAuthorizedCallerInvitation(step.choices.permissions) }, metadata) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await ack({ response_action: 'errors', errors: { [addressesBlock]: error.message } });
    }
  });

  const removeInvalid = (all: boolean) =>
    async ({ body, action, ack, client }: { body: BlockAction; action: BlockAction['actions'][number]; ack: () => Promise<void>; client: WebClient }) => {
      await ack();
      const view = body.view;
      const metadata = decodeMetadata(inviteMetadata, view?.private_metadata);
      if (!view || !metadata?.draftId) return;
      const entry = !all && 'value' in action && typeof action.value === 'string' ? action.value : null;
      if (!all && entry === null) return;
      try {
        const draft = await removeInvalidEntries(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId, entry }, context.now());
        await redrawAddresses(client, view, body.user.id, metadata, draft);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await tellPrivately(client, body.user.id, null, escapeMrkdwn(error.message));
      }
    };
  router.action(ACTION.inviteRemoveInvalid, removeInvalid(false));
  router.action(ACTION.inviteRemoveAllInvalid, removeInvalid(true));

  router.viewClosed(CALLBACK.inviteAddresses, async ({ body, view, ack }) => {
    const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
    if (metadata?.draftId) await discardDraft(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId });
    // Acknowledged once done, so whatever the admin does next finds the draft gone.
    await ack();
  });

  // Ticking both support permissions turns the invitation into an authorized-caller one, whose
  // form asks for the caller settings; unticking either takes them away again.
  router.action(PERMISSION_TOGGLE_ACTION, async ({ body, ack, client }) => {
    await ack();
    const view = body.view;
    if (!view) return;
    const now = context.now();
    try {
      if (view.callback_id === CALLBACK.inviteGrant) {
        const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
        if (!metadata?.draftId) return;
        const grant = readGrant(stateOf(view), INVITE_GRANT_BLOCK);
        const showCallerFields = isAuthorizedCallerInvitation(grant.permissions);
        if (showCallerFields === blockIdsOf(view).has(INVITE_GRANT_BLOCK.supportLevel)) return;
        const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, now);
        const current = {
          ...step,
          choices: { ...step.choices, permissions: grant.permissions, startsOn: grant.startsOn, endsOn: grant.endsOn, caller: grant.caller ?? step.choices.caller },
        };
        await client.views.update({ view_id: view.id, hash: view.hash, view: inviteGrantView({ step: current, showCallerFields }, metadata) });
      } else if (view.callback_id === CALLBACK.invitationEdit) {
        const metadata = decodeMetadata(invitationFormMetadata, view.private_metadata);
        if (!metadata) return;
        const grant = readGrant(stateOf(view), INVITATION_EDIT_BLOCK);
        const showCallerFields = isAuthorizedCallerInvitation(grant.permissions);
        if (showCallerFields === blockIdsOf(view).has(INVITATION_EDIT_BLOCK.supportLevel)) return;
        const { invitation, grantable } = await invitationForManagement(context.prisma, body.user.id, metadata.invitationId, now);
        const catalog = permissionCatalog();
        const current = {
          ...invitation,
          permissions: permissionsFor(grant.permissions, catalog),
          startsOn: grant.startsOn,
          endsOn: grant.endsOn,
          caller: grant.caller ?? invitation.caller,
        };
        await client.views.update({ view_id: view.id, hash: view.hash, view: invitationEditView({ invitation: current, grantable, showCallerFields }, metadata) });
      }
    } catch (error) {
      if (error instanceof DomainError) await tellPrivately(client, body.user.id, null, escapeMrkdwn(error.message));
      else context.logger.debug({ err: error }, 'permission form was not redrawn');
    }
  });

  // Step 2: what to grant. Passing checks keeps it in the draft and opens step 3.
  router.view(CALLBACK.inviteGrant, async ({ body, view, ack }) => {
    const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
    if (!metadata?.draftId) {
      await ack({ response_action: 'errors', errors: { [INVITE_GRANT_BLOCK.endsOn]: UNREADABLE } });
      return;
    }
    const now = context.now();
    try {
      const grant = readGrant(stateOf(view), INVITE_GRANT_BLOCK);
      const chosen = await chooseGrant(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId, ...grant }, now);
      if (!chosen.ok) {
        await ack({ response_action: 'errors', errors: errorsOn(view, chosen.fieldErrors, INVITE_GRANT_BLOCK) });
        return;
      }
      const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, now);
      await ack({ response_action: 'push', view: inviteSendingView({ step, preview: null }, metadata) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await ack({ response_action: 'errors', errors: errorsOn(view, { permissions: error.message }, INVITE_GRANT_BLOCK) });
    }
  });


  // Step 3: Preview shows exactly what the first invitee will get, with the choices made so far.
  router.action(ACTION.invitePreview, async ({ body, ack, client }) => {
    await ack();
    const view = body.view;
    const metadata = decodeMetadata(inviteMetadata, view?.private_metadata);
    if (!view || !metadata?.draftId) return;
    const now = context.now();
    try {
      await saveSendingChoices(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId, ...readSending(stateOf(view)) }, now);
      const step = await inviteSteps(context.prisma, { actorSlackUserId: body.user.id, draftId: metadata.draftId }, now);
      await client.views.update({ view_id: view.id, hash: view.hash, view: inviteSendingView({ step, preview: previewOf(step, now) }, metadata) });
    } catch (error) {
      if (error instanceof DomainError) await tellPrivately(client, body.user.id, null, escapeMrkdwn(error.message));
      else context.logger.debug({ err: error }, 'invitation preview was not shown');
    }
  });

  /**
   * Back from step 2 or 3 keeps what was entered there, so Next shows it again; closing the whole
   * modal throws the draft away. Acknowledged once saved, so whatever the admin does next finds it.
   */
  const keepOnBack =
    (step: string, keep: (actorSlackUserId: string, draftId: number, state: ViewStateValues) => Promise<void>) =>
    async ({ body, view, ack }: ViewClosedArgs) => {
      const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
      if (metadata?.draftId) {
        const draftId = metadata.draftId;
        if (body.is_cleared) await discardDraft(context.prisma, { actorSlackUserId: body.user.id, draftId });
        else await keep(body.user.id, draftId, stateOf(view)).catch((error: unknown) => context.logger.debug({ err: error }, `invitation ${step} was not kept`));
      }
      await ack();
    };
  router.viewClosed(
    CALLBACK.inviteGrant,
    keepOnBack('step 2', (actorSlackUserId, draftId, state) =>
      keepGrantChoices(context.prisma, { actorSlackUserId, draftId, ...readGrant(state, INVITE_GRANT_BLOCK) }, context.now()),
    ),
  );
  router.viewClosed(
    CALLBACK.inviteSending,
    keepOnBack('step 3', (actorSlackUserId, draftId, state) =>
      saveSendingChoices(context.prisma, { actorSlackUserId, draftId, ...readSending(state) }, context.now()),
    ),
  );

  router.view(CALLBACK.inviteSending, async ({ body, view, ack, client }) => {
    const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
    if (!metadata?.draftId) {
      await ack({ response_action: 'errors', errors: { [INVITE_SENDING_BLOCK.personalMessage]: UNREADABLE } });
      return;
    }
    const userId = body.user.id;
    const now = context.now();
    const state = stateOf(view);
    const sending = readSending(state);
    const tooLong = textErrorsOn(INVITE_SENDING_BLOCK, {
      tagsText: textOf(state, INVITE_SENDING_BLOCK.tags, INPUT_ACTION),
      tags: sending.tags,
      personalMessage: sending.personalMessage,
      note: sending.logNote,
    });
    if (tooLong) {
      await ack({ response_action: 'errors', errors: tooLong });
      return;
    }
    try {
      await saveSendingChoices(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId, ...sending }, now);
      const sent = await sendInvitations(context.prisma, { actorSlackUserId: userId, draftId: metadata.draftId }, context.invitations, now);
      if (!sent.ok) {
        const message = Object.values(sent.fieldErrors).join(' ');
        await ack({ response_action: 'errors', errors: { [INVITE_SENDING_BLOCK.personalMessage]: `${message} Go back to fix it.` } });
        return;
      }
      await ack({ response_action: 'clear' });
      context.wakeOutbox();
      const summary = inviteSentView(sent.result);
      await client.chat.postMessage({ channel: userId, text: `Sent ${sent.result.sent} invitations.`, blocks: summary.blocks });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await ack({ response_action: 'errors', errors: { [INVITE_SENDING_BLOCK.personalMessage]: error.message } });
    }
  });

  registerInvitationManagement(router, context);
}

/** Resend, Edit and Revoke, from the overflow menu of `/access invitations`. */
function registerInvitationManagement(router: ListenerRouter, context: GatehouseContext): void {
  router.action(ACTION.manageInvitation, async ({ body, action, ack, client }) => {
    await ack();
    const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
    const choice = 'selected_option' in action && action.selected_option ? parseManageValue(action.selected_option.value ?? '') : null;
    if (!choice) {
      await tellPrivately(client, body.user.id, channelId, "Gatehouse couldn't read that choice. Run `/access invitations` again.");
      return;
    }
    try {
      const { invitation, grantable } = await invitationForManagement(context.prisma, body.user.id, choice.invitationId, context.now());
      const metadata = { invitationId: invitation.invitationId };
      const view =
        choice.verb === 'edit'
          ? invitationEditView({ invitation, grantable, showCallerFields: isAuthorizedCallerInvitation(invitation.permissions.map((permission) => permission.key)) }, metadata)
          : choice.verb === 'resend'
            ? invitationResendView(invitation, metadata)
            : invitationRevokeView(invitation, metadata);
      await openModalOnTrigger({ client, triggerId: body.trigger_id, view, logger: context.logger, tell: (text) => tellPrivately(client, body.user.id, channelId, text) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await tellPrivately(client, body.user.id, channelId, escapeMrkdwn(error.message));
    }
  });

  /**
   * The Edit, Resend and Revoke forms share their frame: read the invitation id back from the view,
   * and show a refusal on the form's note field, where the admin is looking.
   */
  const invitationForm =
    (noteBlock: string, work: (args: ViewSubmissionArgs & { invitationId: number; state: ViewStateValues }) => Promise<void>) =>
    async (args: ViewSubmissionArgs) => {
      const metadata = decodeMetadata(invitationFormMetadata, args.view.private_metadata);
      if (!metadata) {
        await args.ack({ response_action: 'errors', errors: { [noteBlock]: UNREADABLE } });
        return;
      }
      try {
        await work({ ...args, invitationId: metadata.invitationId, state: stateOf(args.view) });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await args.ack({ response_action: 'errors', errors: { [noteBlock]: error.message } });
      }
    };

  router.view(
    CALLBACK.invitationEdit,
    invitationForm(INVITATION_EDIT_BLOCK.note, async ({ body, view, ack, client, invitationId, state }) => {
      const tagsText = textOf(state, INVITATION_EDIT_BLOCK.tags, INPUT_ACTION);
      const tooLong = textErrorsOn(INVITATION_EDIT_BLOCK, { tagsText, tags: tagsFrom(tagsText), note: textOf(state, INVITATION_EDIT_BLOCK.note, INPUT_ACTION) });
      if (tooLong) {
        await ack({ response_action: 'errors', errors: tooLong });
        return;
      }
      const edited = await editInvitation(
        context.prisma,
        {
          actorSlackUserId: body.user.id,
          invitationId,
          ...readGrant(state, INVITATION_EDIT_BLOCK),
          tags: tagsFrom(textOf(state, INVITATION_EDIT_BLOCK.tags, INPUT_ACTION)),
          note: textOf(state, INVITATION_EDIT_BLOCK.note, INPUT_ACTION),
        },
        context.now(),
      );
      if (!edited.ok) {
        await ack({ response_action: 'errors', errors: errorsOn(view, edited.fieldErrors, INVITATION_EDIT_BLOCK) });
        return;
      }
      await ack();
      await tellPrivately(client, body.user.id, null, 'Invitation updated. The person gets it as it is now when they accept.');
    }),
  );

  router.view(
    CALLBACK.invitationResend,
    invitationForm(INVITATION_RESEND_BLOCK.note, async ({ body, ack, client, invitationId, state }) => {
      const tooLong = textErrorsOn(INVITATION_RESEND_BLOCK, {
        personalMessage: textOf(state, INVITATION_RESEND_BLOCK.personalMessage, INPUT_ACTION),
        note: textOf(state, INVITATION_RESEND_BLOCK.note, INPUT_ACTION),
      });
      if (tooLong) {
        await ack({ response_action: 'errors', errors: tooLong });
        return;
      }
      const resent = await resendInvitation(
        context.prisma,
        {
          actorSlackUserId: body.user.id,
          invitationId,
          language: languageFrom(selectedValueOf(state, INVITATION_RESEND_BLOCK.language, INPUT_ACTION)),
          personalMessage: textOf(state, INVITATION_RESEND_BLOCK.personalMessage, INPUT_ACTION),
          note: textOf(state, INVITATION_RESEND_BLOCK.note, INPUT_ACTION),
        },
        context.invitations,
        context.now(),
      );
      await ack();
      context.wakeOutbox();
      await tellPrivately(client, body.user.id, null, `Resent the invitation to ${escapeMrkdwn(resent.email)}. The earlier code no longer works.`);
    }),
  );

  router.view(
    CALLBACK.invitationRevoke,
    invitationForm(INVITATION_REVOKE_BLOCK.note, async ({ body, ack, client, invitationId, state }) => {
      const tooLong = textErrorsOn(INVITATION_REVOKE_BLOCK, { note: textOf(state, INVITATION_REVOKE_BLOCK.note, INPUT_ACTION) });
      if (tooLong) {
        await ack({ response_action: 'errors', errors: tooLong });
        return;
      }
      const revoked = await revokeInvitation(
        context.prisma,
        { actorSlackUserId: body.user.id, invitationId, note: textOf(state, INVITATION_REVOKE_BLOCK.note, INPUT_ACTION) },
        context.now(),
      );
      await ack();
      await tellPrivately(client, body.user.id, null, `Revoked the invitation to ${escapeMrkdwn(revoked.email)}; its code no longer works.`);
    }),
  );
}

