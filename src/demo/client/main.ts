// The demo page: who I am, my conversations, the Home tab, modals and the demo controls. Every
// change event refetches the snapshot and redraws, keeping what the viewer is typing.
import type { DemoAction, DemoConversation, DemoMessage, DemoSnapshot, DemoStateValues, DemoView } from '../protocol.js';
import { api, listenForChanges } from './api.js';
import { renderBlocks } from './blocks.js';
import { renderMessage } from './messages.js';
import { COMMAND_USAGE } from './commands.js';
import { createContext, stateValues } from './context.js';
import type { OptionGroup, RenderContext, SlackOption } from './elements.js';
import { focusInto, renderModal, type DrawnModal } from './modal.js';
import { el, type TextNames } from './text.js';

const HOME = 'home';
const DEFAULT_VIEWER = 'U0DEMOADA';

const page = {
  viewer: document.querySelector<HTMLSelectElement>('#viewer')!,
  nav: document.querySelector<HTMLElement>('nav[aria-label="Conversations"]')!,
  main: document.querySelector<HTMLElement>('main')!,
  modals: document.querySelector<HTMLElement>('#modals')!,
  banner: document.querySelector<HTMLElement>('#banner')!,
  days: document.querySelector<HTMLInputElement>('#days')!,
  moveClock: document.querySelector<HTMLButtonElement>('#move-clock')!,
  demoDate: document.querySelector<HTMLElement>('#demo-date')!,
  clockResult: document.querySelector<HTMLElement>('#clock-result')!,
  outboxButton: document.querySelector<HTMLButtonElement>('#outbox-button')!,
  logButton: document.querySelector<HTMLButtonElement>('#log-button')!,
  panels: document.querySelector<HTMLElement>('#panels')!,
};

interface OpenConversation {
  id: string;
  /** Parts rebuilt on every snapshot; the composer survives. */
  heading: HTMLElement;
  content: HTMLElement;
  composer: HTMLTextAreaElement | null;
  homeCtx: RenderContext | null;
}

const state = {
  as: new URL(location.href).searchParams.get('as') ?? DEFAULT_VIEWER,
  snapshot: null as DemoSnapshot | null,
  current: null as string | null,
  open: null as OpenConversation | null,
  drawnModal: null as (DrawnModal & { key: string; viewId: string }) | null,
  /** Where focus returns when the last modal closes. */
  modalOpener: null as HTMLElement | null,
  /** What the viewer entered in views lower in the stack, for when Cancel brings them back. */
  savedStates: new Map<string, DemoStateValues>(),
  panel: null as 'Outbox' | 'Permissions log' | null,
  loading: false,
  again: false,
};

function showBanner(message: string): void {
  page.banner.textContent = message;
  page.banner.hidden = message === '';
}

function names(snapshot: DemoSnapshot): TextNames {
  return { tz: snapshot.me.tz, now: new Date(snapshot.clock.now), users: snapshot.userNames, channels: snapshot.channelNames };
}

function contextFor(
  snapshot: DemoSnapshot,
  act: (action: DemoAction, ctx: RenderContext) => void,
  saved: DemoStateValues | null = null,
  viewId?: string,
): RenderContext {
  const ctx: RenderContext = createContext({
    names: names(snapshot),
    people: snapshot.people.map((person) => ({ id: person.id, label: person.realName })),
    conversations: snapshot.conversations.map(({ conversation }) => ({ id: conversation.id, name: conversation.name })),
    act: (action) => act(action, ctx),
    suggest: (request) =>
      viewId
        ? // The app's block_suggestion answer passes through the demo unchanged: Slack option objects.
          api
            .suggest({ as: state.as, viewId, ...request })
            .then((answer) => ({ options: answer.options as SlackOption[], option_groups: (answer.option_groups ?? []) as OptionGroup[] }))
        : Promise.resolve({ options: [] }),
    reportUnsupported: (type) => console.warn(`Gatehouse demo: cannot draw "${type}"`),
    saved,
  });
  return ctx;
}

async function run(task: () => Promise<unknown>): Promise<void> {
  try {
    await task();
    showBanner('');
  } catch (error) {
    showBanner(error instanceof Error ? error.message : String(error));
  }
  await refresh();
}

// ---------------------------------------------------------------------------------------------
// Snapshot
// ---------------------------------------------------------------------------------------------

async function refresh(): Promise<void> {
  if (state.loading) {
    state.again = true;
    return;
  }
  state.loading = true;
  try {
    const snapshot = await api.snapshot(state.as);
    state.snapshot = snapshot;
    render(snapshot);
  } catch (error) {
    showBanner(error instanceof Error ? error.message : String(error));
  } finally {
    state.loading = false;
    if (state.again) {
      state.again = false;
      void refresh();
    }
  }
}

