import type { ListenerRouter } from '../listener-router.js';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { cleanPresentedCode } from '../../domain/invitation-tokens.js';
import { acceptInvitation, type AcceptResult } from '../../services/invitations/accept-invitation.js';
import { permissionChangeInfo } from '../../services/invitations/stored-invitation.js';
import type { SlackProfile } from '../../services/members.js';
import { permissionCatalog, permissionsFor } from '../../services/read-models.js';
import type { GatehouseContext } from '../context.js';
import { ACTION } from '../views/ids.js';
import { acceptedMessage, acceptUsageText, confirmAcceptMessage } from '../views/invitation-replies.js';
import { parseAcceptButtonValue } from '../views/invitation-messages.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { tellPrivately } from '../tell-privately.js';

/** Invitation codes are base64url; anything else cannot be one, whatever was pasted around it. */
const invitationCode = z
  .string()
  .transform(cleanPresentedCode)
  .pipe(z.string().regex(/^[A-Za-z0-9_-]{20,100}$/));

/** The Slack profile Gatehouse needs from an invitee: their id, team, name and the email that binds the Accept button. */
async function slackProfileOf(client: WebClient, userId: string, teamId: string | undefined): Promise<SlackProfile> {
  // Without a profile there is no address to bind to: the service refuses and says why.
  const answer = await client.users.info({ user: userId }).catch(() => null);
  if (!answer) return { slackUserId: userId, slackTeamId: teamId ?? null, email: null };
  const profile = answer.user?.profile;
  return {
    slackUserId: userId,
    slackTeamId: teamId ?? answer.user?.team_id ?? null,
    displayName: profile?.display_name || profile?.real_name || answer.user?.real_name || null,
    email: profile?.email ?? null,
  };
}

type Message = { text: string; blocks?: ReturnType<typeof acceptedMessage>['blocks'] };

export type AcceptReply =
  { ok: true; message: ReturnType<typeof acceptedMessage> } | { ok: false; text: string } | { ok: false; message: Message };

/** A refusal as the person is told it: a sentence, or what they would lose and a button to go ahead. */
function refusalOf(result: Extract<AcceptResult, { ok: false }>, code: string): Message {
  if (result.refusal !== 'confirm') return { text: escapeMrkdwn(result.message) };
  const change = permissionChangeInfo(result.change, permissionCatalog());
  return confirmAcceptMessage({ invitationId: result.invitationId, code, organization: result.organization, change });
}

/** `/access accept CODE`: bound to the invitee's Slack account by its email, as the Accept button is. */
export async function acceptFromCommand(
  client: WebClient,
  context: GatehouseContext,
  input: { userId: string; teamId: string; args: string[] },
): Promise<AcceptReply> {
  const code = invitationCode.safeParse(input.args.join(''));
  if (input.args.length === 0) return { ok: false, text: acceptUsageText() };
  if (!code.success)
    return { ok: false, text: "That doesn't look like an invitation code. Copy the whole code from your invitation and try again." };
  const acceptor = await slackProfileOf(client, input.userId, input.teamId);
  const result = await acceptInvitation(context.prisma, { code: code.data, acceptor, fromButton: null }, context.now());
  if (!result.ok)
    return result.refusal === 'confirm'
      ? { ok: false, message: refusalOf(result, code.data) }
      : { ok: false, text: escapeMrkdwn(result.message) };
  context.wakeOutbox();
  return {
    ok: true,
    message: acceptedMessage({ organization: result.organization, permissions: permissionsFor(result.permissions, permissionCatalog()) }),
  };
}

export function registerInvitations(router: ListenerRouter, context: GatehouseContext): void {
  // The Accept button in an invitation DM: bound to the invitee's Slack account by its email.
  router.action(ACTION.acceptInvitation, async ({ body, action, ack, client }) => {
    await ack();
    const channelId = body.channel?.id ?? body.container?.channel_id ?? null;
    const value = parseAcceptButtonValue('value' in action && typeof action.value === 'string' ? action.value : '');
    if (!value)
      throw new DomainError('unreadable', "Gatehouse couldn't read that invitation. Type `/access accept` with the code from it instead.");
    const acceptor = await slackProfileOf(client, body.user.id, body.user.team_id);
    const result = await acceptInvitation(
      context.prisma,
      { code: value.code, acceptor, fromButton: { invitationId: value.invitationId }, confirmedLosses: value.confirmedLosses },
      context.now(),
    );
    if (!result.ok) {
      const refusal = refusalOf(result, value.code);
      if (refusal.blocks) await client.chat.postMessage({ channel: body.user.id, text: refusal.text, blocks: refusal.blocks });
      else await tellPrivately(client, body.user.id, channelId, refusal.text);
      return;
    }
    context.wakeOutbox();
    const accepted = acceptedMessage({
      organization: result.organization,
      permissions: permissionsFor(result.permissions, permissionCatalog()),
    });
    const messageTs = body.message?.ts ?? body.container?.message_ts;
    // An ephemeral message (the confirmation `/access accept` showed) cannot be updated; a DM says it instead.
    const ephemeral = body.container?.is_ephemeral === true;
    if (channelId && messageTs && !ephemeral) await client.chat.update({ channel: channelId, ts: messageTs, ...accepted });
    else await client.chat.postMessage({ channel: body.user.id, ...accepted });
  });
}
