/**
 * Realistic read models for the view tests, and helpers that look inside Block Kit payloads.
 */
import { expect } from 'vitest';
import { PERMISSION, PERMISSION_CATALOG, type PermissionKey } from '../../../src/domain/permission-catalog.js';
import type {
  ConnectionSummary,
  MyAccessModel,
  OrganizationSummary,
  PendingRequestSummary,
  PermissionInfo,
  PersonSummary,
  RequestCardModel,
  RequestDecision,
} from '../../../src/domain/read-models.js';

/** Everything Slack could parse as a mention, link or formatting, in one piece of user text. */
export const EVIL = '<!channel> *x* _it_ ~s~ `c` <@U999> <http://evil|click>';

export const CATALOG: PermissionInfo[] = PERMISSION_CATALOG.map(({ key, name, description, adminScope }) => ({
  key,
  name,
  description,
  adminScope,
}));

export function permissions(...keys: PermissionKey[]): PermissionInfo[] {
  return CATALOG.filter((permission) => keys.includes(permission.key as PermissionKey));
}

export function organization(overrides: Partial<OrganizationSummary> = {}): OrganizationSummary {
  return {
    id: 7,
    name: 'City of Redlands',
    acronym: 'COR',
    customerNumber: '100200',
    city: 'Redlands',
    country: 'United States',
    timeZone: 'America/Los_Angeles',
    ...overrides,
  };
}

export const RITA: PersonSummary = { slackUserId: 'U0RITA', displayName: 'Rita Requester', email: 'rita@redlands.example' };
export const ADA: PersonSummary = { slackUserId: 'U0ADA', displayName: 'Ada Admin', email: 'ada@redlands.example' };

export function person(overrides: Partial<PersonSummary> = {}): PersonSummary {
  return { ...RITA, ...overrides };
}

export const CREATED_AT = new Date('2026-11-20T16:30:00Z');
export const DECIDED_AT = new Date('2026-11-21T09:05:00Z');

export function connection(overrides: Partial<ConnectionSummary> = {}): ConnectionSummary {
  return {
    organization: organization(),
    status: 'ACTIVE',
    permissions: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    tags: ['planning'],
    startsOn: '2026-01-01',
    endsOn: '2099-12-31',
    // Midnight after the last day, in Los Angeles.
    endsAt: new Date('2100-01-01T08:00:00Z'),
    ...overrides,
  };
}

export function decision(overrides: Partial<RequestDecision> = {}): RequestDecision {
  return {
    outcome: 'APPROVED',
    by: ADA,
    at: DECIDED_AT,
    granted: permissions(PERMISSION.downloadSoftware, PERMISSION.esriAccess),
    note: 'Esri access instead of e-Learning for now',
    endsOn: '2099-12-31',
    ...overrides,
  };
}

export function requestCard(overrides: Partial<RequestCardModel> = {}): RequestCardModel {
  return {
    requestId: 12,
    status: 'PENDING',
    requester: RITA,
    organization: organization(),
    unlisted: null,
    requested: permissions(PERMISSION.downloadSoftware, PERMISSION.eLearning),
    purpose: 'I install ArcGIS Pro for the planning team.',
    createdAt: CREATED_AT,
    currentConnection: null,
    decision: null,
    withdrawnAt: null,
    inTriage: false,
    ...overrides,
  };
}

export function pendingRequest(overrides: Partial<PendingRequestSummary> = {}): PendingRequestSummary {
  return {
    requestId: 31,
    organizationLabel: 'City of Redlands',
    requested: permissions(PERMISSION.manageLicensing),
    purpose: 'I manage our ArcGIS licenses.',
    createdAt: CREATED_AT,
    ...overrides,
  };
}

export function myAccessModel(overrides: Partial<MyAccessModel> = {}): MyAccessModel {
  return {
    person: RITA,
    connections: [connection()],
    pendingRequests: [pendingRequest()],
    awaitingDecision: [],
    awaitingCount: 0,
    isAdmin: false,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// Looking inside payloads
// ---------------------------------------------------------------------------------------------

type Node = Record<string, unknown>;

function visit(value: unknown, found: (node: Node) => void): void {
  if (Array.isArray(value)) value.forEach((item) => visit(item, found));
  else if (value && typeof value === 'object') {
    found(value as Node);
    Object.values(value).forEach((child) => visit(child, found));
  }
}

/** Every object in the payload for which `test` holds. */
export function findAll(payload: unknown, test: (node: Node) => boolean): Node[] {
  const nodes: Node[] = [];
  visit(payload, (node) => {
    if (test(node)) nodes.push(node);
  });
  return nodes;
}

/** Texts Slack parses as mrkdwn: mrkdwn objects and a message's top-level `text`. */
export function mrkdwnTexts(payload: { text?: unknown; blocks?: unknown }): string[] {
  const texts = typeof payload.text === 'string' ? [payload.text] : [];
  return [...texts, ...findAll(payload.blocks, (node) => node.type === 'mrkdwn').map((node) => String(node.text))];
}

export function plainTexts(payload: { blocks?: unknown }): string[] {
  return findAll(payload.blocks, (node) => node.type === 'plain_text').map((node) => String(node.text));
}

export interface FoundButton {
  action_id: string;
  value?: string;
  style?: string;
  confirm?: unknown;
}

export function buttons(payload: { blocks?: unknown }): FoundButton[] {
  return findAll(payload.blocks, (node) => node.type === 'button') as unknown as FoundButton[];
}

export function blockById(payload: { blocks: unknown[] }, blockId: string): Node | undefined {
  return (payload.blocks as Node[]).find((block) => block.block_id === blockId);
}

/** Everything a person reads, to check wording without caring which object holds it. */
export function allText(payload: { text?: unknown; blocks?: unknown }): string {
  return [...mrkdwnTexts(payload), ...plainTexts(payload)].join('\n');
}

/**
 * User text must render inert: in mrkdwn nothing of it may ping, link or format. Plain text may
 * keep the characters, since Slack shows plain_text literally.
 */
export function expectInert(payload: { text?: unknown; blocks?: unknown }): void {
  for (const text of mrkdwnTexts(payload)) {
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U999>');
    expect(text).not.toContain('<http');
    expect(text).not.toContain('*x*');
    expect(text).not.toContain('_it_');
    expect(text).not.toContain('~s~');
    expect(text).not.toContain('`c`');
  }
}