function render(snapshot: DemoSnapshot): void {
  renderViewer(snapshot);
  const ids = [HOME, ...snapshot.conversations.map(({ conversation }) => conversation.id)];
  if (state.current === null || !ids.includes(state.current)) state.current = snapshot.conversations[0]?.conversation.id ?? HOME;
  renderNav(snapshot);
  renderConversation(snapshot);
  renderModals(snapshot);
  renderClock(snapshot);
  if (state.panel) void renderPanel(state.panel);
}

function renderViewer(snapshot: DemoSnapshot): void {
  const wanted = snapshot.people.map((person) => `${person.id}:${person.realName}:${person.role}`).join('|');
  if (page.viewer.dataset.people !== wanted) {
    page.viewer.replaceChildren(
      ...snapshot.people.map((person) => el('option', { value: person.id }, `${person.realName} — ${person.role}`)),
    );
    page.viewer.dataset.people = wanted;
  }
  page.viewer.value = snapshot.me.id;
}

function conversationName(snapshot: DemoSnapshot, id: string): string {
  if (id === HOME) return 'Home';
  return snapshot.conversations.find(({ conversation }) => conversation.id === id)?.conversation.name ?? id;
}

function renderNav(snapshot: DemoSnapshot): void {
  const entries: { id: string; name: string }[] = [
    { id: HOME, name: 'Home' },
    ...snapshot.conversations.map(({ conversation }) => ({ id: conversation.id, name: conversation.name })),
  ];
  const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.conversation;
  const list = el('ul', { class: 'conversation-list' });
  for (const entry of entries) {
    const button = el('button', { type: 'button', class: 'conversation', 'data-conversation': entry.id }, entry.name);
    if (entry.id === state.current) button.setAttribute('aria-current', 'page');
    button.addEventListener('click', () => selectConversation(entry.id));
    list.append(el('li', {}, button));
  }
  page.nav.replaceChildren(list);
  if (focusedId) page.nav.querySelector<HTMLElement>(`[data-conversation="${CSS.escape(focusedId)}"]`)?.focus();
}

function selectConversation(id: string): void {
  state.current = id;
  state.open = null;
  if (state.snapshot) render(state.snapshot);
  page.main.querySelector<HTMLElement>('h1')?.focus();
  if (id === HOME) void run(() => api.homeOpened({ as: state.as }));
}

// ---------------------------------------------------------------------------------------------
// The open conversation or the Home tab
// ---------------------------------------------------------------------------------------------

function renderConversation(snapshot: DemoSnapshot): void {
  const id = state.current ?? HOME;
  const name = conversationName(snapshot, id);
  if (!state.open || state.open.id !== id) {
    const heading = el('header', { class: 'conversation-header' });
    const content = el('div', { class: 'conversation-content' });
    page.main.replaceChildren(heading, content);
    state.open = { id, heading, content, composer: null, homeCtx: null };
    if (id !== HOME) page.main.append(composerFor(id, name));
  }
  const open = state.open;
  const entry = snapshot.conversations.find(({ conversation }) => conversation.id === id);
  const headingFocused = open.heading.contains(document.activeElement);
  open.heading.replaceChildren(
    el('h1', { tabindex: '-1' }, name),
    ...(entry?.conversation.purpose ? [el('p', { class: 'purpose' }, entry.conversation.purpose)] : []),
  );
  if (headingFocused) open.heading.querySelector('h1')?.focus();
  if (id === HOME) renderHome(snapshot, open);
  else if (entry) renderMessages(snapshot, entry.conversation, entry.messages, open);
}

function renderHome(snapshot: DemoSnapshot, open: OpenConversation): void {
  const home = snapshot.home;
  if (!home) {
    open.content.replaceChildren(el('p', { class: 'empty' }, 'Gatehouse has not published a Home tab for you yet.'));
    return;
  }
  const saved = open.homeCtx ? stateValues(open.homeCtx) : null;
  const ctx = contextFor(
    snapshot,
    (action, own) =>
      void run(() => api.action({ as: state.as, source: { kind: 'view', viewId: home.id }, action, state: stateValues(own) })),
    saved,
    home.id,
  );
  open.homeCtx = ctx;
  open.content.replaceChildren(renderBlocks(Array.isArray(home.definition.blocks) ? home.definition.blocks : [], ctx));
}

