import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../../config.js';
import type { Db } from '../../../db.js';
import type { OutboxDispatcher } from '../../../outbound/outboxDispatcher.js';

/** What every admin route module receives. */
export interface AdminRouteDeps {
  db: Db;
  /** the service's settings (announcements: channel pace, WhatsApp window); defaults when absent */
  config?: Pick<
    Config,
    'TELEGRAM_RATE_GLOBAL_PER_SEC' | 'WHATSAPP_GLOBAL_PER_MINUTE' | 'ANNOUNCEMENT_WHATSAPP_WINDOW_DAYS'
  >;
  /** hands the tasks a route wrote to the queue at once (else the outbox sweep does, within seconds) */
  dispatcher?: Pick<OutboxDispatcher, 'dispatchJobs'>;
}

/** One group of admin routes (`/api/v1/<things>`), registered by {@link ADMIN_ROUTE_MODULES}. */
export type AdminRouteModule = FastifyPluginAsyncZod<AdminRouteDeps>;
