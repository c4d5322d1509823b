// `/access users` at scale, measured in a process of its own: `members-child.ts <database url>`
// drives Gatehouse (the compiled server, in its own process) the way Slack would, then sends the
// same requests to the bare Bolt app, and prints the figures as one JSON line. The emulated Slack
// runs here, with its Block Kit checks off: Slack does that work on its own machines.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/db/client.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { createSlackDriver, startSlackEmulator, type AppResponse, type EmulatedView, type SlackEmulator } from '../../src/sandbox/index.js';
import { ACTION, BULK_CONFIRM_BLOCK, BULK_REVIEW_BLOCK, CALLBACK, INPUT_ACTION, USERS_LIST_BLOCK } from '../../src/slack/views/ids.js';
import { startServerProcess } from './processes.js';

export const MEMBERS_BENCH_ADMIN = 'UADMINMEMBERS';
export const MEMBERS_BENCH_CUSTOMER_NUMBER = '900003';
/** Searches the benchmark types: first names of the seeded members (test/support/members.ts), each matching about 1 in 14. */
export const MEMBERS_BENCH_SEARCHES = ['ada', 'ben', 'cora', 'dev', 'elif', 'finn', 'greta', 'hugo', 'ines', 'jon', 'kira', 'liam'];

const SIGNING_SECRET = 'bench-signing-secret';
const BOT_TOKEN = 'xoxb-bench-token';
const WARM_UP_RUNS = 10;
const LIST_RUNS = 100;
const BULK_RUNS = 10;
const BULK_SIZE = 100;
const PAGE_SIZE = 20;
const FLOOR_RUNS = 200;
const WAIT_MS = 30_000;

