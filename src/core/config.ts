import { z } from 'zod';
import { trustProxySchema } from './http/trustProxy.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);

/** Every environment variable Relais reads, with its default. Documented in README and .env.example. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  /** who may set the client address (X-Forwarded-For): off, a hop count, or proxy addresses (docs/DEPLOY.md) */
  TRUST_PROXY: trustProxySchema.default('off'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/relais'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** the inbound path prepares its statements once per connection; false behind PgBouncer in transaction mode */
  DATABASE_PREPARED_STATEMENTS: bool.default('true'),
  /** group commit: most inbound turns run in one transaction (1 turns it off) */
  INBOUND_BATCH_MAX: z.coerce.number().int().min(1).max(100).default(16),
  /** group commit: most batches in flight at once, each holding a pool connection */
  INBOUND_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
  /** most time an inbound turn may wait (queue, connection, locks, statements) before the webhook gets 503 */
  INBOUND_TURN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(50_000).default(10_000),
  /** most time an inbound turn waits for a row lock another transaction holds (Postgres lock_timeout) */
  INBOUND_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
  AUTO_MIGRATE: bool.default('true'),
  /** how long a starting process waits for Postgres, its database and migrations, and Redis, before it gives up */
  STARTUP_RETRY_SECONDS: z.coerce.number().min(0).max(3600).default(60),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('relais'),
  RUN_WORKERS: bool.default('true'),
  /** what a process's workers take: outbound `delivery` (plain SQL, light), background `tasks` (Prisma), or both */
  WORKER_QUEUES: csv.pipe(z.array(z.enum(['delivery', 'tasks'])).min(1)).default('delivery,tasks'),
  /** a send in progress holds its message this long; a worker killed mid-send frees it then (> slowest send, 30 s) */
  OUTBOUND_SEND_LOCK_SECONDS: z.coerce.number().min(1).max(3600).default(120),
  /** secret used to hash platform ids and encrypt delivery addresses; must be stable */
  APP_SECRET: z.string().min(16).default('dev-only-insecure-secret-change-me'),
  ADMIN_TOKEN: z.string().min(16).optional(),
  DEFAULT_LANGUAGE: z.string().default('en'),
  CONVERSATION_TTL_HOURS: z.coerce.number().positive().default(72),
  MESSAGE_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  REQUEST_RETENTION_DAYS: z.coerce.number().int().positive().default(180),
  DONOR_RETENTION_DAYS: z.coerce.number().int().positive().default(365),
  INACTIVE_CONTACT_RETENTION_DAYS: z.coerce.number().int().positive().default(365),
  RECHARGE_QUOTA_COUNT: z.coerce.number().int().min(0).default(1),
  RECHARGE_QUOTA_DAYS: z.coerce.number().int().positive().default(30),
  FOLLOW_UP_DAYS: csv.pipe(z.array(z.coerce.number().positive())).default('3,30'),
  /** hours before an appointment at which the person is reminded (the day before, 2 h before) */
  APPOINTMENT_REMINDER_HOURS: csv.pipe(z.array(z.coerce.number().positive())).default('24,2'),
  /** an appointment whose reminders got no answer this many hours before it is reported "not confirmed" to staff */
  APPOINTMENT_CONFIRM_HOURS: z.coerce.number().min(0).default(1),
  /** a check-in left unanswered this many days after it was sent is reported to staff (the person went silent) */
  FOLLOW_UP_SILENCE_DAYS: z.coerce.number().positive().default(7),
  /** messages per person and flood window that reach the flows; later ones wait, in order, and are played back */
  FLOOD_MAX_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** the flood window, in seconds (a minute; shorter in tests) */
  FLOOD_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  /** wrong reconnection codes per channel and hour, all accounts together, before code checks pause */
  RECONNECT_CODE_FAILURES_PER_HOUR: z.coerce.number().int().positive().default(60),
  /** wrong reconnection codes per client address (web chat) and hour, before that address is refused */
  RECONNECT_CODE_FAILURES_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(20),
  /** days a personal reconnection code works; showing the code again draws a new one, valid as long */
  PERSONAL_CODE_VALIDITY_DAYS: z.coerce.number().int().positive().default(90),
  WEBCHAT_ENABLED: bool.default('true'),
  /** posts per minute to the web chat from one browser session, and from one IP address (shared Wi-Fi: higher) */
  WEBCHAT_RATE_PER_SESSION_PER_MIN: z.coerce.number().int().positive().default(60),
  WEBCHAT_RATE_PER_IP_PER_MIN: z.coerce.number().int().positive().default(300),
  /** sessions never seen before (each one a new contact) per IP address and hour */
  WEBCHAT_NEW_SESSIONS_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(30),
  /** open event streams (GET /chat/api/events) one web process holds; beyond, pages poll every second */
  WEBCHAT_EVENT_STREAMS_MAX: z.coerce.number().int().min(0).default(2000),
  /** from @BotFather: `<bot id>:<secret>` */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected the token BotFather gives, like 123456789:AA…')
    .optional(),
  TELEGRAM_MODE: z.enum(['webhook', 'polling', 'off']).default('off'),
  /**
   * Bot API server: Telegram's, a self-hosted telegram-bot-api, or an emulator in tests (no trailing slash, grammY
   * refuses it)
   */
  TELEGRAM_API_ROOT: z
    .string()
    .url()
    .default('https://api.telegram.org')
    .transform((v) => v.replace(/\/+$/, '')),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/)
    .optional(),
  TELEGRAM_RATE_GLOBAL_PER_SEC: z.coerce.number().positive().default(30),
  TELEGRAM_RATE_PER_CHAT_MS: z.coerce.number().int().min(0).default(1000),
  /** parallel Telegram deliveries per worker process */
  TELEGRAM_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(50),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_MODE: z.enum(['http', 'socket', 'off']).default('off'),
  SLACK_API_URL: z.string().url().default('https://slack.com/api/'),
  SLACK_TRIAGE_CHANNEL: z.string().optional(),
  SLACK_PLEDGES_CHANNEL: z.string().optional(),
  SLACK_ALERTS_CHANNEL: z.string().optional(),
  /** language of shared Slack channels that have no staff of their own (triage, alerts): fr or en */
  SLACK_LANGUAGE: z.enum(['fr', 'en']).default('fr'),
  /**
   * announcements reach WhatsApp people only if they wrote within this many days (unsolicited messages get numbers
   * banned)
   */
  ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /**
   * BullMQ lock of a running job and how often stalled jobs are looked for: a killed worker's jobs run again after
   * about this
   */
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(300_000).default(10_000),
  /** how often a sending announcement tops up its channels' outbox (its feeder's tick) */
  ANNOUNCEMENT_FEED_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /** time zone in which appointments are shown to people (Slack sends absolute times) */
  TIME_ZONE: z.string().default('Europe/Paris'),
  WHATSAPP_ENABLED: bool.default('false'),
  WHATSAPP_DATA_DIR: z.string().default('./data/whatsapp'),
  WHATSAPP_CLIENT_ID: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('relais'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  WHATSAPP_MIN_DELAY_MS: z.coerce.number().int().min(0).default(3000),
  WHATSAPP_JITTER_MS: z.coerce.number().int().min(0).default(4000),
  WHATSAPP_GLOBAL_PER_MINUTE: z.coerce.number().int().positive().default(12),
  WHATSAPP_RESTART_HOURS: z.coerce.number().min(0).default(12),
  /** how long a starting session may take to reach `ready` (not counting a QR waiting to be scanned) */
  WHATSAPP_READY_TIMEOUT_MS: z.coerce.number().int().min(1000).default(180_000),
  /** "typing…" shown before each message; 0 disables */
  WHATSAPP_TYPING_MS: z.coerce.number().int().min(0).max(10_000).default(1500),
  /** also print the login QR code on the worker's standard output */
  WHATSAPP_QR_TERMINAL: bool.default('true'),
  /** WhatsApp Business Platform (Cloud API): on when its phone number id is set (docs/WHATSAPP.md) */
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d{5,32}$/, 'expected the numeric phone number id from Meta')
    .optional(),
  WHATSAPP_CLOUD_ACCESS_TOKEN: z.string().min(20).optional(),
  /** the Meta app's secret: signs every webhook POST (X-Hub-Signature-256) */
  WHATSAPP_CLOUD_APP_SECRET: z.string().min(16).optional(),
  /** the token Meta repeats in the webhook verification handshake */
  WHATSAPP_CLOUD_VERIFY_TOKEN: z.string().min(8).optional(),
  /** Graph API root with its version (no trailing slash); tests point it at a local fake */
  WHATSAPP_CLOUD_GRAPH_URL: z
    .string()
    .url()
    .default('https://graph.facebook.com/v26.0')
    .transform((v) => v.replace(/\/+$/, '')),
  /** messages per second for the number (Meta: 80 by default, upgraded up to 1 000) */
  WHATSAPP_CLOUD_RATE_PER_SEC: z.coerce.number().positive().max(1000).default(80),
  /** minimum gap between two messages to one person (Meta's pair rate limit) */
  WHATSAPP_CLOUD_PER_CHAT_MS: z.coerce.number().int().min(0).default(1000),
  /**
   * approved templates by kind of message, as JSON (docs/WHATSAPP.md); outside the window, without one, a message is
   * held
   */
  WHATSAPP_CLOUD_TEMPLATES: z.string().default('{}'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError with one line per missing or invalid variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  const problems: string[] = [];
  if (config.TELEGRAM_MODE !== 'off' && !config.TELEGRAM_BOT_TOKEN)
    problems.push('TELEGRAM_BOT_TOKEN: required when TELEGRAM_MODE is not off');
  if (config.TELEGRAM_MODE === 'webhook' && !config.TELEGRAM_WEBHOOK_SECRET)
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook');
  if (config.SLACK_MODE !== 'off' && !config.SLACK_BOT_TOKEN)
    problems.push('SLACK_BOT_TOKEN: required when SLACK_MODE is not off');
  if (config.SLACK_MODE === 'http' && !config.SLACK_SIGNING_SECRET)
    problems.push('SLACK_SIGNING_SECRET: required when SLACK_MODE=http');
  if (config.SLACK_MODE === 'socket' && !config.SLACK_APP_TOKEN)
    problems.push('SLACK_APP_TOKEN: required when SLACK_MODE=socket');
  if (config.NODE_ENV === 'production' && config.APP_SECRET === 'dev-only-insecure-secret-change-me')
    problems.push('APP_SECRET: must be set to a long random value in production');
  if (config.WHATSAPP_CLOUD_PHONE_NUMBER_ID) {
    for (const name of [
      'WHATSAPP_CLOUD_ACCESS_TOKEN',
      'WHATSAPP_CLOUD_APP_SECRET',
      'WHATSAPP_CLOUD_VERIFY_TOKEN',
    ] as const) {
      if (!config[name]) problems.push(`${name}: required when WHATSAPP_CLOUD_PHONE_NUMBER_ID is set`);
    }
  }
  problems.push(...templateCatalogueProblems(config.WHATSAPP_CLOUD_TEMPLATES));
  if (config.INBOUND_LOCK_TIMEOUT_MS >= config.INBOUND_TURN_TIMEOUT_MS) {
    problems.push('INBOUND_LOCK_TIMEOUT_MS: must be below INBOUND_TURN_TIMEOUT_MS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** One template per kind of message: its name at Meta, its language codes by Relais language, its body parameters. */
export const templateCatalogueSchema = z.record(
  z.enum(['checkIn', 'appointmentReminder', 'staffReply', 'announcement', 'notice']),
  z.object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name is lower case letters, digits and _'),
    /** Relais language → Meta's language code (en → en_US, ar → ar…) */
    languages: z.record(z.string().min(2).max(15)),
    /** what fills {{1}}: the message's text (with its choices numbered) */
    parameters: z.array(z.literal('text')).max(1).default(['text']),
  }),
);
export type TemplateCatalogue = z.infer<typeof templateCatalogueSchema>;

function templateCatalogueProblems(raw: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return ['WHATSAPP_CLOUD_TEMPLATES: not valid JSON'];
  }
  const parsed = templateCatalogueSchema.safeParse(json);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => `WHATSAPP_CLOUD_TEMPLATES.${i.path.join('.')}: ${i.message}`);
}
