import { App, HTTPReceiver, SocketModeReceiver, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { AppConfig } from '../config/env.js';
import type { Logger } from '../logger.js';
import { boltLoggerFrom, boltLogLevelOf } from './bolt-logger.js';
import type { BotIdentity } from './bot-token.js';
import type { GatehouseContext } from './context.js';
import { failureHandlers } from './failed-requests.js';
import { checkSocketModeBody } from './inbound-payloads.js';
import { ListenerRouter } from './listener-router.js';
import { registerAccessCommand } from './listeners/access-command.js';
import { registerAccessRequests } from './listeners/access-requests.js';
import { registerAppHome, registerHomeSections } from './listeners/app-home.js';
import { registerBulkActions } from './listeners/bulk-actions.js';
import { registerInvitations } from './listeners/invitations.js';
import { registerInviteFlow } from './listeners/invite-flow.js';
import { registerEndDates } from './listeners/end-dates.js';
import { registerSettings } from './listeners/settings.js';
import { registerUsersList } from './listeners/users-list.js';
import { registerCallers } from './listeners/callers.js';
import { registerMemberForms } from './listeners/member-forms.js';
import { registerSelfService } from './listeners/self-service.js';
import { registerPermissionsLog } from './listeners/permissions-log.js';
import { registerPermissionsReport } from './listeners/permissions-report.js';
import { webApiTransport } from './web-api-transport.js';

export const EVENTS_PATH = '/slack/events';

export interface SlackApp {
  app: App;
  /** Set when Slack reaches the app over HTTP; absent in Socket Mode. */
  httpReceiver?: HTTPReceiver;
  socketReceiver?: SocketModeReceiver;
}

/**
 * Socket Mode delivers the same payloads as HTTP, so they are checked the same way before Bolt
 * dispatches them; a malformed one is acked with nothing and logged, as there is no status to send.
 */
class CheckedSocketModeReceiver extends SocketModeReceiver {
  constructor(
    options: ConstructorParameters<typeof SocketModeReceiver>[0],
    private readonly gatehouseLogger: Logger,
  ) {
    super(options);
  }

  override init(app: App): void {
    const logger = this.gatehouseLogger;
    // The receiver only ever calls `processEvent`; everything else is the App as it is.
    const checked = Object.create(app, {
      processEvent: {
        value: async (event: ReceiverEvent) => {
          const verdict = checkSocketModeBody(event.body);
          if (verdict.kind === 'dispatch') return app.processEvent(event);
          if (verdict.kind === 'malformed') logger.warn({ reason: verdict.reason }, 'refused a malformed Socket Mode payload');
          await event.ack(verdict.kind === 'answer' ? (verdict.body ?? undefined) : undefined);
        },
      },
    }) as App;
    super.init(checked);
  }
}

/** Every interaction Gatehouse answers, on one router; slash commands have their own listener. */
export function registerListeners(router: ListenerRouter, context: GatehouseContext): void {
  registerAccessRequests(router, context);
  registerInvitations(router, context);
  registerInviteFlow(router, context);
  registerEndDates(router, context);
  registerSettings(router, context);
  registerUsersList(router, context);
  registerBulkActions(router, context);
  registerHomeSections(router, context);
  registerMemberForms(router, context);
  registerCallers(router, context);
  registerSelfService(router, context);
  registerPermissionsLog(router, context);
  registerPermissionsReport(router, context);
}

type SlackSettings = Pick<AppConfig, 'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL'>;

/** The Web API client settings the app's clients share, so a check at start sees what the listeners will. */
export function slackClientOptions(config: Pick<AppConfig, 'SLACK_API_URL'>, logger: Logger): WebClientOptions {
  return { fetch: webApiTransport, logger: boltLoggerFrom(logger), ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}) };
}

/** `bot` comes from the token check at start, so Bolt need not call auth.test itself, unawaited. */
export function createSlackApp(config: SlackSettings, logger: Logger, context: GatehouseContext, bot: BotIdentity): SlackApp {
  const boltLogger = boltLoggerFrom(logger);
  const clientOptions = slackClientOptions(config, logger);
  // The handlers are called only once requests arrive, after the App below exists.
  const failures = failureHandlers(() => app, logger);
  let receiver: Receiver;
  let httpReceiver: HTTPReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  if (config.SLACK_APP_TOKEN) {
    socketReceiver = new CheckedSocketModeReceiver(
      {
        appToken: config.SLACK_APP_TOKEN,
        logger: boltLogger,
        installerOptions: { clientOptions },
        processEventErrorHandler: failures.socketEventFailed,
      },
      logger,
    );
    receiver = socketReceiver;
  } else {
    httpReceiver = new HTTPReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET,
      // The gate in http-server.ts verifies every request, both clock directions, before handing
      // it to this receiver, which is mounted nowhere else; a second HMAC would only cost time.
      signatureVerification: false,
      endpoints: EVENTS_PATH,
      logger: boltLogger,
      processEventErrorHandler: failures.httpRequestFailed,
    });
    receiver = httpReceiver;
  }
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    botId: bot.botId,
    botUserId: bot.botUserId,
    receiver,
    logger: boltLogger,
    logLevel: boltLogLevelOf(logger),
    clientOptions,
    // Gatehouse keeps its state in the database; Bolt's in-memory conversation store would only
    // cost time on every request and differ between replicas.
    convoStore: false,
    // The error handler gets the request's body and context, to log what failed and for whom.
    extendedErrorHandler: true,
  });
  app.error(failures.listenerFailed);
  registerAccessCommand(app, context);
  registerAppHome(app, context);
  const router = new ListenerRouter();
  registerListeners(router, context);
  router.install(app);
  return { app, httpReceiver, socketReceiver };
}
