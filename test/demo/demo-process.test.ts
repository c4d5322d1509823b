// `npm run demo`'s entry point as a process of its own: it prints where to go, serves the page,
// and on Ctrl-C stops everything, exits 0 and leaves no port open.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/db/paths.js';

const MAIN = path.join(PROJECT_ROOT, 'src', 'demo', 'main.ts');

function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function run(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`No ${pattern} in the demo's output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the demo process', () => {
  let dataDir: string | undefined;
  let started: ReturnType<typeof run> | undefined;

  afterEach(() => {
    if (started && started.child.exitCode === null) started.child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL, serves the page, and stops cleanly on SIGINT with no port left open', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-demo-process-'));
    started = run(['--port', '0', '--slack-port', '0', '--app-port', '0', '--data-dir', dataDir]);
    const [, url] = await waitForOutput(started.output, /Open (http:\/\/127\.0\.0\.1:\d+) in your browser/, 60_000);
    const [, appUrl, slackUrl] = await waitForOutput(
      started.output,
      /Gatehouse itself runs on (http:\/\/[\d.:]+), its local Slack on (http:\/\/[\d.:]+)\/api\//,
      1_000,
    );

    const page = await fetch(`${url}/`);
    const indexFile = path.join(PROJECT_ROOT, 'src', 'demo', 'client', 'index.html');
    if (existsSync(indexFile)) {
      expect(page.status).toBe(200);
      expect(await page.text()).toBe(readFileSync(indexFile, 'utf8'));
    } else {
      expect(page.status).toBe(404);
      expect(((await page.json()) as { error: string }).error).toContain('index.html');
    }
    const people = (await (await fetch(`${url}/api/people`)).json()) as { id: string }[];
    expect(people.map((person) => person.id)).toContain('U0DEMOHEDY');
    expect(existsSync(path.join(dataDir, 'gatehouse.db'))).toBe(true);

    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
    for (const listening of [url!, appUrl!, slackUrl!]) expect(await isListening(listening)).toBe(false);
  }, 90_000);

  it('refuses bad arguments with a clear message and exit code 1', async () => {
    started = run(['--port', 'eighty']);
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/--port must be a port number/);
    expect(started.output()).toContain('Usage: npm run demo');
    started = run(['--colour']);
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/Unknown option '--colour'/);
  }, 30_000);
});
