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
  markDeliveredAndQueue,
  parkedMessagesAmong,
  postponeDelivery,
  recordRequestMessage,
  releaseClaims,
  reportParkedMessages,
  requestMessagesOf,
  PARKED_REPORT_KIND,
  type ClaimedMessage,
} from '../services/outbox.js';
import { organizationChoices, permissionsChangedNotice, requestCard, requestOutcome } from '../services/read-models.js';
import { hashInvitationToken, openInvitationCode } from '../domain/invitation-tokens.js';
import type { InvitationMessageModel } from '../domain/read-models.js';
import { daysLeftUntil, lastDayOfAccess } from '../domain/time-limits.js';
import { MailDeliveryError, type Mailer } from '../mail/mailer.js';
import { invitationToDeliver } from '../services/invitations/deliver-invitation.js';
import { SLASH_COMMAND } from './commands.js';
import { invitationCodesMessage, invitationDirectMessage, invitationEmail, invitationEmailedNotice } from './views/invitation-messages.js';
import { parkedMessagesReport } from './views/outbox-report.js';
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
import { homeViewFor } from './listeners/app-home.js';
import { permissionsChangedMessage, requestOutcomeMessage } from './views/notices.js';
import { requestCardMessage, requesterReceiptMessage } from './views/request-card.js';
import { webApiTransport } from './web-api-transport.js';
import { bulkSummary } from '../services/members/bulk-action.js';
import { bulkSummaryMessage } from './views/bulk-summary.js';
import type { SqlDatabase } from '../db/sql.js';
import { accessChangeNotice } from '../services/members/access-change-notice.js';
import { accessChangedMessage } from './views/access-change-messages.js';
import { languageOf } from '../services/settings.js';
import { auditLines } from '../services/audit-entries.js';
import { auditLinesMessage } from './views/audit-lines.js';
import { wordsFor, type Words } from './views/words.js';
import { logAnchorModel } from '../services/log-anchor.js';
import { logAnchorMessage } from './views/log-anchor.js';
import { memberLeftNotice } from '../services/members/leave-organization.js';
import { adminContactNotice } from '../services/members/contact-admins.js';
import { adminContactMessage, memberLeftMessage } from './views/self-service.js';
import { deliverExport } from './csv/export-delivery.js';

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
/**
 * Answers to an invitee's DM that say the account cannot receive it, now or later: deleted,
 * deactivated, or closed to DMs from apps. The invitation then goes by email, or to its admin.
 */
const INVITEE_UNREACHABLE_ERRORS = new Set([
  'channel_not_found',
  'user_not_found',
  'users_not_found',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'not_in_channel',
  'is_archived',
  'messages_tab_disabled',
]);
const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60 * 1000;
/** How long a batch's claims last; a runner that died holds its messages no longer than this. */
const CLAIM_LEASE_MS = 5 * 60 * 1000;
/**
 * A batch starts no delivery this close to the end of its lease: in a slow outage each call can
 * take until the transport gives up, and a delivery still running when the lease lapses could be
 * claimed and sent by another runner too.
 */
const LEASE_MARGIN_MS = 3 * 60 * 1000;

export type Failure =
  /** Slack asked for less: wait `retryAfterMs`, all deliveries together, without counting an attempt. */
  | { kind: 'rate-limited'; retryAfterMs: number; error: string }
  /** Waiting may cure it: try again after `retryAfterMs`, within the retry window. */
  | { kind: 'transient'; retryAfterMs: number; error: string }
  /** Retrying cannot help. */
  | { kind: 'permanent'; error: string };

