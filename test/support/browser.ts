import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; the browser tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}. Install Debian's package (sudo apt-get install chromium); the browser tests never download a browser.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}
