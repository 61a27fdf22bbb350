import type { FastifyRequest } from 'fastify';
import { z } from 'zod/v4';
import type { Tx } from '../../../db.js';
import { NotFound } from '../../../errors.js';
import { deviceHistory } from '../../../pledges/deviceHistory.js';
import { recordDeviceStep } from '../../../pledges/pledgeDevices.js';
import { apiActor } from '../adminAuth.js';
import { assertReferable, assertVisible } from '../associationBinding.js';
import { errorSchema, idParams, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const stepBody = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ERASED'),
    certificate: z.string().trim().min(1).max(120).describe('data-erasure certificate reference'),
  }),
  z.object({
    status: z.literal('REFURBISHED'),
    grade: z.string().trim().min(1).max(20).describe('refurbisher grade, e.g. A, B, C'),
  }),
  z.object({
    status: z.literal('IN_STOCK'),
    associationId: z.uuid().describe('association whose stock receives the device'),
  }),
  z.object({ status: z.literal('RECYCLED') }),
]);

const historyStep = z
  .object({
    at: z.date(),
    action: z.string(),
    entityType: z.string().describe('Pledge or Device'),
    actorType: z.string(),
    data: z.unknown(),
  })
  .meta({ id: 'HistoryStep' });

const tags = ['devices'];

/**
 * Traceability of donated devices: their steps in the workshop, and their history from the
 * audit trail. An association-bound token reaches only the devices it lists (GET /devices).
 */
export const deviceTraceRoutes: AdminRouteModule = async (app, { db }) => {
  app.post(
    '/devices/:id/status',
    {
      schema: {
        tags,
        summary:
          'Record a workshop step of a donated device: erased (certificate), refurbished (grade), ' +
          "in an association's stock, or recycled",
        params: idParams,
        body: stepBody,
        response: { 200: z.object({ id: z.uuid(), status: z.string() }), ...withNotFound, 409: errorSchema },
      },
    },
    async (request) => {
      const actor = apiActor(request);
      if (request.body.status === 'IN_STOCK') assertReferable(request, request.body.associationId);
      await db.$transaction(async (tx) => {
        await assertDeviceVisible(tx, request, request.params.id);
        return recordDeviceStep(tx, request.params.id, request.body, actor);
      });
      return { id: request.params.id, status: request.body.status };
    },
  );

  app.get(
    '/devices/:id/history',
    {
      schema: {
        tags,
        summary: 'The life of a device from its pledge to its hand-over, from the audit trail (no personal data)',
        params: idParams,
        response: { 200: z.object({ steps: z.array(historyStep) }), ...withNotFound },
      },
    },
    async (request) => {
      await assertDeviceVisible(db, request, request.params.id);
      return { steps: await deviceHistory(db, request.params.id) };
    },
  );
};

/** A device belongs to the association whose stock holds it, or before that to its pledge's association. */
async function assertDeviceVisible(tx: Tx, request: FastifyRequest, id: string): Promise<void> {
  const select = { associationId: true, pledge: { select: { associationId: true } } } as const;
  const device = await tx.device.findUnique({ where: { id }, select });
  if (!device) throw new NotFound('device');
  assertVisible(request, device.associationId ?? device.pledge?.associationId ?? null, 'device');
}
