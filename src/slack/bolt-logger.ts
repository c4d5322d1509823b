import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

const PINO_LEVEL: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt's logger interface on top of the app's pino logger, so Bolt's lines are structured JSON too. */
export function boltLoggerFrom(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'bolt' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...messages: unknown[]) => {
    // Bolt logs at debug level many times per request; skip building records nobody will see.
    if (!child.isLevelEnabled(level)) return;
    const [first, ...rest] = messages;
    if (first instanceof Error) child[level]({ err: first, details: rest }, first.message);
    else child[level]({ details: rest.length > 0 ? rest : undefined }, String(first));
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (level) => {
      child.level = PINO_LEVEL[level];
    },
    getLevel: () =>
      (Object.entries(PINO_LEVEL).find(([, pinoLevel]) => pinoLevel === child.level)?.[0] as LogLevel | undefined) ??
      LogLevel.INFO,
    setName: (name) => {
      child = logger.child({ component: name });
    },
  };
}
