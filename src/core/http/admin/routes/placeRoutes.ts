import { z } from 'zod/v4';
import { PlaceCategory } from '../../../../generated/prisma/enums.js';
import type { Place } from '../../../../generated/prisma/client.js';
import { recordAudit } from '../../../audit/auditTrail.js';
import type { Tx } from '../../../db.js';
import { NotFound } from '../../../errors.js';
import { openingSlotSchema, readWeeklyHours, weeklyHoursSchema } from '../../../places/placeHours.js';
import { apiActor } from '../adminAuth.js';
import { changedFields, commonErrors, errorSchema, idParams, pageArgs, pageOf, pageQuery, queryBoolean, toPage, withNotFound } from '../adminSchemas.js';
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

const placeFields = z.object({
  name: z.string().trim().min(1).max(120),
  category: z.enum(PlaceCategory).describe('ASSOCIATION, DISTRIBUTION (meals, clothes), CHARGING (phone charging), RELAY_POINT (small donations), DROP_OFF (equipment donations)'),
  address: z.string().trim().min(1).max(200).nullable().optional(),
  postcode: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z -]{1,9}$/).nullable().optional(),
  city: z.string().trim().min(1).max(80).nullable().optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  hours: weeklyHoursSchema.optional().describe('weekly opening slots; a day may have several'),
  acceptedItems: z
    .array(z.string().regex(/^[a-z0-9_-]{1,40}$/))
    .max(30)
    .optional()
    .describe('what a drop-off or relay point takes, lower-case tokens such as `smartphone`, `laptop`, `tablet`, `charger`'),
  associationId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});

/** Latitude and longitude go together. */
const bothOrNeither = (p: { latitude?: number | null | undefined; longitude?: number | null | undefined }) => (p.latitude === undefined) === (p.longitude === undefined) && (p.latitude === null) === (p.longitude === null);
const coordinatesMessage = { message: 'latitude and longitude are given together', path: ['longitude'] };

const tags = ['places'];

/** Places people are pointed to (associations, distributions, charging and relay points) and donation drop-off points. */
export const placeRoutes: AdminRouteModule = async (app, { db }) => {
  app.get(
    '/places',
    {
      schema: {
        tags,
        summary: 'List places',
        querystring: pageQuery.extend({ category: z.enum(PlaceCategory).optional(), active: queryBoolean.optional(), associationId: z.uuid().optional(), postcode: z.string().max(10).optional() }),
        response: { 200: pageOf(place), ...commonErrors },
      },
    },
    async (request) => {
      const { category, active, associationId, postcode } = request.query;
      const rows = await db.place.findMany({
        where: { ...(category ? { category } : {}), ...(active !== undefined ? { active } : {}), ...(associationId ? { associationId } : {}), ...(postcode ? { postcode } : {}) },
        ...pageArgs(request.query),
      });
      const page = toPage(rows, request.query.limit);
      return { ...page, items: page.items.map(toApiPlace) };
    },
  );

  app.post('/places', { schema: { tags, summary: 'Create a place', body: placeFields.refine(bothOrNeither, coordinatesMessage), response: { 201: place, ...commonErrors, 422: errorSchema } } }, async (request, reply) => {
    const actor = apiActor(request);
    const created = await db.$transaction(async (tx) => {
      const row = await tx.place.create({ data: request.body });
      await audit(tx, actor.id, 'place.created', row, {});
      return row;
    });
    return reply.status(201).send(toApiPlace(created));
  });

  app.patch(
    '/places/:id',
    { schema: { tags, summary: 'Update a place', params: idParams, body: placeFields.partial().refine(bothOrNeither, coordinatesMessage), response: { 200: place, ...withNotFound, 422: errorSchema } } },
    async (request) => {
      const actor = apiActor(request);
      const updated = await db.$transaction(async (tx) => {
        await mustExist(tx, request.params.id);
        const row = await tx.place.update({ where: { id: request.params.id }, data: request.body });
        await audit(tx, actor.id, 'place.updated', row, { fields: changedFields(request.body) });
        return row;
      });
      return toApiPlace(updated);
    },
  );

  app.post(
    '/places/:id/deactivate',
    { schema: { tags, summary: 'Deactivate a place (it is no longer shown to people; reactivate with PATCH active=true)', params: idParams, response: { 200: place, ...withNotFound } } },
    async (request) => {
      const actor = apiActor(request);
      const updated = await db.$transaction(async (tx) => {
        await mustExist(tx, request.params.id);
        const row = await tx.place.update({ where: { id: request.params.id }, data: { active: false } });
        await audit(tx, actor.id, 'place.deactivated', row, {});
        return row;
      });
      return toApiPlace(updated);
    },
  );
};

function toApiPlace(row: Place) {
  return { ...row, hours: readWeeklyHours(row.hours) };
}

async function mustExist(tx: Tx, id: string) {
  if (!(await tx.place.findUnique({ where: { id }, select: { id: true } }))) throw new NotFound('place');
}

async function audit(tx: Tx, tokenId: string, action: string, row: Place, data: { fields?: string[] }) {
  await recordAudit(tx, { actorType: 'API', actorId: tokenId, action, entityType: 'Place', entityId: row.id, associationId: row.associationId, data: { ...data, category: row.category } });
}
