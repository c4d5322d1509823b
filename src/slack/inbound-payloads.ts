import { parse as parseQueryString } from 'node:querystring';
import { z } from 'zod';
import { SLASH_COMMAND } from './commands.js';
import { viewStateValues } from './view-state.js';

/*
 * The shapes of everything Slack sends Gatehouse, checked before Bolt sees a body. Bolt reads these
 * fields without checking them (`body.ssl_check` of a `null` body, `actions[0]` of `actions: null`,
 * `view.callback_id` of a missing view), and listeners hand ids to the database, so a body that
 * does not have them is refused here with a reason instead. The objects are loose: Slack adds
 * fields over time, and only the ones Bolt and Gatehouse read are held to a shape.
 */

/** Slack's ids (users, teams, channels, enterprises): upper-case letters and digits. */
const slackId = z.string().regex(/^[A-Z0-9]{1,64}$/, { error: 'is not a Slack id' });
/** Ids Slack's Block Kit limits to 255 characters: action ids, block ids, callback ids. */
const blockKitId = z.string().min(1).max(255);
const url = z.url({ protocol: /^https?$/ });

const teamRef = z.looseObject({ id: slackId, enterprise_id: slackId.nullish() });
const userRef = z.looseObject({ id: slackId, team_id: slackId.nullish() });
const enterpriseRef = z.looseObject({ id: slackId }).nullish();
const channelRef = z.looseObject({ id: slackId });

const view = z.looseObject({
  id: z.string().min(1).max(255),
  type: z.string().optional(),
  callback_id: blockKitId,
  private_metadata: z.string().max(3000).optional(),
  hash: z.string().optional(),
  blocks: z
    .array(z.looseObject({ type: z.string(), block_id: z.string().max(255).optional() }))
    .max(100)
    .optional(),
  state: z.looseObject({ values: viewStateValues }).optional(),
  app_installed_team_id: slackId.nullish(),
});

const message = z.looseObject({
  ts: z.string().min(1).max(64),
  blocks: z.array(z.looseObject({ type: z.string() })).optional(),
});

const interactionFields = {
  user: userRef,
  // Null for apps deployed across an Enterprise Grid organization; Bolt then reads `user.team_id`.
  team: teamRef.nullish(),
  enterprise: enterpriseRef,
  channel: channelRef.optional(),
  api_app_id: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
  trigger_id: z.string().min(1).max(255).optional(),
  response_url: url.optional(),
  container: z.looseObject({}).optional(),
  message: message.optional(),
};

const blockActions = z.looseObject({
  ...interactionFields,
  type: z.literal('block_actions'),
  // A view drawn without a callback id (App Home tabs are) comes back with an empty one; nothing routes on it here.
  view: view.extend({ callback_id: z.string().max(255) }).optional(),
  actions: z
    .array(z.looseObject({ type: z.string(), action_id: blockKitId, block_id: z.string().max(255).optional() }))
    .min(1)
    .max(25),
  state: z.looseObject({ values: viewStateValues }).optional(),
});

const viewSubmission = z.looseObject({
  ...interactionFields,
  type: z.literal('view_submission'),
  view,
  response_urls: z.array(z.looseObject({ response_url: url, channel_id: slackId.optional() })).optional(),
});

const viewClosed = z.looseObject({
  ...interactionFields,
  type: z.literal('view_closed'),
  view,
  is_cleared: z.boolean().optional(),
});

const blockSuggestion = z.looseObject({
  ...interactionFields,
  type: z.literal('block_suggestion'),
  action_id: blockKitId,
  block_id: z.string().max(255),
  value: z.string().max(3000),
  view: view.optional(),
});

/** The interactions Gatehouse's listeners answer; shortcuts, dialogs and the like it has none of. */
const interaction = z.discriminatedUnion('type', [blockActions, viewSubmission, viewClosed, blockSuggestion]);

const slashCommand = z.looseObject({
  command: z.literal(SLASH_COMMAND, { error: `is not ${SLASH_COMMAND}` }),
  // How long the text may be is the listener's to answer: the user is told, not refused.
  text: z.string().optional(),
  user_id: slackId,
  team_id: slackId,
  channel_id: slackId,
  enterprise_id: slackId.optional(),
  is_enterprise_install: z.enum(['true', 'false']).optional(),
  trigger_id: z.string().min(1).max(255),
  response_url: url,
});

/**
 * An Events API event: Bolt looks for a conversation in `channel`, `channel_id` or `item.channel`,
 * and for a user in `user`, `channel.creator` or `subteam.created_by`, so those must be what it expects.
 */
const event = z.looseObject({
  type: z.string().min(1).max(255),
  user: z.union([slackId, z.looseObject({ id: slackId })]).optional(),
  channel: z.union([slackId, z.looseObject({ id: slackId.optional(), creator: slackId.optional() })]).optional(),
  channel_id: slackId.optional(),
  item: z.looseObject({ channel: slackId.optional() }).optional(),
  subteam: z.looseObject({ created_by: slackId.optional() }).optional(),
});

const appHomeOpened = z.looseObject({ type: z.literal('app_home_opened'), user: slackId, channel: slackId.optional(), tab: z.string() });

