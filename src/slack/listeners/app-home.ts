import type { App } from '@slack/bolt';
import { z } from 'zod';
import { SUBCOMMANDS } from '../commands.js';
import { welcomeHome } from '../views/home.js';

const appHomeOpened = z.object({
  user: z.string().min(1),
  tab: z.string(),
});

export function registerAppHome(app: App): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    const parsed = appHomeOpened.safeParse(event);
    if (!parsed.success || parsed.data.tab !== 'home') return;
    try {
      await client.views.publish({ user_id: parsed.data.user, view: welcomeHome(SUBCOMMANDS) });
    } catch (error) {
      // The tab stays as it was; opening it again tries again.
      logger.warn('could not publish the App Home tab', error);
    }
  });
}
