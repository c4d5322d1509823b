/**
 * The web client in Chromium, against a small server that answers the demo's API with fixtures
 * drawn by Gatehouse's real view builders. It checks what the page shows, by role and name, and
 * exactly what it sends back.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoSnapshot, DemoView } from '../../src/demo/protocol.js';
import { MEMBER_PAGE_SIZE, type MemberRow } from '../../src/domain/member-management.js';
import { PERMISSION } from '../../src/domain/permission-catalog.js';
import { approveFormView, denyFormView } from '../../src/slack/views/decision-forms.js';
import { ACTION, APPROVE_FORM_BLOCK, DENY_FORM_BLOCK, INPUT_ACTION, REQUEST_FORM_BLOCK } from '../../src/slack/views/ids.js';
import { myAccessHome } from '../../src/slack/views/my-access.js';
import { usersListBlocks } from '../../src/slack/views/users-list.js';
import { requestCardMessage, requesterReceiptMessage } from '../../src/slack/views/request-card.js';
import { requestFormView } from '../../src/slack/views/request-form.js';
import { organizationOption } from '../../src/slack/views/format.js';
import { launchBrowser } from '../support/browser.js';
import { startStaticClient, type StaticClient } from '../support/static-client.js';
import { CATALOG, myAccessModel, organization, permissions, requestCard } from '../slack/views/fixtures.js';

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const DECISION_METADATA = { requestId: 12, channelId: 'C0DEMOADMINS', inTriage: false };
const ME = { id: 'U0DEMOADA', name: 'Ada', realName: 'Ada Lovelace', role: 'Administrator', tz: 'America/Los_Angeles' };
const HEDY = { id: 'U0DEMOHEDY', name: 'Hedy', realName: 'Hedy Lamarr', role: 'Newcomer', tz: 'Europe/London' };
const BOT = { userId: 'U0GATEHOUSE', name: 'Gatehouse' };

function message(
  channel: string,
  ts: string,
  payload: { text: string; blocks?: unknown[] },
  extra: { edited?: boolean; ephemeral?: boolean } = {},
) {
  return {
    channel,
    ts,
    user: BOT.userId,
    authorName: 'Gatehouse',
    text: payload.text,
    ...(payload.blocks ? { blocks: json(payload.blocks) } : {}),
    edited: extra.edited ?? false,
    ephemeral: extra.ephemeral ?? false,
  };
}

function modal(id: string, definition: object, errors: Record<string, string> = {}): DemoView {
  return { id, type: 'modal', definition: json(definition) as Record<string, unknown>, errors };
}

/** Two rows of the members list: a pending invitation with its ⋯ menu, and expired access with no menu. */
const memberRows: MemberRow[] = [
  {
    key: { kind: 'invitation', invitationId: 90 },
    person: null,
    email: 'radia.perlman@example.com',
    mark: 'PENDING_INVITATION',
    restorableUntil: null,
    permissions: permissions(PERMISSION.downloadSoftware),
    tags: [],
    startsOn: null,
    endsOn: null,
    endsAt: null,
    since: new Date('2026-11-20T16:30:00Z'),
    caller: null,
    selected: false,
    can: { select: false, edit: true, disconnect: false, restore: false, resend: true, revoke: true },
  },
  {
    key: { kind: 'member', connectionId: 91 },
    person: { slackUserId: 'U0DEMOHEDY', displayName: 'Hedy Lamarr', email: 'hedy@example.com' },
    email: 'hedy@example.com',
    mark: 'EXPIRED',
    // Already January 1 in UTC, still December 31 in Los Angeles, where Ada is.
    restorableUntil: new Date('2027-01-01T05:00:00Z'),
    permissions: permissions(PERMISSION.downloadSoftware),
    tags: [],
    startsOn: null,
    endsOn: null,
    endsAt: null,
    since: new Date('2026-01-05T10:00:00Z'),
    caller: null,
    selected: false,
    can: { select: false, edit: false, disconnect: false, restore: false, resend: false, revoke: false },
  },
];

