import type { HomeView } from '@slack/types';
import type { SubcommandHelp } from '../commands.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** The App Home tab for someone Gatehouse has nothing to show yet. */
export function welcomeHome(commands: SubcommandHelp[]): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Welcome to Gatehouse' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Gatehouse looks after who can do what in your organizations. Everything starts with the `/access` command:',
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: commands.map((command) => `• \`${command.usage}\`  ${escapeMrkdwn(command.summary)}`).join('\n'),
        },
      },
    ],
  };
}
