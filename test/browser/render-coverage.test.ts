/**
 * Every message and view Gatehouse's own tests produced (recorded as JSON into
 * test/output/block-corpus/ while the rest of the suite ran) is drawn by the web client's
 * renderer in Chromium; any block or element type it cannot draw fails this test by name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startStaticClient, type StaticClient } from '../support/static-client.js';

const CORPUS = resolve(import.meta.dirname, '../../test/output/block-corpus');

interface Surface {
  source: string;
  kind: 'message' | 'modal' | 'home';
  blocks?: unknown[];
  view?: Record<string, unknown>;
  text?: string;
}

interface RenderCheckWindow {
  gatehouseRenderCheck: (surfaces: Surface[]) => { drawn: number; unsupported: { source: string; type: string }[] };
}

function readCorpus(): Surface[] {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((name) => name.endsWith('.json')) : [];
  return files.flatMap((name) => {
    const surfaces: unknown = JSON.parse(readFileSync(join(CORPUS, name), 'utf8'));
    if (!Array.isArray(surfaces)) throw new Error(`${name} in ${CORPUS} is not an array of surfaces`);
    return surfaces as Surface[];
  });
}

let browser: Browser;
let client: StaticClient;

beforeAll(async () => {
  browser = await launchBrowser();
  client = await startStaticClient();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
});

describe('render coverage', () => {
  it('draws every block and element type in the messages and views the suite recorded', async () => {
    const surfaces = readCorpus();
    if (surfaces.length === 0) {
      throw new Error(`No surfaces in ${CORPUS}: run the whole suite (npm test): the corpus is written by the other tests.`);
    }
    const page = await browser.newPage();
    await page.goto(`${client.url}/render-check.html`);
    await page.waitForFunction(`document.documentElement.dataset.ready === 'true'`);
    let drawn = 0;
    const unsupported = new Map<string, Set<string>>();
    // In batches (each call replaces the last one's drawing), so the page never holds thousands at once.
    for (let start = 0; start < surfaces.length; start += 200) {
      const batch = surfaces.slice(start, start + 200);
      const result = await page.evaluate((chunk) => (globalThis as unknown as RenderCheckWindow).gatehouseRenderCheck(chunk), batch);
      drawn += result.drawn;
      for (const { source, type } of result.unsupported) {
        if (!unsupported.has(type)) unsupported.set(type, new Set());
        unsupported.get(type)!.add(source);
      }
    }
    await page.close();
    const report = [...unsupported].map(
      ([type, sources]) => `${type} (in ${[...sources].slice(0, 5).join('; ')}${sources.size > 5 ? '; …' : ''})`,
    );
    expect(report, 'block or element types the web client cannot draw').toEqual([]);
    expect(drawn).toBe(surfaces.length);
  });
});
