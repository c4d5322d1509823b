import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { applyPendingMigrations } from '../../src/db/migrations.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../src/db/paths.js';
import { signSlackRequest } from '../../src/sandbox/index.js';
import { ACTION, APPROVE_FORM_BLOCK, CALLBACK, INPUT_ACTION } from '../../src/slack/views/ids.js';
import { startServerProcess } from './processes.js';

const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const ORGANIZATIONS = 100;
const WARM_UP_DECISIONS = 100;

export interface PercentileFigures {
  p50Ms: number;
  p99Ms: number;
}

export interface ApproveFigures {
  decisionsPerSecond: number;
  decisions: number;
  clickAck: PercentileFigures;
  submissionAck: PercentileFigures;
  non2xx: number;
  errors: number;
}

export interface ApprovePathResult {
  members: number;
  pendingRequests: number;
  connections: number;
  gatehouse: ApproveFigures;
  bareBolt: ApproveFigures;
}

interface Pending {
  requestId: number;
  adminUserId: string;
}

/** 10,000 members across 100 organizations, each with one Administrator, and 1,000 pending requests. */
async function buildDatabase(url: string, members: number, pendingRequests: number): Promise<Pending[]> {
  const target = parseDatabaseUrl(url);
  await applyPendingMigrations(target);
  const { prisma, close } = await openDatabase(target);
  try {
    await seedPermissionCatalog(prisma);
    await prisma.organization.createMany({
      data: Array.from({ length: ORGANIZATIONS }, (_, index) => ({
        name: `Organization ${index}`,
        customerNumber: String(100000 + index),
        searchText: `organization ${index}`,
      })),
    });
    const organizations = await prisma.organization.findMany({ orderBy: { id: 'asc' } });
    for (let start = 0; start < members; start += 1000) {
      await prisma.member.createMany({
        data: Array.from({ length: Math.min(1000, members - start) }, (_, offset) => ({
          slackUserId: `U${String(start + offset).padStart(8, '0')}`,
          displayName: `Member ${start + offset}`,
          email: `member${start + offset}@example.com`,
        })),
      });
    }
    const everyone = await prisma.member.findMany({ orderBy: { id: 'asc' } });
    const admins = everyone.slice(0, ORGANIZATIONS);
    for (const [index, admin] of admins.entries()) {
      const connection = await prisma.connection.create({ data: { organizationId: organizations[index]!.id, memberId: admin.id } });
      await prisma.connectionPermission.create({ data: { connectionId: connection.id, permissionKey: PERMISSION.administrator } });
    }
    const requesters = everyone.slice(ORGANIZATIONS, ORGANIZATIONS + pendingRequests);
    await prisma.accessRequest.createMany({
      data: requesters.map((member, index) => ({
        requesterId: member.id,
        organizationId: organizations[index % ORGANIZATIONS]!.id,
        purpose: 'Benchmark request',
        requestedPermissions: [PERMISSION.esriAccess],
      })),
    });
    const requests = await prisma.accessRequest.findMany({ orderBy: { id: 'asc' } });
    return requests.map((request) => ({
      requestId: request.id,
      adminUserId: admins[organizations.findIndex((organization) => organization.id === request.organizationId)]!.slackUserId,
    }));
  } finally {
    await close();
  }
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(1));
}