/** What a failed Web API call means for the message, after `attempts` earlier failed attempts. */
export function classifyFailure(error: unknown, attempts: number): Failure {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempts);
  if (code === 'slack_webapi_rate_limited_error') {
    const retryAfterMs = Math.max(1, Number((error as { retryAfter?: number }).retryAfter ?? 1)) * 1000;
    return { kind: 'rate-limited', retryAfterMs, error: message };
  }
  if (code === 'slack_webapi_platform_error') {
    return TRANSIENT_PLATFORM_ERRORS.has(platformErrorOf(error) ?? '')
      ? { kind: 'transient', retryAfterMs: backoff, error: message }
      : { kind: 'permanent', error: message };
  }
  // HTTP errors (5xx), network errors and timeouts, and anything unforeseen: waiting may cure them.
  return { kind: 'transient', retryAfterMs: backoff, error: message };
}

/** Slack's error code of an `ok: false` answer, when it looks like one. */
function platformErrorOf(error: unknown): string | undefined {
  const platformError = (error as { data?: { error?: unknown } }).data?.error;
  return typeof platformError === 'string' && /^[a-z0-9_]{1,100}$/.test(platformError) ? platformError : undefined;
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
  /** Slack's reason, when the invitee has an account that refused the DM. */
  slackError?: string;
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
  return platformErrorOf(error) === code;
}

/** What a delivery reports: where the message landed, and any messages it calls for in turn. */
interface Delivery {
  channel?: string | null;
  ts?: string | null;
  followUps?: OutboxItem[];
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
  /** How long transient failures are retried, from the first failure of a run, before the message is parked. */
  retryWindowMs: number;
  /** Who is told, once, about each parked message. */
  operatorUserIds: readonly string[];
}

/**
 * Delivers the outbox to Slack. Each message is claimed before it is sent, so replicas never send
 * the same row. A 429 pauses all deliveries for as long as Slack's Retry-After says and counts
 * no attempt; transient failures are retried with capped backoff for the whole retry window;
 * failures that waiting cannot cure park the message, except an invitee's refused DM, which falls
 * back to email or to the inviting admin. Parked messages are reported to the operators once.
 * Every time decision follows the injected clock. A message is drawn from the database at
 * delivery time, so a card delivered late shows the request as it is now.
 */
export class OutboxDispatcher {
  private readonly client: WebClient;
  private readonly now: () => Date;
  private readonly runner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private timer: NodeJS.Timeout | undefined;

