import { announcementRoutes } from './routes/announcementRoutes.js';
import { apiTokenRoutes } from './routes/apiTokenRoutes.js';
import { associationRoutes } from './routes/associationRoutes.js';
import { auditRoutes } from './routes/auditRoutes.js';
import { deviceRoutes } from './routes/deviceRoutes.js';
import { deviceTraceRoutes } from './routes/deviceTraceRoutes.js';
import { impactRoutes } from './routes/impactRoutes.js';
import { placeRoutes } from './routes/placeRoutes.js';
import { pledgeRoutes } from './routes/pledgeRoutes.js';
import { requestRoutes } from './routes/requestRoutes.js';
import { staffRoutes } from './routes/staffRoutes.js';
import type { AdminRouteModule } from './routes/adminRouteTypes.js';

/**
 * Every group of `/api/v1` routes. To add one (pledges, impact…): write
 * `routes/<things>Routes.ts` exporting an {@link AdminRouteModule} with zod schemas and a
 * `tags` entry, and append it here. Authentication, scopes (read for GET, write otherwise,
 * `config: { scope: 'admin' }` to require admin), validation errors and OpenAPI come for free.
 * A route whose items belong to an association must honour association-bound tokens
 * (associationBinding.ts: filter lists, 404 on another association's item).
 */
export const ADMIN_ROUTE_MODULES: readonly AdminRouteModule[] = [
  associationRoutes,
  staffRoutes,
  placeRoutes,
  deviceRoutes,
  requestRoutes,
  apiTokenRoutes,
  pledgeRoutes,
  deviceTraceRoutes,
  impactRoutes,
  auditRoutes,
  announcementRoutes,
];
