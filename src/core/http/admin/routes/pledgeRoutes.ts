import type { FastifyRequest } from 'fastify';
import { z } from 'zod/v4';
import { DonorKind, PledgeKind, PledgeStatus } from '../../../../generated/prisma/enums.js';
import type { Pledge } from '../../../../generated/prisma/client.js';
import { readDonorDetails, readPledgeItems, PLEDGE_ITEM_KINDS } from '../../../pledges/pledgeDraft.js';
import { registerCollectedDevices } from '../../../pledges/pledgeDevices.js';
import { receiptData, renderReceiptPdf } from '../../../pledges/pledgeReceipt.js';
import { changePledgeStatus } from '../../../pledges/pledgeService.js';
import { hasScope } from '../../../apiTokens/apiTokenService.js';
import type { Tx } from '../../../db.js';
import { NotFound } from '../../../errors.js';
import { apiActor } from '../adminAuth.js';
import {
  commonErrors,
  errorSchema,
  idParams,
  isoDate,
  pageArgs,
  pageOf,
  pageQuery,
  toPage,
  withNotFound,
} from '../adminSchemas.js';
import { assertReferable, assertVisible, associationFilter } from '../associationBinding.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const pledge = z
  .object({
    id: z.uuid(),
    reference: z.string().describe('D-1042'),
    kind: z.enum(PledgeKind),
    donorKind: z.enum(DonorKind),
    organisation: z
      .string()
      .nullable()
      .describe(
        'a company’s or public body’s legal name (printed on the receipt); null for a private person or once erased',
      ),
    status: z.enum(PledgeStatus),
    associationId: z.uuid().nullable(),
    items: z.array(z.object({ kind: z.enum(PLEDGE_ITEM_KINDS), quantity: z.number().int() })),
    fleetAge: z.string().nullable(),
    condition: z.string().nullable(),
    postcode: z.string().nullable(),
    pickupWindow: z.string().nullable(),
    certificateRequired: z.boolean(),
    volumeM3: z.number().nullable(),
    sponsorAmountCents: z.number().int().nullable(),
    scheduledAt: z.date().nullable(),
    refurbisher: z.string().nullable(),
    createdAt: z.date(),
    collectedAt: z.date().nullable(),
    closedAt: z.date().nullable(),
  })
  .meta({ id: 'Pledge' });

const pledgeWithDonor = pledge
  .extend({
    donor: z
      .object({
        name: z.string(),
        phone: z.string().optional(),
        email: z.string().optional(),
        address: z.string().optional(),
      })
      .nullable()
      .optional()
      .describe(
        'the donor contact person; null once erased (DONOR_RETENTION_DAYS after closing); ' +
          'only for a token with the donor-contacts (or admin) scope, absent otherwise',
      ),
  })
  .meta({ id: 'PledgeWithDonor' });

const statusBody = z
  .object({
    status: z.enum(['SCHEDULED', 'COLLECTED', 'PROCESSED', 'CLOSED', 'CANCELLED']),
    scheduledAt: isoDate().optional().describe('pickup date (required with SCHEDULED)'),
    refurbisher: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .optional()
      .describe('who collects and wipes the devices (required with SCHEDULED)'),
    associationId: z.uuid().nullable().optional().describe('association the gift is routed to'),
  })
  .refine((b) => b.status !== 'SCHEDULED' || (b.scheduledAt !== undefined && b.refurbisher !== undefined), {
    message: 'scheduledAt and refurbisher are required to schedule a pickup',
    path: ['scheduledAt'],
  });

const devicesBody = z.object({
  devices: z
    .array(
      z
        .object({
          kind: z.enum(['SMARTPHONE', 'LAPTOP', 'TABLET', 'OTHER']).default('SMARTPHONE'),
          model: z.string().trim().min(1).max(120),
          imei: z.string().trim().max(30).optional().describe('15 digits with a valid check digit'),
          serial: z.string().trim().min(1).max(80).optional(),
        })
        .refine((d) => d.imei !== undefined || d.serial !== undefined, {
          message: 'an IMEI or a serial number is needed',
        }),
    )
    .min(1)
    .max(500),
});

const tags = ['pledges'];
const conflict = { 409: errorSchema, 422: errorSchema };

/**
 * Donors' pledges: list, read (the donor contact with the donor-contacts scope only), move along
 * their life, register the devices received. An association-bound token reaches only the
 * pledges routed to its association.
 */
