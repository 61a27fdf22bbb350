import { z } from 'zod/v4';
import { recordAudit } from '../../../audit/auditTrail.js';
import { NotFound } from '../../../errors.js';
import { DEPARTMENT_PATTERN } from '../../../staff/associationDirectory.js';
import { apiActor } from '../adminAuth.js';
import { assertVisible, boundAssociationId } from '../associationBinding.js';
import { changedFields, commonErrors, errorSchema, idParams, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const association = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    city: z.string().nullable(),
    department: z.string().nullable(),
    slackChannelId: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.date(),
  })
  .meta({ id: 'Association' });

const associationInput = z.object({
  slug: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .max(60)
    .describe('short lower-case name used in URLs and exports, e.g. `utopia-56`'),
  name: z.string().trim().min(1).max(120),
  city: z.string().trim().min(1).max(80).nullable().optional(),
  department: z
    .string()
    .trim()
    .toUpperCase()
    .regex(DEPARTMENT_PATTERN)
    .nullable()
    .optional()
    .describe('French département, e.g. `62`, `2A`, `971`'),
  active: z.boolean().optional().describe('an inactive association is offered to no newcomer in Slack'),
  slackChannelId: z
    .string()
    .regex(/^[CG][A-Z0-9]{2,}$/)
    .nullable()
    .optional()
    .describe('Slack channel where its requests are posted'),
});

const tags = ['associations'];

/** Associations of the network: list, create, update (an association-bound token: its own only). */
export const associationRoutes: AdminRouteModule = async (app, { db }) => {
  const listResponse = { 200: z.object({ items: z.array(association) }), ...commonErrors };
  const listSchema = { tags, summary: 'List associations', response: listResponse };
  app.get('/associations', { schema: listSchema }, async (request) => {
    const bound = boundAssociationId(request);
    return { items: await db.association.findMany({ where: bound ? { id: bound } : {}, orderBy: { name: 'asc' } }) };
  });

  const createSchema = {
    tags,
    summary: 'Create an association (network-wide token)',
    body: associationInput,
    response: { 201: association, ...commonErrors, 409: errorSchema },
  };
  app.post('/associations', { config: { networkOnly: true }, schema: createSchema }, async (request, reply) => {
    const actor = apiActor(request);
    const created = await db.$transaction(async (tx) => {
      const row = await tx.association.create({ data: request.body });
      await recordAudit(tx, {
        actorType: 'API',
        actorId: actor.id,
        action: 'association.created',
        entityType: 'Association',
        entityId: row.id,
        associationId: row.id,
      });
      return row;
    });
    return reply.status(201).send(created);
  });

  app.patch(
    '/associations/:id',
    {
      schema: {
        tags,
        summary: 'Update an association',
        params: idParams,
        body: associationInput.partial(),
        response: { 200: association, ...withNotFound, 409: errorSchema },
      },
    },
    async (request) => {
      const actor = apiActor(request);
      assertVisible(request, request.params.id, 'association');
      return db.$transaction(async (tx) => {
        if (!(await tx.association.findUnique({ where: { id: request.params.id }, select: { id: true } })))
          throw new NotFound('association');
        const row = await tx.association.update({ where: { id: request.params.id }, data: request.body });
        await recordAudit(tx, {
          actorType: 'API',
          actorId: actor.id,
          action: 'association.updated',
          entityType: 'Association',
          entityId: row.id,
          associationId: row.id,
          data: { fields: changedFields(request.body) },
        });
        return row;
      });
    },
  );
};
