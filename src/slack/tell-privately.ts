import type { WebClient } from '@slack/web-api';

/**
 * Tells someone something only they see, next to what they pressed. App Home has no
 * conversation to answer in, so there (or where the app is not a member) it is a DM instead.
 */
export async function tellPrivately(client: WebClient, userId: string, channelId: string | null | undefined, text: string): Promise<void> {
  if (channelId) {
    try {
      await client.chat.postEphemeral({ channel: channelId, user: userId, text });
      return;
    } catch {
      // Fall through to the DM, which always reaches the person.
    }
  }
  await client.chat.postMessage({ channel: userId, text });
}
