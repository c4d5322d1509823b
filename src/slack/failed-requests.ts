import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, BufferedIncomingMessage, ReceiverEvent } from '@slack/bolt';
import { HTTPModuleFunctions } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../logger.js';

/** What a person is told when Gatehouse failed on what they did. */
export const FAILURE_TEXT = 'Sorry, Gatehouse ran into a problem with that. Please try again in a moment.';

const commandBody = z.looseObject({ command: z.string(), user_id: z.string(), response_url: z.url().optional() });
const interactionBody = z.looseObject({
  type: z.string(),
  user: z.looseObject({ id: z.string() }),
  response_url: z.url().optional(),
  view: z.looseObject({ blocks: z.array(z.looseObject({ type: z.string(), block_id: z.string().optional() })).optional() }).optional(),
});

/** Who to tell, and how, read from the body of the request that failed. */
interface FailedRequest {
  userId?: string;
  responseUrl?: string;
  /** The reply Slack shows the user when the request is still unanswered; undefined: an empty 200. */
  reply?: Record<string, unknown>;
  /** Whether `reply` itself tells the user, so nothing else needs to. */
  replyTells: boolean;
}

function failedRequestFrom(body: unknown): FailedRequest {
  const command = commandBody.safeParse(body);
  if (command.success) {
    return {
      userId: command.data.user_id,
      responseUrl: command.data.response_url,
      reply: { response_type: 'ephemeral', text: FAILURE_TEXT },
      replyTells: true,
    };
  }
  const interaction = interactionBody.safeParse(body);
  if (!interaction.success) return { replyTells: false };
  const { type, user, response_url: responseUrl, view } = interaction.data;
  // A failed form stays open with the message on its first input, so nothing typed into it is lost.
  const firstInput =
    type === 'view_submission' ? view?.blocks?.find((block) => block.type === 'input' && block.block_id)?.block_id : undefined;
  if (firstInput)
    return { userId: user.id, responseUrl, reply: { response_action: 'errors', errors: { [firstInput]: FAILURE_TEXT } }, replyTells: true };
  // block_suggestion must be answered with options, or Slack shows the menu as failed.
  const reply = type === 'block_suggestion' ? { options: [] } : undefined;
  return { userId: user.id, responseUrl, reply, replyTells: false };
}

/** Tells the user outside the request's own answer: through its response_url, else by DM. */
async function tellLater(app: App, failed: FailedRequest, logger: Logger): Promise<void> {
  try {
    if (failed.responseUrl) {
      const posted = await fetch(failed.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: FAILURE_TEXT }),
        signal: AbortSignal.timeout(5_000),
      });
      if (posted.ok) return;
    }
    if (failed.userId) await app.client.chat.postMessage({ channel: failed.userId, text: FAILURE_TEXT });
  } catch (error) {
    logger.warn({ err: error }, 'could not tell the user that their request failed');
  }
}

export interface FailureHandlers {
  /** For `App#error`: logs a listener's error with what it was handling, and passes it on to the receiver. */
  listenerFailed(args: { error: Error; body: unknown; context: { userId?: string } }): Promise<void>;
  /** For HTTPReceiver's `processEventErrorHandler`: answers Slack with a 200, never a 5xx, and tells the user. */
  httpRequestFailed(args: { error: Error; request: IncomingMessage; response: ServerResponse }): Promise<boolean>;
  /** For SocketModeReceiver's `processEventErrorHandler`: the same over Socket Mode. */
  socketEventFailed(args: { error: Error; event: ReceiverEvent }): Promise<boolean>;
}

/** `app` is read when a request fails, so the handlers can be made before the App they serve. */
export function failureHandlers(app: () => App, logger: Logger): FailureHandlers {
  return {
    listenerFailed({ error, body, context }) {
      const type = z.looseObject({ type: z.string() }).safeParse(body);
      logger.error({ err: error, type: type.success ? type.data.type : 'command', user: context.userId }, 'a Slack listener failed');
      // Rethrown so that the receiver, which holds the request, answers it.
      return Promise.reject(error);
    },
    async httpRequestFailed({ error, request, response }) {
      let body: unknown;
      try {
        body = HTTPModuleFunctions.parseHTTPRequestBody(request as BufferedIncomingMessage);
      } catch {
        body = undefined;
      }
      logger.debug({ err: error }, 'answering a Slack request whose processing failed');
      const failed = failedRequestFrom(body);
      const unanswered = !response.headersSent;
      if (unanswered) HTTPModuleFunctions.buildContentResponse(response, failed.reply);
      if (!(unanswered && failed.replyTells)) await tellLater(app(), failed, logger);
      // True marks the request acknowledged, so Bolt does not also report it unanswered later.
      return true;
    },
    async socketEventFailed({ error, event }) {
      logger.debug({ err: error }, 'answering a Socket Mode event whose processing failed');
      const failed = failedRequestFrom(event.body);
      // Socket Mode ignores a second ack, so this answers only an envelope the listener left unanswered.
      await event.ack(failed.reply);
      if (!failed.replyTells) await tellLater(app(), failed, logger);
      return false;
    },
  };
}
