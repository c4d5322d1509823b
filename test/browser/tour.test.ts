// The README's tour, by clicking and typing in the demo's web client only, as a visitor would.
// Each step asserts on what the page shows and saves the screenshot the README uses
// (test/output/screenshots/; test/browser/screenshots/ holds the committed copies).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../src/demo/demo.js';
import { launchBrowser } from '../support/browser.js';
import { buildClient } from '../support/static-client.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(PROJECT_ROOT, 'test', 'output', 'screenshots');

let demo: RunningDemo;
let dataDir: string;
let browser: Browser;
let page: Page;

async function shoot(target: Page, name: string): Promise<void> {
  await target.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

async function viewAs(target: Page, userId: string): Promise<void> {
  await target.getByLabel('Viewing as').selectOption(userId);
  await expect.poll(() => new URL(target.url()).searchParams.get('as')).toBe(userId);
}

async function openConversation(target: Page, name: string): Promise<Locator> {
  await target.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name, exact: true }).click();
  const main = target.getByRole('main');
  await main.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  return main;
}

async function type(target: Page, text: string): Promise<void> {
  const composer = target.getByRole('textbox', { name: /^Message / });
  await composer.fill(text);
  await composer.press('Enter');
}

function dialog(target: Page, title: string): Locator {
  return target.getByRole('dialog', { name: title });
}

