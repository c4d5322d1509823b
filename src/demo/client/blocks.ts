// Block Kit layout blocks. Every block or element type this client cannot draw becomes a visible
// placeholder with data-unsupported and is reported, so the render-coverage test can list it.
import { renderElement, unsupported, type BlockElement, type RenderContext } from './elements.js';
import { el, renderTextObject, textOf } from './text.js';

type Block = Record<string, unknown> & { type: string; block_id?: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function renderBlocks(blocks: unknown[], ctx: RenderContext): HTMLElement {
  const container = el('div', { class: 'blocks' });
  blocks.forEach((block, index) => {
    if (!isRecord(block) || typeof block.type !== 'string') {
      container.append(unsupported('invalid block', ctx));
      return;
    }
    container.append(renderBlock(block as Block, index, ctx));
  });
  return container;
}

function blockIdOf(block: Block, index: number): string {
  // Slack gives a block without block_id a generated one; a positional one stays stable across renders.
  return typeof block.block_id === 'string' ? block.block_id : `block-${index}`;
}

function elementPlace(ctx: RenderContext, blockId: string) {
  return { blockId, inInput: false, dispatch: true, labelId: null, controlId: ctx.nextId() };
}

function renderBlock(block: Block, index: number, ctx: RenderContext): HTMLElement {
  const blockId = blockIdOf(block, index);
  switch (block.type) {
    case 'header':
      return el('h3', { class: 'block header' }, textOf(block.text));
    case 'divider':
      return el('hr', { class: 'block divider' });
    case 'section': {
      const section = el('div', { class: 'block section', 'data-block-id': blockId });
      const body = el('div', { class: 'section-body' });
      if (block.text) body.append(renderTextObject(block.text, ctx.names));
      if (Array.isArray(block.fields))
        body.append(el('div', { class: 'fields' }, ...block.fields.map((field) => renderTextObject(field, ctx.names))));
      section.append(body);
      if (isRecord(block.accessory) && typeof block.accessory.type === 'string') {
        section.append(el('div', { class: 'accessory' }, renderElement(block.accessory as BlockElement, ctx, elementPlace(ctx, blockId))));
      }
      return section;
    }
    case 'context': {
      const context = el('div', { class: 'block context' });
      for (const element of Array.isArray(block.elements) ? block.elements : []) {
        if (!isRecord(element)) continue;
        if (element.type === 'image')
          context.append(el('img', { src: String(element.image_url ?? ''), alt: String(element.alt_text ?? ''), class: 'context-image' }));
        else if (element.type === 'mrkdwn' || element.type === 'plain_text') context.append(renderTextObject(element, ctx.names, 'span'));
        else context.append(unsupported(String(element.type), ctx));
      }
      return context;
    }
    case 'actions': {
      const actions = el('div', { class: 'block actions', 'data-block-id': blockId });
      for (const element of Array.isArray(block.elements) ? block.elements : []) {
        if (isRecord(element) && typeof element.type === 'string')
          actions.append(renderElement(element as BlockElement, ctx, elementPlace(ctx, blockId)));
      }
      return actions;
    }
    case 'image': {
      const figure = el(
        'figure',
        { class: 'block image' },
        el('img', { src: String(block.image_url ?? ''), alt: String(block.alt_text ?? '') }),
      );
      if (block.title) figure.append(el('figcaption', {}, textOf(block.title)));
      return figure;
    }
    case 'input':
      return inputBlock(block, blockId, ctx);
    default:
      return unsupported(block.type, ctx);
  }
}

const GROUP_ELEMENTS = new Set(['checkboxes', 'radio_buttons']);

function inputBlock(block: Block, blockId: string, ctx: RenderContext): HTMLElement {
  const element = isRecord(block.element) && typeof block.element.type === 'string' ? (block.element as BlockElement) : null;
  const wrap = el('div', { class: 'block input', 'data-block-id': blockId });
  const labelId = ctx.nextId();
  const controlId = ctx.nextId();
  const grouped = element !== null && GROUP_ELEMENTS.has(element.type);
  // A group of checkboxes is named by aria-labelledby; a single control by <label for>.
  const label = grouped ? el('span', { id: labelId, class: 'label' }) : el('label', { id: labelId, for: controlId, class: 'label' });
  label.append(textOf(block.label));
  if (block.optional === true) label.append(el('span', { class: 'optional', 'aria-hidden': 'true' }, ' (optional)'));
  wrap.append(label);
  if (!element) {
    wrap.append(unsupported('input without element', ctx));
    return wrap;
  }
  const fieldsBefore = ctx.fields.length;
  wrap.append(
    renderElement(element, ctx, {
      blockId,
      inInput: true,
      dispatch: block.dispatch_action === true,
      labelId: grouped ? labelId : null,
      controlId,
    }),
  );
  for (const field of ctx.fields.slice(fieldsBefore)) {
    field.optional = block.optional === true;
  }
  if (block.hint) {
    const hint = el('div', { class: 'hint', id: ctx.nextId() }, textOf(block.hint));
    wrap.append(hint);
  }
  wrap.append(el('div', { class: 'error-slot' }));
  return wrap;
}

/** Shows field errors under their input blocks, as Slack does, and links them to the controls. */
export function showFieldErrors(root: HTMLElement, ctx: RenderContext, errors: Record<string, string>): void {
  for (const slot of Array.from(root.querySelectorAll('.error-slot'))) slot.replaceChildren();
  for (const field of ctx.fields) {
    field.control.removeAttribute('aria-invalid');
    const described = (field.control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.startsWith('error-'));
    if (described.length > 0) field.control.setAttribute('aria-describedby', described.join(' '));
    else field.control.removeAttribute('aria-describedby');
  }
  for (const [blockId, message] of Object.entries(errors)) {
    const block = Array.from(root.querySelectorAll<HTMLElement>('.block.input')).find((node) => node.dataset.blockId === blockId);
    const slot = block?.querySelector('.error-slot');
    if (!block || !slot) continue;
    const errorId = `error-${ctx.nextId()}`;
    slot.replaceChildren(el('p', { role: 'alert', id: errorId, class: 'field-error' }, message));
    for (const field of ctx.fields.filter((candidate) => candidate.blockId === blockId)) {
      field.control.setAttribute('aria-invalid', 'true');
      const described = (field.control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      field.control.setAttribute('aria-describedby', [...described, errorId].join(' '));
    }
  }
}