const eventCallback = z
  .looseObject({
    type: z.literal('event_callback'),
    team_id: slackId,
    enterprise_id: slackId.nullish(),
    api_app_id: z.string().optional(),
    event_id: z.string().max(255).optional(),
    event,
    authorizations: z
      .array(
        z.looseObject({
          team_id: slackId.nullish(),
          enterprise_id: slackId.nullish(),
          user_id: slackId.optional(),
          is_enterprise_install: z.boolean().optional(),
        }),
      )
      .optional(),
  })
  .superRefine((envelope, ctx) => {
    // The events Gatehouse listens to are held to the shape its listeners read.
    if (envelope.event.type !== 'app_home_opened') return;
    for (const issue of appHomeOpened.safeParse(envelope.event).error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['event', ...issue.path] });
    }
  });

const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1000) });
/** Slack tells an app it dropped events for a minute; there is nothing to do but say so. */
const appRateLimited = z.looseObject({ type: z.literal('app_rate_limited'), team_id: slackId.optional() });

const eventsApiBody = z.discriminatedUnion('type', [eventCallback, urlVerification, appRateLimited]);

/** What the gate decided about a signed body. */
export type InboundVerdict =
  /** Hand it to Bolt. */
  | { kind: 'dispatch' }
  /** Answer it here: Slack asked for a reply that needs no listener. */
  | { kind: 'answer'; body: Record<string, unknown> | null }
  /** Refuse it with 400 and this reason. */
  | { kind: 'malformed'; reason: string };

function reasonOf(error: z.ZodError, what: string): string {
  const issue = error.issues[0];
  if (!issue) return `malformed ${what}`;
  const path = issue.path.map(String).join('.');
  return `malformed ${what}${path ? `: ${path}` : ''}: ${issue.message}`.slice(0, 200);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Whether a form-encoded body is Slack's unsigned `ssl_check`, which is answered without a signature. */
export function isSslCheck(contentType: string | undefined, text: string): boolean {
  return contentType === 'application/x-www-form-urlencoded' && parseQueryString(text).ssl_check === '1';
}

/**
 * Checks a signed body from Slack, read the way Bolt reads it: form-encoded (exactly that content
 * type, as Bolt decides) holding a slash command or an interaction's `payload`, otherwise JSON.
 */
export function checkInboundBody(contentType: string | undefined, text: string): InboundVerdict {
  if (contentType === 'application/x-www-form-urlencoded') {
    const fields = parseQueryString(text);
    if ('payload' in fields) {
      if (typeof fields.payload !== 'string') return { kind: 'malformed', reason: 'payload must appear once' };
      const json = parseJson(fields.payload);
      if (!json.ok) return { kind: 'malformed', reason: 'payload is not JSON' };
      return checkInteraction(json.value);
    }
    const parsed = slashCommand.safeParse(fields);
    return parsed.success ? { kind: 'dispatch' } : { kind: 'malformed', reason: reasonOf(parsed.error, 'slash command') };
  }
  const json = parseJson(text);
  if (!json.ok) return { kind: 'malformed', reason: 'body is not JSON' };
  const parsed = eventsApiBody.safeParse(json.value);
  if (!parsed.success) return { kind: 'malformed', reason: reasonOf(parsed.error, 'Events API body') };
  if (parsed.data.type === 'url_verification') return { kind: 'answer', body: { challenge: parsed.data.challenge } };
  if (parsed.data.type === 'app_rate_limited') return { kind: 'answer', body: null };
  return { kind: 'dispatch' };
}

/** Checks an interaction payload (the JSON of `payload=`, or what Socket Mode delivers). */
export function checkInteraction(payload: unknown): InboundVerdict {
  const parsed = interaction.safeParse(payload);
  return parsed.success ? { kind: 'dispatch' } : { kind: 'malformed', reason: reasonOf(parsed.error, 'interaction payload') };
}

/**
 * Checks a body Socket Mode delivered: there the envelope says what it holds, and the body is
 * already JSON (a slash command arrives as the form's fields).
 */
export function checkSocketModeBody(body: unknown): InboundVerdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { kind: 'malformed', reason: 'body is not an object' };
  if ('command' in body) {
    const parsed = slashCommand.safeParse(body);
    return parsed.success ? { kind: 'dispatch' } : { kind: 'malformed', reason: reasonOf(parsed.error, 'slash command') };
  }
  if ('event' in body || ('type' in body && (body.type === 'event_callback' || body.type === 'app_rate_limited'))) {
    const parsed = eventsApiBody.safeParse(body);
    if (!parsed.success) return { kind: 'malformed', reason: reasonOf(parsed.error, 'Events API body') };
    return parsed.data.type === 'event_callback' ? { kind: 'dispatch' } : { kind: 'answer', body: null };
  }
  return checkInteraction(body);
}

/** Where a failed request's user can still be told: the slash command's or interaction's response_url. */
export function responseUrlOf(body: unknown): string | undefined {
  const found = z.looseObject({ response_url: url }).safeParse(body);
  return found.success ? found.data.response_url : undefined;
}
