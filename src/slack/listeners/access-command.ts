import type { App } from '@slack/bolt';
import { z } from 'zod';
import { parseSubcommand, SLASH_COMMAND, SUBCOMMANDS } from '../commands.js';
import { helpReply, unknownSubcommandReply } from '../views/help.js';

/** The fields of a slash command payload that Gatehouse relies on. */
export const slashCommandPayload = z.object({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
  trigger_id: z.string().min(1),
  response_url: z.url(),
});

export function registerAccessCommand(app: App): void {
  const help = helpReply(SUBCOMMANDS);
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    const parsed = slashCommandPayload.safeParse(command);
    if (!parsed.success) {
      await ack({ response_type: 'ephemeral', text: 'Slack sent an incomplete command. Please try again.' });
      return;
    }
    const { name } = parseSubcommand(parsed.data.text);
    switch (name) {
      case 'help':
        await ack(help);
        return;
      default:
        await ack(unknownSubcommandReply(name, SUBCOMMANDS));
    }
  });
}