function timeOf(ts: string, snapshot: DemoSnapshot): string {
  const seconds = Number(ts.split('.')[0]);
  if (!Number.isFinite(seconds)) return '';
  return new Intl.DateTimeFormat('en-US', {
    timeZone: snapshot.me.tz,
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(seconds * 1000));
}

function renderMessages(snapshot: DemoSnapshot, conversation: DemoConversation, messages: DemoMessage[], open: OpenConversation): void {
  const list = el('div', { class: 'messages' });
  for (const message of messages) {
    const ctx = contextFor(
      snapshot,
      (action) =>
        void run(() => api.action({ as: state.as, source: { kind: 'message', channel: message.channel, ts: message.ts }, action })),
    );
    list.append(renderMessage(message, ctx, timeOf(message.ts, snapshot)));
  }
  if (list.childElementCount === 0) list.append(el('p', { class: 'empty' }, 'No messages yet.'));
  const atBottom = open.content.scrollHeight - open.content.scrollTop - open.content.clientHeight < 40;
  open.content.replaceChildren(list);
  if (atBottom) open.content.scrollTop = open.content.scrollHeight;
}

function composerFor(conversationId: string, name: string): HTMLElement {
  const hintId = `hint-${conversationId}`;
  const errorId = `composer-error-${conversationId}`;
  const input = el('textarea', {
    rows: '1',
    class: 'composer-input',
    'aria-label': `Message ${name}`,
    'aria-describedby': `${hintId} ${errorId}`,
    placeholder: `Message ${name}`,
  });
  const hint = el('div', { class: 'command-hint', id: hintId, hidden: '' });
  hint.append(
    el('p', {}, 'Gatehouse commands:'),
    el('ul', {}, ...COMMAND_USAGE.map((command) => el('li', {}, el('code', {}, command.usage), ` ${command.summary}`))),
  );
  const error = el('div', { class: 'composer-error', id: errorId, role: 'alert' });
  const updateHint = () => {
    hint.hidden = !input.value.startsWith('/');
  };
  input.addEventListener('input', () => {
    updateHint();
    error.textContent = '';
  });
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') return;
    if (!/^\/access(\s|$)/.test(text)) {
      error.textContent = text.startsWith('/')
        ? "This demo's Slack only has /access installed."
        : 'In this demo you talk to Gatehouse with /access commands.';
      return;
    }
    input.disabled = true;
    api
      .command({ as: state.as, channel: conversationId, text })
      .then(() => {
        // The command's direct reply arrives as an ephemeral in the snapshot, as Slack shows it.
        input.value = '';
        updateHint();
      })
      .catch((failure: unknown) => {
        error.textContent = failure instanceof Error ? failure.message : String(failure);
      })
      .finally(() => {
        input.disabled = false;
        // Focus stays in the composer unless a modal took it.
        if (!state.drawnModal) input.focus();
        void refresh();
      });
  });
  if (state.open) state.open.composer = input;
  return el('div', { class: 'composer' }, hint, input, error);
}

// ---------------------------------------------------------------------------------------------
// Modals
// ---------------------------------------------------------------------------------------------

function renderModals(snapshot: DemoSnapshot): void {
  const top: DemoView | undefined = snapshot.modals[snapshot.modals.length - 1];
  if (!top) {
    state.savedStates.clear();
    if (state.drawnModal) {
      state.drawnModal = null;
      page.modals.replaceChildren();
      const opener = state.modalOpener;
      state.modalOpener = null;
      if (opener && opener.isConnected) opener.focus();
      else state.open?.composer?.focus();
    }
    return;
  }
  const key = JSON.stringify({ modals: snapshot.modals.map((modal) => modal.id), top: top.definition, errors: top.errors });
  const drawn = state.drawnModal;
  if (drawn && drawn.key === key) return;
  // The same view redrawn keeps what the viewer entered, by block_id and action_id, as Slack does.
  if (drawn) state.savedStates.set(drawn.viewId, stateValues(drawn.ctx));
  for (const id of [...state.savedStates.keys()]) if (!snapshot.modals.some((view) => view.id === id)) state.savedStates.delete(id);
  const saved = state.savedStates.get(top.id) ?? null;
  const focusedField = drawn?.ctx.fields.find((field) => field.control.contains(document.activeElement));
  if (!drawn) state.modalOpener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const ctx = contextFor(
    snapshot,
    (action, own) =>
      void run(() => api.action({ as: state.as, source: { kind: 'view', viewId: top.id }, action, state: stateValues(own) })),
    saved,
    top.id,
  );
  const modal = renderModal(
    top,
    ctx,
    {
      submit: async (view, values) => {
        const answer = await api.submit({ as: state.as, viewId: view.id, state: values });
        void refresh();
        return answer.errors ?? {};
      },
      close: (view, all) => void run(() => api.close({ as: state.as, viewId: view.id, all })),
    },
    snapshot.modals.length,
  );
  page.modals.replaceChildren(modal.node);
  state.drawnModal = { ...modal, key, viewId: top.id };
  const again = focusedField
    ? ctx.fields.find((field) => field.blockId === focusedField.blockId && field.actionId === focusedField.actionId)
    : undefined;
  if (again)
    (again.control.matches('input, select, textarea')
      ? again.control
      : (again.control.querySelector<HTMLElement>('input') ?? again.control)
    ).focus();
  else if (!drawn || drawn.viewId !== top.id) focusInto(modal.dialog);
}

