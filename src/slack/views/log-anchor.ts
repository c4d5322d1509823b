/**
 * The daily post of an organization's permissions log head to its audit channel: the sequence
 * number and hash of the last entry, in the form `gatehouse log verify --anchor` takes, so anyone
 * can later check that the log still leads up to it.
 */
import type { KnownBlock } from '@slack/types';
import { formatAnchor, type ChainHead } from '../../domain/log-chain.js';
import type { OrganizationSummary } from '../../domain/read-models.js';
import { context, fallbackText, mrkdwn, organizationLabel, section, utcDateTime } from './format.js';
import { escapeMrkdwn } from './mrkdwn.js';

export interface LogAnchorModel {
  organization: OrganizationSummary;
  head: ChainHead;
  /** When the head was read. */
  at: Date;
}

export function logAnchorMessage(model: LogAnchorModel): { text: string; blocks: KnownBlock[] } {
  const anchor = formatAnchor(model.head);
  const where = escapeMrkdwn(organizationLabel(model.organization));
  // The anchor stands alone in a code span, so it is copied whole; it is digits, a colon and hex only.
  return {
    text: fallbackText(`Permissions log anchor for ${where}: ${anchor}`),
    blocks: [
      section(mrkdwn(`:lock: Permissions log anchor for *${where}*, entry ${model.head.sequence}:\n\`${anchor}\``)),
      context(
        mrkdwn(
          `As of ${utcDateTime(model.at)}. Check the log against it with ` +
            `\`gatehouse log verify --org ${escapeMrkdwn(model.organization.customerNumber)} --anchor ${anchor}\`.`,
        ),
      ),
    ],
  };
}
