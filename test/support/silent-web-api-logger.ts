import { LogLevel, type Logger } from '@slack/web-api';

/** The Web API client logs Slack's `[ERROR]` answers; tests that provoke them look at them directly instead. */
export const silentWebApiLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
