import { WebAPIPlatformError, WebClient, type View } from '@slack/web-api';
import type { Logger } from '../logger.js';
import { boltLoggerFrom } from './bolt-logger.js';
import { webApiTransport } from './web-api-transport.js';

/** What the person is told when Slack did not open the form their click or command asked for. */
export const FORM_DID_NOT_OPEN = "Slack couldn't open the form just now. Please try again.";

/**
 * A trigger_id works for 3 seconds, once. The listeners' client would retry a failed views.open
 * up to 10 times over 30 minutes (and wait out a 429 for as long as Slack asks), each retry
 * refused as expired; a call Slack has not answered in this long will not open a form either.
 */
const TRIGGER_CALL_TIMEOUT_MS = 10_000;

/** One client per token and API URL, with the app's transport and no retries. */
const triggerClients = new Map<string, WebClient>();

function triggerClientLike(client: WebClient, logger: Logger): WebClient {
  const key = `${client.slackApiUrl} ${client.token ?? ''}`;
  let triggerClient = triggerClients.get(key);
  if (!triggerClient) {
    triggerClient = new WebClient(client.token, {
      slackApiUrl: client.slackApiUrl,
      fetch: webApiTransport,
      logger: boltLoggerFrom(logger),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: TRIGGER_CALL_TIMEOUT_MS,
    });
    triggerClients.set(key, triggerClient);
  }
  return triggerClient;
}

export interface TriggerBoundCall {
  /** The listener's client; its token and API URL are used. */
  client: WebClient;
  triggerId: string;
  view: View;
  logger: Logger;
  /** Tells the person privately (ephemeral message, response_url or DM) that the form did not open. */
  tell(text: string): Promise<unknown>;
  /** Push the form on top of the modal the trigger came from, instead of opening a new one. */
  push?: boolean;
}

/** Slack's answers that mean the trigger was too old or used, not that the view was wrong. */
const TRIGGER_ERRORS = new Set(['expired_trigger_id', 'exchanged_trigger_id', 'invalid_trigger_id']);

/**
 * Opens a modal on a trigger, asking Slack once. When Slack refuses or fails, the person is told
 * to try again, which gives them a fresh trigger; returns whether the form opened. (Gatehouse
 * pushes its later steps through `response_action: 'push'` in the ack, which needs no trigger; a
 * form pushed from a button inside a modal uses `push`.)
 */
export async function openModalOnTrigger(call: TriggerBoundCall): Promise<boolean> {
  try {
    const views = triggerClientLike(call.client, call.logger).views;
    const request = { trigger_id: call.triggerId, view: call.view };
    await (call.push ? views.push(request) : views.open(request));
    return true;
  } catch (error) {
    const expected = !(error instanceof WebAPIPlatformError) || TRIGGER_ERRORS.has(error.data.error);
    const method = call.push ? 'views.push' : 'views.open';
    call.logger[expected ? 'warn' : 'error']({ err: error, method }, 'Slack did not open the form');
    await call.tell(FORM_DID_NOT_OPEN);
    return false;
  }
}
