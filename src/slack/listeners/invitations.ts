import type { ListenerRouter } from '../listener-router.js';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { acceptInvitation } from '../../services/invitations.js';
import type { SlackProfile } from '../../services/members.js';
import { permissionCatalog, permissionsFor } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import { ACTION } from '../views/ids.js';
import { acceptedMessage, acceptUsageText } from '../views/invitation-replies.js';
import { parseAcceptButtonValue } from '../views/invitation-messages.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { refreshProfileLater, tellPrivately } from './access-requests.js';

/** Invitation codes are base64url; anything else cannot be one, whatever was pasted around it. */
const invitationCode = z
  .string()
  .trim()
  .transform((code) => code.replace(/^[`'"<]+|[`'">.,;]+$/g, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_-]{20,100}$/));

/** The Slack profile Gatehouse needs from an invitee: their id, team, name and the email that binds the Accept button. */
async function slackProfileOf(client: WebClient, userId: string, teamId: string | undefined): Promise<SlackProfile> {
  const answer = await client.users.info({ user: userId });
  const profile = answer.user?.profile;
  return {
    slackUserId: userId,
    slackTeamId: teamId ?? answer.user?.team_id ?? null,
    displayName: profile?.display_name || profile?.real_name || answer.user?.real_name || null,
    email: profile?.email ?? null,
  };
}

export type AcceptReply = { ok: true; message: ReturnType<typeof acceptedMessage> } | { ok: false; text: string };

/** `/access accept CODE`: the code itself is the proof, so no account binding applies. */
export async function acceptFromCommand(
  client: WebClient,
  context: GatehouseContext,
  input: { userId: string; teamId: string; args: string[] },
): Promise<AcceptReply> {
  const code = invitationCode.safeParse(input.args.join(''));
  if (input.args.length === 0) return { ok: false, text: acceptUsageText() };
  if (!code.success) return { ok: false, text: "That doesn't look like an invitation code. Copy the whole code from your invitation and try again." };
  const result = await acceptInvitation(context.prisma, { code: code.data, acceptor: { slackUserId: input.userId, slackTeamId: input.teamId }, fromButton: null }, context.now());
  if (!result.ok) return { ok: false, text: escapeMrkdwn(result.message) };
  context.wakeOutbox();
  refreshProfileLater(client, context, input.userId, input.teamId);
  return { ok: true, message: acceptedMessage({ organization: result.organization, permissions: permissionsFor(result.permissions, permissionCatalog()) }) };
}

export function registerInvitations(router: ListenerRouter, context: GatehouseContext): void {
  // The Accept button in an invitation DM: bound to the invitee's Slack account by its email.
  router.action(ACTION.acceptInvitation, async ({ body, action, ack, client }) => {
    await ack();
    const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
    const value = parseAcceptButtonValue('value' in action && typeof action.value === 'string' ? action.value : '');
    if (!value) {
      await tellPrivately(client, body.user.id, channelId, "Gatehouse couldn't read that invitation. Type `/access accept` with the code from it instead.");
      return;
    }
    try {
      const acceptor = await slackProfileOf(client, body.user.id, body.user.team_id);
      const result = await acceptInvitation(context.prisma, { code: value.code, acceptor, fromButton: { invitationId: value.invitationId } }, context.now());
      if (!result.ok) {
        await tellPrivately(client, body.user.id, channelId, escapeMrkdwn(result.message));
        return;
      }
      context.wakeOutbox();
      const accepted = acceptedMessage({ organization: result.organization, permissions: permissionsFor(result.permissions, permissionCatalog()) });
      const messageTs = body.message?.ts ?? body.container?.message_ts;
      if (channelId && messageTs) await client.chat.update({ channel: channelId, ts: messageTs, ...accepted });
      else await client.chat.postMessage({ channel: body.user.id, ...accepted });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await tellPrivately(client, body.user.id, channelId, escapeMrkdwn(error.message));
    }
  });
}
