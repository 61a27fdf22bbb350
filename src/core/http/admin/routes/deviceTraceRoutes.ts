import { z } from 'zod/v4';
import { deviceHistory } from '../../../pledges/deviceHistory.js';
import { recordDeviceStep } from '../../../pledges/pledgeDevices.js';
import { apiActor } from '../adminAuth.js';
import { errorSchema, idParams, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const stepBody = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ERASED'), certificate: z.string().trim().min(1).max(120).describe('data-erasure certificate reference') }),
  z.object({ status: z.literal('REFURBISHED'), grade: z.string().trim().min(1).max(20).describe('refurbisher grade, e.g. A, B, C') }),
  z.object({ status: z.literal('IN_STOCK'), associationId: z.uuid().describe('association whose stock receives the device') }),
  z.object({ status: z.literal('RECYCLED') }),
]);

const historyStep = z.object({ at: z.date(), action: z.string(), entityType: z.string().describe('Pledge or Device'), actorType: z.string(), data: z.unknown() }).meta({ id: 'HistoryStep' });

const tags = ['devices'];

/** Traceability of donated devices: their steps in the workshop, and their history from the audit trail. */
export const deviceTraceRoutes: AdminRouteModule = async (app, { db }) => {
  app.post(
    '/devices/:id/status',
    {
      schema: {
        tags,
        summary: 'Record a workshop step of a donated device: erased (certificate), refurbished (grade), in an association\'s stock, or recycled',
        params: idParams,
        body: stepBody,
        response: { 200: z.object({ id: z.uuid(), status: z.string() }), ...withNotFound, 409: errorSchema },
      },
    },
    async (request) => {
      const actor = apiActor(request);
      await db.$transaction((tx) => recordDeviceStep(tx, request.params.id, request.body, actor));
      return { id: request.params.id, status: request.body.status };
    },
  );

  app.get('/devices/:id/history', { schema: { tags, summary: 'The life of a device from its pledge to its hand-over, from the audit trail (no personal data)', params: idParams, response: { 200: z.object({ steps: z.array(historyStep) }), ...withNotFound } } }, async (request) => ({
    steps: await deviceHistory(db, request.params.id),
  }));
};