// ---------------------------------------------------------------------------------------------
// Demo controls
// ---------------------------------------------------------------------------------------------

function renderClock(snapshot: DemoSnapshot): void {
  const date = new Intl.DateTimeFormat('en-US', {
    timeZone: snapshot.me.tz,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  }).format(new Date(snapshot.clock.now));
  const moved = snapshot.clock.offsetDays > 0 ? ` (+${snapshot.clock.offsetDays} day${snapshot.clock.offsetDays === 1 ? '' : 's'})` : '';
  page.demoDate.textContent = `Demo date: ${date}${moved}`;
}

function describeJobs(jobs: Record<string, Record<string, number>>): string {
  const parts = Object.entries(jobs).map(([job, counts]) => {
    const done = Object.entries(counts)
      .filter(([, count]) => count > 0)
      .map(([what, count]) => `${what} ${count}`);
    return `${job}: ${done.length > 0 ? done.join(', ') : 'nothing to do'}`;
  });
  return parts.length > 0 ? `Jobs ran. ${parts.join('; ')}.` : 'Jobs ran; nothing to do.';
}

page.moveClock.addEventListener('click', () => {
  const days = Number(page.days.value);
  if (!Number.isInteger(days) || days < 1) {
    page.clockResult.textContent = 'Enter a whole number of days, 1 or more.';
    return;
  }
  void run(async () => {
    page.clockResult.textContent = `Moving the clock ${days} day${days === 1 ? '' : 's'} forward…`;
    const answer = await api.clock(days);
    page.clockResult.textContent = describeJobs(answer.jobs);
  });
});

function table(columns: string[], rows: (string | number | null)[][]): HTMLElement {
  if (rows.length === 0) return el('p', { class: 'empty' }, 'Nothing yet.');
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...columns.map((column) => el('th', { scope: 'col' }, column)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', {}, cell === null ? '' : String(cell)))))),
  );
}

function when(iso: string | null): string {
  if (!iso || !state.snapshot) return iso ?? '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat('en-US', { timeZone: state.snapshot.me.tz, dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

async function renderPanel(name: 'Outbox' | 'Permissions log'): Promise<void> {
  let content: HTMLElement;
  try {
    if (name === 'Outbox') {
      const rows = await api.outbox();
      content = table(
        ['#', 'Kind', 'Status', 'Attempts', 'To', 'Created', 'Delivered', 'Last error'],
        rows.map((row) => [
          row.id,
          row.kind,
          row.status,
          row.attempts,
          row.target,
          when(row.createdAt),
          when(row.deliveredAt),
          row.lastError,
        ]),
      );
    } else {
      const rows = await api.log();
      content = table(
        ['#', 'When', 'Action', 'By', 'Subject', 'Organization', 'Summary'],
        rows.map((row) => [row.id, when(row.at), row.action, row.actorName, row.subjectName, row.organization, row.summary]),
      );
    }
  } catch (error) {
    content = el('p', { role: 'alert' }, error instanceof Error ? error.message : String(error));
  }
  if (state.panel !== name) return;
  const close = el('button', { type: 'button', class: 'btn' }, `Close ${name.toLowerCase()}`);
  close.addEventListener('click', () => togglePanel(name));
  page.panels.replaceChildren(
    el(
      'section',
      { 'aria-label': name, class: 'panel' },
      el('div', { class: 'panel-header' }, el('h2', {}, name), close),
      el('div', { class: 'table-wrap' }, content),
    ),
  );
}

function togglePanel(name: 'Outbox' | 'Permissions log'): void {
  state.panel = state.panel === name ? null : name;
  page.outboxButton.setAttribute('aria-expanded', String(state.panel === 'Outbox'));
  page.logButton.setAttribute('aria-expanded', String(state.panel === 'Permissions log'));
  if (state.panel) void renderPanel(state.panel);
  else page.panels.replaceChildren();
}

page.outboxButton.addEventListener('click', () => togglePanel('Outbox'));
page.logButton.addEventListener('click', () => togglePanel('Permissions log'));

// ---------------------------------------------------------------------------------------------
// Start
// ---------------------------------------------------------------------------------------------

page.viewer.addEventListener('change', () => {
  state.as = page.viewer.value;
  const url = new URL(location.href);
  url.searchParams.set('as', state.as);
  history.replaceState(null, '', url);
  state.current = null;
  state.open = null;
  state.drawnModal = null;
  state.savedStates.clear();
  page.modals.replaceChildren();
  void refresh();
});

listenForChanges((version) => {
  if (!state.snapshot || version > state.snapshot.version) void refresh();
});
void refresh();
