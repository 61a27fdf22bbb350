import { pino, type Logger, type DestinationStream } from 'pino';
import { errorForLog } from './errorForLog.js';

/**
 * Paths that may hold message text, names, phone numbers, platform ids, codes people typed or
 * secrets. They are censored wherever they appear so a careless `log.info({ msg })` cannot
 * leak them. `code` is censored unless its value is a system or platform error code (below).
 */
export const REDACTED_PATHS = [
  'text',
  '*.text',
  'content',
  '*.content',
  'body',
  '*.body',
  'phone',
  '*.phone',
  'phoneNumber',
  '*.phoneNumber',
  'name',
  '*.name',
  'firstName',
  '*.firstName',
  'lastName',
  '*.lastName',
  'username',
  '*.username',
  'address',
  '*.address',
  'platformId',
  '*.platformId',
  'chatId',
  '*.chatId',
  'from',
  '*.from',
  'to',
  '*.to',
  'voucher',
  '*.voucher',
  'code',
  '*.code',
  'token',
  '*.token',
  'password',
  '*.password',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  'location',
  '*.location',
  'latitude',
  '*.latitude',
  'longitude',
  '*.longitude',
  // Postgres error fields that quote the values of a statement
  'detail',
  '*.detail',
  'where',
  '*.where',
  'internalQuery',
  '*.internalQuery',
];

const CENSOR = '[redacted]';

/**
 * Error codes stay readable: Node's (ECONNREFUSED, ERR_…, EAI_AGAIN), ours and Fastify's
 * (RELAIS_…, FST_ERR_…), Prisma's (P2024) and the platforms' (telegram_429, not_authed).
 * A code a person typed (10 digits, a voucher) matches none of them.
 */
const NAMED_CODE = /^(?:E[A-Z]{3,15}|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|P\d{4}|[a-z]+(?:_[a-z0-9]+)+)$/;

/** Censors a redacted path's value; a `code` that is a system or platform error code is kept. */
export function censor(value: unknown, path: Array<string | null>): unknown {
  if (value === undefined) return undefined;
  return path[path.length - 1] === 'code' && typeof value === 'string' && NAMED_CODE.test(value) ? value : CENSOR;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor },
      base: { service: 'relais' },
      serializers: {
        // request URLs may carry identifiers in query strings (web chat session): drop the query
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          url: req.url?.split('?')[0],
          id: req.id,
        }),
        // an error's message may quote what a person wrote (Postgres, Prisma, JSON.parse): never logged
        err: (error: unknown) => errorForLog(error),
        error: (error: unknown) => errorForLog(error),
        cause: (error: unknown) => errorForLog(error),
      },
      hooks: {
        // `log.error(error)` would log the error's message as the line's msg
        logMethod(args, method) {
          const [first, ...rest] = args;
          if (!(first instanceof Error)) return method.apply(this, args);
          const [given, ...more] = rest;
          if (typeof given === 'string') return method.apply(this, [{ err: first }, given, ...more]);
          return method.apply(this, [{ err: first }, first.name, ...rest]);
        },
      },
    },
    destination,
  );
}