export interface LatencyFigures {
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

/** A step's ack (Slack's 3-second clock) and when what it does reached Slack or the database. */
export interface StepFigures {
  ack: LatencyFigures;
  done: LatencyFigures;
}

export interface MembersFigures {
  /** Null when Gatehouse's part failed; `failure` says why, and the floor is still measured. */
  failure: string | null;
  gatehouse: null | {
    /** `/access users <search>` until views.open. */
    open: StepFigures;
    /** The status filter changed on the opened list, until views.update. */
    filter: StepFigures;
    /** Next page, until views.update. */
    nextPage: StepFigures;
    /** The review form's submission (choose the action) until the confirmation is pushed. */
    bulkReview: StepFigures;
    /** The confirmation's submission until the 100 log entries are committed. */
    bulkApply: StepFigures;
  };
  bareBolt: {
    command: LatencyFigures;
    blockAction: LatencyFigures;
    viewSubmission: LatencyFigures;
  };
}

function figures(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted.length === 0 ? 0 : Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(1));
  return { runs: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

class StepSamples {
  readonly acks: number[] = [];
  readonly done: number[] = [];
  figures(): StepFigures {
    return { ack: figures(this.acks), done: figures(this.done) };
  }
}

/** Sends one request, then waits for its effect; records both times when `samples` is given (not during warm-up). */
async function timed(send: () => Promise<AppResponse>, effect: () => Promise<unknown>, samples: StepSamples | null): Promise<AppResponse> {
  const started = performance.now();
  const response = await send();
  const ackMs = performance.now() - started;
  if (response.status !== 200) throw new Error(`The app answered ${response.status}: ${response.body.slice(0, 300)}`);
  await effect();
  const doneMs = performance.now() - started;
  samples?.acks.push(ackMs);
  samples?.done.push(doneMs);
  return response;
}

function hasElement(view: EmulatedView, actionId: string): boolean {
  return JSON.stringify(view.definition.blocks ?? []).includes(`"action_id":"${actionId}"`);
}

function openedViewId(emulator: SlackEmulator, method: 'views.open' | 'views.push', index: number): string {
  const call = emulator.callsTo(method)[index];
  const answer = call?.response as { ok?: boolean; error?: string; view?: { id?: string } } | undefined;
  if (!answer?.ok || !answer.view?.id) throw new Error(`${method} failed: ${JSON.stringify(answer)}`);
  return answer.view.id;
}

async function measureGatehouse(url: string, emulator: SlackEmulator): Promise<MembersFigures['gatehouse']> {
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.url,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
  };
  const server = await startServerProcess('src/server.ts', env, 3905, '/healthz');
  const database = await openDatabase(parseDatabaseUrl(url));
  try {
    const driver = createSlackDriver({ appUrl: `${server.url}/slack/events`, signingSecret: SIGNING_SECRET, emulator });
    const user = MEMBERS_BENCH_ADMIN;
    const open = new StepSamples();
    const filter = new StepSamples();
    const nextPage = new StepSamples();
    const bulkReview = new StepSamples();
    const bulkApply = new StepSamples();

    /** `/access users <search>`; returns the opened list's view id. */
    const openList = async (search: string, samples: StepSamples | null) => {
      const before = emulator.callsTo('views.open').length;
      await timed(
        () => driver.slashCommand({ userId: user, text: `users ${search}`.trim() }),
        () => emulator.waitForCalls('views.open', before + 1, WAIT_MS),
        samples,
      );
      return openedViewId(emulator, 'views.open', before);
    };
    /** A click on the list that redraws it with views.update. */
    const onList = async (send: () => Promise<AppResponse>, samples: StepSamples | null) => {
      const before = emulator.callsTo('views.update').length;
      await timed(send, () => emulator.waitForCalls('views.update', before + 1, WAIT_MS), samples);
    };
    const view = (viewId: string) => emulator.getView(viewId)!;

    for (let run = 0; run < WARM_UP_RUNS + LIST_RUNS; run += 1) {
      const counted = run >= WARM_UP_RUNS;
      const listId = await openList(MEMBERS_BENCH_SEARCHES[run % MEMBERS_BENCH_SEARCHES.length]!, counted ? open : null);
      await onList(
        () => driver.interact({ userId: user, view: listId, actionId: ACTION.usersFilterStatus, value: 'active' }),
        counted ? filter : null,
      );
      await onList(() => driver.clickButton({ userId: user, view: listId, actionId: ACTION.usersNextPage }), counted ? nextPage : null);
      await driver.dismissView(listId, user);
    }

    for (let run = 0; run < BULK_RUNS + 1; run += 1) {
      const counted = run >= 1;
      const search = MEMBERS_BENCH_SEARCHES[run % MEMBERS_BENCH_SEARCHES.length]!;
      const listId = await openList(search, null);
      await onList(() => driver.interact({ userId: user, view: listId, actionId: ACTION.usersFilterStatus, value: 'active' }), null);
      if (hasElement(view(listId), ACTION.usersClearSelection)) {
        await onList(() => driver.clickButton({ userId: user, view: listId, actionId: ACTION.usersClearSelection }), null);
      }
      // Five pages of twenty: the selection is kept across paging.
      for (let page = 0; page < BULK_SIZE / PAGE_SIZE; page += 1) {
        if (page > 0) await onList(() => driver.clickButton({ userId: user, view: listId, actionId: ACTION.usersNextPage }), null);
        await onList(() => driver.clickButton({ userId: user, view: listId, actionId: ACTION.usersSelectPage }), null);
      }
      const pushed = emulator.callsTo('views.push').length;
      await driver.clickButton({ userId: user, view: listId, actionId: ACTION.usersReviewSelection });
      await emulator.waitForCalls('views.push', pushed + 1, WAIT_MS);
      const reviewId = openedViewId(emulator, 'views.push', pushed);
      const tag = `bench-${run}`;
      const review = await timed(
        () =>
          driver.submitView(
            reviewId,
            { [BULK_REVIEW_BLOCK.action]: { [INPUT_ACTION]: 'add_tag' }, [BULK_REVIEW_BLOCK.tag]: { [INPUT_ACTION]: tag } },
            user,
          ),
        async () => undefined,
        counted ? bulkReview : null,
      );
      // The confirmation comes back in the submission's answer (response_action push), so its ack is when it is shown.
      if ((review.json as { response_action?: string } | undefined)?.response_action !== 'push') {
        throw new Error(`The review form did not push the confirmation: ${review.body.slice(0, 300)}`);
      }
      const confirm = emulator.currentModal(user)!;
      const logged = await database.prisma.permissionLogEntry.count();
      await timed(
        () => driver.submitView(confirm, { [BULK_CONFIRM_BLOCK.note]: { [INPUT_ACTION]: `Benchmark run ${run}` } }, user),
        async () => {
          const deadline = performance.now() + WAIT_MS;
          while ((await database.prisma.permissionLogEntry.count()) < logged + BULK_SIZE) {
            if (performance.now() > deadline) throw new Error(`The bulk action did not log ${BULK_SIZE} entries within ${WAIT_MS} ms`);
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        },
        counted ? bulkApply : null,
      );
      for (const modal of emulator.openModals(user)) await driver.dismissView(modal, user);
    }
    return {
      open: open.figures(),
      filter: filter.figures(),
      nextPage: nextPage.figures(),
      bulkReview: bulkReview.figures(),
      bulkApply: bulkApply.figures(),
    };
  } finally {
    await database.close();
    await server.stop();
  }
}

/**
 * The floor: the same three kinds of request (the command, a click on the list, a submission of the
 * bulk confirmation) to a Bolt app that only acknowledges them. It needs no Gatehouse UI, so the
 * payloads are shaped by hand like the ones Slack sends for the list.
 */
function floorPayloads(emulator: SlackEmulator): { blockAction: Record<string, unknown>; viewSubmission: Record<string, unknown> } {
  const team = { id: emulator.teamId, domain: emulator.teamDomain };
  const user = { id: MEMBERS_BENCH_ADMIN, username: 'admin', name: 'admin', team_id: emulator.teamId };
  const view = {
    id: 'VBENCHLIST',
    type: 'modal',
    callback_id: CALLBACK.bulkConfirm,
    hash: '1.a',
    private_metadata: JSON.stringify({ organizationId: 1, search: 'ada', status: 'active', page: 0 }),
    state: { values: { [BULK_CONFIRM_BLOCK.note]: { [INPUT_ACTION]: { type: 'plain_text_input', value: 'Benchmark' } } } },
  };
  return {
    blockAction: {
      type: 'block_actions',
      team,
      user,
      api_app_id: emulator.appId,
      trigger_id: emulator.issueTriggerId(MEMBERS_BENCH_ADMIN),
      container: { type: 'view', view_id: view.id },
      view: { ...view, callback_id: CALLBACK.usersList },
      actions: [
        {
          type: 'static_select',
          action_id: ACTION.usersFilterStatus,
          block_id: USERS_LIST_BLOCK.filters,
          selected_option: { text: { type: 'plain_text', text: 'Active' }, value: 'active' },
          action_ts: '1.0',
        },
      ],
    },
    viewSubmission: { type: 'view_submission', team, user, api_app_id: emulator.appId, view, response_urls: [] },
  };
}

async function measureBareBolt(url: string, emulator: SlackEmulator): Promise<MembersFigures['bareBolt']> {
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.url,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
  };
  const server = await startServerProcess('test/bench/bare-bolt-app.ts', env, 3906, '/healthz');
  try {
    const driver = createSlackDriver({ appUrl: `${server.url}/slack/events`, signingSecret: SIGNING_SECRET, emulator });
    const ackOf = async (send: () => Promise<AppResponse>, samples: number[] | null) => {
      const started = performance.now();
      const response = await send();
      if (response.status !== 200) throw new Error(`The bare app answered ${response.status}`);
      samples?.push(performance.now() - started);
    };
    const payloads = floorPayloads(emulator);
    const command: number[] = [];
    const blockAction: number[] = [];
    const viewSubmission: number[] = [];
    for (let run = 0; run < WARM_UP_RUNS + FLOOR_RUNS; run += 1) {
      const counted = run >= WARM_UP_RUNS;
      const search = MEMBERS_BENCH_SEARCHES[run % MEMBERS_BENCH_SEARCHES.length]!;
      await ackOf(() => driver.slashCommand({ userId: MEMBERS_BENCH_ADMIN, text: `users ${search}` }), counted ? command : null);
      await ackOf(() => driver.sendPayload(payloads.blockAction), counted ? blockAction : null);
      await ackOf(() => driver.sendPayload(payloads.viewSubmission), counted ? viewSubmission : null);
    }
    return { command: figures(command), blockAction: figures(blockAction), viewSubmission: figures(viewSubmission) };
  } finally {
    await server.stop();
  }
}

async function measure(url: string): Promise<MembersFigures> {
  const emulator = await startSlackEmulator({ token: BOT_TOKEN, triggerLifetimeMs: 60_000, checkBlockKit: false });
  emulator.addUser({ id: MEMBERS_BENCH_ADMIN, name: 'admin', realName: 'Admin', email: 'admin@example.com' });
  try {
    const bareBolt = await measureBareBolt(url, emulator);
    try {
      return { failure: null, gatehouse: await measureGatehouse(url, emulator), bareBolt };
    } catch (error) {
      return { failure: error instanceof Error ? error.message : String(error), gatehouse: null, bareBolt };
    }
  } finally {
    await emulator.close();
  }
}

if (/members-child\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [url] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await measure(url!))}\n`);
}