describe('the demo tour, in the browser', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-tour-'));
    // Compiled afresh, so the tour tests the client as it is now, without `npm run build`.
    const compiled = await buildClient();
    demo = await startDemo({ port: 0, slackPort: 0, appPort: 0, dataDir, compiledClientDir: compiled });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${demo.url}/?as=U0DEMOADA`);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens on the Administrator with the waiting request in the admin channel', async () => {
    const main = await openConversation(page, '#redlands-admins');
    const card = main.getByRole('article').filter({ hasText: 'Dennis Ritchie is asking for access' });
    await expect.poll(() => card.count()).toBe(1);
    await card.getByRole('button', { name: 'Approve' }).scrollIntoViewIfNeeded();
    await shoot(page, 'overview');
  });
  it('1. as a member, request access', async () => {
    await viewAs(page, 'U0DEMOHEDY');
    const main = await openConversation(page, 'Gatehouse');
    await type(page, '/access request');
    const form = dialog(page, 'Request access');
    await form.waitFor();
    await form.getByLabel('Organization', { exact: true }).selectOption({ label: 'City of Redlands (COR)' });
    // Choosing the organization redraws the form with the permissions Hedy may ask for.
    await form.getByRole('checkbox', { name: 'Access e-Learning' }).check();
    await form.getByRole('checkbox', { name: 'Download software' }).check();
    await form.getByLabel('What do you need it for?', { exact: true }).fill('I map the city’s street trees for the parks team.');
    await shoot(page, 'tour-1-request');
    await form.getByRole('button', { name: 'Send request' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => main.getByRole('article').filter({ hasText: 'street trees' }).count()).toBeGreaterThan(0);
    await shoot(page, 'tour-1-requested');
  });
  it('2. as the Administrator, approve it with an edit, and the requester is told at once', async () => {
    // Hedy keeps her page open: the answer must reach it without a reload.
    const hedy = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await hedy.goto(`${demo.url}/?as=U0DEMOHEDY`);
    const hedyMain = await openConversation(hedy, 'Gatehouse');
    await hedyMain.getByRole('article').filter({ hasText: 'Your request is on its way' }).waitFor();

    await viewAs(page, 'U0DEMOADA');
    const main = await openConversation(page, '#redlands-admins');
    const card = main.getByRole('article').filter({ hasText: 'Hedy Lamarr is asking for access' });
    await card.getByRole('button', { name: 'Approve' }).click();
    const form = dialog(page, 'Approve request');
    await form.waitFor();
    // The edit: she gets e-Learning and support information, not the software downloads she asked for.
    await form.getByRole('checkbox', { name: 'Download software' }).uncheck();
    await form.getByRole('checkbox', { name: 'View technical support information' }).check();
    await form.getByLabel(/^Note for the permissions log/).fill('Downloads go through the GIS team.');
    await shoot(page, 'tour-2-approve');
    await form.getByRole('button', { name: 'Approve', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => card.filter({ hasText: 'Approved by' }).count()).toBe(1);
    await expect(card.innerText()).resolves.toContain('View technical support information');

    const answer = hedyMain.getByRole('article').filter({ hasText: 'View technical support information' });
    await expect.poll(() => answer.count()).toBeGreaterThan(0);
    await expect(hedy.url()).toContain('as=U0DEMOHEDY');
    await shoot(hedy, 'tour-2-requester-told');
    await hedy.close();
  });
  it('3. invite three people, one address invalid', async () => {
    await viewAs(page, 'U0DEMOADA');
    await openConversation(page, 'Gatehouse');
    await type(page, '/access invite');
    const addresses = dialog(page, 'Invite people');
    await addresses.waitFor();
    await addresses.getByLabel(/^Email addresses/).fill('alan.kay@example.com\nivan.sutherland@example\nlynn.conway@example.com');
    await addresses.getByRole('button', { name: 'Check addresses' }).click();
    await addresses.getByRole('button', { name: 'Remove invalid address' }).waitFor();
    await expect(addresses.innerText()).resolves.toContain('ivan.sutherland@example');
    await shoot(page, 'tour-3-invite-checked');
    await addresses.getByRole('button', { name: 'Remove invalid address' }).click();
    await expect.poll(() => addresses.getByRole('button', { name: 'Remove invalid address' }).count()).toBe(0);
    await addresses.getByRole('button', { name: 'Next', exact: true }).click();

    const permissions = dialog(page, 'Invite: permissions');
    await permissions.waitFor();
    await permissions.getByRole('checkbox', { name: 'Access e-Learning' }).check();
    await permissions.getByRole('button', { name: 'Next', exact: true }).click();

    const sending = dialog(page, 'Invite: send');
    await sending.waitFor();
    await sending.getByRole('button', { name: 'Send', exact: true }).click();
    await sending.waitFor({ state: 'detached' });
    // Alan and Lynn are not in this Slack and the demo has no mail server, so Ada gets their codes to hand over.
    const main = page.getByRole('main');
    await main.getByRole('article').filter({ hasText: 'Sent 2 invitations to City of Redlands (COR).' }).waitFor();
    const handover = main.getByRole('article').filter({ hasText: 'Invitation codes to hand over' }).last();
    await expect.poll(() => handover.innerText()).toMatch(/alan\.kay@example\.com[\s\S]*lynn\.conway@example\.com/);
    await shoot(page, 'tour-3-invite-sent');
  });
  it('4. move the clock: the expiry warning, then the grace period, and the Administrator restores', async () => {
    const controls = page.getByRole('region', { name: 'Demo controls' });
    const moveClock = async (days: number) => {
      await controls.getByLabel('Days', { exact: true }).fill(String(days));
      await controls.getByRole('button', { name: 'Move clock forward' }).click();
    };
    await viewAs(page, 'U0DEMOKATH');
    const main = await openConversation(page, 'Gatehouse');
    // Katherine's access ends a week after the demo starts: six days on, it ends tomorrow.
    await moveClock(6);
    const warning = main.getByRole('article').filter({ hasText: 'Your access to City of Redlands (COR) ends tomorrow' });
    await warning.waitFor();
    await shoot(page, 'tour-4-expiry-warning');

    await moveClock(2);
    await main.getByRole('article').filter({ hasText: 'Your access to City of Redlands (COR) ended on' }).waitFor();

    await viewAs(page, 'U0DEMOADA');
    const admins = await openConversation(page, 'Gatehouse');
    const summary = admins.getByRole('article').filter({ hasText: 'Access to City of Redlands (COR) expired for one person' }).last();
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toContain('Katherine Johnson');
    await summary.getByRole('button', { name: 'Restore with new end date…' }).scrollIntoViewIfNeeded();
    await shoot(page, 'tour-4-grace');
    await summary.getByRole('button', { name: 'Restore with new end date…' }).click();
    const extend = dialog(page, 'Extend access');
    await extend.waitFor();
    await extend.getByLabel(/^New last day of access/).fill('2027-06-30');
    await extend.getByRole('button', { name: 'Save', exact: true }).click();
    await extend.waitFor({ state: 'detached' });

    await controls.getByRole('button', { name: 'Permissions log' }).click();
    const log = page.getByRole('region', { name: 'Permissions log' });
    await expect
      .poll(() => log.innerText())
      .toMatch(
        /connection\.end_date_changed\s+Ada Lovelace\s+Katherine Johnson\s+City of Redlands\s+EXPIRED → ACTIVE; permissions: [^;]+; ends 2027-06-30/,
      );
    await shoot(page, 'tour-4-restored');

    await viewAs(page, 'U0DEMOKATH');
    await openConversation(page, 'Gatehouse');
    await type(page, '/access me');
    const answer = page.getByRole('main').getByRole('article').filter({ hasText: 'Your access in Gatehouse' }).last();
    await answer.waitFor();
    // The end is the close of June 30 in Redlands; Katherine, three hours east, sees it as July 1.
    await expect.poll(() => answer.innerText()).toMatch(/City of Redlands \(COR\)\s+·\s+Active\s+·\s+access ends Thursday, July 1st, 2027/);
  });

  it('5. manage members: filter, edit one with a message, and tag a whole page in one go', async () => {
    await viewAs(page, 'U0DEMOADA');
    await openConversation(page, 'Gatehouse');
    await type(page, '/access users');
    const list = dialog(page, 'Members');
    await list.waitFor();
    await list.getByLabel('Any permission').selectOption({ label: 'Access e-Learning' });
    const knuth = list.locator('[data-block-id^="users_row:"]').filter({ hasText: 'Donald Knuth' });
    await knuth.waitFor();
    await expect.poll(() => list.innerText()).toMatch(/Showing 1–\d+ of \d+ \(filtered\)/);
    await expect(list.innerText()).resolves.not.toContain('Barbara Liskov');
    await shoot(page, 'tour-5-members');

    // Edit Donald: a tag more, and he is told.
    await knuth.getByRole('button', { name: 'More actions' }).click();
    await knuth.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = dialog(page, 'Edit member');
    await edit.waitFor();
    await edit.getByLabel('Tags').fill('cartography, mentor');
    await edit.getByLabel(/^Send Donald Knuth a message/).check();
    await edit.getByRole('button', { name: 'Save', exact: true }).click();
    await edit.waitFor({ state: 'detached' });
    await expect
      .poll(() => list.locator('[data-block-id^="users_row:"]').filter({ hasText: 'Donald Knuth' }).innerText())
      .toContain('mentor');

    // Everyone on the page, tagged at once, with one note.
    await list.getByRole('button', { name: 'Select this page' }).click();
    await list.getByRole('button', { name: /^Review selection \(\d+\)$/ }).click();
    const review = dialog(page, 'Selection');
    await review.waitFor();
    await review.getByLabel('What to do').selectOption({ label: 'Add a tag' });
    await review.getByLabel(/^Tag/).fill('training-2027');
    await review.getByRole('button', { name: 'Next', exact: true }).click();
    const confirm = dialog(page, 'Confirm');
    await confirm.waitFor();
    await expect(confirm.innerText()).resolves.toMatch(/Add the tag “training-2027” to \d+ people/);
    await shoot(page, 'tour-5-bulk-confirm');
    await confirm.getByRole('button', { name: /^Apply to \d+$/ }).click();
    await confirm.waitFor({ state: 'detached' });

    await viewAs(page, 'U0DEMOKNUTH');
    const inbox = await openConversation(page, 'Gatehouse');
    await inbox.getByRole('article').filter({ hasText: 'Your access to City of Redlands (COR) changed' }).first().waitFor();
    await shoot(page, 'tour-5-member-told');
  });
  it('6. see who did what in the log, get the grid as a file, and read Gatehouse in Spanish', async () => {
    await viewAs(page, 'U0DEMOADA');
    const inbox = await openConversation(page, 'Gatehouse');
    await type(page, '/access log');
    const log = dialog(page, 'Permissions log');
    await log.waitFor();
    await expect.poll(() => log.innerText()).toMatch(/\d+ entries match/);
    await expect(log.innerText()).resolves.toContain('Edited access');
    await shoot(page, 'tour-6-log');
    await page.keyboard.press('Escape');
    await log.waitFor({ state: 'detached' });

    await type(page, '/access report');
    const report = dialog(page, 'Permissions report');
    await report.waitFor();
    await report.getByRole('button', { name: 'Export grid CSV', exact: true }).click();
    await inbox
      .getByLabel(/^File .*\.csv$/)
      .first()
      .waitFor();
    await page.keyboard.press('Escape');
    await report.waitFor({ state: 'detached' });
    await shoot(page, 'tour-6-grid-file');

    await viewAs(page, 'U0DEMOKATH');
    const katherine = await openConversation(page, 'Gatehouse');
    await type(page, '/access settings');
    const settings = dialog(page, 'Settings');
    await settings.waitFor();
    await settings.getByLabel('My language').selectOption({ label: 'Español' });
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await settings.waitFor({ state: 'detached' });
    await katherine
      .getByText(/Gatehouse le escribe ahora en Español/)
      .first()
      .waitFor();
    await shoot(page, 'tour-6-settings');
  });
});
