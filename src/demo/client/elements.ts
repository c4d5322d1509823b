// Block Kit interactive elements. Each returns its node and, when it holds a value, a field that
// reads its state in the exact shape Slack puts in `view.state.values`.
import type { DemoAction, DemoStateValues } from '../protocol.js';
import { el, renderTextObject, textOf, type TextNames } from './text.js';

export interface SlackOption {
  text: { type?: string; text: string; emoji?: boolean };
  value: string;
  description?: { type?: string; text: string };
  url?: string;
}

export interface OptionGroup {
  label: { text: string };
  options: SlackOption[];
}

export interface FieldHandle {
  blockId: string;
  actionId: string;
  type: string;
  /** The control that gets aria-invalid / aria-describedby when the field has an error. */
  control: HTMLElement;
  read(): Record<string, unknown>;
  isEmpty(): boolean;
  /** Set by the input block: an optional input may be left empty. */
  optional?: boolean;
}

export interface RenderContext {
  names: TextNames;
  people: { id: string; label: string }[];
  conversations: { id: string; name: string }[];
  act(action: DemoAction): void;
  suggest(request: {
    action_id: string;
    block_id: string;
    value: string;
  }): Promise<{ options: SlackOption[]; option_groups?: OptionGroup[] }>;
  reportUnsupported(type: string): void;
  /** What the viewer had entered in the same view before it re-rendered, by block_id and action_id. */
  saved: DemoStateValues | null;
  fields: FieldHandle[];
  /** Unique per surface, for element ids. */
  idPrefix: string;
  nextId(): string;
}

export interface ElementPlace {
  blockId: string;
  /** Inside an input block: a form field; elsewhere every change is an action. */
  inInput: boolean;
  /** An input block's dispatch_action, or always true outside input blocks. */
  dispatch: boolean;
  /** id of the element naming the control (the input block's label), if any. */
  labelId: string | null;
  /** id to give the control, so a <label for> can point at it. */
  controlId: string;
}

export type BlockElement = Record<string, unknown> & { type: string; action_id?: string };

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const optionsOf = (value: unknown): SlackOption[] => (Array.isArray(value) ? (value as SlackOption[]) : []);
const groupsOf = (value: unknown): OptionGroup[] => (Array.isArray(value) ? (value as OptionGroup[]) : []);

/** Slack's own shape for an option in state and actions: text, value and description if any. */
function stateOption(option: SlackOption): SlackOption {
  return {
    text: { type: 'plain_text', text: option.text.text, emoji: option.text.emoji ?? true },
    value: option.value,
    ...(option.description ? { description: { type: option.description.type ?? 'plain_text', text: option.description.text } } : {}),
  };
}

function actionIdOf(element: BlockElement, ctx: RenderContext): string {
  // Slack makes up an action_id when the app gives none; a stable one keeps state across renders.
  return element.action_id ?? `${ctx.idPrefix}-action`;
}

function savedState(ctx: RenderContext, place: ElementPlace, actionId: string): Record<string, unknown> | undefined {
  return ctx.saved?.[place.blockId]?.[actionId];
}

function labelControl(control: HTMLElement, place: ElementPlace, element: BlockElement): void {
  control.id = place.controlId;
  if (place.labelId) control.setAttribute('aria-labelledby', place.labelId);
  // In an input block a <label for> names the control; elsewhere the placeholder does.
  else if (!place.inInput) {
    const placeholder = textOf(element.placeholder);
    if (placeholder) control.setAttribute('aria-label', placeholder);
  }
}

// ---------------------------------------------------------------------------------------------
// Confirm dialogs
// ---------------------------------------------------------------------------------------------

