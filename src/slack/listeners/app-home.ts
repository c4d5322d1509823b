import type { App } from '@slack/bolt';
import { z } from 'zod';
import { myAccess } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import { myAccessHome } from '../views/my-access.js';

const appHomeOpened = z.object({
  user: z.string().min(1),
  tab: z.string(),
});

export function registerAppHome(app: App, context: GatehouseContext): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    const parsed = appHomeOpened.safeParse(event);
    if (!parsed.success || parsed.data.tab !== 'home') return;
    try {
      const model = await myAccess(context.sql, parsed.data.user, context.now());
      await client.views.publish({ user_id: parsed.data.user, view: myAccessHome(model) });
    } catch (error) {
      // The tab stays as it was; opening it again tries again.
      logger.warn('could not publish the App Home tab', error);
    }
  });
}
