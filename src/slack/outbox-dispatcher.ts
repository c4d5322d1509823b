import { hostname } from 'node:os';
import type { KnownBlock } from '@slack/types';
import { WebClient, type WebAPICallResult } from '@slack/web-api';
import type { Db } from '../db/client.js';
import type { OutboxItem, RequestRouting } from '../domain/outbox-messages.js';
import type { Logger } from '../logger.js';
import {
  claimDeliverable,
  markAttemptFailed,
  markDelivered,
  recordRequestMessage,
  releaseClaims,
  requestMessagesOf,
  type ClaimedMessage,
} from '../services/outbox.js';
import {
  auditLine,
  myAccess,
  organizationChoices,
  permissionsChangedNotice,
  requestCard,
  requestOutcome,
} from '../services/read-models.js';
import { hashInvitationToken, openInvitationCode } from '../domain/invitation-tokens.js';
import type { InvitationMessageModel } from '../domain/read-models.js';
import { MailDeliveryError, type Mailer } from '../mail/mailer.js';
import { invitationToDeliver } from '../services/invitations.js';
import { SLASH_COMMAND } from './commands.js';
import { invitationCodesMessage, invitationDirectMessage, invitationEmail } from './views/invitation-messages.js';
import { administratorsRunningOut, connectionNotice, connectionNotices, expiryDigest, organizationOf } from '../services/lifecycle.js';
import {
  connectionEndedMessage,
  connectionsEndedSummary,
  expiryDigestMessage,
  expiryWarningMessage,
  invitationsExpiredMessage,
  lastAdministratorsWarningMessage,
  requestExpiredMessage,
  requestReminderMessage,
} from './views/time-limit-notices.js';
import { myAccessHome } from './views/my-access.js';
import { auditLineMessage, permissionsChangedMessage, requestOutcomeMessage } from './views/notices.js';
import { requestCardMessage, requesterReceiptMessage } from './views/request-card.js';
import { webApiTransport } from './web-api-transport.js';
import type { SqlDatabase } from '../db/sql.js';

interface Message {
  text: string;
  blocks: KnownBlock[];
}

/** Recorded as the "channel" of an invitation that went out by email. */
const EMAILED = 'email';

/** What a delivered message keeps: invitation codes do not outlive their delivery. */
function scrubbed(item: OutboxItem): OutboxItem | undefined {
  return item.kind === 'invitation.deliver' ? { ...item, sealedCode: '' } : undefined;
}

/** Platform errors that waiting may cure; every other `ok: false` answer is final. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);
const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60 * 1000;

type Failure = { retryAfterMs: number | null; error: string; pauseAllMs?: number };

/** How long to wait after a failed Web API call, or null when retrying cannot help. */
export function classifyFailure(error: unknown, attempts: number): Failure {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempts);
  if (code === 'slack_webapi_rate_limited_error') {
    const retryAfterMs = Math.max(1, Number((error as { retryAfter?: number }).retryAfter ?? 1)) * 1000;
    // Slack's limits apply to the whole workspace, so every delivery waits, not just this one.
    return { retryAfterMs, error: message, pauseAllMs: retryAfterMs };
  }
  if (code === 'slack_webapi_http_error' || code === 'slack_webapi_request_error') return { retryAfterMs: backoff, error: message };
  if (code === 'slack_webapi_platform_error') {
    const platformError = (error as { data?: { error?: string } }).data?.error ?? '';
    return { retryAfterMs: TRANSIENT_PLATFORM_ERRORS.has(platformError) ? backoff : null, error: message };
  }
  return { retryAfterMs: backoff, error: message };
}

/** Messages that redraw current state, keyed so duplicates in one batch are drawn once. */
function redrawKey(item: OutboxItem): string | null {
  if (item.kind === 'home.refresh') return `home:${item.userId}`;
  if (item.kind === 'request.refresh') return `request:${item.requestId}`;
  return null;
}

/** A message the dispatcher chose not to send, because what it was about is gone. */
class NothingToSend extends Error {}

/** An invitation nobody can deliver to its invitee: the code goes to the admin who sent it. */
interface CodeHandover {
  message: ClaimedMessage;
  inviterSlackUserId: string;
  model: InvitationMessageModel;
}

class HandOverToInviter extends Error {
  constructor(readonly handover: CodeHandover) {
    super('invitee unreachable');
  }
}

/** How invitations are delivered: the key that opens their codes, and email when it is set up. */
export interface InvitationDelivery {
  sealingKey: Buffer;
  mailer: Mailer | null;
}

function isSlackPlatformError(error: unknown, code: string): boolean {
  return (error as { data?: { error?: string } }).data?.error === code;
}

