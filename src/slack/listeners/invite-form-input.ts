/** Reading the invitation forms back: what the steps of `/access invite` and the Edit, Resend and Revoke forms submitted. */

import type { ViewOutput } from '@slack/bolt';
import { checkInvitationTexts, type InvitationFieldErrors, type InvitationTextField } from '../../domain/invitations.js';
import { INVITATION_LANGUAGES, type CallerSettings, type InvitationLanguage } from '../../domain/read-models.js';
import type { GatehouseContext } from '../context.js';
import type { ViewClosedArgs } from '../listener-router.js';
import { INPUT_ACTION, INVITE_SENDING_BLOCK, type INVITATION_EDIT_BLOCK, type INVITE_GRANT_BLOCK } from '../views/ids.js';
import { decodeMetadata, inviteMetadata } from '../views/metadata.js';
import { dateOf, selectedValueOf, selectedValuesOf, textOf, viewStateValues, type ViewStateValues } from '../view-state.js';
import { discardDraft } from '../../services/invitations/invite-drafts.js';

export const UNREADABLE = "Gatehouse couldn't read that form. Please start again with `/access invite`.";

export function stateOf(view: ViewOutput): ViewStateValues {
  const parsed = viewStateValues.safeParse(view.state?.values ?? {});
  return parsed.success ? parsed.data : {};
}

export function blockIdsOf(view: ViewOutput): Set<string> {
  // Bolt's type says a view always has blocks; a forged submission need not, and Slack's never lack them.
  const blocks = (view.blocks as ViewOutput['blocks'] | undefined) ?? [];
  return new Set(blocks.map((block) => block.block_id).filter((id): id is string => typeof id === 'string'));
}

/** Field errors on the blocks that show them; a field the form lacks falls back to the first permission group. */
export function errorsOn(
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

export function readGrant(state: ViewStateValues, blocks: typeof INVITE_GRANT_BLOCK | typeof INVITATION_EDIT_BLOCK) {
  const permissions = [...selectedValuesOf(state, blocks.adminPermissions, INPUT_ACTION), ...selectedValuesOf(state, blocks.accessPermissions, INPUT_ACTION)];
  const supportLevel = selectedValueOf(state, blocks.supportLevel, INPUT_ACTION);
  const caller: CallerSettings | null =
    supportLevel === 'STANDARD' || supportLevel === 'PREMIUM' ? { supportLevel, callerLevel: selectedValueOf(state, blocks.callerLevel, INPUT_ACTION) } : null;
  return { permissions, startsOn: dateOf(state, blocks.startsOn, INPUT_ACTION), endsOn: dateOf(state, blocks.endsOn, INPUT_ACTION), caller };
}

export function languageFrom(value: string | null): InvitationLanguage {
  return (INVITATION_LANGUAGES as readonly string[]).includes(value ?? '') ? (value as InvitationLanguage) : 'en';
}

export function tagsFrom(text: string | null): string[] {
  return [...new Set((text ?? '').split(',').map((tag) => tag.trim()).filter(Boolean))];
}

/** Over-long text on an invitation form, as Slack field errors on the blocks that hold it. */
export function textErrorsOn(
  blocks: Partial<Record<InvitationTextField, string>>,
  texts: Parameters<typeof checkInvitationTexts>[0],
): Record<string, string> | null {
  const errors = Object.entries(checkInvitationTexts(texts)).flatMap(([field, message]) => {
    const block = blocks[field as InvitationTextField];
    return block ? [[block, message] as const] : [];
  });
  return errors.length > 0 ? Object.fromEntries(errors) : null;
}

export function readSending(state: ViewStateValues) {
  return {
    tags: tagsFrom(textOf(state, INVITE_SENDING_BLOCK.tags, INPUT_ACTION)),
    personalMessage: textOf(state, INVITE_SENDING_BLOCK.personalMessage, INPUT_ACTION),
    language: languageFrom(selectedValueOf(state, INVITE_SENDING_BLOCK.language, INPUT_ACTION)),
    logNote: textOf(state, INVITE_SENDING_BLOCK.note, INPUT_ACTION),
  };
}

/**
 * Back from step 2 or 3 keeps what was entered there, so Next shows it again; closing the whole
 * modal throws the draft away. Acknowledged once saved, so whatever the admin does next finds it.
 */
export async function keepOnBack(
  context: GatehouseContext,
  { body, view, ack }: ViewClosedArgs,
  step: string,
  keep: (actorSlackUserId: string, draftId: number, state: ViewStateValues) => Promise<void>,
): Promise<void> {
  const metadata = decodeMetadata(inviteMetadata, view.private_metadata);
  if (metadata?.draftId) {
    const draftId = metadata.draftId;
    if (body.is_cleared) await discardDraft(context.prisma, { actorSlackUserId: body.user.id, draftId });
    else await keep(body.user.id, draftId, stateOf(view)).catch((error: unknown) => context.logger.debug({ err: error }, `invitation ${step} was not kept`));
  }
  await ack();
}