export const pledgeRoutes: AdminRouteModule = async (app, { db }) => {
  app.get(
    '/pledges',
    {
      schema: {
        tags,
        summary: 'List pledges (without donor contact details)',
        querystring: pageQuery.extend({
          status: z.enum(PledgeStatus).optional(),
          kind: z.enum(PledgeKind).optional(),
          associationId: z.uuid().optional(),
        }),
        response: { 200: pageOf(pledge), ...commonErrors },
      },
    },
    async (request) => {
      const { status, kind, associationId } = request.query;
      const association = associationFilter(request, associationId);
      const where = { ...(status ? { status } : {}), ...(kind ? { kind } : {}), ...association };
      const rows = await db.pledge.findMany({ where, ...pageArgs(request.query) });
      const page = toPage(rows, request.query.limit);
      return { ...page, items: page.items.map(toApiPledge) };
    },
  );

  app.get(
    '/pledges/:id',
    {
      schema: {
        tags,
        summary: 'One pledge, with its donor contact details for a token with the donor-contacts scope',
        params: idParams,
        response: { 200: pledgeWithDonor, ...withNotFound },
      },
    },
    async (request) => {
      const row = await visiblePledge(db, request, request.params.id);
      // name, phone, e-mail and address of a private person: not for every reading integration
      if (!request.apiPrincipal || !hasScope(request.apiPrincipal, 'donor-contacts')) return toApiPledge(row);
      return { ...toApiPledge(row), donor: readDonorDetails(row.donorDetails) };
    },
  );

  app.post(
    '/pledges/:id/status',
    {
      schema: {
        tags,
        summary:
          'Move a pledge along its life (schedule the pickup, collected, processed, closed, cancelled); ' +
          'the donor is told',
        params: idParams,
        body: statusBody,
        response: { 200: pledge, ...withNotFound, ...conflict },
      },
    },
    async (request) => {
      const actor = apiActor(request);
      const { status, scheduledAt, refurbisher, associationId } = request.body;
      assertReferable(request, associationId);
      const change = {
        to: status,
        actor,
        ...(scheduledAt ? { scheduledAt } : {}),
        ...(refurbisher ? { refurbisher } : {}),
        ...(associationId !== undefined ? { associationId } : {}),
      };
      await db.$transaction(async (tx) => {
        await visiblePledge(tx, request, request.params.id);
        return changePledgeStatus(tx, request.params.id, change);
      });
      return toApiPledge(await db.pledge.findUniqueOrThrow({ where: { id: request.params.id } }));
    },
  );

  app.post(
    '/pledges/:id/devices',
    {
      schema: {
        tags,
        summary:
          'Register the devices received for a pledge (status COLLECTED, one audit event each); ' +
          'the pledge becomes COLLECTED',
        params: idParams,
        body: devicesBody,
        response: { 201: z.object({ deviceIds: z.array(z.uuid()) }), ...withNotFound, ...conflict },
      },
    },
    async (request, reply) => {
      const actor = apiActor(request);
      const result = await db.$transaction(async (tx) => {
        await visiblePledge(tx, request, request.params.id);
        return registerCollectedDevices(tx, request.params.id, request.body.devices, actor);
      });
      return reply.status(201).send({ deviceIds: result.deviceIds });
    },
  );

  app.get(
    '/pledges/:id/receipt.pdf',
    {
      // the receipt names the donor
      config: { scope: 'donor-contacts' },
      schema: {
        tags,
        summary:
          'Receipt of a collected pledge (PDF, donor-contacts scope): what was received and the erasure certificate ' +
          'references, for the association to issue the official tax receipt',
        params: idParams,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...withNotFound, 409: errorSchema },
      },
    },
    async (request, reply) => {
      await visiblePledge(db, request, request.params.id);
      const pdf = await renderReceiptPdf(await receiptData(db, request.params.id));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'inline; filename="receipt.pdf"')
        .send(pdf);
    },
  );
};

/** The pledge, or 404 when it does not exist or a bound token's association is not the one it is routed to. */
async function visiblePledge(tx: Tx, request: FastifyRequest, id: string): Promise<Pledge> {
  const row = await tx.pledge.findUnique({ where: { id } });
  if (!row) throw new NotFound('pledge');
  assertVisible(request, row.associationId, 'pledge');
  return row;
}

function toApiPledge(row: Pledge) {
  const {
    donorDetails: _donor,
    contactId: _contact,
    number: _number,
    slackChannelId: _channel,
    slackTs: _ts,
    updatedAt: _updated,
    donorDetailsErasedAt: _erased,
    ...rest
  } = row;
  return {
    ...rest,
    organisation: readDonorDetails(row.donorDetails)?.organisation ?? null,
    items: readPledgeItems(row.items),
  };
}
