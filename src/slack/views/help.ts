import type { KnownBlock } from '@slack/types';
import type { SubcommandHelp } from '../commands.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

export interface EphemeralReply {
  response_type: 'ephemeral';
  text: string;
  blocks: KnownBlock[];
}

function commandList(commands: SubcommandHelp[]): KnownBlock {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: commands.map((command) => `\`${command.usage}\`  ${escapeMrkdwn(command.summary)}`).join('\n'),
    },
  };
}

export function helpReply(commands: SubcommandHelp[]): EphemeralReply {
  return {
    response_type: 'ephemeral',
    text: `Gatehouse commands: ${commands.map((command) => command.usage).join(', ')}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Gatehouse: access to your organizations' } },
      commandList(commands),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Only you can see this reply.' }],
      },
    ],
  };
}

export function unknownSubcommandReply(name: string, commands: SubcommandHelp[]): EphemeralReply {
  // The unknown word is the user's own text, so it is shown as plain text and never parsed as mrkdwn.
  const shown = truncate(name, 60);
  return {
    response_type: 'ephemeral',
    text: `"${escapeMrkdwn(shown)}" is not a Gatehouse command. Try: ${commands.map((command) => command.usage).join(', ')}`,
    blocks: [
      {
        type: 'section',
        text: { type: 'plain_text', text: `"${shown}" is not a Gatehouse command.`, emoji: false },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'These are the commands you can use:' }] },
      commandList(commands),
    ],
  };
}
