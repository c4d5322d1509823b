import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/** A message the server accepted: its envelope, and its content as a mail client would read it. */
export interface ReceivedMail {
  /** The envelope sender (MAIL FROM). */
  from: string;
  /** The envelope recipients (RCPT TO) the server accepted. */
  to: string[];
  subject: string;
  /** The text/plain part; empty when the message has none. */
  text: string;
  /** The text/html part; empty when the message has none. */
  html: string;
  /** The message exactly as it came over the wire. */
  raw: string;
}

export interface SmtpReply {
  code: number;
  message: string;
}

export interface SmtpServerOptions {
  /** Answers RCPT TO for an address with this reply instead of accepting it; null accepts. */
  rejectRecipients?: (address: string) => SmtpReply | null;
  /** Requires AUTH (PLAIN or LOGIN) with the credentials that `url` carries. */
  authRequired?: boolean;
}

export interface SmtpSandbox {
  /** `smtp://127.0.0.1:<port>`, with `user:password@` when auth is required. */
  url: string;
  /** Every accepted message, in order of arrival. */
  messages: ReceivedMail[];
  /** Resolves with all messages received so far once there are at least `count`; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Answers the next `count` messages (at the end of DATA) with this reply instead of accepting them. */
  failNext(count: number, code: number, message: string): void;
  close(): Promise<void>;
}

function smtpError(reply: SmtpReply): SMTPServerError {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

/**
 * A real SMTP server on 127.0.0.1 and an ephemeral port, so mail code is tested over the
 * protocol, failures included. It speaks plain SMTP only: without STARTTLS on offer, clients
 * neither upgrade nor need a certificate they would have to be told to trust.
 */
export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<SmtpSandbox> {
  const credentials = { user: 'gatehouse', password: randomBytes(12).toString('hex') };
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const pendingFailures = { count: 0, reply: { code: 451, message: '' } };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.authRequired ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.authRequired,
    // Credentials travel in clear text, which is fine on loopback and the only way without TLS.
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    // Clients that keep connections open (pools) must not hold up the end of a test.
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.password) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpError({ code: 535, message: 'Authentication failed' }));
      }
    },
    onRcptTo(address, _session, callback) {
      const rejection = options.rejectRecipients?.(address.address) ?? null;
      callback(rejection ? smtpError(rejection) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (pendingFailures.count > 0) {
          pendingFailures.count -= 1;
          callback(smtpError(pendingFailures.reply));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              raw,
            });
            for (const waiter of waiters) waiter();
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  const auth = options.authRequired ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : '';

  return {
    url: `smtp://${auth}127.0.0.1:${port}`,
    messages,
    waitForMessages(count, timeoutMs = 5000) {
      if (messages.length >= count) return Promise.resolve([...messages]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} email(s) within ${timeoutMs} ms, received ${messages.length}`));
        }, timeoutMs);
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve([...messages]);
        };
        waiters.add(check);
      });
    },
    failNext(count, code, message) {
      pendingFailures.count = count;
      pendingFailures.reply = { code, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
