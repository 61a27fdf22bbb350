import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * Paths that may hold message text, names, phone numbers, platform ids or secrets. They are
 * censored wherever they appear so a careless `log.info({ msg })` cannot leak them.
 */
export const REDACTED_PATHS = [
  'text', '*.text', 'content', '*.content', 'body', '*.body', 'phone', '*.phone', 'phoneNumber', '*.phoneNumber',
  'name', '*.name', 'firstName', '*.firstName', 'lastName', '*.lastName', 'username', '*.username',
  'address', '*.address', 'platformId', '*.platformId', 'chatId', '*.chatId', 'from', '*.from', 'to', '*.to',
  'voucher', '*.voucher', 'code', '*.code', 'token', '*.token', 'password', '*.password',
  'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]', 'req.headers["x-slack-signature"]',
  'headers.authorization', 'location', '*.location', 'latitude', '*.latitude', 'longitude', '*.longitude',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'relais' },
      // request URLs may carry identifiers in query strings (web chat session): drop the query
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({ method: req.method, url: req.url?.split('?')[0], id: req.id }),
      },
    },
    destination,
  );
}
