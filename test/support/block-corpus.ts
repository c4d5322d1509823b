/**
 * The block corpus: every surface Gatehouse made Slack show during the tests (messages, modals,
 * Home tabs), written as JSON under test/output/block-corpus/ so the browser test can render each
 * one in the demo's web client and fail on any block or element it cannot draw.
 *
 * Each test file's process writes one file, `<pid>-<counter>.json`, holding a JSON array of
 * {@link CorpusEntry}; a surface shown many times is kept once.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import type { RecordedCall, RecordedResponseUrlPost } from '../../src/sandbox/index.js';

export const BLOCK_CORPUS_DIR = path.join(PROJECT_ROOT, 'test', 'output', 'block-corpus');

export type SurfaceKind = 'message' | 'modal' | 'home';

export interface CorpusEntry {
  /** The test file (from the project root) and how the surface reached Slack, e.g. `test/slack/x.test.ts chat.postMessage`. */
  source: string;
  kind: SurfaceKind;
  blocks?: unknown[];
  view?: Record<string, unknown>;
  text?: string;
}

/** What the emulator and the driver saw the app send. */
export interface SlackRecordings {
  calls: readonly RecordedCall[];
  responses: readonly RecordedResponseUrlPost[];
  /** The JSON bodies the app answered Slack's requests with, which Slack shows too; the emulator does not record them. */
  acks?: readonly AppAck[];
}

export interface AppAck {
  /** What Slack had sent: a slash command (as `/access`), `block_actions` or `view_submission`. */
  request: string;
  body: unknown;
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update']);
const MODAL_METHODS = new Set(['views.open', 'views.push', 'views.update']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function message(source: string, body: { blocks?: unknown; text?: unknown }): CorpusEntry | undefined {
  const blocks = Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined;
  const text = typeof body.text === 'string' && body.text !== '' ? body.text : undefined;
  if (blocks === undefined && text === undefined) return undefined;
  return { source, kind: 'message', ...(blocks !== undefined ? { blocks } : {}), ...(text !== undefined ? { text } : {}) };
}

/** A call Slack accepted; a refused one showed nobody anything. */
function accepted(call: RecordedCall): boolean {
  return !call.faulted && call.status === 200 && isRecord(call.response) && call.response.ok === true;
}

/** The surfaces the recordings show, in the order they were sent. `testFile` is relative to the project root. */
export function surfacesShown(testFile: string, recordings: SlackRecordings): CorpusEntry[] {
  const entries: Array<CorpusEntry | undefined> = [];
  for (const call of recordings.calls) {
    if (!accepted(call)) continue;
    const source = `${testFile} ${call.method}`;
    if (MESSAGE_METHODS.has(call.method)) entries.push(message(source, call.args));
    else if (MODAL_METHODS.has(call.method) && isRecord(call.args.view)) entries.push({ source, kind: 'modal', view: call.args.view });
    else if (call.method === 'views.publish' && isRecord(call.args.view)) entries.push({ source, kind: 'home', view: call.args.view });
  }
  for (const post of recordings.responses) {
    if (post.status !== 200 || post.body.delete_original === true) continue;
    entries.push(message(`${testFile} response_url`, post.body));
  }
  for (const { request, body } of recordings.acks ?? []) {
    if (!isRecord(body)) continue;
    const source = `${testFile} ack:${request}`;
    if (request !== 'view_submission') entries.push(message(source, body));
    else if ((body.response_action === 'update' || body.response_action === 'push') && isRecord(body.view)) {
      entries.push({ source: `${source} ${body.response_action}`, kind: 'modal', view: body.view });
    }
  }
  return entries.filter((entry): entry is CorpusEntry => entry !== undefined);
}

/** The same surface from two places is one entry; the first place it came from names it. */
function surfaceHash(entry: CorpusEntry): string {
  const { source: _source, ...surface } = entry;
  return createHash('sha256').update(JSON.stringify(surface)).digest('hex');
}

/**
 * One corpus file, claimed on the first write under a name no other file of this process took, and
 * rewritten whole on each later one.
 */
export class BlockCorpusFile {
  private file: string | undefined;
  private readonly entries: CorpusEntry[] = [];
  private readonly hashes = new Set<string>();

  constructor(private readonly dir: string = BLOCK_CORPUS_DIR) {}

  /** Adds the entries not already in the file and writes it; returns its path, or undefined while it is empty. */
  append(entries: readonly CorpusEntry[]): string | undefined {
    for (const entry of entries) {
      const hash = surfaceHash(entry);
      if (this.hashes.has(hash)) continue;
      this.hashes.add(hash);
      this.entries.push(entry);
    }
    if (this.entries.length === 0) return undefined;
    const file = this.file ?? this.claim();
    writeFileSync(file, `${JSON.stringify(this.entries, null, 1)}\n`);
    return file;
  }

  /** Vitest may run several test files, one after another, in one worker process: each gets its own counter. */
  private claim(): string {
    mkdirSync(this.dir, { recursive: true });
    for (let counter = 0; ; counter += 1) {
      const file = path.join(this.dir, `${process.pid}-${counter}.json`);
      try {
        writeFileSync(file, '[]\n', { flag: 'wx' });
        this.file = file;
        return file;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }
}

/** Empties the corpus folder; the global setup does this once at the start of a run. */
export function clearBlockCorpus(dir: string = BLOCK_CORPUS_DIR): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** The test file running now, relative to the project root (vitest knows it in tests and hooks alike). */
export function currentTestFile(testPath: string | undefined): string {
  if (testPath === undefined) return 'unknown test file';
  return path.relative(PROJECT_ROOT, testPath).split(path.sep).join('/');
}