/** The members list's heading, rows and closing line, as a message: a message with an overflow menu. */
function membersMessage(): { text: string; blocks: unknown[] } {
  const model = {
    organization: organization(),
    organizations: [organization()],
    query: {
      organizationId: organization().id,
      search: null,
      tag: null,
      permission: null,
      status: 'pending' as const,
      endsWithinDays: null,
      sort: 'name' as const,
      page: 0,
    },
    rows: memberRows,
    total: memberRows.length,
    pageSize: MEMBER_PAGE_SIZE,
    selectedCount: 0,
    viewerRoles: { administrator: true, trainingAdmin: false, authorizedCallerAdmin: false },
  };
  const blocks = usersListBlocks(model).filter((block) => block.type === 'header' || block.type === 'section' || block.type === 'context');
  return { text: 'Members of City of Redlands', blocks };
}

function baseSnapshot(): DemoSnapshot {
  return {
    version: 1,
    me: ME,
    people: [ME, HEDY],
    conversations: [
      {
        conversation: { id: 'D0ADA', kind: 'im', name: 'Gatehouse', purpose: '' },
        messages: [
          message('D0ADA', '1764600000.000100', requesterReceiptMessage(requestCard(), 'admins'), { edited: true }),
          message('D0ADA', '1764600001.000100', membersMessage(), { ephemeral: true }),
          message('D0ADA', '1764600002.000100', { text: 'Hello <@U0RITA>, &lt;script&gt;alert(1)&lt;/script&gt; *stays* text' }),
        ],
      },
      {
        conversation: { id: 'C0DEMOADMINS', kind: 'channel', name: '#redlands-admins', purpose: 'Access requests for City of Redlands' },
        messages: [message('C0DEMOADMINS', '1764600003.000100', requestCardMessage(requestCard(), 'admin'))],
      },
    ],
    home: { id: 'VHOME', type: 'home', definition: json(myAccessHome(myAccessModel())) as unknown as Record<string, unknown>, errors: {} },
    modals: [],
    clock: { now: '2026-12-01T18:00:00.000Z', offsetDays: 0 },
    bot: BOT,
    userNames: { U0RITA: 'Rita Requester', U0ADA: 'Ada Admin', U0DEMOADA: 'Ada Lovelace' },
    channelNames: { C0DEMOADMINS: 'redlands-admins' },
  };
}

let browser: Browser;
let client: StaticClient;
let snapshot: DemoSnapshot;
let submitErrors: Record<string, string>;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  client = await startStaticClient({
    'GET /api/snapshot': () => snapshot,
    'POST /api/submit': () => ({ ok: true, errors: submitErrors }),
    'POST /api/action': () => ({ ok: true }),
    'POST /api/close': () => ({ ok: true }),
    'POST /api/home-opened': () => ({ ok: true }),
    // As in Slack, a command's direct reply comes back as an ephemeral for the person who typed it.
    'POST /api/command': () => {
      const dm = snapshot.conversations[0]!;
      const reply = message('D0ADA', '1764600010.000100', { text: 'Opening the request form…' }, { ephemeral: true });
      snapshot = {
        ...snapshot,
        version: snapshot.version + 1,
        conversations: [{ ...dm, messages: [...dm.messages, reply] }, ...snapshot.conversations.slice(1)],
      };
      setTimeout(() => client.sendEvent('change', { version: snapshot.version }), 0);
      return { ok: true };
    },
    'POST /api/suggest': () => ({ ok: true, options: [json(organizationOption(organization()))] }),
    'POST /api/clock': () => ({
      ok: true,
      clock: { now: '2026-12-04T18:00:00.000Z', offsetDays: 3 },
      jobs: { 'time-limits': { warned: 1, expired: 0 } },
    }),
    'GET /api/outbox': () => ({
      ok: true,
      rows: [
        {
          id: 5,
          kind: 'dm',
          status: 'DELIVERED',
          attempts: 1,
          createdAt: '2026-12-01T18:00:00.000Z',
          deliveredAt: '2026-12-01T18:00:01.000Z',
          target: 'U0DEMOHEDY',
          lastError: null,
        },
      ],
    }),
    'GET /api/log': () => ({
      ok: true,
      rows: [
        {
          id: 9,
          at: '2026-12-01T18:00:00.000Z',
          action: 'REQUEST_APPROVED',
          actorName: 'Ada Lovelace',
          subjectName: 'Hedy Lamarr',
          organization: 'City of Redlands',
          summary: 'Granted Download software',
        },
      ],
    }),
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
});

