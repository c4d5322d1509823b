import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { defaultBodyLimit, type BufferedIncomingMessage, type HTTPReceiver } from '@slack/bolt';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { EVENTS_PATH } from './app.js';
import { checkInboundBody, isSslCheck } from './inbound-payloads.js';

/** Slack's replay window: requests stamped further than this from now, either way, are refused. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface HttpServerOptions {
  /**
   * Bolt's receiver for Slack's requests, and the secret that verifies them before Bolt sees them;
   * absent in Socket Mode, where only the probes are served.
   */
  slack?: { receiver: HTTPReceiver; signingSecret: string };
  /** Whether the database answers. */
  isReady: () => Promise<boolean>;
  /** Served at `GET /metrics` in Prometheus's text format; absent, the path is not served. */
  metrics?: Registry;
  logger: Logger;
  now?: () => number;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Slack's signature: `v0=` and the hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. Bolt refuses
 * stale timestamps but lets future ones through; a request stamped far ahead could be replayed for
 * as long as it is ahead, so both directions are refused here.
 */
function signedBySlack(req: IncomingMessage, rawBody: Buffer, signingSecret: string, nowMs: number): boolean {
  const stampHeader = req.headers['x-slack-request-timestamp'];
  const signature = req.headers['x-slack-signature'];
  if (typeof stampHeader !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(stampHeader)) return false;
  if (Math.abs(Number(stampHeader) - nowMs / 1000) > MAX_CLOCK_SKEW_SECONDS) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${stampHeader}:`).update(rawBody).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The whole body, or undefined once it passes `limit` bytes (the rest is read and dropped). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });
}

/**
 * Verifies, reads and checks a request to the Slack endpoint before Bolt dispatches it: unsigned
 * requests get 401, bodies of a shape Slack never sends get 400 with the reason, and only the rest
 * reach Bolt, with the body already read so Bolt does not read it again.
 */
async function gateSlackRequest(
  req: IncomingMessage,
  res: ServerResponse,
  slack: NonNullable<HttpServerOptions['slack']>,
  logger: Logger,
  nowMs: number,
): Promise<void> {
  const rawBody = await readBody(req, defaultBodyLimit);
  if (rawBody === undefined) {
    sendJson(res, 413, { error: 'payload_too_large' });
    return;
  }
  const contentType = req.headers['content-type'];
  let text: string;
  try {
    text = strictUtf8.decode(rawBody);
  } catch {
    text = '';
  }
  // Slack sends ssl_check unsigned, so it is answered here with nothing, whatever else the body carries.
  if (isSslCheck(contentType, text)) {
    res.writeHead(200).end();
    return;
  }
  if (!signedBySlack(req, rawBody, slack.signingSecret, nowMs)) {
    logger.warn({ path: EVENTS_PATH }, 'refused a request without a valid Slack signature');
    res.writeHead(401).end();
    return;
  }
  if (text === '' && rawBody.length > 0) {
    sendJson(res, 400, { error: 'malformed_request', reason: 'body is not UTF-8' });
    return;
  }
  const verdict = checkInboundBody(contentType, text);
  if (verdict.kind === 'malformed') {
    logger.warn({ reason: verdict.reason }, 'refused a malformed Slack request');
    sendJson(res, 400, { error: 'malformed_request', reason: verdict.reason });
    return;
  }
  if (verdict.kind === 'answer') {
    if (verdict.body) sendJson(res, 200, verdict.body);
    else res.writeHead(200).end();
    return;
  }
  // Bolt reads a body already buffered on the request rather than the spent stream.
  (req as BufferedIncomingMessage).rawBody = rawBody;
  slack.receiver.requestListener(req, res);
}

export function createHttpServer(options: HttpServerOptions): Server {
  const now = options.now ?? Date.now;
  const startedAt = now();
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((now() - startedAt) / 1000) });
      return;
    }
    if (req.method === 'GET' && path === '/readyz') {
      options
        .isReady()
        .then((ready) =>
          sendJson(
            res,
            ready ? 200 : 503,
            ready ? { status: 'ready', database: 'ok' } : { status: 'unavailable', database: 'unreachable' },
          ),
        )
        .catch(() => sendJson(res, 503, { status: 'unavailable', database: 'unreachable' }));
      return;
    }
    if (req.method === 'GET' && path === '/metrics' && options.metrics) {
      const registry = options.metrics;
      registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
          res.end(text);
        })
        .catch((error: unknown) => {
          // Outbox and connection figures are read from the database at scrape time.
          options.logger.warn({ err: error }, 'could not collect metrics');
          sendJson(res, 503, { error: 'metrics_unavailable' });
        });
      return;
    }
    if (options.slack && req.method === 'POST' && path === EVENTS_PATH) {
      gateSlackRequest(req, res, options.slack, options.logger, now()).catch((error: unknown) => {
        // Only reading the body can fail here: the client went away, so there is no one to answer.
        options.logger.warn({ err: error }, 'could not read a Slack request');
        if (!res.headersSent) sendJson(res, 400, { error: 'unreadable_request' });
      });
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  });
}
