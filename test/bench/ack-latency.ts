import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { signSlackRequest, startSlackEmulator } from '../../src/sandbox/index.js';
import { startServerProcess } from './processes.js';

const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';

export interface AckFigures {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface AckLatencyResult {
  connections: number;
  durationSeconds: number;
  gatehouse: AckFigures;
  bareBolt: AckFigures;
  /** Gatehouse's throughput as a share of the bare app's. */
  throughputRatio: number;
}

function helpCommandBody(): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0BENCH',
    team_domain: 'bench',
    channel_id: 'C0BENCH',
    channel_name: 'bench',
    user_id: 'U0BENCH',
    user_name: 'bench',
    command: '/access',
    text: 'help',
    api_app_id: 'A0BENCH',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '1.2.3',
  }).toString();
}

async function hammer(url: string, connections: number, durationSeconds: number): Promise<AckFigures> {
  const body = helpCommandBody();
  // One signature serves the whole run: Slack's window is five minutes and the body never changes.
  const timestamp = Math.floor(Date.now() / 1000);
  const result = await autocannon({
    url: `${url}/slack/events`,
    method: 'POST',
    connections,
    duration: durationSeconds,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
    },
    body,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function measure(
  entry: string,
  env: Record<string, string>,
  port: number,
  connections: number,
  durationSeconds: number,
): Promise<AckFigures> {
  const server = await startServerProcess(entry, env, port, '/healthz');
  try {
    await hammer(server.url, connections, 2); // warm-up: JIT, first auth.test, connection pools
    return await hammer(server.url, connections, durationSeconds);
  } finally {
    await server.stop();
  }
}

export async function measureAckLatency(options: { connections: number; durationSeconds: number }): Promise<AckLatencyResult> {
  const emulator = await startSlackEmulator({ token: BOT_TOKEN });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.url,
    DATABASE_URL: `file:${path.join(dataDir, 'gatehouse.db')}`,
    LOG_LEVEL: 'warn',
  };
  try {
    const gatehouse = await measure('src/server.ts', env, 3901, options.connections, options.durationSeconds);
    const bareBolt = await measure('test/bench/bare-bolt-app.ts', env, 3902, options.connections, options.durationSeconds);
    return {
      ...options,
      gatehouse,
      bareBolt,
      throughputRatio: Number((gatehouse.requestsPerSecond / bareBolt.requestsPerSecond).toFixed(3)),
    };
  } finally {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
