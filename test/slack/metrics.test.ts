import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SUBSCRIBED_EVENTS } from '../../src/slack/listener-router.js';
import { ACTION } from '../../src/slack/views/ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { DATABASE_KINDS } from '../support/databases.js';

const USER = { id: 'U0METRICS', name: 'mira', realName: 'Mira Metrics', email: 'mira@example.com' };

/** The samples of a Prometheus text exposition, keyed by series as written (`name{labels}`). */
function samplesOf(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const gap = line.lastIndexOf(' ');
    samples.set(line.slice(0, gap), Number(line.slice(gap + 1)));
  }
  return samples;
}

describe.each(DATABASE_KINDS)('GET /metrics on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
    app.emulator.addUser(USER);
  });
  afterAll(async () => {
    await app.stop();
  });

  async function scrape(): Promise<{ response: Response; text: string; samples: Map<string, number> }> {
    // Unsigned on purpose: the endpoint is for Prometheus, not for Slack.
    const response = await fetch(`${app.gatehouse.url}/metrics`);
    const text = await response.text();
    return { response, text, samples: samplesOf(text) };
  }

  it("serves Prometheus's text format without a Slack signature, every name prefixed gatehouse_", async () => {
    const { response, text, samples } = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const names = [...samples.keys()].map((series) => series.replace(/\{.*$/, ''));
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !name.startsWith('gatehouse_'))).toEqual([]);
    // Node's process metrics come along, under the same prefix.
    expect(text).toContain('gatehouse_process_cpu_user_seconds_total');
    expect(text).toContain('gatehouse_nodejs_eventloop_lag_seconds');
    expect((await fetch(`${app.gatehouse.url}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('times the ack and the whole of an /access command, labelled by subcommand', async () => {
    expect((await app.driver.slashCommand({ userId: USER.id, text: 'help' })).status).toBe(200);
    const { samples } = await scrape();
    const label = '{listener="command:/access help"}';
    expect(samples.get(`gatehouse_slack_ack_duration_seconds_count${label}`)).toBe(1);
    expect(samples.get(`gatehouse_slack_request_duration_seconds_count${label}`)).toBe(1);
    const ackSeconds = samples.get(`gatehouse_slack_ack_duration_seconds_sum${label}`)!;
    expect(ackSeconds).toBeGreaterThan(0);
    expect(ackSeconds).toBeLessThanOrEqual(samples.get(`gatehouse_slack_request_duration_seconds_sum${label}`)!);
    // Buckets suit Slack's 3-second budget.
    expect(samples.get(`gatehouse_slack_ack_duration_seconds_bucket{le="3",listener="command:/access help"}`)).toBe(1);
  });

  it('never puts what the user typed into a label', async () => {
    await app.driver.slashCommand({ userId: USER.id, text: 'frobnicate-secret-words now' });
    const { text, samples } = await scrape();
    expect(samples.get('gatehouse_slack_ack_duration_seconds_count{listener="command:/access other"}')).toBe(1);
    expect(text).not.toContain('frobnicate');
  });

  it('times block actions routed through the listener router, including ones no route claims', async () => {
    // Withdraw with a value it cannot read: acked, then the user is told, so the ack comes first.
    const withdraw = await app.driver.blockActions({
      userId: USER.id,
      actions: [{ action_id: ACTION.withdraw, block_id: 'b1', type: 'button', value: 'not-a-request' }],
    });
    expect(withdraw.status).toBe(200);
    const unrouted = await app.driver.blockActions({
      userId: USER.id,
      actions: [{ action_id: 'nobody_listens_here', block_id: 'b1', type: 'button', value: 'x' }],
    });
    expect(unrouted.status).toBe(200);
    const { text, samples } = await scrape();
    const routed = `{listener="action:${ACTION.withdraw}"}`;
    expect(samples.get(`gatehouse_slack_ack_duration_seconds_count${routed}`)).toBe(1);
    expect(samples.get(`gatehouse_slack_request_duration_seconds_count${routed}`)).toBe(1);
    expect(samples.get(`gatehouse_slack_ack_duration_seconds_sum${routed}`)).toBeLessThan(
      samples.get(`gatehouse_slack_request_duration_seconds_sum${routed}`)!,
    );
    expect(samples.get('gatehouse_slack_ack_duration_seconds_count{listener="action:unrouted"}')).toBe(1);
    expect(samples.get('gatehouse_slack_request_duration_seconds_count{listener="action:unrouted"}')).toBe(1);
    expect(text).not.toContain('nobody_listens_here');
    expect(app.emulator.violations).toEqual([]);
  });

  it('times the App Home event', async () => {
    const response = await app.driver.event({ event: { type: 'app_home_opened', user: USER.id, channel: 'D0MIRA', tab: 'home' } });
    expect(response.status).toBe(200);
    await app.emulator.waitForCalls('views.publish', 1, 10_000);
    // Slack has its answer before the listener runs, so the listener may still be finishing.
    await vi.waitFor(async () => {
      const { samples } = await scrape();
      expect(samples.get('gatehouse_slack_request_duration_seconds_count{listener="event:app_home_opened"}')).toBe(1);
      expect(samples.get('gatehouse_slack_ack_duration_seconds_count{listener="event:app_home_opened"}')).toBe(1);
    });
  });

  it('labels only the events Gatehouse subscribes to, folding invented types into one series', async () => {
    const before = (await scrape()).text.length;
    // Letters only, the way Slack's own event names look.
    const invented = Array.from(
      { length: 60 },
      (_, index) => `made_up_event_${String.fromCharCode(97 + (index % 26))}${String.fromCharCode(97 + Math.floor(index / 26))}`,
    );
    for (const type of invented) {
      expect((await app.driver.event({ event: { type, user: USER.id } })).status).toBe(200);
    }
    await vi.waitFor(async () => {
      const { samples } = await scrape();
      expect(samples.get('gatehouse_slack_request_duration_seconds_count{listener="event:other"}')).toBe(invented.length);
    });
    const { text } = await scrape();
    expect(text).not.toContain('made_up_event');
    // Two histograms of one new series each, not sixty each.
    expect(text.length - before).toBeLessThan(4_000);
    const manifest = parse(readFileSync(new URL('../../manifests/gatehouse.yaml', import.meta.url), 'utf8')) as {
      settings: { event_subscriptions: { bot_events: string[] } };
    };
    expect([...SUBSCRIBED_EVENTS].sort()).toEqual([...manifest.settings.event_subscriptions.bot_events].sort());
  });

  it('reads outbox depth and the age of the oldest pending message from the database at scrape time', async () => {
    const prisma = app.db.database.prisma;
    const before = (await scrape()).samples;
    expect(before.has('gatehouse_outbox_pending_messages')).toBe(true);
    expect(before.has('gatehouse_outbox_failed_messages')).toBe(true);
    expect(before.has('gatehouse_outbox_oldest_pending_age_seconds')).toBe(true);
    const pendingBefore = before.get('gatehouse_outbox_pending_messages')!;
    const failedBefore = before.get('gatehouse_outbox_failed_messages')!;

    const tenMinutesAgo = new Date(Date.now() - 600_000);
    const notYetDue = new Date(Date.now() + 3600_000);
    const payload = JSON.stringify({ kind: 'home.refresh', userId: USER.id });
    // Not due for an hour, so the dispatcher leaves them where they are.
    await prisma.outboxMessage.create({ data: { kind: 'home.refresh', payload, availableAt: notYetDue, createdAt: tenMinutesAgo } });
    await prisma.outboxMessage.create({ data: { kind: 'home.refresh', payload, availableAt: notYetDue } });
    await prisma.outboxMessage.create({ data: { kind: 'home.refresh', payload, availableAt: notYetDue, status: 'FAILED' } });

    const after = (await scrape()).samples;
    expect(after.get('gatehouse_outbox_pending_messages')).toBe(pendingBefore + 2);
    expect(after.get('gatehouse_outbox_failed_messages')).toBe(failedBefore + 1);
    const age = after.get('gatehouse_outbox_oldest_pending_age_seconds')!;
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(900);
  });

  it('counts connections by status at scrape time', async () => {
    const before = (await scrape()).samples;
    expect(before.get('gatehouse_connections_expired')).toBe(0);
    expect(before.get('gatehouse_connections_removed')).toBe(0);
    expect(before.get('gatehouse_connections_active')).toBe(0);

    const prisma = app.db.database.prisma;
    const organization = await prisma.organization.create({
      data: { name: 'Metrics Org', customerNumber: 'M-1', searchText: 'metrics org' },
    });
    for (const [index, status] of (['ACTIVE', 'ACTIVE', 'EXPIRED', 'REMOVED', 'SUSPENDED'] as const).entries()) {
      const member = await prisma.member.create({ data: { slackUserId: `U0CONN${index}`, displayName: `Member ${index}` } });
      await prisma.connection.create({ data: { organizationId: organization.id, memberId: member.id, status } });
    }

    const after = (await scrape()).samples;
    expect(after.get('gatehouse_connections_active')).toBe(2);
    expect(after.get('gatehouse_connections_expired')).toBe(1);
    expect(after.get('gatehouse_connections_removed')).toBe(1);
  });

  it('exposes the job runs the jobs report', async () => {
    app.gatehouse.metrics.recordJobRun('sweep', 'succeeded', 1200, { expired: 3, removed: 0 });
    app.gatehouse.metrics.recordJobRun('sweep', 'skipped', 5, {});
    const { samples } = await scrape();
    expect(samples.get('gatehouse_job_runs_total{job="sweep",outcome="succeeded"}')).toBe(1);
    expect(samples.get('gatehouse_job_runs_total{job="sweep",outcome="skipped"}')).toBe(1);
    expect(samples.get('gatehouse_job_runs_total{job="sweep",outcome="failed"}')).toBeUndefined();
    expect(samples.get('gatehouse_job_run_duration_seconds_count{job="sweep"}')).toBe(2);
    expect(samples.get('gatehouse_job_run_duration_seconds_sum{job="sweep"}')).toBeCloseTo(1.205, 6);
    expect(samples.get('gatehouse_job_items_total{job="sweep",kind="expired"}')).toBe(3);
    expect(samples.get('gatehouse_job_items_total{job="sweep",kind="removed"}')).toBe(0);
  });
});
