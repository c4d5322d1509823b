/**
 * Sends email over SMTP. Callers retry from the outbox, so every failure says whether trying the
 * same message again later could succeed.
 */
import { createTransport } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Closes idle connections; call once nothing more will be sent. */
  close(): void;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start). */
  url: string;
  /** The From header, e.g. `Gatehouse <gatehouse@example.com>`. */
  from: string;
}

/**
 * A failed delivery. `retryable` is true when the server or the network may accept the same
 * message later (no connection, a timeout, a 4xx reply) and false when it refused it for good
 * (a 5xx reply such as 550 unknown mailbox) or the mail itself is unusable.
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';

  constructor(
    message: string,
    readonly retryable: boolean,
    /** The SMTP reply code, when the server answered with one. */
    readonly responseCode: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Nodemailer's waits default to minutes; a dead or stalled server should fail a delivery quickly
 * and leave the retry to the outbox.
 */
const TIMEOUTS_MS = { connection: 10_000, greeting: 15_000, socket: 30_000 } as const;

/** Nodemailer's codes for a connection that could not be made or was lost. */
const CONNECTION_FAILURES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS']);

interface NodemailerFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

function asFailure(error: unknown): NodemailerFailure {
  return typeof error === 'object' && error !== null ? (error as NodemailerFailure) : { message: String(error) };
}

/** Turns whatever nodemailer threw into a MailDeliveryError that says whether to retry. */
function classifyMailFailure(error: unknown): MailDeliveryError {
  const failure = asFailure(error);
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : null;
  const retryable = responseCode !== null ? responseCode >= 400 && responseCode < 500 : CONNECTION_FAILURES.has(failure.code ?? '');
  const detail = failure.response ?? failure.message ?? 'unknown error';
  return new MailDeliveryError(`Email could not be delivered: ${detail}`, retryable, responseCode, { cause: error });
}

export function createMailer(options: MailerOptions): Mailer {
  const transport = createTransport({
    url: options.url,
    // Connections are reused across a batch of invitations; a connection lost mid-message is
    // reported rather than resent by the pool, since the outbox decides about retries.
    pool: true,
    maxConnections: 2,
    maxRequeues: 0,
    connectionTimeout: TIMEOUTS_MS.connection,
    greetingTimeout: TIMEOUTS_MS.greeting,
    socketTimeout: TIMEOUTS_MS.socket,
  });

  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          // RFC 3834: asks mail systems not to answer with vacation notices and other auto-replies.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { messageId: info.messageId };
      } catch (error) {
        throw classifyMailFailure(error);
      }
    },
    close() {
      transport.close();
    },
  };
}
