import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../core/secrets.js';

/**
 * True when the request carries `Authorization: Bearer <ADMIN_TOKEN>` (constant-time
 * comparison). Without a configured token nobody is admin. Kept as one function so the
 * general admin API's scoped tokens can replace it in one place.
 */
export function isAdminRequest(request: FastifyRequest, adminToken: string | undefined): boolean {
  const header = request.headers.authorization;
  if (!adminToken || typeof header !== 'string') return false;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] !== undefined && safeEqual(match[1], adminToken);
}
