// One message as Slack shows it: author, time, (edited), "Only visible to you", then its blocks.
import type { DemoFile, DemoMessage } from '../protocol.js';
import { renderBlocks } from './blocks.js';
import type { RenderContext } from './elements.js';
import { el, renderMrkdwn } from './text.js';

/** A shared file as Slack shows it: a card with its title, name and size, and a link to download it. */
function fileCard(file: DemoFile): HTMLElement {
  const size = file.size >= 1024 * 1024 ? `${(file.size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(file.size / 1024))} KB`;
  return el(
    'div',
    { class: 'file-card', 'aria-label': `File ${file.name}` },
    el('strong', { class: 'file-title' }, file.title),
    el('span', { class: 'file-meta' }, `${file.name} · ${size}`),
    el('a', { class: 'file-download', href: file.url, download: file.name }, 'Download'),
  );
}

export function renderMessage(message: DemoMessage, ctx: RenderContext, time: string): HTMLElement {
  const meta = el('div', { class: 'message-meta' }, el('strong', { class: 'author' }, message.authorName));
  if (time) meta.append(el('span', { class: 'time' }, time));
  if (message.edited) meta.append(el('span', { class: 'edited' }, '(edited)'));
  if (message.ephemeral) meta.append(el('span', { class: 'ephemeral' }, 'Only visible to you'));
  const body = message.blocks && message.blocks.length > 0 ? renderBlocks(message.blocks, ctx) : renderMrkdwn(message.text, ctx.names);
  return el(
    'article',
    {
      class: `message${message.ephemeral ? ' is-ephemeral' : ''}`,
      'aria-label': `Message from ${message.authorName}`,
      'data-ts': message.ts,
    },
    meta,
    body,
    ...(message.files ?? []).map(fileCard),
  );
}
