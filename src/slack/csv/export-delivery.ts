/**
 * The outbox's `export.csv` message: makes the CSV as the database stands at delivery, into a temp
 * file that is removed whatever happens, and shares it in the admin's DM.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WebClient } from '@slack/web-api';
import type { SqlTarget } from '../../db/sql.js';
import type { LogFilters } from '../../domain/log-query.js';
import type { OutboxItem } from '../../domain/outbox-messages.js';
import { EXPORT_LABEL, exportToDeliver } from '../../services/exports/request-export.js';
import { organizationLabel } from '../views/format.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { count } from '../views/users-list.js';
import { writeExportFile } from './export-files.js';
import { shareFileInDm } from './upload.js';

type ExportItem = Extract<OutboxItem, { kind: 'export.csv' }>;

function filtersOn(filters: LogFilters): boolean {
  return Object.values(filters).some((value) => value !== null);
}

/** The message the file comes with. */
export function exportComment(kind: ExportItem['request'], organization: { name: string; acronym: string | null }, rows: number): string {
  const what = EXPORT_LABEL[kind.kind];
  const filtered = kind.kind === 'log' && filtersOn(kind.filters) ? ', with the filters you had on' : '';
  const unit = kind.kind === 'log' ? (rows === 1 ? 'entry' : 'entries') : rows === 1 ? 'row' : 'rows';
  return `Here is ${what} of ${escapeMrkdwn(organizationLabel(organization))}${filtered}: ${count(rows)} ${unit}.`;
}

/** Shares the export in the admin's DM; null when there is nothing to send (the admin may no longer make it). */
export async function deliverExport(
  client: WebClient,
  reader: SqlTarget,
  item: ExportItem,
  now: Date,
): Promise<{ channel: string } | null> {
  const source = await exportToDeliver(reader, item, now);
  if (!source) return null;
  const directory = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-export-'));
  try {
    const file = await writeExportFile(reader, source, { path: path.join(directory, 'export.csv'), upToSequence: item.upToSequence, now });
    const what = EXPORT_LABEL[item.request.kind].replace(/^the /, '');
    const title = `${what.charAt(0).toUpperCase()}${what.slice(1)} — ${source.organization.name}`;
    const shared = await shareFileInDm(
      client,
      item.userId,
      { path: file.path, filename: file.filename, title, bytes: file.bytes },
      exportComment(item.request, source.organization, file.rows),
    );
    return { channel: shared.channel };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