/** Slack's confirm dialog: role alertdialog named by its title; runs `then` only on confirm. */
export function confirmThen(confirm: unknown, names: TextNames, then: () => void): void {
  if (typeof confirm !== 'object' || confirm === null) {
    then();
    return;
  }
  const dialog = confirm as Record<string, unknown>;
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = `confirm-title-${Math.random().toString(36).slice(2)}`;
  const textId = `${titleId}-text`;
  const confirmButton = el(
    'button',
    { type: 'button', class: `btn ${dialog.style === 'danger' ? 'danger' : 'primary'}` },
    textOf(dialog.confirm) || 'Yes',
  );
  const denyButton = el('button', { type: 'button', class: 'btn' }, textOf(dialog.deny) || 'Cancel');
  const text = renderTextObject(dialog.text, names);
  text.id = textId;
  const box = el(
    'div',
    { role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': titleId, 'aria-describedby': textId, class: 'confirm' },
    el('h2', { id: titleId }, textOf(dialog.title) || 'Are you sure?'),
    text,
    el('div', { class: 'dialog-buttons' }, denyButton, confirmButton),
  );
  const backdrop = el('div', { class: 'backdrop confirm-backdrop' }, box);
  const close = () => {
    backdrop.remove();
    returnFocus?.focus();
  };
  denyButton.addEventListener('click', close);
  confirmButton.addEventListener('click', () => {
    close();
    then();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') {
      event.preventDefault();
      (document.activeElement === confirmButton ? denyButton : confirmButton).focus();
    }
  });
  document.body.append(backdrop);
  denyButton.focus();
}

// ---------------------------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------------------------

export function renderElement(element: BlockElement, ctx: RenderContext, place: ElementPlace): HTMLElement {
  switch (element.type) {
    case 'button':
      return buttonElement(element, ctx, place);
    case 'overflow':
      return overflowElement(element, ctx, place);
    case 'static_select':
      return staticSelect(element, ctx, place, false);
    case 'multi_static_select':
      return staticSelect(element, ctx, place, true);
    case 'users_select':
      return listSelect(element, ctx, place, false, 'user');
    case 'multi_users_select':
      return listSelect(element, ctx, place, true, 'user');
    case 'conversations_select':
      return listSelect(element, ctx, place, false, 'conversation');
    case 'external_select':
      return externalSelect(element, ctx, place);
    case 'checkboxes':
      return choiceGroup(element, ctx, place, 'checkbox');
    case 'radio_buttons':
      return choiceGroup(element, ctx, place, 'radio');
    case 'datepicker':
      return datepicker(element, ctx, place);
    case 'plain_text_input':
      return plainTextInput(element, ctx, place);
    case 'image':
      return el('img', { class: 'element-image', src: str(element.image_url) ?? '', alt: str(element.alt_text) ?? '' });
    default:
      return unsupported(element.type, ctx);
  }
}

export function unsupported(type: string, ctx: RenderContext): HTMLElement {
  ctx.reportUnsupported(type);
  return el('div', { class: 'unsupported', 'data-unsupported': type }, `This client cannot show a "${type}" yet.`);
}

function buttonElement(element: BlockElement, ctx: RenderContext, place: ElementPlace): HTMLElement {
  const style = str(element.style);
  const button = el('button', { type: 'button', class: `btn${style ? ` ${style}` : ''}` }, textOf(element.text));
  const actionId = actionIdOf(element, ctx);
  button.addEventListener('click', () =>
    confirmThen(element.confirm, ctx.names, () => {
      const url = str(element.url);
      if (url && /^https?:/i.test(url)) window.open(url, '_blank', 'noopener');
      ctx.act({
        action_id: actionId,
        block_id: place.blockId,
        type: 'button',
        ...(str(element.value) !== undefined ? { value: str(element.value) } : {}),
      });
    }),
  );
  return button;
}