beforeEach(async () => {
  snapshot = baseSnapshot();
  submitErrors = {};
  client.requests.length = 0;
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  return async () => {
    await page.close();
  };
});

const posted = (path: string) =>
  client.requests.filter((request) => request.method === 'POST' && request.path === path).map((request) => request.body);

async function open(as = 'U0DEMOADA'): Promise<void> {
  await page.goto(`${client.url}/?as=${as}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
}

describe('the page', () => {
  it('shows who I am, my conversations and their messages with the agreed names', async () => {
    await open();
    const viewer = page.getByLabel('Viewing as');
    await expect(viewer.inputValue()).resolves.toBe('U0DEMOADA');
    await expect(viewer.locator('option').allTextContents()).resolves.toEqual(['Ada Lovelace — Administrator', 'Hedy Lamarr — Newcomer']);
    const nav = page.getByRole('navigation', { name: 'Conversations' });
    await expect(nav.getByRole('button').allTextContents()).resolves.toEqual(['Home', 'Gatehouse', '#redlands-admins']);
    await expect(nav.getByRole('button', { name: 'Gatehouse' }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(page.getByRole('main').getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Gatehouse');

    const messages = page.getByRole('article', { name: 'Message from Gatehouse' });
    await expect(messages.count()).resolves.toBe(3);
    await expect(messages.nth(0).textContent()).resolves.toContain('(edited)');
    await expect(messages.nth(1).textContent()).resolves.toContain('Only visible to you');
    await expect(messages.nth(0).textContent()).resolves.not.toContain('Only visible to you');
    // Mentions show names, and user text stays text: no script element is ever made.
    const plain = messages.nth(2);
    await expect(plain.textContent()).resolves.toContain('Hello @Rita Requester, <script>alert(1)</script> stays text');
    await expect(plain.locator('.mrkdwn strong').textContent()).resolves.toBe('stays');
    await expect(page.locator('script:not([src])').count()).resolves.toBe(0);
    // Gatehouse's date tokens show in the viewer's time zone (Hedy's access is restorable until 2027-01-01 05:00 UTC).
    await expect(messages.nth(1).textContent()).resolves.toContain('restorable until Dec 31, 2026');
  });

  it('sends a button action from a message, and switching the person keeps the choice in the URL', async () => {
    await open();
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: '#redlands-admins' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('#redlands-admins');
    const card = page.getByRole('article', { name: 'Message from Gatehouse' });
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => posted('/api/action'))
      .toEqual([
        {
          as: 'U0DEMOADA',
          source: { kind: 'message', channel: 'C0DEMOADMINS', ts: '1764600003.000100' },
          action: { action_id: 'request_approve', block_id: 'request_actions_12', type: 'button', value: '12' },
        },
      ]);
    await page.getByLabel('Viewing as').selectOption('U0DEMOHEDY');
    await expect.poll(() => new URL(page.url()).searchParams.get('as')).toBe('U0DEMOHEDY');
    await expect.poll(() => client.requests.some((request) => request.path === '/api/snapshot?as=U0DEMOHEDY')).toBe(true);
  });

  it('asks a confirm dialog before acting, and sends nothing when denied', async () => {
    await open();
    const receipt = page.getByRole('article', { name: 'Message from Gatehouse' }).first();
    await receipt.getByRole('button', { name: 'Withdraw' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Withdraw this request?' });
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await expect(dialog.count()).resolves.toBe(0);
    expect(posted('/api/action')).toEqual([]);
    await receipt.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByRole('alertdialog', { name: 'Withdraw this request?' }).getByRole('button', { name: 'Withdraw' }).click();
    await expect
      .poll(() => posted('/api/action'))
      .toEqual([
        {
          as: 'U0DEMOADA',
          source: { kind: 'message', channel: 'D0ADA', ts: '1764600000.000100' },
          action: expect.objectContaining({ action_id: 'request_withdraw', type: 'button', value: '12' }),
        },
      ]);
  });

  it('opens an overflow menu of menu items and sends the chosen option', async () => {
    await open();
    await page.getByRole('button', { name: 'More actions' }).click();
    const menu = page.getByRole('menu');
    await expect(menu.getByRole('menuitem').allTextContents()).resolves.toEqual(['Edit', 'Resend invitation', 'Revoke invitation']);
    await menu.getByRole('menuitem', { name: 'Edit' }).click();
    await expect
      .poll(() => posted('/api/action'))
      .toEqual([
        expect.objectContaining({
          action: expect.objectContaining({
            action_id: ACTION.usersManageRow,
            type: 'overflow',
            selected_option: { text: { type: 'plain_text', text: 'Edit' }, value: 'edit:i:90' },
          }),
        }),
      ]);
  });

  it('works the overflow menu by keyboard alone', async () => {
    await open();
    await page.getByRole('button', { name: 'More actions' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Edit');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => posted('/api/action'))
      .toEqual([
        expect.objectContaining({
          action: expect.objectContaining({
            selected_option: { text: { type: 'plain_text', text: 'Revoke invitation' }, value: 'revoke:i:90' },
          }),
        }),
      ]);
    await expect(page.getByRole('menu').isVisible()).resolves.toBe(false);
  });

  it('opens the Home tab, telling the app, and draws the home view', async () => {
    await open();
    await page.getByRole('button', { name: 'Home' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Home');
    await expect.poll(() => posted('/api/home-opened')).toEqual([{ as: 'U0DEMOADA' }]);
    await expect(page.getByRole('main').textContent()).resolves.toContain('City of Redlands');
  });

  it('hints the /access usage while typing a command, sends it, and shows the reply only to me', async () => {
    await open();
    const composer = page.getByRole('textbox', { name: 'Message Gatehouse' });
    await composer.fill('/');
    await expect(page.getByText('/access request', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('/access help', { exact: true }).isVisible()).resolves.toBe(true);
    await composer.fill('/deploy now');
    await composer.press('Enter');
    await expect(page.getByRole('alert').filter({ hasText: '/access' }).first().textContent()).resolves.toContain(
      'only has /access installed',
    );
    await composer.fill('/access request');
    await composer.press('Enter');
    await expect.poll(() => posted('/api/command')).toEqual([{ as: 'U0DEMOADA', channel: 'D0ADA', text: '/access request' }]);
    const reply = page.getByRole('article', { name: 'Message from Gatehouse' }).filter({ hasText: 'Opening the request form…' });
    await reply.waitFor();
    await expect(reply.textContent()).resolves.toContain('Only visible to you');
    await expect(reply.count()).resolves.toBe(1);
    await expect(composer.inputValue()).resolves.toBe('');
  });

  it('shows a new message without a reload, keeping what I am typing', async () => {
    await open();
    const composer = page.getByRole('textbox', { name: 'Message Gatehouse' });
    await composer.fill('/access inv');
    const dm = snapshot.conversations[0]!;
    snapshot = {
      ...snapshot,
      version: 2,
      conversations: [
        { ...dm, messages: [...dm.messages, message('D0ADA', '1764600009.000100', { text: 'Your request was *approved*.' })] },
        ...snapshot.conversations.slice(1),
      ],
    };
    client.sendEvent('change', { version: 2 });
    await page.getByRole('article', { name: 'Message from Gatehouse' }).filter({ hasText: 'Your request was approved.' }).waitFor();
    await expect(composer.inputValue()).resolves.toBe('/access inv');
    await expect(page.evaluate('document.activeElement?.getAttribute("aria-label")')).resolves.toBe('Message Gatehouse');
  });

  it('moves the clock, says what the jobs did, and opens the outbox and permissions log', async () => {
    await open();
    const controls = page.getByRole('region', { name: 'Demo controls' });
    await expect(controls.getByText(/^Demo date: /).textContent()).resolves.toBe('Demo date: Tue, Dec 1, 2026');
    await controls.getByLabel('Days').fill('3');
    await controls.getByRole('button', { name: 'Move clock forward' }).click();
    await expect.poll(() => posted('/api/clock')).toEqual([{ days: 3 }]);
    await expect.poll(() => controls.getByRole('status').textContent()).toContain('time-limits: warned 1');
    await controls.getByRole('button', { name: 'Outbox' }).click();
    await expect(page.getByRole('region', { name: 'Outbox' }).getByRole('row').nth(1).textContent()).resolves.toContain('U0DEMOHEDY');
    await controls.getByRole('button', { name: 'Permissions log' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Permissions log' }).getByRole('cell', { name: 'Granted Download software' }).count())
      .toBe(1);
    await expect(page.getByRole('region', { name: 'Outbox' }).count()).resolves.toBe(0);
  });

  it('is readable on a narrow window: the sidebar sits above the content', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await open();
    const nav = await page.getByRole('navigation', { name: 'Conversations' }).boundingBox();
    const main = await page.getByRole('main').boundingBox();
    expect(nav && main && nav.y + nav.height <= main.y).toBe(true);
    expect(main && main.width <= 420).toBe(true);
  });
});

describe('modals', () => {
  const approve = () => modal('V1', approveFormView({ request: requestCard(), catalog: CATALOG }, DECISION_METADATA));

  function optionOf(view: DemoView, blockId: string, value: string) {
    const block = (view.definition.blocks as Array<{ block_id?: string; element?: { options?: Array<{ value: string }> } }>).find(
      (candidate) => candidate.block_id === blockId,
    );
    const option = block?.element?.options?.find((candidate) => candidate.value === value) as
      { text: { text: string }; value: string; description?: unknown } | undefined;
    if (!option) throw new Error(`no option ${value} in ${blockId}`);
    return { ...option, text: { type: 'plain_text', text: option.text.text, emoji: true } };
  }

  it('draws labelled inputs, moves focus in, and submits the exact state.values Slack would', async () => {
    const view = approve();
    snapshot.modals = [view];
    await open();
    const dialog = page.getByRole('dialog', { name: 'Approve request' });
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(`document.activeElement?.closest('[role="dialog"]') !== null`)).toBe(true);
    const access = dialog.getByRole('group', { name: 'Access' });
    await expect(access.getByRole('checkbox', { name: 'Access e-Learning' }).isChecked()).resolves.toBe(true);
    await access.getByRole('checkbox', { name: 'Access e-Learning' }).uncheck();
    await dialog.getByLabel('Access ends on').fill('2027-03-31');
    await dialog.getByLabel('Tags').fill('planning, gis');
    await expect(dialog.getByRole('button', { name: 'Cancel' }).count()).resolves.toBe(1);
    await expect(dialog.getByRole('button', { name: 'Close all' }).count()).resolves.toBe(1);
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => posted('/api/submit').length).toBe(1);
    const body = posted('/api/submit')[0] as { as: string; viewId: string; state: Record<string, unknown> };
    expect(body.as).toBe('U0DEMOADA');
    expect(body.viewId).toBe('V1');
    expect(body.state).toEqual({
      [APPROVE_FORM_BLOCK.adminPermissions]: { [INPUT_ACTION]: { type: 'checkboxes', selected_options: [] } },
      [APPROVE_FORM_BLOCK.accessPermissions]: {
        [INPUT_ACTION]: {
          type: 'checkboxes',
          selected_options: [optionOf(view, APPROVE_FORM_BLOCK.accessPermissions, PERMISSION.downloadSoftware)],
        },
      },
      [APPROVE_FORM_BLOCK.startsOn]: { [INPUT_ACTION]: { type: 'datepicker', selected_date: null } },
      [APPROVE_FORM_BLOCK.endsOn]: { [INPUT_ACTION]: { type: 'datepicker', selected_date: '2027-03-31' } },
      [APPROVE_FORM_BLOCK.tags]: { [INPUT_ACTION]: { type: 'plain_text_input', value: 'planning, gis' } },
      [APPROVE_FORM_BLOCK.note]: { [INPUT_ACTION]: { type: 'plain_text_input', value: null } },
      [APPROVE_FORM_BLOCK.notify]: {
        [INPUT_ACTION]: { type: 'checkboxes', selected_options: [optionOf(view, APPROVE_FORM_BLOCK.notify, 'notify')] },
      },
    });
  });

  it('shows field errors the app returns under their input, linked to the control', async () => {
    snapshot.modals = [approve()];
    submitErrors = { [APPROVE_FORM_BLOCK.tags]: 'Use at most 10 tags.' };
    await open();
    const dialog = page.getByRole('dialog', { name: 'Approve request' });
    await dialog.getByRole('button', { name: 'Approve' }).click();
    const alert = dialog.getByRole('alert');
    await expect(alert.textContent()).resolves.toBe('Use at most 10 tags.');
    const tags = dialog.getByLabel('Tags');
    await expect(tags.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await tags.getAttribute('aria-describedby'))?.split(' ') ?? [];
    expect(describedBy).toContain(await alert.getAttribute('id'));
    // Under the tags input block, and nowhere else.
    await expect(page.locator(`[data-block-id="${APPROVE_FORM_BLOCK.tags}"] [role="alert"]`).count()).resolves.toBe(1);
    await expect(dialog.getByLabel('Access ends on').getAttribute('aria-invalid')).resolves.toBeNull();
  });

  it('refuses an empty required field itself, without a request, as Slack does', async () => {
    snapshot.modals = [modal('V2', denyFormView(requestCard(), DECISION_METADATA))];
    await open();
    const dialog = page.getByRole('dialog', { name: 'Deny request' });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await expect(page.locator(`[data-block-id="${DENY_FORM_BLOCK.reason}"] [role="alert"]`).textContent()).resolves.toBe(
      'Please complete this required field.',
    );
    await expect(dialog.getByLabel('Reason').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(posted('/api/submit')).toEqual([]);
    await dialog.getByLabel('Reason').fill('Handled by the GIS team.');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => posted('/api/submit').length).toBe(1);
  });

  it('keeps what the viewer typed when the same view redraws, and Escape is Cancel', async () => {
    const view = approve();
    snapshot.modals = [view];
    await open();
    const dialog = page.getByRole('dialog', { name: 'Approve request' });
    await dialog.getByLabel('Note for the permissions log').fill('Half-written note');
    // The app updates the view (same id, same block ids) and the page hears of a newer version.
    snapshot = {
      ...snapshot,
      version: 2,
      modals: [
        {
          ...view,
          definition: {
            ...view.definition,
            blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Updated' }] }, ...(view.definition.blocks as unknown[])],
          },
        },
      ],
    };
    client.sendEvent('change', { version: 2 });
    await page.getByText('Updated', { exact: true }).waitFor();
    await expect(dialog.getByLabel('Note for the permissions log').inputValue()).resolves.toBe('Half-written note');
    await dialog.getByLabel('Tags').press('Escape');
    await expect.poll(() => posted('/api/close')).toEqual([{ as: 'U0DEMOADA', viewId: 'V1', all: false }]);
    await dialog.getByRole('button', { name: 'Close all' }).click();
    await expect.poll(() => posted('/api/close')).toContainEqual({ as: 'U0DEMOADA', viewId: 'V1', all: true });
  });

  it('shows a pushed view on top, and brings the one below back as it was left', async () => {
    const below = approve();
    snapshot.modals = [below];
    await open();
    await page.getByRole('dialog', { name: 'Approve request' }).getByLabel('Tags').fill('contractor');
    snapshot = { ...snapshot, version: 2, modals: [below, modal('V2', denyFormView(requestCard(), DECISION_METADATA))] };
    client.sendEvent('change', { version: 2 });
    const pushed = page.getByRole('dialog', { name: 'Deny request' });
    await pushed.waitFor();
    await expect(page.getByRole('dialog').count()).resolves.toBe(1);
    await expect.poll(() => page.evaluate(`document.activeElement?.closest('[role="dialog"]')?.getAttribute('data-view-id')`)).toBe('V2');
    snapshot = { ...snapshot, version: 3, modals: [below] };
    client.sendEvent('change', { version: 3 });
    const again = page.getByRole('dialog', { name: 'Approve request' });
    await again.waitFor();
    await expect(again.getByLabel('Tags').inputValue()).resolves.toBe('contractor');
    snapshot = { ...snapshot, version: 4, modals: [] };
    client.sendEvent('change', { version: 4 });
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('searches an external select through /api/suggest and dispatches the chosen option', async () => {
    const form = requestFormView(
      { organizationOptions: null, selectedOrganization: null, held: [], requestable: CATALOG, unlisted: false },
      { organizationId: null, unlisted: false },
    );
    snapshot.modals = [modal('V3', form)];
    await open();
    const dialog = page.getByRole('dialog', { name: String((form.title as { text: string }).text) });
    const combobox = dialog.getByRole('combobox', { name: 'Organization' });
    await combobox.pressSequentially('Red');
    await dialog.getByRole('option', { name: 'City of Redlands (COR)' }).click();
    await expect.poll(() => posted('/api/suggest').length).toBeGreaterThan(0);
    expect(posted('/api/suggest').at(-1)).toEqual({
      as: 'U0DEMOADA',
      viewId: 'V3',
      action_id: 'request_pick_organization',
      block_id: REQUEST_FORM_BLOCK.organization,
      value: 'Red',
    });
    await expect
      .poll(() => posted('/api/action'))
      .toEqual([
        expect.objectContaining({
          source: { kind: 'view', viewId: 'V3' },
          action: {
            action_id: 'request_pick_organization',
            block_id: REQUEST_FORM_BLOCK.organization,
            type: 'external_select',
            selected_option: { text: { type: 'plain_text', text: 'City of Redlands (COR)' }, value: '7' },
          },
          state: expect.objectContaining({
            [REQUEST_FORM_BLOCK.organization]: {
              request_pick_organization: { type: 'external_select', selected_option: expect.objectContaining({ value: '7' }) },
            },
          }),
        }),
      ]);
  });
});

describe('render check', () => {
  it('reports a block or element type it cannot draw, and shows a placeholder for it', async () => {
    await page.goto(`${client.url}/render-check.html`);
    await page.waitForFunction(`document.documentElement.dataset.ready === 'true'`);
    const result = await page.evaluate(
      (surfaces) => (globalThis as unknown as RenderCheckWindow).gatehouseRenderCheck(surfaces),
      json([
        { source: 'fixture card', kind: 'message', ...requestCardMessage(requestCard(), 'admin') },
        {
          source: 'made-up',
          kind: 'message',
          text: 'x',
          blocks: [{ type: 'table_of_wonders' }, { type: 'actions', elements: [{ type: 'rich_button' }] }],
        },
        { source: 'approve form', kind: 'modal', view: approveFormView({ request: requestCard(), catalog: CATALOG }, DECISION_METADATA) },
      ]),
    );
    expect(result).toEqual({
      drawn: 3,
      unsupported: [
        { source: 'made-up', type: 'table_of_wonders' },
        { source: 'made-up', type: 'rich_button' },
      ],
    });
    await expect(page.locator('[data-unsupported="table_of_wonders"]').isVisible()).resolves.toBe(true);
  });
});

/** What render-check.html puts on window. */
interface RenderCheckWindow {
  gatehouseRenderCheck: (surfaces: unknown[]) => { drawn: number; unsupported: { source: string; type: string }[] };
}
