// Text objects (plain_text and mrkdwn) as DOM nodes. Only textContent and element construction:
// data never reaches innerHTML.
import { formatSlackDate, parseMrkdwn, type MrkdwnBlock, type MrkdwnInline } from './mrkdwn.js';

export interface TextNames {
  /** The viewer's IANA time zone, for date tokens. */
  tz: string;
  /** The demo's "now", for "today" / "yesterday". */
  now: Date;
  users: Record<string, string>;
  channels: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

export interface TextObject {
  type?: string;
  text?: string;
}

export function isTextObject(value: unknown): value is TextObject {
  return typeof value === 'object' && value !== null && typeof (value as TextObject).text === 'string';
}

/** The raw `text` of a text object, for places Slack shows as plain text (buttons, labels, titles). */
export function textOf(value: unknown): string {
  return isTextObject(value) ? (value.text ?? '') : '';
}

/** A text object as nodes: plain_text literally, mrkdwn through the parser. */
export function renderTextObject(value: unknown, names: TextNames, tag: 'div' | 'span' = 'div'): HTMLElement {
  const container = el(tag, { class: 'text' });
  if (!isTextObject(value)) return container;
  if (value.type === 'mrkdwn') {
    container.classList.add('mrkdwn');
    for (const block of parseMrkdwn(value.text ?? '')) container.append(renderMrkdwnBlock(block, names));
  } else {
    container.textContent = value.text ?? '';
  }
  return container;
}

export function renderMrkdwn(text: string, names: TextNames): HTMLElement {
  return renderTextObject({ type: 'mrkdwn', text }, names);
}

function renderMrkdwnBlock(block: MrkdwnBlock, names: TextNames): HTMLElement {
  switch (block.type) {
    case 'paragraph':
      return el('p', {}, ...block.children.map((node) => renderInline(node, names)));
    case 'pre':
      return el('pre', {}, block.text);
    case 'quote':
      return el('blockquote', {}, ...block.children.map((child) => renderMrkdwnBlock(child, names)));
    case 'list': {
      const list = el(block.ordered ? 'ol' : 'ul');
      for (const item of block.items) list.append(el('li', {}, ...item.map((node) => renderInline(node, names))));
      return list;
    }
  }
}

function safeUrl(url: string): string | null {
  return /^(https?:|mailto:)/i.test(url) ? url : null;
}

function renderInline(node: MrkdwnInline, names: TextNames): Node {
  switch (node.type) {
    case 'text':
      return document.createTextNode(node.text);
    case 'bold':
      return el('strong', {}, ...node.children.map((child) => renderInline(child, names)));
    case 'italic':
      return el('em', {}, ...node.children.map((child) => renderInline(child, names)));
    case 'strike':
      return el('s', {}, ...node.children.map((child) => renderInline(child, names)));
    case 'code':
      return el('code', {}, node.text);
    case 'link': {
      const href = safeUrl(node.url);
      const children = node.children.map((child) => renderInline(child, names));
      return href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, ...children) : el('span', {}, ...children);
    }
    case 'user':
      return el('span', { class: 'mention', 'data-user': node.id }, `@${names.users[node.id] ?? node.id}`);
    case 'channel':
      return el('span', { class: 'mention', 'data-channel': node.id }, `#${node.name ?? names.channels[node.id] ?? node.id}`);
    case 'broadcast':
      return el('span', { class: 'mention broadcast' }, `@${node.name}`);
    case 'date': {
      const shown = formatSlackDate(node.epoch, node.format, names.tz, names.now);
      const time = el('time', { datetime: new Date(node.epoch * 1000).toISOString(), title: node.fallback }, shown);
      const href = node.link ? safeUrl(node.link) : null;
      return href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, time) : time;
    }
    case 'emoji':
      return el('span', { class: 'emoji', role: 'img', 'aria-label': node.name.replace(/_/g, ' ') }, node.unicode);
    case 'linebreak':
      return el('br');
  }
}
