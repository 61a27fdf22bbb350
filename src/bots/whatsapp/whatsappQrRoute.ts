import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { DependencyUnavailable } from '../../core/errors.js';
import { isAdminRequest } from './adminBearer.js';
import type { WhatsAppStatusStore } from './whatsappStatus.js';

const querySchema = z.object({ format: z.enum(['png', 'svg']).default('png') });

/**
 * `GET /admin/whatsapp/qr` (web process): the login QR code of the WhatsApp number, as PNG
 * (or `?format=svg`), for an admin to scan with the phone (WhatsApp → Linked devices). The
 * worker driving the number publishes it through Redis. 401 without the admin token; 404 when
 * WhatsApp is disabled or already logged in; 503 while no QR code is available yet.
 */
export async function registerWhatsAppQrRoute(
  app: FastifyInstance,
  deps: { enabled: boolean; adminToken: string | undefined; status: WhatsAppStatusStore | null },
) {
  app.get('/admin/whatsapp/qr', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!isAdminRequest(request, deps.adminToken)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'RELAIS_UNAUTHORIZED', message: 'admin token required (Authorization: Bearer <ADMIN_TOKEN>)' });
    }
    if (!deps.enabled || !deps.status) {
      return reply.status(404).send({
        error: 'RELAIS_WHATSAPP_DISABLED',
        message: 'WhatsApp is not enabled on this server (WHATSAPP_ENABLED=false)',
      });
    }
    const { format } = querySchema.parse(request.query);
    const { state, qr } = await deps.status.read().catch((error: unknown) => {
      throw new DependencyUnavailable('redis', error);
    });
    if (qr) {
      if (format === 'svg')
        return reply.type('image/svg+xml').send(await QRCode.toString(qr, { type: 'svg', margin: 2 }));
      return reply.type('image/png').send(await QRCode.toBuffer(qr, { type: 'png', margin: 2, width: 320 }));
    }
    if (state === 'ready') {
      return reply.status(404).send({
        error: 'RELAIS_WHATSAPP_LOGGED_IN',
        message: 'WhatsApp is already logged in: there is no QR code to scan',
      });
    }
    const message =
      state === null
        ? 'no worker is driving the WhatsApp number (is a worker process running?)'
        : state === 'offline'
          ? 'the WhatsApp client is reconnecting: retry in a few seconds'
          : 'no QR code yet: the WhatsApp client is starting, retry in a few seconds';
    return reply
      .status(503)
      .header('retry-after', '5')
      .send({ error: 'RELAIS_WHATSAPP_NO_QR', message, state: state ?? 'no_worker' });
  });
}