  /** The recipient's language, read as the message is drawn: a change of setting applies to what is still waiting. */
  private async wordsOf(userId: string): Promise<Words> {
    return wordsFor(await languageOf(this.options.sql, userId));
  }
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  private pausedUntil = 0;
  private stopped = true;
  /** Parked messages may be waiting to be reported: at start (another process may have parked them), and after each parking. */
  private reportDue = true;

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
    const pause = Math.max(0, this.pausedUntil - this.now().getTime());
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
          if (this.reportDue) await this.reportParked();
        } while (!this.stopped && (delivered > 0 || this.wakeRequested) && !this.isPaused());
      } catch (error) {
        this.options.logger.error({ err: error }, 'outbox delivery failed');
      }
    })();
    await this.running;
    this.running = undefined;
    if (!this.stopped) this.schedule(this.wakeRequested ? 0 : (this.options.pollMs ?? 1000));
  }

  /** Whether deliveries wait for a Retry-After, on the dispatcher's clock. */
  isPaused(): boolean {
    return this.now().getTime() < this.pausedUntil;
  }

  /** Delivers what is due now; returns how many messages were handled. */
  async deliverBatch(): Promise<number> {
    if (this.isPaused()) return 0;
    const claimedAt = this.now().getTime();
    const claimed = await claimDeliverable(this.options.sql, {
      runner: this.runner,
      limit: this.options.batchSize ?? 25,
      now: new Date(claimedAt),
      leaseMs: CLAIM_LEASE_MS,
    });
    const redrawn = new Map<string, ClaimedMessage>();
    const handovers: CodeHandover[] = [];
    for (const [index, message] of claimed.entries()) {
      if (this.isPaused()) {
        // Give the rest back; they are picked up once the pause is over.
        await this.releaseAll(claimed.slice(index));
        break;
      }
      if (this.now().getTime() >= claimedAt + CLAIM_LEASE_MS - LEASE_MARGIN_MS) {
        await releaseClaims(this.options.sql, claimed.slice(index), this.now());
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
          invitations: group.map(({ model, slackError }) => ({
            invitationId: model.invitationId,
            email: model.inviteeEmail,
            code: model.code,
            expiresAt: model.expiresAt,
            ...(slackError ? { slackError } : {}),
          })),
        });
        for (const content of messages) await this.client.chat.postMessage({ channel: first.inviterSlackUserId, ...content });
        for (const { message } of group)
          await markDelivered(this.options.sql, message.id, { channel: first.inviterSlackUserId }, this.now(), scrubbed(message.item));
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
      if (result.followUps?.length)
        await markDeliveredAndQueue(sql, message.id, result, this.now(), scrubbed(message.item), result.followUps);
      else await markDelivered(sql, message.id, result, this.now(), scrubbed(message.item));
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
    const { sql, logger, retryWindowMs } = this.options;
    const failure = classifyFailure(error, message.attempts);
    const now = this.now();
    const context = { outboxId: message.id, kind: message.item.kind, error: failure.error };
    if (failure.kind === 'rate-limited') {
      // Slack's limits apply to the whole workspace, so every delivery waits, not just this one.
      this.pausedUntil = Math.max(this.pausedUntil, now.getTime() + failure.retryAfterMs);
      await postponeDelivery(sql, message, { availableAt: new Date(now.getTime() + failure.retryAfterMs), reason: failure.error });
      logger.warn({ ...context, retryAfterMs: failure.retryAfterMs }, 'Slack rate-limited a delivery; waiting as asked');
      return;
    }
    const retryAt = failure.kind === 'transient' ? new Date(now.getTime() + failure.retryAfterMs) : null;
    const state = await markAttemptFailed(sql, message, { error: failure.error, retryAt, now, retryWindowMs });
    if (state === 'parked') {
      this.reportDue = true;
      logger.error(
        { ...context, attempts: message.attempts + 1, failingSince: message.firstFailedAt ?? now },
        'outbox message parked as failed',
      );
    } else {
      logger.warn({ ...context, attempts: message.attempts + 1, state }, 'outbox delivery failed');
    }
  }

  /** Tells the operators about messages parked since the last report; see reportParkedMessages. */
  private async reportParked(): Promise<void> {
    const { sql, logger, operatorUserIds } = this.options;
    const stamped = await reportParkedMessages(sql, operatorUserIds, this.now());
    this.reportDue = false;
    const reportable = stamped.filter((message) => message.kind !== PARKED_REPORT_KIND);
    if (reportable.length > 0) {
      logger.error(
        { outboxIds: reportable.map((message) => message.id), reportedTo: operatorUserIds },
        operatorUserIds.length > 0
          ? 'outbox messages parked as failed; operators are told'
          : 'outbox messages parked as failed; no operators are configured to tell',
      );
    }
    const failedReports = stamped.filter((message) => message.kind === PARKED_REPORT_KIND);
    if (failedReports.length > 0) {
      logger.error(
        { outboxIds: failedReports.map((message) => message.id) },
        'a report of parked messages could not reach its operator; it is not reported again',
      );
    }
    // The reports just queued are due now.
    if (reportable.length > 0 && operatorUserIds.length > 0) this.wakeRequested = true;
  }

  /**
   * Delivers an invitation: by DM with an Accept button when the address belongs to someone in
   * the workspace, else by email, else by handing the code to the inviting admin.
   */
  private async deliverInvitation(message: ClaimedMessage, item: Extract<OutboxItem, { kind: 'invitation.deliver' }>): Promise<Delivery> {
    const { prisma, invitations } = this.options;
    const code = openInvitationCode(item.sealedCode, invitations.sealingKey);
    const invitation = code ? await invitationToDeliver(prisma, item.invitationId, this.now()) : null;
    // A resend issues a new code and queues it; this older one no longer opens the invitation.
    if (!code || !invitation || hashInvitationToken(code) !== invitation.tokenHash) throw new NothingToSend();
    const model: InvitationMessageModel = { ...invitation.message, code };
    if (message.resultChannel === EMAILED) return { channel: EMAILED, ts: message.resultTs };
    let inviteeUserId: string | null = null;
    try {
      const found = (await this.client.users.lookupByEmail({ email: invitation.inviteeEmail })) as WebAPICallResult & {
        user?: { id?: string };
      };
      inviteeUserId = found.user?.id ?? null;
    } catch (error) {
      if (!isSlackPlatformError(error, 'users_not_found')) throw error;
    }
    let slackError: string | undefined;
    if (inviteeUserId) {
      try {
        return await this.post(message, inviteeUserId, invitationDirectMessage(model));
      } catch (error) {
        // An account that cannot take the DM (deactivated, deleted, closed to apps) will not start to.
        const refused = platformErrorOf(error);
        if (!refused || !INVITEE_UNREACHABLE_ERRORS.has(refused)) throw error;
        slackError = refused;
      }
    }
    const inviterSlackUserId = invitation.message.invitedBy.slackUserId;
    if (invitations.mailer) {
      try {
        const sent = await invitations.mailer.send({
          to: invitation.inviteeEmail,
          ...invitationEmail(model, { slashCommand: SLASH_COMMAND }),
        });
        const notice: OutboxItem[] = slackError
          ? [
              {
                kind: 'invitation.emailed',
                organizationId: model.organization.id,
                email: invitation.inviteeEmail,
                slackError,
                userId: inviterSlackUserId,
              },
            ]
          : [];
        return { channel: EMAILED, ts: sent.messageId, followUps: notice };
      } catch (error) {
        // A mailbox that does not exist will not start to; its admin gets the code instead.
        if (!(error instanceof MailDeliveryError) || error.retryable) throw error;
      }
    }
    throw new HandOverToInviter({ message, inviterSlackUserId, model, ...(slackError ? { slackError } : {}) });
  }

  private async send(message: ClaimedMessage): Promise<Delivery> {
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
        const words = await this.wordsOf(item.userId);
        return this.postAboutRequest(message, item.userId, item.requestId, `requester:${item.routing}`, card.status, () =>
          requesterReceiptMessage(card, item.routing, words),
        );
      }
      case 'request.refresh':
        await this.redrawRequestMessages(item.requestId);
        return {};
      case 'request.outcome': {
        const outcome = await requestOutcome(sql, item.requestId);
        if (!outcome) throw new NothingToSend();
        return this.post(message, item.userId, requestOutcomeMessage(outcome, await this.wordsOf(item.userId)));
      }
      case 'permissions.changed': {
        const notice = await permissionsChangedNotice(prisma, item.logEntryId);
        if (!notice) throw new NothingToSend();
        return this.post(message, item.userId, permissionsChangedMessage(notice));
      }
      case 'audit.entries': {
        const lines = await auditLines(sql, item);
        if (!lines || lines.entries.length === 0) throw new NothingToSend();
        return this.post(message, item.channel, auditLinesMessage(lines));
      }
      case 'home.refresh': {
        // The section the person last chose: their own access, or a members list they manage.
        await this.client.views.publish({ user_id: item.userId, view: await homeViewFor(sql, item.userId, this.now()) });
        return {};
      }
      case 'invitation.deliver':
        return this.deliverInvitation(message, item);
      case 'connection.warning': {
        const notice = await connectionNotice(prisma, item.connectionId);
        // Extending or removing the end date since this was queued makes the warning wrong, so it is dropped.
        if (!notice?.endsAt || notice.status !== 'ACTIVE' || notice.endsAt.toISOString() !== item.endsAt) throw new NothingToSend();
        const timeZone = notice.organization.timeZone;
        const daysLeft = daysLeftUntil(lastDayOfAccess({ endsOn: notice.endsOn, endsAt: notice.endsAt }, timeZone), timeZone, this.now());
        return this.post(message, item.userId, expiryWarningMessage(notice, daysLeft, await this.wordsOf(item.userId)));
      }
      case 'connection.ended': {
        const notice = await connectionNotice(prisma, item.connectionId);
        if (!notice) throw new NothingToSend();
        return this.post(message, item.userId, connectionEndedMessage(notice, item.event, await this.wordsOf(item.userId)));
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
        const daysLeft = daysLeftUntil(notice.lastDay, notice.organization.timeZone, this.now());
        return this.post(message, item.userId, lastAdministratorsWarningMessage(notice, daysLeft, reader));
      }
      case 'request.reminder': {
        const card = await requestCard(sql, item.requestId);
        if (!card || card.status !== 'PENDING') throw new NothingToSend();
        return this.post(message, item.userId, requestReminderMessage(card));
      }
      case 'request.expired': {
        const card = await requestCard(sql, item.requestId);
        if (!card || card.status !== 'EXPIRED') throw new NothingToSend();
        return this.post(message, item.userId, requestExpiredMessage(card, await this.wordsOf(item.userId)));
      }
      case 'invitations.expired': {
        const organization = await organizationOf(prisma, item.organizationId);
        if (!organization) throw new NothingToSend();
        return this.post(message, item.userId, invitationsExpiredMessage(organization, item.emails));
      }
      case 'invitation.emailed': {
        const organization = await organizationOf(prisma, item.organizationId);
        if (!organization) throw new NothingToSend();
        return this.post(message, item.userId, invitationEmailedNotice({ organization, email: item.email, slackError: item.slackError }));
      }
      case 'outbox.parked': {
        // Messages retried since the report was queued are no longer news.
        const parked = await parkedMessagesAmong(sql, item.outboxIds);
        if (parked.length === 0) throw new NothingToSend();
        return this.post(message, item.userId, parkedMessagesReport(parked));
      }
      case 'access.changed': {
        const notice = await accessChangeNotice(sql, item.logEntryId);
        if (!notice) throw new NothingToSend();
        return this.post(message, item.userId, accessChangedMessage(notice, item.audience, await this.wordsOf(item.userId)));
      }
      case 'bulk.summary': {
        const summary = await bulkSummary(sql, item);
        if (!summary) throw new NothingToSend();
        return this.post(message, item.userId, bulkSummaryMessage(summary));
      }
      case 'log.anchor': {
        const anchor = await logAnchorModel(prisma, item);
        if (!anchor) throw new NothingToSend();
        return this.post(message, item.channel, logAnchorMessage(anchor));
      }
      case 'member.left': {
        const notice = await memberLeftNotice(sql, item.logEntryId);
        if (!notice) throw new NothingToSend();
        return this.post(message, item.userId, memberLeftMessage(notice));
      }
      case 'admins.contacted': {
        const notice = await adminContactNotice(sql, item);
        if (!notice) throw new NothingToSend();
        return this.post(message, item.userId, adminContactMessage(notice));
      }
      case 'export.csv': {
        const shared = await deliverExport(this.client, sql, item, this.now());
        if (!shared) throw new NothingToSend();
        return shared;
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
    const requesterWords = await this.wordsOf(card.requester.slackUserId);
    for (const posted of postedMessages) {
      const content = posted.audience.startsWith('requester:')
        ? requesterReceiptMessage(card, posted.audience.slice('requester:'.length) as RequestRouting, requesterWords)
        : requestCardMessage(card, posted.audience === 'triage' ? 'triage' : 'admin', options);
      await this.client.chat.update({ channel: posted.channelId, ts: posted.ts, ...content });
    }
  }
}
