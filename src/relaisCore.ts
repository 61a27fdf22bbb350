import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Receive } from './core/channels/channelTransport.js';
import type { Config } from './core/config.js';
import type { Db } from './core/db.js';
import type { I18n } from './core/i18n/i18n.js';
import type { InboundService } from './core/inbound/inboundService.js';
import type { Metrics } from './core/metrics.js';
import type { OutboxDispatcher } from './core/outbound/outboxDispatcher.js';
import type { Queryable } from './core/outbound/outboxSql.js';
import type { Secrets } from './core/secrets.js';

/** Everything the channels and routes share, built once per process. */
export interface RelaisCore {
  config: Config;
  log: Logger;
  db: Db;
  secrets: Secrets;
  i18n: I18n;
  metrics: Metrics;
  dispatcher: OutboxDispatcher;
  inbound: InboundService;
  receive: Receive;
  redis: Redis;
  /** the node-postgres pool Prisma also uses: for the plain-SQL statements of core (`*Sql.ts`) */
  pool: Queryable;
  /** false in a worker (src/worker.ts): no HTTP surface, so transports skip what only receives */
  servesHttp: boolean;
}
