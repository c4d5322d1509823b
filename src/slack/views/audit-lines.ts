/**
 * The audit channel's line about one change: the log entries it made, by sequence number, who did
 * what to whom. A batch (a 1000-person invitation, a bulk action, a sweep) is one post naming the
 * range, its first entries and how many more there are, so the channel stays readable.
 */
import type { KnownBlock } from '@slack/types';
import type { AuditEntry, AuditLinesModel } from '../../services/audit-entries.js';
import {
  context,
  fallbackText,
  mention,
  mrkdwn,
  oneLine,
  organizationLabel,
  permissionNames,
  personName,
  section,
  onDateTime,
} from './format.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { LOG_ACTION_LABEL } from './permissions-log.js';

function actionWords(action: string): string {
  return Object.hasOwn(LOG_ACTION_LABEL, action) ? LOG_ACTION_LABEL[action as keyof typeof LOG_ACTION_LABEL] : oneLine(action);
}

function actorShown(entry: AuditEntry, name: (person: NonNullable<AuditEntry['actor']>) => string): string {
  if (entry.actor) return name(entry.actor);
  return entry.actorLabel === 'operator' ? 'An operator' : 'Gatehouse';
}

function subjectShown(entry: AuditEntry, name: (person: NonNullable<AuditEntry['subject']>) => string): string | null {
  if (entry.subject) return name(entry.subject);
  return entry.subjectEmail ? escapeMrkdwn(truncate(oneLine(entry.subjectEmail), 100)) : null;
}

function entryLine(entry: AuditEntry, name: (person: NonNullable<AuditEntry['actor']>) => string): string {
  const subject = subjectShown(entry, name);
  const permissions = entry.permissions.length > 0 ? escapeMrkdwn(truncate(permissionNames(entry.permissions), 300)) : null;
  return [`\`#${entry.sequence}\``, actorShown(entry, name), actionWords(entry.action), subject, permissions]
    .filter((part): part is string => part !== null)
    .join('  ·  ');
}

function rangeLabel(model: AuditLinesModel): string {
  return model.fromSequence === model.toSequence ? `#${model.fromSequence}` : `#${model.fromSequence}–#${model.toSequence}`;
}

export function auditLinesMessage(model: AuditLinesModel): { text: string; blocks: KnownBlock[] } {
  const where = escapeMrkdwn(organizationLabel(model.organization));
  const total = model.toSequence - model.fromSequence + 1;
  const first = model.entries[0];
  const plainName = (person: NonNullable<AuditEntry['actor']>) => escapeMrkdwn(personName(person));
  if (total === 1 && first) {
    return {
      text: fallbackText(`${where}: ${entryLine(first, plainName)}`),
      blocks: [section(mrkdwn(entryLine(first, mention))), context(mrkdwn(`${where}  ·  ${onDateTime(first.at)}`))],
    };
  }
  const more = total - model.entries.length;
  const lines = [
    `*${total} log entries* (${rangeLabel(model)}) in *${where}*`,
    ...model.entries.map((entry) => entryLine(entry, mention)),
    ...(more > 0 ? [`_…and ${more} more; see them with \`/access log\`._`] : []),
  ];
  return {
    text: fallbackText(`${where}: ${total} log entries, ${rangeLabel(model)}`),
    blocks: [section(mrkdwn(lines.join('\n'))), ...(first ? [context(mrkdwn(onDateTime(first.at)))] : [])],
  };
}
