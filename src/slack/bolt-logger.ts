import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.js';

const PINO_LEVEL: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/**
 * Bolt's level for the app's LOG_LEVEL. Bolt has no trace, fatal or silent; those get its nearest
 * level, and the logger below keeps Bolt from writing anything the app's own level would not.
 */
export function boltLogLevelOf(logger: Logger): LogLevel {
  const threshold = logger.levelVal;
  if (threshold <= logger.levels.values.debug!) return LogLevel.DEBUG;
  if (threshold <= logger.levels.values.info!) return LogLevel.INFO;
  if (threshold <= logger.levels.values.warn!) return LogLevel.WARN;
  return LogLevel.ERROR;
}

/** Bolt's logger interface on top of the app's pino logger, so Bolt's lines are structured JSON too. */
export function boltLoggerFrom(logger: Logger): BoltLogger {
  let requested: LogLevel | undefined;
  let child = logger.child({ component: 'bolt' });
  // Bolt (and each WebClient it makes) sets a level of its own, INFO unless told otherwise; it may
  // make Bolt quieter than the app but never louder, so LOG_LEVEL=error or silent holds for Bolt too.
  const applyLevel = () => {
    if (requested === undefined) return;
    const wanted = PINO_LEVEL[requested];
    child.level = logger.levels.values[wanted]! > logger.levelVal ? wanted : logger.level;
  };
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...messages: unknown[]) => {
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
      requested = level;
      applyLevel();
    },
    getLevel: () =>
      (Object.entries(PINO_LEVEL).find(([, pinoLevel]) => pinoLevel === child.level)?.[0] as LogLevel | undefined) ??
      boltLogLevelOf(logger),
    setName: (name) => {
      child = logger.child({ component: name });
      applyLevel();
    },
  };
}
