// One message as Slack shows it: author, time, (edited), "Only visible to you", then its blocks.
import type { DemoMessage } from '../protocol.js';
import { renderBlocks } from './blocks.js';
import type { RenderContext } from './elements.js';
import { el, renderMrkdwn } from './text.js';

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
  );
}