function form(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Every connection takes the next pending request: clicks Approve on its card, then submits the form. */
interface EmulatorProcess {
  url: string;
  triggers: string[];
  stop(): Promise<void>;
}

/** The emulator in its own process, with a trigger ready for every planned click. */
async function startEmulatorProcess(userIds: string[], queue: Pending[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/bench/emulator-process.ts')], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify({ token: BOT_TOKEN, userIds, clicks: queue.map((pending) => pending.adminUserId) }));
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { url, triggers } = JSON.parse(line) as { url: string; triggers: string[] };
  return {
    url,
    triggers,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

async function hammer(url: string, triggers: string[], queue: Pending[], connections: number): Promise<ApproveFigures> {
  const clickLatencies: number[] = [];
  const submissionLatencies: number[] = [];
  let next = 0;
  const signed = (body: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body),
    };
  };
  type Context = { pending?: Pending; startedAt?: number };
  const started = performance.now();
  // autocannon notices it is done only on its next one-second tick, so the run ends at the last answer.
  let lastAnswerAt = started;
  const result = await autocannon({
    url: `${url}/slack/events`,
    connections,
    amount: queue.length * 2,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context: Context) => {
          const index = next++ % queue.length;
          const pending = queue[index]!;
          context.pending = pending;
          const body = form({
            type: 'block_actions',
            team: { id: 'T0SANDBOX01', domain: 'sandbox' },
            user: { id: pending.adminUserId, team_id: 'T0SANDBOX01' },
            api_app_id: 'A0GATEHOUSE',
            trigger_id: triggers[index],
            channel: { id: pending.adminUserId },
            container: { type: 'message', channel_id: pending.adminUserId, message_ts: '1.0' },
            actions: [
              {
                type: 'button',
                action_id: ACTION.approve,
                block_id: `request_actions_${pending.requestId}`,
                value: String(pending.requestId),
                action_ts: '1.0',
              },
            ],
          });
          context.startedAt = performance.now();
          return { ...request, body, headers: signed(body) };
        },
        onResponse: (_status, _body, context: Context) => {
          clickLatencies.push(performance.now() - (context.startedAt ?? 0));
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context: Context) => {
          const pending = context.pending!;
          const body = form({
            type: 'view_submission',
            team: { id: 'T0SANDBOX01', domain: 'sandbox' },
            user: { id: pending.adminUserId, team_id: 'T0SANDBOX01' },
            api_app_id: 'A0GATEHOUSE',
            view: {
              id: `V${pending.requestId}`,
              type: 'modal',
              callback_id: CALLBACK.approveForm,
              hash: '1.a',
              private_metadata: JSON.stringify({ requestId: pending.requestId, channelId: null }),
              state: {
                values: {
                  [APPROVE_FORM_BLOCK.accessPermissions]: {
                    [INPUT_ACTION]: { type: 'checkboxes', selected_options: [{ value: PERMISSION.esriAccess }] },
                  },
                  [APPROVE_FORM_BLOCK.notify]: { [INPUT_ACTION]: { type: 'checkboxes', selected_options: [{ value: 'notify' }] } },
                },
              },
            },
          });
          context.startedAt = performance.now();
          return { ...request, body, headers: signed(body) };
        },
        onResponse: (_status, _body, context: Context) => {
          lastAnswerAt = performance.now();
          submissionLatencies.push(lastAnswerAt - (context.startedAt ?? 0));
        },
      },
    ],
  });
  const seconds = (lastAnswerAt - started) / 1000;
  clickLatencies.sort((a, b) => a - b);
  submissionLatencies.sort((a, b) => a - b);
  return {
    decisionsPerSecond: Math.round(submissionLatencies.length / seconds),
    decisions: submissionLatencies.length,
    clickAck: { p50Ms: percentile(clickLatencies, 0.5), p99Ms: percentile(clickLatencies, 0.99) },
    submissionAck: { p50Ms: percentile(submissionLatencies, 0.5), p99Ms: percentile(submissionLatencies, 0.99) },
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function measureApprovePath(options: {
  connections: number;
  members: number;
  pendingRequests: number;
}): Promise<ApprovePathResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-approve-'));
  const url = `file:${path.join(dataDir, 'gatehouse.db')}`;
  const userIds = Array.from({ length: options.members }, (_, index) => `U${String(index).padStart(8, '0')}`);
  const run = async (entry: string, port: number, queue: Pending[]) => {
    const emulator = await startEmulatorProcess(userIds, queue);
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emulator.url,
      DATABASE_URL: url,
      LOG_LEVEL: 'warn',
    };
    try {
      const server = await startServerProcess(entry, env, port, '/healthz');
      try {
        // The first decisions warm up the JIT, the query compiler and the connection; they are not counted.
        await hammer(server.url, emulator.triggers.slice(0, WARM_UP_DECISIONS), queue.slice(0, WARM_UP_DECISIONS), options.connections);
        return await hammer(server.url, emulator.triggers.slice(WARM_UP_DECISIONS), queue.slice(WARM_UP_DECISIONS), options.connections);
      } finally {
        await server.stop();
      }
    } finally {
      // Also when the app fails to start: a leftover emulator would hold the terminal's output open.
      await emulator.stop();
    }
  };
  try {
    const queue = await buildDatabase(url, options.members, options.pendingRequests);
    const gatehouse = await run('src/server.ts', 3903, queue);
    // The bare app decides nothing, so it gets the same requests against the same data.
    const bareBolt = await run('test/bench/bare-bolt-app.ts', 3904, queue);
    return { ...options, gatehouse, bareBolt };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
