import type { App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { invitableOrganizations } from '../../services/invitations/invitable-organizations.js';
import { myAccess } from '../../services/read-models.js';
import { MAX_COMMAND_TEXT, parseSubcommand, SLASH_COMMAND, SUBCOMMANDS } from '../commands.js';
import type { GatehouseContext } from '../context.js';
import { timeListener } from '../listener-router.js';
import { answeringRefusals, trackAck } from '../refusals.js';
import { helpReply, unknownSubcommandReply } from '../views/help.js';
import { myAccessMessage } from '../views/my-access.js';
import { openRequestForm, refreshProfileLater } from './access-requests.js';
import { openCallersList } from './callers.js';
import { acceptFromCommand } from './invitations.js';
import { openInviteForm } from './invite-commands.js';
import { openSettings } from './settings.js';
import { openPermissionsLog } from './permissions-log.js';
import { openUsersList } from './users-list.js';
import { openContactForm, openLeaveForm } from './self-service.js';
import { openPermissionsReport } from './permissions-report.js';

/** The fields of a slash command payload that Gatehouse relies on. */
export const slashCommandPayload = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
  trigger_id: z.string().min(1),
  response_url: z.url(),
});

/** Metric labels name only the subcommands Gatehouse knows, never what the user typed. */
const LISTENER_BY_SUBCOMMAND = new Map(SUBCOMMANDS.map(({ name }) => [name, `command:${SLASH_COMMAND} ${name}`]));
const OTHER_LISTENER = `command:${SLASH_COMMAND} other`;

/** What a subcommand's handler gets: the command as Gatehouse read it, and Bolt's ways to answer. */
export interface SubcommandRequest {
  userId: string;
  teamId: string;
  triggerId: string;
  args: string[];
  ack: SlackCommandMiddlewareArgs['ack'];
  client: WebClient;
  /** Tells the user through the command's response_url, once the command is acknowledged. */
  tellByResponseUrl: (text: string) => Promise<unknown>;
}

type SubcommandHandler = (request: SubcommandRequest) => Promise<void>;

/** One handler per subcommand of `/access`, by the name `/access help` lists it under. */
export function subcommandHandlers(context: GatehouseContext): Record<string, SubcommandHandler> {
  const help = helpReply(SUBCOMMANDS);
  return {
    async help({ ack }) {
      await ack(help);
    },
    async request({ ack, client, userId, teamId, triggerId, tellByResponseUrl }) {
      // The trigger is good for three seconds, so the form opens right after the ack.
      await ack();
      await openRequestForm(client, context, userId, triggerId, tellByResponseUrl);
      refreshProfileLater(client, context, userId, teamId);
    },
    async accept({ ack, client, userId, teamId, args }) {
      const reply = await acceptFromCommand(client, context, { userId, teamId, args });
      await ack({ response_type: 'ephemeral', ...('message' in reply ? reply.message : { text: reply.text }) });
    },
    async invite({ ack, client, userId, triggerId, tellByResponseUrl }) {
      const organizations = await invitableOrganizations(context.prisma, userId, context.now());
      if (organizations.length === 0) {
        await ack({ response_type: 'ephemeral', text: 'Only administrators of an organization can invite people to it.' });
        return;
      }
      // The trigger is good for three seconds, so the form opens right after the ack.
      await ack();
      await openInviteForm(client, organizations, triggerId, { logger: context.logger, tell: tellByResponseUrl });
    },
    async users({ ack, client, userId, triggerId, args, tellByResponseUrl }) {
      // The trigger is good for three seconds, so the list opens right after the ack.
      await ack();
      await openUsersList(client, context, { userId, triggerId, search: args.join(' '), status: null, tell: tellByResponseUrl });
    },
    /** A shortcut: the members list with the Pending filter on, where every invitation can be found. */
    async invitations({ ack, client, userId, triggerId, tellByResponseUrl }) {
      await ack();
      await openUsersList(client, context, { userId, triggerId, search: null, status: 'pending', tell: tellByResponseUrl });
    },
    async callers(request) {
      await openCallersList(context, { ...request, ack: () => request.ack() });
    },
    async settings({ ack, client, userId, triggerId, tellByResponseUrl }) {
      // The trigger is good for three seconds, so the form opens right after the ack.
      await ack();
      await openSettings(context, client, { userId, triggerId, tell: tellByResponseUrl });
    },
    async log(request) {
      await openPermissionsLog(context, { ...request, text: request.args.join(' '), ack: () => request.ack() });
    },
    async report({ ack, client, userId, triggerId, tellByResponseUrl }) {
      // The trigger is good for three seconds, so the report opens right after the ack.
      await ack();
      await openPermissionsReport(client, context, { userId, triggerId, tell: tellByResponseUrl });
    },
    async me({ ack, userId }) {
      await ack(myAccessMessage(await myAccess(context.sql, userId, context.now())));
    },
    async leave(request) {
      await openLeaveForm(context, request);
    },
    async contact(request) {
      await openContactForm(context, request);
    },
  };
}

/** The handler for a subcommand, or undefined for a name Gatehouse does not know. */
export function subcommandHandler(handlers: Record<string, SubcommandHandler>, name: string): SubcommandHandler | undefined {
  return Object.hasOwn(handlers, name) ? handlers[name] : undefined;
}

export function registerAccessCommand(app: App, context: GatehouseContext): void {
  const handlers = subcommandHandlers(context);
  app.command(SLASH_COMMAND, async (listenerArgs) => {
    const parsed = slashCommandPayload.safeParse(listenerArgs.command);
    const subcommand = parsed.success ? parseSubcommand(parsed.data.text) : undefined;
    const observation = timeListener(listenerArgs, (subcommand && LISTENER_BY_SUBCOMMAND.get(subcommand.name)) ?? OTHER_LISTENER);
    // Read after timeListener, which puts the timed ack in its place.
    const { ack, client, respond } = listenerArgs;
    try {
      if (!parsed.success) {
        await ack({ response_type: 'ephemeral', text: 'Slack sent an incomplete command. Please try again.' });
        return;
      }
      if (!subcommand) {
        await ack({
          response_type: 'ephemeral',
          text: `That is too long for a Gatehouse command: ${MAX_COMMAND_TEXT} characters at most.`,
        });
        return;
      }
      const handler = subcommandHandler(handlers, subcommand.name);
      if (!handler) {
        await ack(unknownSubcommandReply(subcommand.name, SUBCOMMANDS));
        return;
      }
      const { user_id: userId, team_id: teamId, trigger_id: triggerId } = parsed.data;
      const tellByResponseUrl = (text: string) => respond({ response_type: 'ephemeral', text });
      const tracked = trackAck(ack);
      await answeringRefusals(
        () => handler({ userId, teamId, triggerId, args: subcommand.args, ack: tracked.ack, client, tellByResponseUrl }),
        // Unanswered, the refusal is the command's own reply; once answered, it follows through the response_url.
        () => ({
          acked: tracked.acked(),
          reply: (text) => ack({ response_type: 'ephemeral', text }),
          ackEmpty: () => ack(),
          tell: tellByResponseUrl,
        }),
      );
    } finally {
      observation?.finished();
    }
  });
}
