// The demo process in this process: the seeded story, and the whole request loop driven only
// through the demo's HTTP API, as the web client drives it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../src/demo/demo.js';
import type { DemoClockAnswer, DemoMessage, DemoSnapshot, DemoStateValues, DemoSubmitAnswer, DemoView } from '../../src/demo/protocol.js';
import { ACTION, REQUEST_FORM_BLOCK } from '../../src/slack/views/ids.js';

const ADA = 'U0DEMOADA';
const GRACE = 'U0DEMOGRACE';
const ALAN = 'U0DEMOALAN';
const KATH = 'U0DEMOKATH';
const HEDY = 'U0DEMOHEDY';

let demo: RunningDemo;
let dataDir: string;

async function get<T>(pathname: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${demo.url}${pathname}`);
  return { status: response.status, body: (await response.json()) as T };
}

async function post<T>(pathname: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${demo.url}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function snapshot(as: string): Promise<DemoSnapshot> {
  const { status, body } = await get<DemoSnapshot>(`/api/snapshot?as=${as}`);
  expect(status).toBe(200);
  return body;
}

function conversation(view: DemoSnapshot, name: string): DemoMessage[] | undefined {
  return view.conversations.find((entry) => entry.conversation.name === name)?.messages;
}

/** Polls the viewer's snapshot until `probe` finds something: the outbox delivers in the background. */
async function eventually<T>(as: string, probe: (view: DemoSnapshot) => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe(await snapshot(as));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting in ${as}'s snapshot`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Block = Record<string, unknown> & { type?: string; block_id?: string };

function blocksOf(view: DemoView | DemoMessage): Block[] {
  const blocks = 'definition' in view ? view.definition.blocks : view.blocks;
  return Array.isArray(blocks) ? (blocks as Block[]) : [];
}

/** `state.values` as the Slack client sends it: every input, with the answer given or its initial value. */
function stateFor(view: DemoView, answers: Record<string, string | string[]>): DemoStateValues {
  const state: DemoStateValues = {};
  for (const block of blocksOf(view)) {
    if (block.type !== 'input') continue;
    const element = block.element as Record<string, unknown> & { type: string; action_id: string };
    const answer = answers[String(block.block_id)];
    const options = [
      ...((element.options as Record<string, unknown>[] | undefined) ?? []),
      ...((element.option_groups as { options: Record<string, unknown>[] }[] | undefined) ?? []).flatMap((group) => group.options),
    ];
    const option = (value: string) =>
      options.find((candidate) => candidate.value === value) ?? { text: { type: 'plain_text', text: value }, value };
    let selection: Record<string, unknown>;
    if (['static_select', 'external_select', 'radio_buttons'].includes(element.type)) {
      selection = { selected_option: typeof answer === 'string' ? option(answer) : (element.initial_option ?? null) };
    } else if (['checkboxes', 'multi_static_select', 'multi_external_select'].includes(element.type)) {
      selection = { selected_options: Array.isArray(answer) ? answer.map(option) : (element.initial_options ?? []) };
    } else if (element.type === 'datepicker') {
      selection = { selected_date: answer ?? element.initial_date ?? null };
    } else if (element.type === 'multi_users_select') {
      selection = { selected_users: answer ?? element.initial_users ?? [] };
    } else {
      selection = { value: answer ?? element.initial_value ?? null };
    }
    state[String(block.block_id)] = { [element.action_id]: { type: element.type, ...selection } };
  }
  return state;
}

function inputBlockIds(view: DemoView): string[] {
  return blocksOf(view)
    .filter((block) => block.type === 'input')
    .map((block) => String(block.block_id));
}

/** The first button with this action id in a message, as the client would send its click. */
function buttonIn(message: DemoMessage, actionId: string) {
  for (const block of blocksOf(message)) {
    const elements = [block.accessory, ...((block.elements as unknown[] | undefined) ?? [])] as (Record<string, unknown> | undefined)[];
    const button = elements.find((element) => element?.action_id === actionId);
    if (button) return { action_id: actionId, block_id: String(block.block_id), type: 'button', value: String(button.value) };
  }
  throw new Error(`No ${actionId} button in message ${message.ts}`);
}

/** Reads server-sent events from the demo, remembering every change version it announced. */
function listen(): { versions: number[]; close(): void } {
  const versions: number[] = [];
  const controller = new AbortController();
  void (async () => {
    try {
      const response = await fetch(`${demo.url}/api/events`, { signal: controller.signal });
      const decoder = new TextDecoder();
      let buffered = '';
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^event: change\ndata: (.*)$/m.exec(event)?.[1];
          if (data) versions.push((JSON.parse(data) as { version: number }).version);
        }
      }
    } catch {
      // aborted when the test is done
    }
  })();
  return { versions, close: () => controller.abort() };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-demo-'));
  demo = await startDemo({ port: 0, slackPort: 0, appPort: 0, dataDir });
}, 60_000);

