import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, LogLevel, WebClient, type WebAPIHTTPError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApiTransport } from '../../src/slack/web-api-transport.js';

interface Seen {
  method: string;
  path: string;
  contentType: string | undefined;
  body: URLSearchParams;
}

/** A stand-in for slack.com whose answer each test chooses. */
describe('the Web API transport', () => {
  let server: http.Server;
  let url: string;
  let connections = 0;
  const seen: Seen[] = [];
  let answer: (request: http.IncomingMessage, response: http.ServerResponse) => void = () => undefined;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          path: request.url ?? '',
          contentType: request.headers['content-type'],
          body: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        });
        answer(request, response);
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    connections = 0;
  });

  const client = (options: ConstructorParameters<typeof WebClient>[1] = {}) =>
    // Failures are the subject here, so the client's own warnings about them are not wanted.
    new WebClient('xoxb-transport-test', {
      slackApiUrl: url,
      fetch: webApiTransport,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
      ...options,
    });
  const json =
    (status: number, body: unknown, headers: Record<string, string> = {}) =>
    (_request: http.IncomingMessage, response: http.ServerResponse) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(body));
    };

  it('posts the form the WebClient builds and returns what Slack answered, over one kept-alive connection', async () => {
    answer = json(200, { ok: true, view: { id: 'V0001' } }, { 'x-oauth-scopes': 'chat:write,users:read' });
    const slack = client();

    const first = await slack.views.open({
      trigger_id: '123.456',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Approve — ✓' }, blocks: [] },
    });
    const second = await slack.chat.postMessage({ channel: 'U0001', text: 'Zoë <@U0002>' });

    expect(first).toMatchObject({ ok: true, view: { id: 'V0001' }, response_metadata: { scopes: ['chat:write', 'users:read'] } });
    expect(second.ok).toBe(true);
    expect(seen.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /api/views.open', 'POST /api/chat.postMessage']);
    expect(seen[0]!.contentType).toBe('application/x-www-form-urlencoded');
    expect(JSON.parse(seen[0]!.body.get('view')!)).toMatchObject({ title: { text: 'Approve — ✓' } });
    expect(seen[1]!.body.get('text')).toBe('Zoë <@U0002>');
    expect(connections).toBe(1);
  });

  it('reports Slack’s errors, rate limits with their Retry-After, and HTTP failures as the WebClient does', async () => {
    answer = json(200, { ok: false, error: 'channel_not_found' });
    await expect(client().chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'channel_not_found' },
    });

    answer = json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
    const limited = await client({ rejectRateLimitedCalls: true })
      .chat.postMessage({ channel: 'C1', text: 'x' })
      .catch((error: WebAPIRateLimitedError) => error);
    expect(limited).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });

    answer = (_request, response) => {
      response.writeHead(503, 'Service Unavailable', { 'content-type': 'text/plain' });
      response.end('down for maintenance');
    };
    const failed = await client()
      .chat.postMessage({ channel: 'C1', text: 'x' })
      .catch((error: WebAPIHTTPError) => error);
    expect(failed).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
      statusMessage: 'Service Unavailable',
      body: 'down for maintenance',
    });
  });

  it('refuses to follow a redirect, and gives up on a call that outlives the client’s timeout', async () => {
    answer = (_request, response) => {
      response.writeHead(302, { location: 'https://elsewhere.example/api/chat.postMessage' });
      response.end();
    };
    await expect(client().chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({ code: ErrorCode.RequestError });

    answer = () => undefined; // never answers
    await expect(client({ timeout: 200 }).chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
      original: { name: 'TimeoutError' },
    });
  });

  it('fails a call whose connection drops before Slack answers', async () => {
    answer = (request) => request.socket.destroy();
    await expect(client().chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
  });
});
