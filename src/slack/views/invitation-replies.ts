/** What someone accepting an invitation is told, in Slack. */
import type { KnownBlock } from '@slack/types';
import type { OrganizationSummary, PermissionChangeInfo, PermissionInfo } from '../../domain/read-models.js';
import { SLASH_COMMAND } from '../commands.js';
import { actions, button, context, fallbackText, mrkdwn, organizationLabel, permissionBullets, section } from './format.js';
import { ACTION } from './ids.js';
import { acceptButtonValue, accessChangeText } from './invitation-messages.js';
import { escapeMrkdwn } from './mrkdwn.js';

export interface AcceptedModel {
  organization: OrganizationSummary;
  permissions: PermissionInfo[];
}

/** The invitee's confirmation; it also replaces the invitation DM, so its Accept button is gone. */
export function acceptedMessage(model: AcceptedModel): { text: string; blocks: KnownBlock[] } {
  const organization = organizationLabel(model.organization);
  return {
    text: fallbackText(`You accepted the invitation to ${escapeMrkdwn(organization)}.`),
    blocks: [
      section(mrkdwn(`:white_check_mark: You accepted the invitation to *${escapeMrkdwn(organization)}*. You now have:`)),
      section(mrkdwn(permissionBullets(model.permissions))),
      context(mrkdwn(`See your access at any time with \`${SLASH_COMMAND} me\` or on Gatehouse's Home tab.`)),
    ],
  };
}

/** How to use `/access accept` when the code is missing. */
export function acceptUsageText(): string {
  return `Type \`${SLASH_COMMAND} accept\` followed by the code from your invitation, for example \`${SLASH_COMMAND} accept 3q2-…\`.`;
}

export interface ConfirmAcceptModel {
  invitationId: number;
  code: string;
  organization: OrganizationSummary;
  change: PermissionChangeInfo;
}

/**
 * Asked instead of accepting when the invitation would take permissions away: exactly what the
 * person keeps, gains and loses, and a button that agrees to lose just those.
 */
export function confirmAcceptMessage(model: ConfirmAcceptModel): { text: string; blocks: KnownBlock[] } {
  const organization = escapeMrkdwn(organizationLabel(model.organization));
  const losses = model.change.loses.map((permission) => permission.key);
  return {
    text: fallbackText(`Accepting this invitation to ${organization} takes permissions away. Nothing has changed yet.`),
    blocks: [
      section(
        mrkdwn(
          `:warning: You are already connected to *${organization}*, and accepting this invitation takes permissions away. Nothing ` +
            `has changed yet.`,
        ),
      ),
      section(mrkdwn(accessChangeText(model.change))),
      actions(`invitation_confirm_${model.invitationId}`, [
        button({
          text: 'Accept and lose these',
          actionId: ACTION.acceptInvitation,
          value: acceptButtonValue(model.invitationId, model.code, losses),
          style: 'danger',
        }),
      ]),
      context(mrkdwn('If you should keep them, leave the invitation and ask the administrator who sent it.')),
    ],
  };
}