function overflowElement(element: BlockElement, ctx: RenderContext, place: ElementPlace): HTMLElement {
  const menuId = ctx.nextId();
  const trigger = el(
    'button',
    {
      type: 'button',
      class: 'btn overflow',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': menuId,
      'aria-label': 'More actions',
    },
    '⋮',
  );
  const menu = el('div', { role: 'menu', id: menuId, class: 'menu', hidden: '' });
  const items = optionsOf(element.options).map((option) => {
    const item = el('button', { type: 'button', role: 'menuitem', tabindex: '-1' }, option.text.text);
    item.addEventListener('click', () => {
      closeMenu(true);
      confirmThen(element.confirm, ctx.names, () => {
        if (option.url && /^https?:/i.test(option.url)) window.open(option.url, '_blank', 'noopener');
        ctx.act({
          action_id: actionIdOf(element, ctx),
          block_id: place.blockId,
          type: 'overflow',
          selected_option: { text: { type: 'plain_text', text: option.text.text }, value: option.value },
        });
      });
    });
    menu.append(item);
    return item;
  });
  const closeMenu = (focusTrigger: boolean) => {
    menu.hidden = true;
    trigger.setAttribute('aria-expanded', 'false');
    if (focusTrigger) trigger.focus();
  };
  trigger.addEventListener('click', () => {
    const opening = menu.hidden;
    menu.hidden = !opening;
    trigger.setAttribute('aria-expanded', String(opening));
    if (opening) items[0]?.focus();
  });
  menu.addEventListener('keydown', (event) => {
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.stopPropagation();
      closeMenu(true);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      items[(index + 1) % items.length]?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      items[(index - 1 + items.length) % items.length]?.focus();
    }
  });
  menu.addEventListener('focusout', (event) => {
    if (!(event.relatedTarget instanceof Node) || (!menu.contains(event.relatedTarget) && event.relatedTarget !== trigger))
      closeMenu(false);
  });
  return el('div', { class: 'overflow-wrap' }, trigger, menu);
}

function appendOptions(select: HTMLSelectElement, options: SlackOption[], groups: OptionGroup[]): SlackOption[] {
  const all: SlackOption[] = [];
  const add = (parent: HTMLElement, option: SlackOption) => {
    all.push(option);
    parent.append(el('option', { value: String(all.length - 1) }, option.text.text));
  };
  for (const option of options) add(select, option);
  for (const group of groups) {
    const optgroup = el('optgroup', { label: group.label.text });
    for (const option of group.options) add(optgroup, option);
    select.append(optgroup);
  }
  return all;
}

