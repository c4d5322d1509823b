// The render-coverage page: draws surfaces recorded from Gatehouse's own tests with the page's
// renderer and says which block or element types it could not draw.
import { renderBlocks } from './blocks.js';
import { createContext } from './context.js';
import { renderMessage } from './messages.js';
import { renderModal } from './modal.js';
import { el, type TextNames } from './text.js';

export interface RenderCheckSurface {
  source: string;
  kind: 'message' | 'modal' | 'home';
  blocks?: unknown[];
  view?: Record<string, unknown>;
  text?: string;
}

export interface RenderCheckResult {
  drawn: number;
  unsupported: { source: string; type: string }[];
}

const NAMES: TextNames = { tz: 'America/Los_Angeles', now: new Date(0), users: {}, channels: {} };

function renderCheck(surfaces: RenderCheckSurface[]): RenderCheckResult {
  const root = document.querySelector<HTMLElement>('#surfaces') ?? document.body;
  // Each call shows only its own surfaces, so a long corpus can be checked in batches.
  root.replaceChildren();
  const result: RenderCheckResult = { drawn: 0, unsupported: [] };
  for (const surface of surfaces) {
    const ctx = createContext({ names: NAMES, reportUnsupported: (type) => result.unsupported.push({ source: surface.source, type }) });
    const blocks = surface.blocks ?? (Array.isArray(surface.view?.blocks) ? (surface.view.blocks as unknown[]) : []);
    let node: HTMLElement;
    if (surface.kind === 'modal') {
      node = renderModal(
        { id: `check-${result.drawn}`, type: 'modal', definition: surface.view ?? { blocks }, errors: {} },
        ctx,
        { submit: async () => ({}), close: () => undefined },
        1,
      ).node;
    } else if (surface.kind === 'home') {
      node = renderBlocks(blocks, ctx);
    } else {
      node = renderMessage(
        {
          channel: 'C0CHECK',
          ts: '0',
          user: 'U0CHECK',
          authorName: 'Gatehouse',
          text: surface.text ?? '',
          blocks,
          edited: false,
          ephemeral: false,
        },
        ctx,
        '',
      );
    }
    root.append(el('section', { class: 'check-surface', 'aria-label': surface.source, 'data-kind': surface.kind }, node));
    result.drawn += 1;
  }
  return result;
}

declare global {
  interface Window {
    gatehouseRenderCheck: (surfaces: RenderCheckSurface[]) => RenderCheckResult;
  }
}

window.gatehouseRenderCheck = renderCheck;
document.documentElement.dataset.ready = 'true';
