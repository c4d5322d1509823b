/**
 * The CSV exports as files: UTF-8 (with a byte order mark, so spreadsheet programs read it as
 * UTF-8), a header row, RFC 4180 quoting and CRLF line ends, written by csv-stringify into a temp
 * file as the rows are read, one batch at a time, so memory stays flat however many rows there are.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { SqlTarget } from '../../db/sql.js';
import { calendarDateIn } from '../../domain/dates.js';
import type { ExportKind } from '../../domain/log-query.js';
import { PERMISSION_CATALOG } from '../../domain/permission-catalog.js';
import { stringList } from '../../services/invitations/stored-invitation.js';
import {
  exportedStatus,
  gridBatches,
  logBatches,
  logExportSelection,
  reportBatches,
  type ExportedLogEntry,
  type ExportedMember,
  type GridRow,
} from '../../services/exports/export-rows.js';
import type { ExportToDeliver } from '../../services/exports/request-export.js';
import { IsoInstants, listCell } from './csv-values.js';

/** A written export. */
export interface ExportFile {
  path: string;
  filename: string;
  /** Data rows, the header aside. */
  rows: number;
  bytes: number;
}

type Cell = string | number;

const FILE_BUFFER = 1024 * 1024;

/** The columns every member row starts with (grid and report). */
function memberHeader(timeZone: string): string[] {
  return ['Name', 'Email', 'Slack user ID', 'Status', 'Starts on', 'Ends on', `Connected at (${timeZone})`, 'Tags', 'Caller support level'];
}

/** The member's cells, pushed onto `cells`: one array per record, however many parts it has. */
function pushMemberCells(cells: Cell[], member: ExportedMember, now: Date, instants: IsoInstants): Cell[] {
  cells.push(
    member.displayName,
    member.email ?? '',
    member.slackUserId,
    exportedStatus(member.status, member.endsAt, now),
    member.startsOn ?? '',
    member.endsOn ?? '',
    instants.text(member.connectedAt),
    listCell(stringList(member.tags)),
    member.callerSupportLevel?.toLowerCase() ?? '',
  );
  return cells;
}

export function gridHeader(timeZone: string): string[] {
  return [...memberHeader(timeZone), ...PERMISSION_CATALOG.map((permission) => permission.name)];
}

export function gridRecord(row: GridRow, now: Date, instants: IsoInstants): Cell[] {
  const cells = pushMemberCells([], row, now, instants);
  // `|key|` in `|a|b|`: a key is never a part of another key's text with its bars around it.
  const held = row.permissionKeys ? `|${row.permissionKeys}|` : '';
  for (const permission of PERMISSION_CATALOG) cells.push(held.includes(`|${permission.key}|`) ? 'yes' : '');
  return cells;
}

export function reportHeader(timeZone: string): string[] {
  return ['Permission', 'Permission key', ...memberHeader(timeZone)];
}

export function logHeader(timeZone: string): string[] {
  return [
    'Sequence',
    `Logged at (${timeZone})`,
    'Action',
    'Actor',
    'Actor Slack user ID',
    'Member',
    'Member email',
    'Member Slack user ID',
    'Permissions before',
    'Permissions after',
    'Status before',
    'Status after',
    'Ends on before',
    'Ends on after',
    'Note',
    'Entry hash',
  ];
}

/** What a log snapshot says, read defensively: older entries and non-connection entries hold other shapes. */
function snapshotOf(value: unknown): { permissions: string; status: string; endsOn: string } {
  if (typeof value !== 'object' || value === null) return { permissions: '', status: '', endsOn: '' };
  const snapshot = value as { permissions?: unknown; status?: unknown; endsOn?: unknown };
  const permissions = Array.isArray(snapshot.permissions)
    ? snapshot.permissions.filter((key): key is string => typeof key === 'string')
    : [];
  return {
    permissions: listCell(permissions),
    status: typeof snapshot.status === 'string' ? snapshot.status : '',
    endsOn: typeof snapshot.endsOn === 'string' ? snapshot.endsOn : '',
  };
}

export function logRecord(entry: ExportedLogEntry, instants: IsoInstants): Cell[] {
  const before = snapshotOf(entry.before);
  const after = snapshotOf(entry.after);
  return [
    entry.sequence ?? '',
    instants.text(entry.createdAt),
    entry.action,
    entry.actorName ?? entry.actorLabel ?? '',
    entry.actorSlackUserId ?? '',
    entry.subjectName ?? '',
    entry.subjectMemberEmail ?? entry.subjectEmail ?? '',
    entry.subjectSlackUserId ?? '',
    before.permissions,
    after.permissions,
    before.status,
    after.status,
    before.endsOn,
    after.endsOn,
    entry.note ?? '',
    entry.hash ?? '',
  ];
}

/** The records of one export, batch by batch, the header first. */
async function* recordsOf(
  reader: SqlTarget,
  source: ExportToDeliver,
  upToSequence: number,
  now: Date,
  instants: IsoInstants,
): AsyncGenerator<Cell[][]> {
  const { organization, request } = source;
  const timeZone = organization.timeZone;
  if (request.kind === 'grid') {
    yield [gridHeader(timeZone)];
    for await (const batch of gridBatches(reader, organization.id, now)) yield batch.map((row) => gridRecord(row, now, instants));
  } else if (request.kind === 'report') {
    yield [reportHeader(timeZone)];
    for await (const { permission, holders } of reportBatches(reader, organization.id, now)) {
      yield holders.map((holder) => pushMemberCells([permission.name, permission.key], holder, now, instants));
    }
  } else {
    yield [logHeader(timeZone)];
    const selection = logExportSelection(organization.id, timeZone, source.scope, request.filters);
    for await (const batch of logBatches(reader, selection, upToSequence)) yield batch.map((entry) => logRecord(entry, instants));
  }
}

export function exportFilename(kind: ExportKind, organization: { customerNumber: string; timeZone: string }, now: Date): string {
  const safeNumber = organization.customerNumber.replace(/[^A-Za-z0-9_-]/g, '_');
  return `gatehouse-${kind}-${safeNumber}-${calendarDateIn(now, organization.timeZone)}.csv`;
}

/** Writes the export to `path`. */
export async function writeExportFile(
  reader: SqlTarget,
  source: ExportToDeliver,
  options: { path: string; upToSequence: number; now: Date },
): Promise<ExportFile> {
  const instants = new IsoInstants(source.organization.timeZone);
  // Larger buffers than the streams' defaults (16 records, 16 KB): a 25 MB file in fewer writes and waits.
  const stringifier = stringify({
    bom: true,
    record_delimiter: 'windows',
    writableHighWaterMark: 1_000,
    readableHighWaterMark: FILE_BUFFER,
  });
  const written = pipeline(stringifier, createWriteStream(options.path, { highWaterMark: FILE_BUFFER }));
  let rows = -1;
  try {
    for await (const batch of recordsOf(reader, source, options.upToSequence, options.now, instants)) {
      for (const record of batch) {
        rows += 1;
        // Waits for the file to take what is written when the stringifier's buffer is full.
        if (!stringifier.write(record)) await once(stringifier, 'drain');
      }
    }
    stringifier.end();
  } catch (error) {
    stringifier.destroy(error instanceof Error ? error : new Error(String(error)));
    await written.catch(() => undefined);
    throw error;
  }
  await written;
  return {
    path: options.path,
    filename: exportFilename(source.request.kind, source.organization, options.now),
    rows,
    bytes: (await stat(options.path)).size,
  };
}
