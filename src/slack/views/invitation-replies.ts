/** What someone accepting an invitation is told, in Slack. */
import type { KnownBlock } from '@slack/types';
import type { OrganizationSummary, PermissionInfo } from '../../domain/read-models.js';
import { SLASH_COMMAND } from '../commands.js';
import { context, fallbackText, mrkdwn, organizationLabel, permissionBullets, section } from './format.js';
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
