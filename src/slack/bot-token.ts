import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';

/** Slack refused the bot token, or could not be asked: the app cannot work, so it does not start. */
export class SlackUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackUnavailableError';
  }
}

/** Who the bot token belongs to; Bolt needs it to ignore the bot's own events. */
export interface BotIdentity {
  botUserId: string;
  botId: string;
}

/** auth.test errors that say Slack could not answer, rather than that it refused the token. */
const SLACK_SIDE_ERRORS = new Set(['fatal_error', 'internal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** A blip at start is retried; a wrong or dead URL is reported within a few seconds, not after 30 minutes. */
const START_UP_RETRIES = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 };
const START_UP_TIMEOUT_MS = 10_000;

function describeFailure(error: unknown, url: string): string {
  if (error instanceof WebAPIPlatformError && !SLACK_SIDE_ERRORS.has(error.data.error)) {
    return (
      `Slack refused SLACK_BOT_TOKEN (${error.data.error}); copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & ` +
      `Permissions page.`
    );
  }
  if (error instanceof WebAPIPlatformError) return `Slack could not answer auth.test at ${url} (${error.data.error}).`;
  if (error instanceof WebAPIHTTPError)
    return `Slack answered auth.test at ${url} with HTTP ${error.statusCode}${error.statusMessage ? ` ${error.statusMessage}` : ''}.`;
  if (error instanceof WebAPIRateLimitedError) return `Slack rate-limited auth.test at ${url} (retry after ${error.retryAfter} s).`;
  const reason = error instanceof WebAPIRequestError ? error.original.message : error instanceof Error ? error.message : String(error);
  return `Could not reach Slack: auth.test at ${url} failed (${reason}).`;
}

/**
 * Asks Slack who the bot token belongs to (auth.test), through the same client settings the app
 * uses, and refuses to go on when Slack refuses the token or cannot be reached.
 */
export async function verifyBotToken(token: string, clientOptions: WebClientOptions): Promise<BotIdentity> {
  const client = new WebClient(token, { ...clientOptions, retryConfig: START_UP_RETRIES, timeout: START_UP_TIMEOUT_MS });
  const url = `${client.slackApiUrl}auth.test`;
  let identity;
  try {
    identity = await client.auth.test();
  } catch (error) {
    throw new SlackUnavailableError(describeFailure(error, url), { cause: error });
  }
  if (!identity.user_id || !identity.bot_id) {
    throw new SlackUnavailableError(
      'SLACK_BOT_TOKEN is not a bot token: Slack named no bot for it. Use the Bot User OAuth Token (xoxb-…).',
    );
  }
  return { botUserId: identity.user_id, botId: identity.bot_id };
}

/**
 * Why Socket Mode could not connect, as one line: Slack hands out the connection only for a valid
 * app-level token with the connections:write scope.
 */
export function socketModeFailure(error: unknown): SlackUnavailableError {
  if (error instanceof WebAPIPlatformError && !SLACK_SIDE_ERRORS.has(error.data.error)) {
    return new SlackUnavailableError(
      `Slack refused SLACK_APP_TOKEN (${error.data.error}); create an app-level token (xapp-…) with the connections:write scope on ` +
        `the app's Basic Information page.`,
      { cause: error },
    );
  }
  const reason = error instanceof WebAPIRequestError ? error.original.message : error instanceof Error ? error.message : String(error);
  return new SlackUnavailableError(`Could not open a Socket Mode connection to Slack (${reason}).`, { cause: error });
}
