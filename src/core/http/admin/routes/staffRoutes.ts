import { z } from 'zod/v4';
import { StaffRole } from '../../../../generated/prisma/enums.js';
import { recordAudit } from '../../../audit/auditTrail.js';
import { NotFound } from '../../../errors.js';
import { LANGUAGES } from '../../../i18n/i18n.js';
import { apiActor } from '../adminAuth.js';
import {
  anyCase,
  changedFields,
  commonErrors,
  errorSchema,
  idParams,
  queryBoolean,
  withNotFound,
} from '../adminSchemas.js';
import { assertReferable, assertVisible, associationFilter } from '../associationBinding.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const staffMember = z
  .object({
    id: z.uuid(),
    slackUserId: z.string(),
    displayName: z.string().nullable(),
    associationId: z.uuid(),
    role: z.enum(StaffRole),
    language: z.string(),
    active: z.boolean(),
    createdAt: z.date(),
  })
  .meta({ id: 'StaffMember' });

const staffInput = z.object({
  slackUserId: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,}$/)
    .describe('Slack user id, e.g. `U012AB3CD`'),
  displayName: z.string().trim().min(1).max(80).nullable().optional(),
  associationId: z.uuid(),
  role: anyCase(z.enum(StaffRole), 'upper').default('VOLUNTEER').describe('any case'),
  language: z.enum(LANGUAGES).default('fr').describe('language of Slack messages to this person'),
  active: z.boolean().default(true),
});

const staffPatch = z.object({
  slackUserId: staffInput.shape.slackUserId.optional(),
  displayName: staffInput.shape.displayName,
  associationId: z.uuid().optional(),
  role: anyCase(z.enum(StaffRole), 'upper').optional().describe('any case'),
  language: z.enum(LANGUAGES).optional(),
  active: z.boolean().optional(),
});

const tags = ['staff'];
// Slack ids of volunteers are personal data: reading them needs the admin scope too.
const config = { scope: 'admin' as const };

/**
 * Volunteers and coordinators known to Relais (their Slack user, association, role and
 * language). An association-bound admin token manages its own association's staff only.
 */
export const staffRoutes: AdminRouteModule = async (app, { db }) => {
  app.get(
    '/staff',
    {
      config,
      schema: {
        tags,
        summary: 'List staff members (admin scope)',
        querystring: z.object({ associationId: z.uuid().optional(), active: queryBoolean.optional() }),
        response: { 200: z.object({ items: z.array(staffMember) }), ...commonErrors },
      },
    },
    async (request) => ({
      items: await db.staffMember.findMany({
        where: {
          ...associationFilter(request, request.query.associationId),
          ...(request.query.active !== undefined ? { active: request.query.active } : {}),
        },
        orderBy: { createdAt: 'asc' },
      }),
    }),
  );

  app.post(
    '/staff',
    {
      config,
      schema: {
        tags,
        summary: 'Add a staff member (admin scope)',
        body: staffInput,
        response: { 201: staffMember, ...commonErrors, 409: errorSchema, 422: errorSchema },
      },
    },
    async (request, reply) => {
      const actor = apiActor(request);
      assertReferable(request, request.body.associationId);
      const created = await db.$transaction(async (tx) => {
        const row = await tx.staffMember.create({ data: request.body });
        await recordAudit(tx, {
          actorType: 'API',
          actorId: actor.id,
          action: 'staff.created',
          entityType: 'StaffMember',
          entityId: row.id,
          associationId: row.associationId,
          data: { role: row.role },
        });
        return row;
      });
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/staff/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Update a staff member (admin scope)',
        params: idParams,
        body: staffPatch,
        response: { 200: staffMember, ...withNotFound, 409: errorSchema, 422: errorSchema },
      },
    },
    async (request) => {
      const actor = apiActor(request);
      assertReferable(request, request.body.associationId);
      return db.$transaction(async (tx) => {
        const select = { associationId: true } as const;
        const current = await tx.staffMember.findUnique({ where: { id: request.params.id }, select });
        if (!current) throw new NotFound('staff member');
        assertVisible(request, current.associationId, 'staff member');
        const row = await tx.staffMember.update({ where: { id: request.params.id }, data: request.body });
        await recordAudit(tx, {
          actorType: 'API',
          actorId: actor.id,
          action: 'staff.updated',
          entityType: 'StaffMember',
          entityId: row.id,
          associationId: row.associationId,
          data: { fields: changedFields(request.body), role: row.role, active: row.active },
        });
        return row;
      });
    },
  );
};
