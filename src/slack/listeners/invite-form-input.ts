/** Reading the invitation forms back: what the steps of `/access invite` and the Edit, Resend and Revoke forms submitted. */

import type { ViewOutput } from '@slack/bolt';
import { DomainError } from '../../domain/errors.js';
import { INVITATION_LANGUAGES, type CallerSettings, type InvitationLanguage } from '../../domain/read-models.js';
import type { GatehouseContext } from '../context.js';
import type { ViewClosedArgs } from '../listener-router.js';
import type { FieldPlacement } from '../refusals.js';
import {
  INPUT_ACTION,
  INVITATION_EDIT_BLOCK,
  INVITATION_RESEND_BLOCK,
  INVITATION_REVOKE_BLOCK,
  INVITE_GRANT_BLOCK,
  INVITE_SENDING_BLOCK,
} from '../views/ids.js';
import { decodeMetadata, inviteMetadata } from '../views/metadata.js';
import { dateOf, selectedValueOf, selectedValuesOf, stateOf, textOf, type ViewStateValues } from '../view-state.js';
import { discardDraft } from '../../services/invitations/invite-drafts.js';

export const UNREADABLE = "Gatehouse couldn't read that form. Please start again with `/access invite`.";

export function blockIdsOf(view: ViewOutput): Set<string> {
  // Bolt's type says a view always has blocks; a forged submission need not, and Slack's never lack them.
  const blocks = (view.blocks as ViewOutput['blocks'] | undefined) ?? [];
  return new Set(blocks.map((block) => block.block_id).filter((id): id is string => typeof id === 'string'));
}

/** The invitation and its Edit form both carry step 2's fields; a field the form lacks falls back to the first permission group. */
function grantPlacement(
  blocks: {
    adminPermissions: string;
    accessPermissions: string;
    startsOn: string;
    endsOn: string;
    supportLevel: string;
    callerLevel: string;
  },
  rest: { fields?: FieldPlacement['fields']; fallback: FieldPlacement['fallback'] },
): FieldPlacement {
  const permissions = [blocks.accessPermissions, blocks.adminPermissions, blocks.endsOn];
  return {
    fields: {
      permissions,
      addresses: permissions,
      startsOn: blocks.startsOn,
      endsOn: blocks.endsOn,
      supportLevel: [blocks.supportLevel, ...permissions],
      callerLevel: [blocks.callerLevel, ...permissions],
      ...rest.fields,
    },
    fallback: rest.fallback,
  };
}

export const INVITE_GRANT_FIELDS = grantPlacement(INVITE_GRANT_BLOCK, {
  fallback: [INVITE_GRANT_BLOCK.accessPermissions, INVITE_GRANT_BLOCK.adminPermissions, INVITE_GRANT_BLOCK.endsOn],
});

/** Step 3 shows its own texts; what is wrong with an earlier step is said here too, as it is the form on screen. */
export const INVITE_SENDING_FIELDS: FieldPlacement = {
  fields: { tags: INVITE_SENDING_BLOCK.tags, personalMessage: INVITE_SENDING_BLOCK.personalMessage, note: INVITE_SENDING_BLOCK.note },
  fallback: INVITE_SENDING_BLOCK.personalMessage,
  elsewhere: 'Go back to fix it.',
};

/** The Edit, Resend and Revoke forms show a refusal on their note field, where the admin is looking. */
export const INVITATION_EDIT_FIELDS = grantPlacement(INVITATION_EDIT_BLOCK, {
  fields: { tags: INVITATION_EDIT_BLOCK.tags, note: INVITATION_EDIT_BLOCK.note },
  fallback: INVITATION_EDIT_BLOCK.note,
});
export const INVITATION_RESEND_FIELDS: FieldPlacement = {
  fields: { personalMessage: INVITATION_RESEND_BLOCK.personalMessage, note: INVITATION_RESEND_BLOCK.note },
  fallback: INVITATION_RESEND_BLOCK.note,
};
export const INVITATION_REVOKE_FIELDS: FieldPlacement = {
  fields: { note: INVITATION_REVOKE_BLOCK.note },
  fallback: INVITATION_REVOKE_BLOCK.note,
};

export function unreadableInvitation(): DomainError {
  return new DomainError('unreadable', UNREADABLE);
}

export function readGrant(state: ViewStateValues, blocks: typeof INVITE_GRANT_BLOCK | typeof INVITATION_EDIT_BLOCK) {
  const permissions = [
    ...selectedValuesOf(state, blocks.adminPermissions, INPUT_ACTION),
    ...selectedValuesOf(state, blocks.accessPermissions, INPUT_ACTION),
  ];
  const supportLevel = selectedValueOf(state, blocks.supportLevel, INPUT_ACTION);
  const caller: CallerSettings | null =
    supportLevel === 'STANDARD' || supportLevel === 'PREMIUM'
      ? { supportLevel, callerLevel: selectedValueOf(state, blocks.callerLevel, INPUT_ACTION) }
      : null;
  return {
    permissions,
    startsOn: dateOf(state, blocks.startsOn, INPUT_ACTION),
    endsOn: dateOf(state, blocks.endsOn, INPUT_ACTION),
    caller,
  };
}

export function languageFrom(value: string | null): InvitationLanguage {
  return (INVITATION_LANGUAGES as readonly string[]).includes(value ?? '') ? (value as InvitationLanguage) : 'en';
}

export function tagsFrom(text: string | null): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
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
    else
      await keep(body.user.id, draftId, stateOf(view)).catch((error: unknown) =>
        context.logger.debug({ err: error }, `invitation ${step} was not kept`),
      );
  }
  await ack();
}