export interface DispatcherOptions {
  prisma: Db;
  /** The same database for the outbox's own bookkeeping, which runs for every message. */
  sql: SqlDatabase;
  token: string;
  slackApiUrl?: string;
  logger: Logger;
  now?: () => Date;
  /** How often to look for due messages when nobody wakes the dispatcher. */
  pollMs?: number;
  batchSize?: number;
  invitations: InvitationDelivery;
}

/**
 * Delivers the outbox to Slack. Each message is claimed before it is sent, so replicas never send
 * the same row; failures are retried with backoff, and a 429 pauses all deliveries for as long as
 * Slack's Retry-After says. A message is drawn from the database at delivery time, so a card
 * delivered late shows the request as it is now.
 */
export class OutboxDispatcher {
  private readonly client: WebClient;
  private readonly now: () => Date;
  private readonly runner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  private pausedUntil = 0;
  private stopped = true;

  constructor(private readonly options: DispatcherOptions) {
    this.client = new WebClient(options.token, {
      slackApiUrl: options.slackApiUrl,
      fetch: webApiTransport,
      // The dispatcher owns retries: it records each attempt and honours Retry-After itself.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Deliver soon: something was just committed. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    const pause = Math.max(0, this.pausedUntil - Date.now());
    this.timer = setTimeout(() => void this.runLoop(), Math.max(delayMs, pause));
    this.timer.unref();
  }

  private async runLoop(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        let delivered: number;
        do {
          this.wakeRequested = false;
          delivered = await this.deliverBatch();
        } while (!this.stopped && (delivered > 0 || this.wakeRequested) && Date.now() >= this.pausedUntil);
      } catch (error) {
        this.options.logger.error({ err: error }, 'outbox delivery failed');
      }
    })();
    await this.running;
    this.running = undefined;
    if (!this.stopped) this.schedule(this.wakeRequested ? 0 : this.options.pollMs ?? 1000);
  }

  /** Delivers what is due now; returns how many messages were handled. */
  async deliverBatch(): Promise<number> {
    if (Date.now() < this.pausedUntil) return 0;
    const claimed = await claimDeliverable(this.options.sql, {
      runner: this.runner,
      limit: this.options.batchSize ?? 25,
      now: this.now(),
      leaseMs: 60_000,
    });
    const redrawn = new Map<string, ClaimedMessage>();
    const handovers: CodeHandover[] = [];
    for (const [index, message] of claimed.entries()) {
      if (Date.now() < this.pausedUntil) {
        // Give the rest back; they are picked up once the pause is over.
        await this.releaseAll(claimed.slice(index));
        break;
      }
      // Redrawing the same thing twice in one batch shows nothing new: the later rows ride along.
      const redraw = redrawKey(message.item);
      const earlier = redraw ? redrawn.get(redraw) : undefined;
      if (earlier) {
        await markDelivered(this.options.sql, message.id, {}, this.now());
        continue;
      }
      if (redraw) redrawn.set(redraw, message);
      await this.deliverOne(message, handovers);
      // Slack's requests come first: their acks have three seconds, deliveries have no deadline.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.handOverCodes(handovers);
    return claimed.length;
  }

  /**
   * Sends each admin the codes of the invitees this batch could not reach, in as few messages as
   * Slack allows, rather than one message per invitee.
   */
  private async handOverCodes(handovers: CodeHandover[]): Promise<void> {
    const groups = new Map<string, CodeHandover[]>();
    for (const handover of handovers) {
      const key = `${handover.inviterSlackUserId}:${handover.model.organization.id}`;
      groups.set(key, [...(groups.get(key) ?? []), handover]);
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      try {
        const messages = invitationCodesMessage({
          organization: first.model.organization,
          emailConfigured: this.options.invitations.mailer !== null,
          invitations: group.map(({ model }) => ({ invitationId: model.invitationId, email: model.inviteeEmail, code: model.code, expiresAt: model.expiresAt })),
        });
        for (const content of messages) await this.client.chat.postMessage({ channel: first.inviterSlackUserId, ...content });
        for (const { message } of group) await markDelivered(this.options.sql, message.id, { channel: first.inviterSlackUserId }, this.now(), scrubbed(message.item));
      } catch (error) {
        for (const { message } of group) await this.recordFailure(message, error);
      }
    }
  }

  private async releaseAll(messages: ClaimedMessage[]): Promise<void> {
    await releaseClaims(this.options.sql, messages, new Date(this.pausedUntil));
  }

  private async deliverOne(message: ClaimedMessage, handovers: CodeHandover[]): Promise<void> {
    const { sql } = this.options;
    try {
      const result = await this.send(message);
      await markDelivered(sql, message.id, result, this.now(), scrubbed(message.item));
    } catch (error) {
      if (error instanceof NothingToSend) {
        await markDelivered(sql, message.id, {}, this.now(), scrubbed(message.item));
        return;
      }
      if (error instanceof HandOverToInviter) {
        handovers.push(error.handover);
        return;
      }
      await this.recordFailure(message, error);
    }
  }

  private async recordFailure(message: ClaimedMessage, error: unknown): Promise<void> {
    const failure = classifyFailure(error, message.attempts);
    if (failure.pauseAllMs) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + failure.pauseAllMs);
    const retryAt = failure.retryAfterMs === null ? null : new Date(this.now().getTime() + failure.retryAfterMs);
    const state = await markAttemptFailed(this.options.sql, message.id, { error: failure.error, retryAt });
    this.options.logger.warn(
      { outboxId: message.id, kind: message.item.kind, attempts: message.attempts + 1, state, error: failure.error },
      'outbox delivery failed',
    );
  }

  /**
   * Delivers an invitation: by DM with an Accept button when the address belongs to someone in
   * the workspace, else by email, else by handing the code to the inviting admin.
   */
  private async deliverInvitation(message: ClaimedMessage, item: Extract<OutboxItem, { kind: 'invitation.deliver' }>) {
    const { prisma, invitations } = this.options;
    const code = openInvitationCode(item.sealedCode, invitations.sealingKey);
    const invitation = code ? await invitationToDeliver(prisma, item.invitationId, this.now()) : null;
    // A resend issues a new code and queues it; this older one no longer opens the invitation.
    if (!code || !invitation || hashInvitationToken(code) !== invitation.tokenHash) throw new NothingToSend();
    const model: InvitationMessageModel = { ...invitation.message, code };
    if (message.resultChannel === EMAILED) return { channel: EMAILED, ts: message.resultTs };
    let inviteeUserId: string | null = null;
    try {
      const found = (await this.client.users.lookupByEmail({ email: invitation.inviteeEmail })) as WebAPICallResult & { user?: { id?: string } };
      inviteeUserId = found.user?.id ?? null;
    } catch (error) {
      if (!isSlackPlatformError(error, 'users_not_found')) throw error;
    }
    if (inviteeUserId) return this.post(message, inviteeUserId, invitationDirectMessage(model));
    if (invitations.mailer) {
      try {
        const sent = await invitations.mailer.send({ to: invitation.inviteeEmail, ...invitationEmail(model, { slashCommand: SLASH_COMMAND }) });
        return { channel: EMAILED, ts: sent.messageId };
      } catch (error) {
        // A mailbox that does not exist will not start to; its admin gets the code instead.
        if (!(error instanceof MailDeliveryError) || error.retryable) throw error;
      }
    }
    throw new HandOverToInviter({ message, inviterSlackUserId: invitation.message.invitedBy.slackUserId, model });
  }

  private async send(message: ClaimedMessage): Promise<{ channel?: string | null; ts?: string | null }> {
    const { prisma, sql } = this.options;
    const item: OutboxItem = message.item;
    switch (item.kind) {
      case 'request.card': {
        const card = await requestCard(sql, item.requestId);
        if (!card) throw new NothingToSend();
        const options = item.audience === 'triage' ? await organizationChoices(prisma) : null;
        return this.postAboutRequest(message, item.channel, item.requestId, item.audience, card.status, () =>
          requestCardMessage(card, item.audience, options),
        );
      }
      case 'request.receipt': {
        const card = await requestCard(sql, item.requestId);
        if (!card) throw new NothingToSend();
        return this.postAboutRequest(message, item.userId, item.requestId, `requester:${item.routing}`, card.status, () =>
          requesterReceiptMessage(card, item.routing),
        );
      }
      case 'request.refresh':
        await this.redrawRequestMessages(item.requestId);
        return {};
      case 'request.outcome': {
        const outcome = await requestOutcome(sql, item.requestId);
        if (!outcome) throw new NothingToSend();
        return this.post(message, item.userId, requestOutcomeMessage(outcome));
      }
      case 'permissions.changed': {
        const notice = await permissionsChangedNotice(prisma, item.logEntryId);
        if (!notice) throw new NothingToSend();
        return this.post(message, item.userId, permissionsChangedMessage(notice));
      }
      case 'audit.line': {
        const line = await auditLine(prisma, item.logEntryId);
        if (!line) throw new NothingToSend();
        return this.post(message, item.channel, auditLineMessage(line));
      }
      case 'home.refresh': {
        const model = await myAccess(sql, item.userId, this.now());
        await this.client.views.publish({ user_id: item.userId, view: myAccessHome(model) });
        return {};
      }
      case 'invitation.deliver':
        return this.deliverInvitation(message, item);
      case 'connection.warning': {
        const notice = await connectionNotice(prisma, item.connectionId);
        // Extending or removing the end date since this was queued makes the warning wrong, so it is dropped.
        if (!notice || notice.status !== 'ACTIVE' || notice.endsAt?.toISOString() !== item.endsAt) throw new NothingToSend();
        return this.post(message, item.userId, expiryWarningMessage(notice, item.leadDays));
      }
      case 'connection.ended': {
        const notice = await connectionNotice(prisma, item.connectionId);
        if (!notice) throw new NothingToSend();
        return this.post(message, item.userId, connectionEndedMessage(notice, item.event));
      }
      case 'connections.ended.summary': {
        const organization = await organizationOf(prisma, item.organizationId);
        const notices = await connectionNotices(prisma, item.connectionIds);
        if (!organization || notices.length === 0) throw new NothingToSend();
        return this.post(message, item.channel, connectionsEndedSummary(organization, item.event, notices));
      }
      case 'expiry.digest': {
        const digest = await expiryDigest(prisma, item.organizationId, new Date(item.until), this.now());
        if (!digest || digest.endingSoon.length + digest.restorable.length === 0) throw new NothingToSend();
        return this.post(message, item.userId, expiryDigestMessage(digest));
      }
      case 'administrators.ending': {
        const notice = await administratorsRunningOut(prisma, item.organizationId, this.now());
        // An end date moved or an Administrator added since this was queued makes the warning wrong.
        if (!notice || notice.runsOutAt.toISOString() !== item.runsOutAt) throw new NothingToSend();
        const reader = notice.administrators.some((admin) => admin.slackUserId === item.userId) ? 'administrator' : 'operator';
        return this.post(message, item.userId, lastAdministratorsWarningMessage(notice, item.leadDays, reader));
      }
      case 'request.reminder': {
        const card = await requestCard(sql, item.requestId);
        if (!card || card.status !== 'PENDING') throw new NothingToSend();
        return this.post(message, item.userId, requestReminderMessage(card));
      }
      case 'request.expired': {
        const card = await requestCard(sql, item.requestId);
        if (!card || card.status !== 'EXPIRED') throw new NothingToSend();
        return this.post(message, item.userId, requestExpiredMessage(card));
      }
      case 'invitations.expired': {
        const organization = await organizationOf(prisma, item.organizationId);
        if (!organization) throw new NothingToSend();
        return this.post(message, item.userId, invitationsExpiredMessage(organization, item.emails));
      }
    }
  }

  /**
   * Posts a message, or updates it when an earlier attempt already posted it, so a retry never
   * leaves two copies.
   */
  private async post(message: ClaimedMessage, channel: string, content: Message) {
    if (message.resultChannel && message.resultTs) {
      await this.client.chat.update({ channel: message.resultChannel, ts: message.resultTs, ...content });
      return { channel: message.resultChannel, ts: message.resultTs };
    }
    const posted = (await this.client.chat.postMessage({ channel, ...content })) as WebAPICallResult & { channel?: string; ts?: string };
    return { channel: posted.channel ?? null, ts: posted.ts ?? null };
  }

  private async postAboutRequest(
    message: ClaimedMessage,
    channel: string,
    requestId: number,
    audience: string,
    statusDrawn: string,
    draw: () => Message,
  ) {
    const { prisma, sql } = this.options;
    const result = await this.post(message, channel, draw());
    if (result.channel && result.ts) {
      await recordRequestMessage(prisma, { requestId, audience, channelId: result.channel, ts: result.ts });
      // A decision may have landed while this was being posted; the refresh it queued may have
      // missed this message, so it is brought up to date here.
      const now = await requestCard(sql, requestId);
      if (now && now.status !== statusDrawn) await this.redrawRequestMessages(requestId);
    }
    return result;
  }

  private async redrawRequestMessages(requestId: number): Promise<void> {
    const { prisma, sql } = this.options;
    const card = await requestCard(sql, requestId);
    if (!card) return;
    const postedMessages = await requestMessagesOf(prisma, requestId);
    const options = postedMessages.some((posted) => posted.audience === 'triage') ? await organizationChoices(prisma) : null;
    for (const posted of postedMessages) {
      const content = posted.audience.startsWith('requester:')
        ? requesterReceiptMessage(card, posted.audience.slice('requester:'.length) as RequestRouting)
        : requestCardMessage(card, posted.audience === 'triage' ? 'triage' : 'admin', options);
      await this.client.chat.update({ channel: posted.channelId, ts: posted.ts, ...content });
    }
  }
}
