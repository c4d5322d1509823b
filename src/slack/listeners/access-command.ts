import type { App } from '@slack/bolt';
import { z } from 'zod';
import { invitableOrganizations } from '../../services/invitations/invitable-organizations.js';
import { myAccess } from '../../services/read-models.js';
import { MAX_COMMAND_TEXT, parseSubcommand, SLASH_COMMAND, SUBCOMMANDS } from '../commands.js';
import type { GatehouseContext } from '../context.js';
import { timeListener } from '../listener-router.js';
import { helpReply, unknownSubcommandReply } from '../views/help.js';
import { myAccessMessage } from '../views/my-access.js';
import { openRequestForm, refreshProfileLater } from './access-requests.js';
import { acceptFromCommand } from './invitations.js';
import { invitationList, openInviteForm } from './invite-flow.js';

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

export function registerAccessCommand(app: App, context: GatehouseContext): void {
  const help = helpReply(SUBCOMMANDS);
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
        await ack({ response_type: 'ephemeral', text: `That is too long for a Gatehouse command: ${MAX_COMMAND_TEXT} characters at most.` });
        return;
      }
      const { user_id: userId, team_id: teamId, trigger_id: triggerId } = parsed.data;
      const tellByResponseUrl = (text: string) => respond({ response_type: 'ephemeral', text });
      const { name, args } = subcommand;
      switch (name) {
        case 'help':
          await ack(help);
          return;
        case 'request':
          // The trigger is good for three seconds, so the form opens right after the ack.
          await ack();
          await openRequestForm(client, context, userId, triggerId, tellByResponseUrl);
          refreshProfileLater(client, context, userId, teamId);
          return;
        case 'accept': {
          const reply = await acceptFromCommand(client, context, { userId, teamId, args });
          await ack({ response_type: 'ephemeral', ...('message' in reply ? reply.message : { text: reply.text }) });
          return;
        }
        case 'invite': {
          const organizations = await invitableOrganizations(context.prisma, userId, context.now());
          if (organizations.length === 0) {
            await ack({ response_type: 'ephemeral', text: 'Only administrators of an organization can invite people to it.' });
            return;
          }
          // The trigger is good for three seconds, so the form opens right after the ack.
          await ack();
          await openInviteForm(client, organizations, triggerId, { logger: context.logger, tell: tellByResponseUrl });
          return;
        }
        case 'invitations':
          await ack(await invitationList(context, userId));
          return;
        case 'me':
          await ack(myAccessMessage(await myAccess(context.sql, userId, context.now())));
          return;
        default:
          await ack(unknownSubcommandReply(name, SUBCOMMANDS));
      }
    } finally {
      observation?.finished();
    }
  });
}
