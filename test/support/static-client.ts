/**
 * A tiny server for the browser tests of the web client: it compiles the client once per test
 * process (into a temp folder, so parallel test files never read half-written output), serves its
 * pages and /js/ files as the demo does, and answers /api/* with the test's own handlers,
 * recording every request so a test can assert on exactly what the page sent.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const CLIENT_SOURCE = join(ROOT, 'src/demo/client');

let built: Promise<string> | undefined;

/** Compiles src/demo/client with its own tsconfig; resolves with the folder holding client/*.js. */
export function buildClient(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'gatehouse-client-'));
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', join(CLIENT_SOURCE, 'tsconfig.json'), '--outDir', outDir], { cwd: ROOT });
    return join(outDir, 'client');
  })();
  return built;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export type ApiHandler = (request: RecordedRequest) => unknown;

export interface StaticClient {
  url: string;
  requests: RecordedRequest[];
  /** Sends a server-sent event to every page listening on /api/events. */
  sendEvent(name: string, data: unknown): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.map': 'application/json' };

function typeOf(path: string): string {
  return TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
}

async function bodyOf(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Serves the client; `api` maps "POST /api/submit" (method and path) to a JSON answer. */
export async function startStaticClient(api: Record<string, ApiHandler> = {}): Promise<StaticClient> {
  const jsDir = await buildClient();
  const requests: RecordedRequest[] = [];
  const streams = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      if (path.startsWith('/api/')) {
        const recorded: RecordedRequest = { method: request.method ?? 'GET', path: `${path}${url.search}`, body: await bodyOf(request) };
        requests.push(recorded);
        if (path === '/api/events') {
          response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          response.write(': connected\n\n');
          streams.add(response);
          response.on('close', () => streams.delete(response));
          return;
        }
        const handler = api[`${recorded.method} ${path}`];
        response.writeHead(handler ? 200 : 404, { 'content-type': 'application/json' });
        response.end(JSON.stringify(handler ? handler(recorded) : { ok: false, error: `no test handler for ${recorded.method} ${path}` }));
        return;
      }
      const base = path.startsWith('/js/') ? jsDir : CLIENT_SOURCE;
      const relative = path.startsWith('/js/') ? path.slice('/js/'.length) : path === '/' ? 'index.html' : path.slice(1);
      const file = resolve(base, relative);
      if (!file.startsWith(`${base}/`)) {
        response.writeHead(404).end();
        return;
      }
      if (!/\.(html|css|js|map)$/.test(file) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': typeOf(file) });
      response.end(readFileSync(file));
    })();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sendEvent: (name, data) => {
      for (const stream of streams) stream.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
