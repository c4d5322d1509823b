import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall, RecordedResponseUrlPost } from '../../src/sandbox/index.js';
import { BlockCorpusFile, clearBlockCorpus, currentTestFile, surfacesShown, type CorpusEntry } from './block-corpus.js';
import { PROJECT_ROOT } from '../../src/db/paths.js';

const TEST_FILE = 'test/slack/example.test.ts';
const at = new Date('2026-12-01T12:00:00Z');

function call(
  method: string,
  args: Record<string, unknown>,
  answer: { ok: boolean; error?: string } = { ok: true },
  faulted = false,
): RecordedCall {
  return { method, args, token: 'xoxb-test', response: answer, status: 200, at, faulted };
}

function post(body: RecordedResponseUrlPost['body'], status = 200): RecordedResponseUrlPost {
  return { responseUrl: 'http://127.0.0.1:1/response/1', context: {}, body, status, error: status === 200 ? undefined : 'used_url', at };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title: string) => ({ type: 'modal', title: { type: 'plain_text', text: title }, blocks: [section(title)] });

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function corpusDir(): string {
  dir = mkdtempSync(path.join(tmpdir(), 'block-corpus-'));
  return path.join(dir, 'block-corpus');
}

function readCorpus(file: string): CorpusEntry[] {
  return JSON.parse(readFileSync(file, 'utf8')) as CorpusEntry[];
}

describe('the block corpus', () => {
  it('records each message, modal and Home tab Slack accepted, with the test file and method that sent it', () => {
    const entries = surfacesShown(TEST_FILE, {
      calls: [
        call('chat.postMessage', { channel: 'D1', text: 'Request received', blocks: [section('Received')] }),
        call('chat.postEphemeral', { channel: 'C1', user: 'U1', text: 'Only you can see this' }),
        call('chat.update', { channel: 'C1', ts: '1.000001', text: 'Approved', blocks: [section('Approved')] }),
        call('views.open', { trigger_id: 't', view: modal('Request access') }),
        call('views.push', { trigger_id: 't', view: modal('Grant') }),
        call('views.update', { view_id: 'V1', view: modal('Grant (updated)') }),
        call('views.publish', { user_id: 'U1', view: { type: 'home', blocks: [section('Your access')] } }),
        call('users.info', { user: 'U1' }),
        call('conversations.open', { users: 'U1' }),
      ],
      responses: [post({ response_type: 'ephemeral', text: 'Usage: /access request', blocks: [section('Usage')] })],
      acks: [
        { request: '/access', body: { response_type: 'ephemeral', text: 'Gatehouse commands', blocks: [section('Help')] } },
        { request: 'view_submission', body: { response_action: 'push', view: modal('Step 2') } },
        { request: 'view_submission', body: { response_action: 'errors', errors: { addresses: 'Paste at least one address.' } } },
        { request: 'view_submission', body: undefined },
        { request: 'block_actions', body: undefined },
      ],
    });
    expect(entries).toEqual([
      { source: `${TEST_FILE} chat.postMessage`, kind: 'message', text: 'Request received', blocks: [section('Received')] },
      { source: `${TEST_FILE} chat.postEphemeral`, kind: 'message', text: 'Only you can see this' },
      { source: `${TEST_FILE} chat.update`, kind: 'message', text: 'Approved', blocks: [section('Approved')] },
      { source: `${TEST_FILE} views.open`, kind: 'modal', view: modal('Request access') },
      { source: `${TEST_FILE} views.push`, kind: 'modal', view: modal('Grant') },
      { source: `${TEST_FILE} views.update`, kind: 'modal', view: modal('Grant (updated)') },
      { source: `${TEST_FILE} views.publish`, kind: 'home', view: { type: 'home', blocks: [section('Your access')] } },
      { source: `${TEST_FILE} response_url`, kind: 'message', text: 'Usage: /access request', blocks: [section('Usage')] },
      { source: `${TEST_FILE} ack:/access`, kind: 'message', text: 'Gatehouse commands', blocks: [section('Help')] },
      { source: `${TEST_FILE} ack:view_submission push`, kind: 'modal', view: modal('Step 2') },
    ]);
  });

  it('leaves out what Slack refused or never showed: errors, scripted faults, refused response_url posts and deletions', () => {
    const entries = surfacesShown(TEST_FILE, {
      calls: [
        call('chat.postMessage', { channel: 'D1', text: 'too long' }, { ok: false, error: 'invalid_blocks' }),
        call('views.open', { trigger_id: 't', view: modal('Late') }, { ok: false, error: 'expired_trigger_id' }),
        { ...call('chat.postMessage', { channel: 'D1', text: 'rate limited' }), status: 429, response: 'Too Many Requests', faulted: true },
      ],
      responses: [post({ text: 'sixth use' }, 404), post({ delete_original: true })],
    });
    expect(entries).toEqual([]);
  });

  it('writes one file per test file, <pid>-<counter>.json, keeping each surface once however often it was shown', () => {
    const folder = corpusDir();
    const first = new BlockCorpusFile(folder);
    const receipt = { channel: 'D1', text: 'Request received', blocks: [section('Received')] };
    const file = first.append(
      surfacesShown(TEST_FILE, { calls: [call('chat.postMessage', receipt), call('chat.postMessage', receipt)], responses: [] }),
    );
    // A second app in the same test file shows the receipt again, by another method, and a new modal.
    first.append(
      surfacesShown(TEST_FILE, { calls: [call('chat.update', receipt), call('views.open', { view: modal('Invite') })], responses: [] }),
    );
    expect(file).toBe(path.join(folder, `${process.pid}-0.json`));
    expect(readCorpus(file ?? '')).toEqual([
      { source: `${TEST_FILE} chat.postMessage`, kind: 'message', text: 'Request received', blocks: [section('Received')] },
      { source: `${TEST_FILE} views.open`, kind: 'modal', view: modal('Invite') },
    ]);

    // The next test file in the same worker process writes beside it, never over it.
    const next = new BlockCorpusFile(folder).append(
      surfacesShown('test/slack/other.test.ts', { calls: [call('chat.postMessage', receipt)], responses: [] }),
    );
    expect(next).toBe(path.join(folder, `${process.pid}-1.json`));
    expect(readCorpus(next ?? '')).toHaveLength(1);
    expect(readCorpus(file ?? '')).toHaveLength(2);
  });

  it('writes no file for a test that showed nothing', () => {
    const folder = corpusDir();
    expect(new BlockCorpusFile(folder).append([])).toBeUndefined();
    expect(existsSync(folder)).toBe(false);
  });

  it('is emptied at the start of a run', () => {
    const folder = corpusDir();
    new BlockCorpusFile(folder).append([{ source: TEST_FILE, kind: 'message', text: 'old run' }]);
    writeFileSync(path.join(folder, 'stray.json'), '[]');
    clearBlockCorpus(folder);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('names test files from the project root, whatever the working directory', () => {
    expect(currentTestFile(path.join(PROJECT_ROOT, 'test', 'slack', 'requests.test.ts'))).toBe('test/slack/requests.test.ts');
    expect(currentTestFile(expect.getState().testPath)).toBe('test/support/block-corpus.test.ts');
  });
});
