/**
 * `/access invite` step 2 (pushed): permissions, dates and, for authorized callers, caller
 * settings. Ticking a permission dispatches a block action (see INVITE_GRANT_PERMISSION_TOGGLE in
 * ../routes.ts), so the listener can redraw with `showCallerFields` once both support permissions
 * are ticked.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { InviteStepModel } from '../../domain/read-models.js';
import { context, mrkdwn, plain, section } from './format.js';
import { CALLBACK, INVITE_GRANT_BLOCK } from './ids.js';
import { encodeMetadata, inviteMetadata, type InviteMetadata } from './metadata.js';
import { escapeMrkdwn } from './mrkdwn.js';
import {
  modal,
  organizationName,
  startsOnInput,
  endsOnInput,
  permissionInputs,
  callerInputs,
  peopleCount,
  inviteesLine,
} from './invite-form-parts.js';

export function inviteGrantView(model: { step: InviteStepModel; showCallerFields: boolean }, metadata: InviteMetadata): ModalView {
  const { draft, grantable, choices } = model.step;
  const people = peopleCount(draft);
  const blocks: KnownBlock[] = [
    section(mrkdwn(`Inviting ${escapeMrkdwn(inviteesLine(draft))} to *${organizationName(draft.organization)}*.`)),
    ...(draft.connected.length > 0
      ? [context(plain('Active users keep their current permissions until they accept; accepting replaces them with what you tick here.'))]
      : []),
    ...permissionInputs(INVITE_GRANT_BLOCK, grantable, choices.permissions),
    startsOnInput(INVITE_GRANT_BLOCK.startsOn, choices.startsOn),
    endsOnInput(INVITE_GRANT_BLOCK.endsOn, choices.endsOn),
  ];
  if (model.showCallerFields) {
    if (people > 1) {
      blocks.push(
        section(
          mrkdwn(`:warning: This invitation has ${people} addresses. Go back and keep one, or untick one of the support permissions.`),
        ),
      );
    }
    blocks.push(...callerInputs(INVITE_GRANT_BLOCK, choices.caller));
  }
  return modal({
    callbackId: CALLBACK.inviteGrant,
    title: 'Invite: permissions',
    submit: 'Next',
    close: 'Back',
    // Back keeps what was ticked: the listener saves it when this view closes.
    notifyOnClose: true,
    privateMetadata: encodeMetadata(inviteMetadata, metadata),
    blocks,
  });
}
