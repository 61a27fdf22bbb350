import { LogLevel, type Logger as SlackSdkLogger } from '@slack/web-api';
import type { Logger } from 'pino';
import { errorSummary } from '../../core/outbound/outboxDispatcher.js';

/**
 * Bolt and the Web API client log through this. Their debug and info lines can quote
 * payloads (message text, user ids), so only warnings and errors pass, reduced to the
 * leading sentence and the error class.
 */
export function slackLogger(log: Logger): SlackSdkLogger {
  const child = log.child({ component: 'slack' });
  let level = LogLevel.WARN;
  const summarize = (args: unknown[]) => {
    const first = args.find((a): a is string => typeof a === 'string');
    const error = args.find((a): a is Error => a instanceof Error);
    return {
      line: (first ?? 'slack sdk message').split('\n')[0]?.slice(0, 160) ?? '',
      ...(error ? { err: errorSummary(error) } : {}),
    };
  };
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => {
      const { line, ...rest } = summarize(args);
      child.warn(rest, line);
    },
    error: (...args: unknown[]) => {
      const { line, ...rest } = summarize(args);
      child.error(rest, line);
    },
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
