import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { EVENTS_PATH } from './app.js';

/** Slack's replay window: requests stamped further than this from now, either way, are refused. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface HttpServerOptions {
  /** Bolt's receiver for Slack's requests; absent in Socket Mode, where only the probes are served. */
  slackReceiver?: HTTPReceiver;
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
 * Bolt refuses stale timestamps but lets future ones through; a request stamped far ahead could be
 * replayed for as long as it is ahead, so both directions are refused here.
 */
function stampedTooFarAhead(req: IncomingMessage, nowMs: number): boolean {
  const stamp = Number(req.headers['x-slack-request-timestamp']);
  return Number.isFinite(stamp) && stamp - nowMs / 1000 > MAX_CLOCK_SKEW_SECONDS;
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
          sendJson(res, ready ? 200 : 503, ready ? { status: 'ready', database: 'ok' } : { status: 'unavailable', database: 'unreachable' }),
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
    if (options.slackReceiver && path === EVENTS_PATH) {
      if (stampedTooFarAhead(req, now())) {
        options.logger.warn({ path }, 'refused a Slack request stamped in the future');
        res.writeHead(401).end();
        return;
      }
      options.slackReceiver.requestListener(req, res);
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  });
}
