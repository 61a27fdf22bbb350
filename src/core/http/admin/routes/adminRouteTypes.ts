import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../../db.js';

/** What every admin route module receives. */
export interface AdminRouteDeps {
  db: Db;
}

/** One group of admin routes (`/api/v1/<things>`), registered by {@link ADMIN_ROUTE_MODULES}. */
export type AdminRouteModule = FastifyPluginAsyncZod<AdminRouteDeps>;
