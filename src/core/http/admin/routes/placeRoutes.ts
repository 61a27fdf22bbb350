import type { FastifyRequest } from 'fastify';
import { z } from 'zod/v4';
import { PlaceCategory } from '../../../../generated/prisma/enums.js';
import type { Place } from '../../../../generated/prisma/client.js';
import { openingSlotSchema, readWeeklyHours } from '../../../places/placeHours.js';
import {
  createPlace,
  deactivatePlace,
  newPlaceSchema,
  placeChangesSchema,
  updatePlace,
} from '../../../places/placeService.js';
import type { Tx } from '../../../db.js';
import { NotFound } from '../../../errors.js';
import { apiActor } from '../adminAuth.js';
import { assertReferable, assertVisible, associationFilter, boundAssociationId } from '../associationBinding.js';
import {
  commonErrors,
  errorSchema,
  idParams,
  pageArgs,
  pageOf,
  pageQuery,
  queryBoolean,
  toPage,
  withNotFound,
} from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const place = z
  .object({
    id: z.uuid(),
    name: z.string(),
    category: z.enum(PlaceCategory),
    address: z.string().nullable(),
    postcode: z.string().nullable(),
    city: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    hours: z.array(openingSlotSchema),
    acceptedItems: z.array(z.string()),
    associationId: z.uuid().nullable(),
    active: z.boolean(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Place' });

const tags = ['places'];

/**
 * Places people are pointed to (associations, distributions, charging and relay points) and
 * donation drop-off points. An association-bound token sees and changes its association's places.
 */
export const placeRoutes: AdminRouteModule = async (app, { db }) => {
  app.get(
    '/places',
    {
      schema: {
        tags,
        summary: 'List places',
        querystring: pageQuery.extend({
          category: z.enum(PlaceCategory).optional(),
          active: queryBoolean.optional(),
          associationId: z.uuid().optional(),
          postcode: z.string().max(10).optional(),
        }),
        response: { 200: pageOf(place), ...commonErrors },
      },
    },
    async (request) => {
      const { category, active, associationId, postcode } = request.query;
      const rows = await db.place.findMany({
        where: {
          ...(category ? { category } : {}),
          ...(active !== undefined ? { active } : {}),
          ...associationFilter(request, associationId),
          ...(postcode ? { postcode } : {}),
        },
        ...pageArgs(request.query),
      });
      const page = toPage(rows, request.query.limit);
      return { ...page, items: page.items.map(toApiPlace) };
    },
  );

  app.post(
    '/places',
    {
      schema: {
        tags,
        summary: 'Create a place',
        body: newPlaceSchema,
        response: { 201: place, ...commonErrors, 422: errorSchema },
      },
    },
    async (request, reply) => {
      const actor = apiActor(request);
      assertReferable(request, request.body.associationId);
      const place = { ...request.body, associationId: request.body.associationId ?? boundAssociationId(request) };
      const created = await db.$transaction((tx) => createPlace(tx, place, actor));
      return reply.status(201).send(toApiPlace(created));
    },
  );

  app.patch(
    '/places/:id',
    {
      schema: {
        tags,
        summary: 'Update a place',
        params: idParams,
        body: placeChangesSchema,
        response: { 200: place, ...withNotFound, 422: errorSchema },
      },
    },
    async (request) => {
      const actor = apiActor(request);
      assertReferable(request, request.body.associationId);
      const updated = await db.$transaction(async (tx) => {
        await assertPlaceVisible(tx, request, request.params.id);
        return updatePlace(tx, request.params.id, request.body, actor);
      });
      return toApiPlace(updated);
    },
  );

  app.post(
    '/places/:id/deactivate',
    {
      schema: {
        tags,
        summary: 'Deactivate a place (it is no longer shown to people; reactivate with PATCH active=true)',
        params: idParams,
        response: { 200: place, ...withNotFound },
      },
    },
    async (request) => {
      const actor = apiActor(request);
      const updated = await db.$transaction(async (tx) => {
        await assertPlaceVisible(tx, request, request.params.id);
        return deactivatePlace(tx, request.params.id, actor);
      });
      return toApiPlace(updated);
    },
  );
};

/** A bound token reaches only its association's places (404 otherwise, as for an unknown id). */
async function assertPlaceVisible(tx: Tx, request: FastifyRequest, id: string): Promise<void> {
  const place = await tx.place.findUnique({ where: { id }, select: { associationId: true } });
  if (!place) throw new NotFound('place');
  assertVisible(request, place.associationId, 'place');
}

function toApiPlace(row: Place) {
  return { ...row, hours: readWeeklyHours(row.hours) };
}
