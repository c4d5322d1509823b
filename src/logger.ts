import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose values are credentials or invitation codes, wherever they appear in a log record. */
const SECRET_KEY =
  /token|secret|password|passwd|authorization|cookie|signature|invitation_?code|sealed_?code|^code$|smtp_?url|database_?url/i;
/**
 * Slack tokens, URL credentials and invitation codes inside free text, such as an error message
 * or a command's text (`/access accept CODE`, an Accept button's `<id>.<code>` value).
 */
const SECRET_TEXT = [
  { pattern: /\b(accept\s+)[A-Za-z0-9_-]{20,}/gi, replacement: '$1[redacted]' },
  { pattern: /\b(\d+\.)[A-Za-z0-9_-]{43}\b/g, replacement: '$1[redacted]' },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]+/g, replacement: 'xox?-[redacted]' },
  { pattern: /\bxapp-[A-Za-z0-9-]+/g, replacement: 'xapp-[redacted]' },
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^:/\s@]*):[^@\s/]+@/gi, replacement: '$1:[redacted]@' },
];
const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return SECRET_TEXT.reduce((result, { pattern, replacement }) => result.replace(pattern, replacement), text);
}

/** A copy of a log value with secrets removed; depth-limited so a cyclic object cannot hang logging. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? REDACTED : redactValue(inner, depth + 1)]),
  );
}

export function createLogger(level: LoggerOptions['level'] = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'gatehouse' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (record) => redactValue(record) as Record<string, unknown>,
    },
    hooks: {
      // The message string is not passed through `formatters.log`, so it is cleaned here.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