afterAll(async () => {
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo', () => {
  it('seeds the story through Gatehouse: the organization, its admins and their roles, the members, the expired one, the invitation and the open request', async () => {
    const { prisma } = demo.gatehouse.database;
    const organization = await prisma.organization.findUniqueOrThrow({ where: { customerNumber: '123456' } });
    expect(organization).toMatchObject({
      name: 'City of Redlands',
      acronym: 'COR',
      timeZone: 'America/Los_Angeles',
      adminChannelId: 'C0DEMOADMINS',
      auditChannelId: 'C0DEMOAUDIT',
    });
    const connections = await prisma.connection.findMany({ include: { member: true, permissions: true } });
    const held = (id: string) =>
      connections
        .find((connection) => connection.member.slackUserId === id)
        ?.permissions.map((row) => row.permissionKey)
        .sort();
    expect(held(ADA)).toEqual(['administrator']);
    expect(held(GRACE)).toContain('assign_training');
    expect(held(ALAN)).toContain('assign_authorized_callers');
    expect(connections.filter((connection) => connection.status === 'ACTIVE')).toHaveLength(11);
    expect(connections.find((connection) => connection.member.slackUserId === 'U0DEMOEDS')).toMatchObject({ status: 'EXPIRED' });
    expect(
      await prisma.permissionLogEntry.count({ where: { action: 'connection.expired', subjectMember: { slackUserId: 'U0DEMOEDS' } } }),
    ).toBe(1);
    expect(connections.find((connection) => connection.member.slackUserId === KATH)?.endsOn).not.toBeNull();
    expect(await prisma.invitation.findMany({ where: { status: 'PENDING' }, select: { email: true } })).toEqual([
      { email: 'radia.perlman@example.com' },
    ]);
    expect(
      await prisma.accessRequest.findMany({ where: { status: 'PENDING' }, select: { requester: { select: { slackUserId: true } } } }),
    ).toEqual([{ requester: { slackUserId: 'U0DEMODENNIS' } }]);
    expect(connections.some((connection) => connection.member.slackUserId === HEDY)).toBe(false);

    const ada = await snapshot(ADA);
    expect(ada.me).toMatchObject({ realName: 'Ada Lovelace', role: 'Administrator', tz: 'America/Los_Angeles' });
    expect(ada.conversations.map((entry) => entry.conversation.name)).toEqual([
      'Gatehouse',
      '#redlands-admins',
      '#redlands-audit',
      '#gatehouse-triage',
    ]);
    const openCard = conversation(ada, '#redlands-admins')?.find(
      (message) => message.text.includes('Dennis Ritchie') && message.text.includes('waiting'),
    );
    expect(openCard).toMatchObject({ authorName: 'Gatehouse', edited: false, ephemeral: false });
    const hedy = await snapshot(HEDY);
    expect(hedy.conversations.map((entry) => entry.conversation.name)).toEqual(['Gatehouse']);
    expect(JSON.stringify(hedy)).not.toContain('Dennis Ritchie for City of Redlands');
    expect((await snapshot(GRACE)).conversations.map((entry) => entry.conversation.name)).toEqual([
      'Gatehouse',
      '#redlands-admins',
      '#redlands-audit',
    ]);
    const people = (await get<DemoSnapshot['people']>('/api/people')).body;
    expect(people).toHaveLength(14);
    expect(people.find((candidate) => candidate.id === HEDY)).toEqual({
      id: HEDY,
      name: 'Hedy Lamarr',
      realName: 'Hedy Lamarr',
      role: 'Newcomer',
      tz: 'America/Los_Angeles',
    });
    expect(demo.emulator.violations).toEqual([]);
  });

  it('runs the request loop through the HTTP API: Hedy asks, field errors come back, Ada approves, Hedy is told, live', async () => {
    const events = listen();
    try {
      const dm = (await snapshot(HEDY)).conversations[0]!.conversation.id;
      const command = await post<{ ok: boolean }>('/api/command', { as: HEDY, channel: dm, text: '/access request' });
      expect(command).toEqual({ status: 200, body: { ok: true } });
      const [form] = (await snapshot(HEDY)).modals;
      expect(form?.definition.title).toMatchObject({ text: expect.any(String) });
      expect(inputBlockIds(form!)).toEqual(
        expect.arrayContaining([REQUEST_FORM_BLOCK.organization, REQUEST_FORM_BLOCK.accessPermissions, REQUEST_FORM_BLOCK.purpose]),
      );
      const organizationId = String((await demo.gatehouse.database.prisma.organization.findFirstOrThrow()).id);

      // Nothing asked for: Gatehouse answers with field errors, and the form stays open showing them.
      const refused = await post<DemoSubmitAnswer>('/api/submit', {
        as: HEDY,
        viewId: form!.id,
        state: stateFor(form!, { organization: organizationId, purpose: 'Mapping the parks.' }),
      });
      expect(refused.status).toBe(200);
      expect(Object.keys(refused.body.errors).length).toBeGreaterThan(0);
      const stillOpen = (await snapshot(HEDY)).modals;
      expect(stillOpen.map((view) => view.id)).toEqual([form!.id]);
      expect(stillOpen[0]!.errors).toEqual(refused.body.errors);

      const accepted = await post<DemoSubmitAnswer>('/api/submit', {
        as: HEDY,
        viewId: form!.id,
        state: stateFor(form!, { organization: organizationId, permissions_access: ['e_learning'], purpose: 'Mapping the parks.' }),
      });
      expect(accepted.body).toEqual({ ok: true, errors: {} });
      expect((await snapshot(HEDY)).modals).toEqual([]);

      const card = await eventually(ADA, (view) =>
        conversation(view, '#redlands-admins')?.find((message) => message.text.includes('Hedy Lamarr')),
      );
      expect(JSON.stringify(await snapshot(GRACE))).toContain('Hedy Lamarr');
      const versionBeforeApproval = Math.max(0, ...events.versions);
      const click = await post('/api/action', {
        as: ADA,
        source: { kind: 'message', channel: card.channel, ts: card.ts },
        action: buttonIn(card, ACTION.approve),
      });
      expect(click).toEqual({ status: 200, body: { ok: true } });
      const approveForm = await eventually(ADA, (view) => view.modals.at(-1));
      const approved = await post<DemoSubmitAnswer>('/api/submit', { as: ADA, viewId: approveForm.id, state: stateFor(approveForm, {}) });
      expect(approved.body).toEqual({ ok: true, errors: {} });

      const answer = await eventually(HEDY, (view) => conversation(view, 'Gatehouse')?.find((message) => /approved/i.test(message.text)));
      expect(answer.authorName).toBe('Gatehouse');
      expect(
        await eventually(ADA, (view) =>
          conversation(view, '#redlands-admins')?.find((message) => message.ts === card.ts && message.edited),
        ),
      ).toBeTruthy();
      const deadline = Date.now() + 5_000;
      while (!events.versions.some((version) => version > versionBeforeApproval) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events.versions.some((version) => version > versionBeforeApproval)).toBe(true);
      expect(demo.emulator.violations).toEqual([]);
    } finally {
      events.close();
    }
  });

  it('shows the answer to an unknown subcommand to the invoker only', async () => {
    const dm = (await snapshot(HEDY)).conversations[0]!.conversation.id;
    const before = conversation(await snapshot(HEDY), 'Gatehouse')!.length;
    const command = await post<{ ok: boolean }>('/api/command', { as: HEDY, channel: dm, text: '/access frobnicate' });
    expect(command.status).toBe(200);
    const messages = conversation(await snapshot(HEDY), 'Gatehouse')!;
    const shown = messages.slice(before).filter((message) => message.ephemeral);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.text).toContain('frobnicate');
    expect(JSON.stringify(await snapshot(ADA))).not.toContain('frobnicate');
  });

  it('moves the clock a day forward, runs the jobs, and Katherine is warned her access ends', async () => {
    const warningsBefore = conversation(await snapshot(KATH), 'Gatehouse')!.length;
    const moved = await post<DemoClockAnswer>('/api/clock', { days: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body.clock.offsetDays).toBe(1);
    expect(moved.body.jobs['time-limits']).toMatchObject({ warned: 1 });
    expect(Object.keys(moved.body.jobs).sort()).toEqual(['log-anchor', 'requests', 'time-limits']);
    const dm = conversation(await snapshot(KATH), 'Gatehouse')!;
    expect(dm.length).toBe(warningsBefore + 1);
    expect(dm.at(-1)!.text).toMatch(/Katherine|access|end/i);
    expect((await snapshot(KATH)).clock.offsetDays).toBe(1);
    const outbox = (await get<{ kind: string; status: string; target: string }[]>('/api/outbox')).body;
    expect(outbox).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'connection.warning', target: KATH, status: 'SENT' })]));
    const log = (await get<{ action: string; subjectName: string | null }[]>('/api/log')).body;
    expect(log).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'connection.expired', subjectName: 'Edsger Dijkstra' })]),
    );
  });

  it('answers bad requests with 400 and changes nothing', async () => {
    const calls = demo.emulator.calls.length;
    const outboxRows = await demo.gatehouse.database.prisma.outboxMessage.count();
    const clock = (await snapshot(ADA)).clock.offsetDays;
    const dm = (await snapshot(HEDY)).conversations[0]!.conversation.id;
    const refusals = await Promise.all([
      post('/api/command', { as: 'U0NOBODY', channel: dm, text: '/access request' }),
      post('/api/command', { as: HEDY, channel: dm }),
      post('/api/command', { as: HEDY, channel: 'C0DEMOADMINS', text: '/access request' }),
      post('/api/command', { as: HEDY, channel: dm, text: '/giphy cats' }),
      post('/api/command', '{"as": "U0DEMOHEDY",'),
      post('/api/clock', { days: -1 }),
      post('/api/clock', { days: 1.5 }),
      post('/api/clock', { days: '3' }),
      post('/api/submit', { as: HEDY, viewId: 'V0NOTOPEN', state: {} }),
      post('/api/close', { as: HEDY, viewId: 'V0NOTOPEN' }),
      post('/api/action', {
        as: ADA,
        source: { kind: 'message', channel: 'C0DEMOADMINS', ts: '1.000001' },
        action: { action_id: 'x', block_id: 'y', type: 'button' },
      }),
      post('/api/action', { as: ADA, source: { kind: 'elsewhere' }, action: {} }),
      post('/api/home-opened', { as: 'U0NOBODY' }),
    ]);
    expect(refusals.map((refusal) => refusal.status)).toEqual(refusals.map(() => 400));
    for (const refusal of refusals) expect(refusal.body).toEqual({ ok: false, error: expect.any(String) });
    expect(refusals[3]!.body).toEqual({ ok: false, error: "This demo's Slack only has /access installed." });
    expect((await get('/api/snapshot?as=U0NOBODY')).status).toBe(400);
    expect(demo.emulator.calls.length).toBe(calls);
    expect(await demo.gatehouse.database.prisma.outboxMessage.count()).toBe(outboxRows);
    expect((await snapshot(ADA)).clock.offsetDays).toBe(clock);
  });

  it('suggests options, sends actions from a modal with its state, and closes modals as the Cancel button and the X do', async () => {
    const dm = (await snapshot(HEDY)).conversations[0]!.conversation.id;
    await post('/api/command', { as: HEDY, channel: dm, text: '/access request' });
    const [form] = (await snapshot(HEDY)).modals;
    const suggested = await post<{ ok: boolean; options: { value: string; text: { text: string } }[] }>('/api/suggest', {
      as: HEDY,
      viewId: form!.id,
      action_id: ACTION.pickOrganization,
      block_id: REQUEST_FORM_BLOCK.organization,
      value: 'redl',
    });
    expect(suggested.status).toBe(200);
    expect(suggested.body.options.map((entry) => entry.text.text).join(' ')).toContain('City of Redlands');

    const organizationId = String((await demo.gatehouse.database.prisma.organization.findFirstOrThrow()).id);
    const state = stateFor(form!, { organization: organizationId });
    const picked = state[REQUEST_FORM_BLOCK.organization]![ACTION.pickOrganization]!;
    const chose = await post('/api/action', {
      as: HEDY,
      source: { kind: 'view', viewId: form!.id },
      action: {
        action_id: ACTION.pickOrganization,
        block_id: REQUEST_FORM_BLOCK.organization,
        type: String(picked.type),
        selected_option: picked.selected_option,
      },
      state,
    });
    expect(chose).toEqual({ status: 200, body: { ok: true } });

    expect(await post('/api/close', { as: HEDY, viewId: form!.id, all: false })).toEqual({ status: 200, body: { ok: true } });
    expect((await snapshot(HEDY)).modals).toEqual([]);

    const adaDm = (await snapshot(ADA)).conversations[0]!.conversation.id;
    expect((await post('/api/command', { as: ADA, channel: adaDm, text: '/access invite' })).status).toBe(200);
    const invite = await eventually(ADA, (view) => view.modals.at(-1));
    expect(await post('/api/close', { as: ADA, viewId: invite.id, all: true })).toEqual({ status: 200, body: { ok: true } });
    expect((await snapshot(ADA)).modals).toEqual([]);
    expect(await post('/api/close', { as: ADA, viewId: invite.id, all: true })).toMatchObject({ status: 400 });
  });

  it('publishes the Home tab when it is opened, and serves only the client files that exist', async () => {
    expect(await post('/api/home-opened', { as: HEDY })).toEqual({ status: 200, body: { ok: true } });
    const home = await eventually(HEDY, (view) => view.home ?? undefined);
    expect(home.type).toBe('home');
    for (const pathname of ['/../package.json', '/%2e%2e/package.json', '/js/../../package.json', '/nothing.html', '/js/missing.js']) {
      expect((await fetch(`${demo.url}${pathname}`)).status).toBe(404);
    }
    const missingScript = await fetch(`${demo.url}/js/missing.js`);
    expect(((await missingScript.json()) as { error: string }).error).toContain('npm run build');
  });
});
