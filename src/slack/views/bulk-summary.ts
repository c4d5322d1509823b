/**
 * The one message each Administrator gets about a bulk action (and the acting admin's receipt):
 * what was done, to whom, and how many selected rows were skipped. Up to 100 names go in as few
 * sections as fit Slack's 3,000 characters each.
 */
import type { KnownBlock } from '@slack/types';
import type { BulkAction } from '../../domain/member-management.js';
import type { BulkSummaryModel, PermissionInfo } from '../../domain/read-models.js';
import { context, fallbackText, LIMIT, mention, mrkdwn, organizationLabel, section } from './format.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/** Sections of names at most: 100 people of the longest names and addresses fit in these, far below 50 blocks. */
const MAX_NAME_SECTIONS = 20;

function actionPhrase(action: BulkAction, permission: PermissionInfo | null): string {
  const permissionName = escapeMrkdwn(permission?.name ?? ('permission' in action ? action.permission : ''));
  switch (action.kind) {
    case 'add_tag':
      return `added the tag “${escapeMrkdwn(action.tag)}” to`;
    case 'remove_tag':
      return `removed the tag “${escapeMrkdwn(action.tag)}” from`;
    case 'set_end_date':
      return `set the end date ${action.endsOn} for`;
    case 'clear_end_date':
      return 'removed the end date of';
    case 'add_permission':
      return `granted ${permissionName} to`;
    case 'remove_permission':
      return `took ${permissionName} away from`;
    case 'resend':
      return 'resent the invitations of';
    case 'disconnect':
      return 'disconnected';
  }
}

function people(count: number): string {
  return count === 1 ? '1 person' : `${count} people`;
}

/** Lines joined into sections that each stay within Slack's limit. */
function sectionsOf(lines: readonly string[]): string[] {
  const texts: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > LIMIT.sectionText && current) {
      texts.push(current);
      current = line;
    } else {
      current = next;
    }
  }
  if (current) texts.push(current);
  return texts;
}

export function bulkSummaryMessage(model: BulkSummaryModel): { text: string; blocks: KnownBlock[] } {
  const who = model.forActor ? 'You' : mention(model.actor);
  const organization = escapeMrkdwn(organizationLabel(model.organization));
  const headline = `${who} ${actionPhrase(model.action, model.permission)} ${people(model.changed.length)} in ${organization}.`;
  const lines = model.changed.map(({ person, email }) => {
    const address = email ? ` (${escapeMrkdwn(truncate(email, 120))})` : '';
    return person ? `• ${mention(person)}${address}` : `• ${escapeMrkdwn(truncate(email ?? 'someone', 120))}`;
  });
  const sections = sectionsOf(lines);
  const shown = sections.slice(0, MAX_NAME_SECTIONS);
  const blocks: KnownBlock[] = [section(mrkdwn(headline)), ...shown.map((text) => section(mrkdwn(text)))];
  const notes: string[] = [];
  if (model.skipped > 0) {
    notes.push(`${people(model.skipped)} selected ${model.skipped === 1 ? 'was' : 'were'} skipped: the action was not allowed on them.`);
  }
  if (sections.length > shown.length) notes.push('More people were changed than fit here; the permissions log has them all.');
  if (notes.length > 0) blocks.push(context(mrkdwn(notes.join(' '))));
  return { text: fallbackText(headline), blocks };
}
