import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Db } from '../db.js';
import { adminAuthHook } from './admin/adminAuth.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardOptions {
  db: Db;
  adminToken?: string | undefined;
  queues: readonly Queue[];
}

// Bull Board's page has inline styles (no inline scripts): loosen style-src for its pages only.
const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; " +
  "object-src 'none'";

/**
 * Bull Board at /admin/queues, for network-wide admin tokens only. Browsers log in with HTTP Basic (any
 * user name, an admin-scope token or ADMIN_TOKEN as the password) so no token ever appears in
 * a URL or a log line; scripts can send `Authorization: Bearer`. Changes (retry, clean,
 * pause) are refused unless they come from the dashboard's own origin.
 */
export async function queueDashboard(app: FastifyInstance, options: QueueDashboardOptions): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Relais queues' } },
  });
  await app.register(async (scope) => {
    scope.decorateRequest('apiPrincipal', null);
    const auth = { db: options.db, adminToken: options.adminToken, allowBasic: true, realm: 'Relais queues' };
    scope.addHook('onRequest', adminAuthHook({ ...auth, scope: 'admin', networkOnly: true }));
    scope.addHook('onRequest', refuseCrossSiteChanges);
    scope.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', DASHBOARD_CSP).header('cache-control', 'no-store');
      return payload;
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}

/**
 * Browsers resend Basic credentials on their own, so a change must prove it comes from this
 * origin (Fetch Metadata, else the Origin header). Reads are harmless and always allowed.
 */
async function refuseCrossSiteChanges(request: FastifyRequest, reply: FastifyReply) {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const sameSite = site
    ? site === 'same-origin' || site === 'none'
    : !origin || hostOf(origin) === request.headers.host;
  if (sameSite) return undefined;
  return reply
    .status(403)
    .send({ error: 'RELAIS_FORBIDDEN', message: 'changes to the queues must come from the dashboard itself' });
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // "null" (sandboxed frames, file://) is never this site
  }
}
