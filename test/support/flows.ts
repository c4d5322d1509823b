import { expect } from 'vitest';
import { addAdministrator } from '../../src/services/administrators.js';
import { seedPermissionCatalog } from '../../src/services/catalog.js';
import { createOrganization } from '../../src/services/organizations.js';
import type { AppResponse, RecordedCall, StoredMessage } from '../../src/sandbox/index.js';
import { ACTION, INPUT_ACTION, REQUEST_FORM_BLOCK } from '../../src/slack/views/ids.js';
import type { TestApp } from './app.js';

export interface Person {
  id: string;
  name: string;
  realName: string;
  email: string;
}

export function person(id: string, realName: string): Person {
  const name = realName.toLowerCase().replace(/\s+/g, '.');
  return { id, name, realName, email: `${name}@example.com` };
}

/** A permission catalog, an organization and its Administrators, all known to Slack too. */
export async function seedOrganization(
  app: TestApp,
  organization: {
    name: string;
    customerNumber: string;
    acronym?: string;
    timeZone?: string;
    adminChannelId?: string;
    auditChannelId?: string;
  },
  admins: Person[],
) {
  const { prisma } = app.db.database;
  await seedPermissionCatalog(prisma);
  const created = await createOrganization(prisma, organization);
  for (const admin of admins) {
    app.emulator.addUser(admin);
    await addAdministrator(prisma, {
      customerNumber: organization.customerNumber,
      slackUserId: admin.id,
      displayName: admin.realName,
      email: admin.email,
    });
  }
  for (const channel of [organization.adminChannelId, organization.auditChannelId]) if (channel) app.emulator.addChannel(channel);
  return created;
}

/** Every one of a burst of requests was answered 200: none failed on the server, none was refused. */
export function expectNoServerErrors(responses: AppResponse[]): void {
  expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
}

/** Waits until the outbox has delivered everything, retries included. */
export async function settle(app: TestApp, timeoutMs = 15_000): Promise<void> {
  const { prisma } = app.db.database;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    app.gatehouse.dispatcher.wake();
    const pending = await prisma.outboxMessage.count({ where: { status: 'PENDING' } });
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} outbox messages still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Opens `/access request` and returns the modal Slack was asked to open. */
export async function openRequestForm(app: TestApp, userId: string): Promise<RecordedCall> {
  const before = app.emulator.callsTo('views.open').length;
  const response = await app.driver.slashCommand({ userId, text: 'request' });
  expect(response.status).toBe(200);
  const calls = await app.emulator.waitForCalls('views.open', before + 1, 10_000);
  const opened = calls[before]!;
  expect(opened.response).toMatchObject({ ok: true });
  return opened;
}

export interface RequestAnswers {
  organizationId?: number;
  adminPermissions?: string[];
  accessPermissions?: string[];
  purpose?: string;
}

/** Fills in and submits the request form the way a person would. */
export async function submitRequestForm(app: TestApp, userId: string, opened: RecordedCall, answers: RequestAnswers, options = {}) {
  const values: Record<string, Record<string, string | string[]>> = {
    [REQUEST_FORM_BLOCK.purpose]: { [INPUT_ACTION]: answers.purpose ?? 'I look after our licenses.' },
  };
  if (answers.organizationId !== undefined) {
    values[REQUEST_FORM_BLOCK.organization] = { [ACTION.pickOrganization]: String(answers.organizationId) };
  }
  if (answers.adminPermissions) values[REQUEST_FORM_BLOCK.adminPermissions] = { [INPUT_ACTION]: answers.adminPermissions };
  if (answers.accessPermissions) values[REQUEST_FORM_BLOCK.accessPermissions] = { [INPUT_ACTION]: answers.accessPermissions };
  return app.driver.submitView(opened, values, userId, options);
}

/** Asks for access end to end and returns the stored request's id. */
export async function requestAccess(app: TestApp, requester: Person, answers: RequestAnswers): Promise<number> {
  const opened = await openRequestForm(app, requester.id);
  const response = await submitRequestForm(app, requester.id, opened, answers);
  expect(response.status).toBe(200);
  expect(response.body).toBe('');
  const request = await app.db.database.prisma.accessRequest.findFirstOrThrow({
    where: { requester: { slackUserId: requester.id } },
    orderBy: { id: 'desc' },
  });
  await settle(app);
  return request.id;
}

/** The messages Gatehouse posted in a conversation (a DM is found by the user's id). */
export function postsIn(app: TestApp, channelOrUser: string): StoredMessage[] {
  const channel = channelOrUser.startsWith('U') ? app.emulator.dmChannelFor(channelOrUser) : channelOrUser;
  return app.emulator.messagesIn(channel);
}

/** Every object inside some Block Kit, depth first. */
function everyNode(root: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      found.push(node as Record<string, unknown>);
      Object.values(node).forEach(visit);
    }
  };
  visit(root);
  return found;
}

function textsOfType(blocks: unknown, type: 'mrkdwn' | 'plain_text'): string[] {
  return everyNode(blocks)
    .filter((node) => node.type === type && typeof node.text === 'string')
    .map((node) => node.text as string);
}

/** Every mrkdwn string in some blocks, plus the fallback text: where Slack would interpret markup. */
export function mrkdwnTexts(message: { text?: unknown; blocks?: unknown }): string[] {
  return [...(typeof message.text === 'string' ? [message.text] : []), ...textsOfType(message.blocks, 'mrkdwn')];
}

/** Every plain_text string in some blocks: shown literally by Slack. */
export function plainTexts(message: { blocks?: unknown }): string[] {
  return textsOfType(message.blocks, 'plain_text');
}

export function buttonsIn(message: { blocks?: unknown }): Array<{ action_id: string; value?: string }> {
  return everyNode(message.blocks)
    .filter((node) => node.type === 'button' && typeof node.action_id === 'string')
    .map((node) => ({ action_id: node.action_id as string, value: typeof node.value === 'string' ? node.value : undefined }));
}
