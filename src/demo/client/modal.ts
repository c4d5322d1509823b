// A modal view over the page: role dialog named by its title, Slack's Cancel / submit / X, and
// Slack's own refusal of an empty required field before anything is sent.
import type { DemoStateValues, DemoView } from '../protocol.js';
import { renderBlocks, showFieldErrors } from './blocks.js';
import { stateValues } from './context.js';
import type { RenderContext } from './elements.js';
import { el, textOf } from './text.js';

export const REQUIRED_FIELD_ERROR = 'Please complete this required field.';

export interface ModalHandlers {
  /** Sends the submission; resolves with the field errors the app answered (empty when accepted). */
  submit(view: DemoView, state: DemoStateValues): Promise<Record<string, string>>;
  /** `all` is the corner X; otherwise Cancel, which pops the top view. */
  close(view: DemoView, all: boolean): void;
}

export interface DrawnModal {
  node: HTMLElement;
  dialog: HTMLElement;
  ctx: RenderContext;
}

/** Errors Slack shows without asking the app: required inputs left empty. */
export function requiredErrors(ctx: RenderContext): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of ctx.fields) if (!field.optional && field.isEmpty()) errors[field.blockId] = REQUIRED_FIELD_ERROR;
  return errors;
}

export function renderModal(view: DemoView, ctx: RenderContext, handlers: ModalHandlers, stackDepth: number): DrawnModal {
  const definition = view.definition;
  const titleId = ctx.nextId();
  const closeAll = el('button', { type: 'button', class: 'icon-button close-all', 'aria-label': 'Close all' }, '×');
  const body = renderBlocks(Array.isArray(definition.blocks) ? definition.blocks : [], ctx);
  const status = el('div', { class: 'modal-status', role: 'status' });
  const footer = el('div', { class: 'dialog-buttons' });
  const cancel = el('button', { type: 'button', class: 'btn' }, textOf(definition.close) || 'Cancel');
  footer.append(cancel);
  let submitButton: HTMLButtonElement | null = null;
  if (definition.submit) {
    submitButton = el('button', { type: 'button', class: 'btn primary' }, textOf(definition.submit));
    footer.append(submitButton);
  }
  const dialog = el(
    'div',
    { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, class: 'modal', 'data-view-id': view.id },
    el(
      'div',
      { class: 'modal-header' },
      el('h2', { id: titleId }, textOf(definition.title)),
      stackDepth > 1 ? el('span', { class: 'stack-depth' }, `${stackDepth} views open`) : '',
      closeAll,
    ),
    el('div', { class: 'modal-body' }, body, status),
    footer,
  );
  showFieldErrors(body, ctx, view.errors);
  closeAll.addEventListener('click', () => handlers.close(view, true));
  cancel.addEventListener('click', () => handlers.close(view, false));
  submitButton?.addEventListener('click', () => {
    const refused = requiredErrors(ctx);
    if (Object.keys(refused).length > 0) {
      showFieldErrors(body, ctx, refused);
      focusFirstError(ctx, refused);
      return;
    }
    showFieldErrors(body, ctx, {});
    const button = submitButton;
    if (button) button.disabled = true;
    status.textContent = '';
    handlers
      .submit(view, stateValues(ctx))
      .then((errors) => {
        if (Object.keys(errors).length > 0) {
          showFieldErrors(body, ctx, errors);
          focusFirstError(ctx, errors);
        }
      })
      .catch((error: unknown) => {
        status.textContent = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        if (button) button.disabled = false;
      });
  });
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      handlers.close(view, false);
    } else if (event.key === 'Tab') {
      trapFocus(dialog, event);
    }
  });
  return { node: el('div', { class: 'backdrop' }, dialog), dialog, ctx };
}

function focusFirstError(ctx: RenderContext, errors: Record<string, string>): void {
  const field = ctx.fields.find((candidate) => errors[candidate.blockId] !== undefined);
  if (!field) return;
  const control = field.control.matches('input, select, textarea')
    ? field.control
    : (field.control.querySelector<HTMLElement>('input') ?? field.control);
  control.focus();
}

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex="0"]')).filter(
    (node) => !node.hasAttribute('disabled') && node.getAttribute('tabindex') !== '-1' && node.offsetParent !== null,
  );
}

function trapFocus(dialog: HTMLElement, event: KeyboardEvent): void {
  const nodes = focusables(dialog);
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** Where focus goes when a modal opens: its first field, else its first button. */
export function focusInto(dialog: HTMLElement): void {
  const body = dialog.querySelector<HTMLElement>('.modal-body');
  const target = (body ? focusables(body)[0] : undefined) ?? focusables(dialog)[0];
  target?.focus();
}