function staticSelect(element: BlockElement, ctx: RenderContext, place: ElementPlace, multiple: boolean): HTMLElement {
  const select = el('select', { class: 'select' });
  labelControl(select, place, element);
  if (multiple) select.multiple = true;
  else select.append(el('option', { value: '' }, textOf(element.placeholder) || 'Choose an option'));
  const all = appendOptions(select, optionsOf(element.options), groupsOf(element.option_groups));
  const actionId = actionIdOf(element, ctx);
  const saved = savedState(ctx, place, actionId);
  const chosen = saved
    ? multiple
      ? optionsOf(saved.selected_options)
      : saved.selected_option
        ? [saved.selected_option as SlackOption]
        : []
    : multiple
      ? optionsOf(element.initial_options)
      : element.initial_option
        ? [element.initial_option as SlackOption]
        : [];
  const chosenValues = new Set(chosen.map((option) => option.value));
  for (const node of Array.from(select.options)) {
    const option = node.value === '' ? undefined : all[Number(node.value)];
    if (option && chosenValues.has(option.value)) node.selected = true;
  }
  const selected = () =>
    Array.from(select.selectedOptions)
      .map((node) => all[Number(node.value)])
      .filter(isDefined);
  const type = multiple ? 'multi_static_select' : 'static_select';
  const read = () =>
    multiple
      ? { type, selected_options: selected().map(stateOption) }
      : { type, selected_option: selected()[0] ? stateOption(selected()[0]!) : null };
  select.addEventListener('change', () => {
    if (!place.dispatch) return;
    const options = selected().map((option) => ({ text: { type: 'plain_text' as const, text: option.text.text }, value: option.value }));
    confirmThen(element.confirm, ctx.names, () =>
      ctx.act({
        action_id: actionId,
        block_id: place.blockId,
        type,
        ...(multiple ? { selected_options: options } : options[0] ? { selected_option: options[0] } : {}),
      }),
    );
  });
  if (place.inInput)
    ctx.fields.push({ blockId: place.blockId, actionId, type, control: select, read, isEmpty: () => selected().length === 0 });
  return select;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function listSelect(
  element: BlockElement,
  ctx: RenderContext,
  place: ElementPlace,
  multiple: boolean,
  kind: 'user' | 'conversation',
): HTMLElement {
  const select = el('select', { class: 'select' });
  labelControl(select, place, element);
  if (multiple) select.multiple = true;
  else
    select.append(
      el('option', { value: '' }, textOf(element.placeholder) || (kind === 'user' ? 'Choose a person' : 'Choose a conversation')),
    );
  const entries =
    kind === 'user'
      ? ctx.people.map((person) => ({ id: person.id, label: person.label }))
      : ctx.conversations.map((conversation) => ({ id: conversation.id, label: conversation.name }));
  for (const entry of entries) select.append(el('option', { value: entry.id }, entry.label));
  const actionId = actionIdOf(element, ctx);
  const saved = savedState(ctx, place, actionId);
  const type = element.type;
  const key = kind === 'user' ? (multiple ? 'selected_users' : 'selected_user') : 'selected_conversation';
  const initialKey = kind === 'user' ? (multiple ? 'initial_users' : 'initial_user') : 'initial_conversation';
  const initial = saved ? saved[key] : element[initialKey];
  const initialIds = new Set(Array.isArray(initial) ? initial.map(String) : typeof initial === 'string' ? [initial] : []);
  for (const node of Array.from(select.options)) if (initialIds.has(node.value)) node.selected = true;
  const selected = () =>
    Array.from(select.selectedOptions)
      .map((node) => node.value)
      .filter((value) => value !== '');
  const read = () => ({ type, [key]: multiple ? selected() : (selected()[0] ?? null) });
  select.addEventListener('change', () => {
    if (!place.dispatch) return;
    ctx.act({
      action_id: actionId,
      block_id: place.blockId,
      type,
      ...(multiple ? { selected_users: selected() } : kind === 'user' ? { selected_user: selected()[0] ?? '' } : {}),
    });
  });
  if (place.inInput)
    ctx.fields.push({ blockId: place.blockId, actionId, type, control: select, read, isEmpty: () => selected().length === 0 });
  return select;
}

function externalSelect(element: BlockElement, ctx: RenderContext, place: ElementPlace): HTMLElement {
  const actionId = actionIdOf(element, ctx);
  const listId = ctx.nextId();
  const input = el('input', {
    type: 'text',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    autocomplete: 'off',
    class: 'combobox',
  });
  labelControl(input, place, element);
  input.placeholder = textOf(element.placeholder);
  const list = el('ul', { role: 'listbox', id: listId, class: 'listbox', hidden: '' });
  const status = el('div', { class: 'combobox-status', 'aria-live': 'polite' });
  const minQueryLength = typeof element.min_query_length === 'number' ? element.min_query_length : 3;
  const saved = savedState(ctx, place, actionId);
  let selected: SlackOption | null = saved
    ? ((saved.selected_option as SlackOption | null | undefined) ?? null)
    : ((element.initial_option as SlackOption | undefined) ?? null);
  input.value = selected?.text.text ?? '';
  let shown: SlackOption[] = [];
  let active = -1;
  let request = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const choose = (option: SlackOption) => {
    selected = option;
    input.value = option.text.text;
    close();
    if (!place.dispatch) return;
    confirmThen(element.confirm, ctx.names, () =>
      ctx.act({
        action_id: actionId,
        block_id: place.blockId,
        type: 'external_select',
        selected_option: { text: { type: 'plain_text', text: option.text.text }, value: option.value },
      }),
    );
  };
  const show = (options: SlackOption[]) => {
    shown = options;
    list.replaceChildren(
      ...options.map((option, index) => {
        const item = el('li', { role: 'option', id: `${listId}-${index}`, 'aria-selected': 'false' }, option.text.text);
        item.addEventListener('mousedown', (event) => event.preventDefault());
        item.addEventListener('click', () => choose(option));
        return item;
      }),
    );
    list.hidden = options.length === 0;
    input.setAttribute('aria-expanded', String(options.length > 0));
    status.textContent = options.length === 0 ? 'No matches' : `${options.length} option${options.length === 1 ? '' : 's'}`;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    selected = null;
    clearTimeout(timer);
    const query = input.value;
    if (query.length < minQueryLength) {
      close();
      status.textContent = minQueryLength > 0 ? `Type at least ${minQueryLength} character${minQueryLength === 1 ? '' : 's'}` : '';
      return;
    }
    timer = setTimeout(() => {
      const mine = (request += 1);
      ctx
        .suggest({ action_id: actionId, block_id: place.blockId, value: query })
        .then((answer) => {
          if (mine !== request) return;
          show([...answer.options, ...(answer.option_groups ?? []).flatMap((group) => group.options)]);
        })
        .catch((error: unknown) => {
          status.textContent = error instanceof Error ? error.message : 'Could not load options';
        });
    }, 150);
  });
  input.addEventListener('keydown', (event) => {
    if (list.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : -1) + shown.length) % shown.length;
      Array.from(list.children).forEach((item, index) => item.setAttribute('aria-selected', String(index === active)));
      input.setAttribute('aria-activedescendant', `${listId}-${active}`);
    } else if (event.key === 'Enter') {
      const option = shown[active] ?? (shown.length === 1 ? shown[0] : undefined);
      if (option) {
        event.preventDefault();
        choose(option);
      }
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  if (place.inInput) {
    ctx.fields.push({
      blockId: place.blockId,
      actionId,
      type: 'external_select',
      control: input,
      read: () => ({ type: 'external_select', selected_option: selected ? stateOption(selected) : null }),
      isEmpty: () => selected === null,
    });
  }
  return el('div', { class: 'combobox-wrap' }, input, list, status);
}

function choiceGroup(element: BlockElement, ctx: RenderContext, place: ElementPlace, kind: 'checkbox' | 'radio'): HTMLElement {
  const actionId = actionIdOf(element, ctx);
  const group = el('div', { role: kind === 'radio' ? 'radiogroup' : 'group', class: 'choices', id: place.controlId });
  if (place.labelId) group.setAttribute('aria-labelledby', place.labelId);
  const options = optionsOf(element.options);
  const saved = savedState(ctx, place, actionId);
  const initial = saved
    ? kind === 'checkbox'
      ? optionsOf(saved.selected_options)
      : saved.selected_option
        ? [saved.selected_option as SlackOption]
        : []
    : kind === 'checkbox'
      ? optionsOf(element.initial_options)
      : element.initial_option
        ? [element.initial_option as SlackOption]
        : [];
  const initialValues = new Set(initial.map((option) => option.value));
  const name = `${place.controlId}-choice`;
  const inputs = options.map((option) => {
    const input = el('input', { type: kind, name, value: option.value, 'aria-label': option.text.text });
    input.checked = initialValues.has(option.value);
    const row = el('label', { class: 'choice' }, input, renderTextObject(option.text, ctx.names, 'span'));
    if (option.description) {
      const description = renderTextObject(option.description, ctx.names, 'span');
      description.id = ctx.nextId();
      description.classList.add('description');
      input.setAttribute('aria-describedby', description.id);
      row.append(description);
    }
    group.append(row);
    return { input, option };
  });
  const chosen = () => inputs.filter(({ input }) => input.checked).map(({ option }) => option);
  const type = kind === 'checkbox' ? 'checkboxes' : 'radio_buttons';
  const read = () =>
    kind === 'checkbox'
      ? { type, selected_options: chosen().map(stateOption) }
      : { type, selected_option: chosen()[0] ? stateOption(chosen()[0]!) : null };
  group.addEventListener('change', () => {
    if (!place.dispatch) return;
    const selected = chosen().map((option) => ({ text: { type: 'plain_text' as const, text: option.text.text }, value: option.value }));
    ctx.act({
      action_id: actionId,
      block_id: place.blockId,
      type,
      ...(kind === 'checkbox' ? { selected_options: selected } : selected[0] ? { selected_option: selected[0] } : {}),
    });
  });
  if (place.inInput)
    ctx.fields.push({ blockId: place.blockId, actionId, type, control: group, read, isEmpty: () => chosen().length === 0 });
  return group;
}

function datepicker(element: BlockElement, ctx: RenderContext, place: ElementPlace): HTMLElement {
  const actionId = actionIdOf(element, ctx);
  const input = el('input', { type: 'date', class: 'date' });
  labelControl(input, place, element);
  const saved = savedState(ctx, place, actionId);
  input.value = (saved ? str(saved.selected_date) : str(element.initial_date)) ?? '';
  const read = () => ({ type: 'datepicker', selected_date: input.value === '' ? null : input.value });
  input.addEventListener('change', () => {
    if (place.dispatch) ctx.act({ action_id: actionId, block_id: place.blockId, type: 'datepicker', selected_date: input.value });
  });
  if (place.inInput)
    ctx.fields.push({ blockId: place.blockId, actionId, type: 'datepicker', control: input, read, isEmpty: () => input.value === '' });
  return input;
}

function plainTextInput(element: BlockElement, ctx: RenderContext, place: ElementPlace): HTMLElement {
  const actionId = actionIdOf(element, ctx);
  const multiline = element.multiline === true;
  const input = multiline ? el('textarea', { rows: '4', class: 'textarea' }) : el('input', { type: 'text', class: 'text-input' });
  labelControl(input, place, element);
  input.placeholder = textOf(element.placeholder);
  const max = typeof element.max_length === 'number' ? element.max_length : null;
  const min = typeof element.min_length === 'number' ? element.min_length : null;
  if (max !== null) input.maxLength = max;
  if (min !== null) input.minLength = min;
  const saved = savedState(ctx, place, actionId);
  input.value = (saved ? str(saved.value) : str(element.initial_value)) ?? '';
  const wrap = el('div', { class: 'text-field' }, input);
  if (min !== null || max !== null) {
    const limits = el('div', { class: 'limits' });
    limits.id = ctx.nextId();
    const describe = () => {
      const range = min !== null && max !== null ? `${min}–${max}` : min !== null ? `at least ${min}` : `up to ${max}`;
      limits.textContent = `${input.value.length} characters (${range})`;
    };
    describe();
    input.addEventListener('input', describe);
    wrap.append(limits);
    input.setAttribute('aria-describedby', limits.id);
  }
  const config = (element.dispatch_action_config as { trigger_actions_on?: string[] } | undefined)?.trigger_actions_on ?? [
    'on_enter_pressed',
  ];
  const dispatch = () => ctx.act({ action_id: actionId, block_id: place.blockId, type: 'plain_text_input', value: input.value });
  if (place.dispatch && config.includes('on_character_entered')) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(dispatch, 300);
    });
  }
  if (place.dispatch && config.includes('on_enter_pressed')) {
    input.addEventListener('keydown', (event) => {
      const keyboard = event as KeyboardEvent;
      if (keyboard.key === 'Enter' && (!multiline || keyboard.ctrlKey || keyboard.metaKey)) {
        keyboard.preventDefault();
        dispatch();
      }
    });
  }
  const read = () => ({ type: 'plain_text_input', value: input.value === '' ? null : input.value });
  if (place.inInput)
    ctx.fields.push({
      blockId: place.blockId,
      actionId,
      type: 'plain_text_input',
      control: input,
      read,
      isEmpty: () => input.value.trim() === '',
    });
  return wrap;
}
