import { z } from 'zod/v4';
import { ActorType } from '../../../../generated/prisma/enums.js';
import { auditPage, findAuditTarget, type AuditLine } from '../../../audit/auditQueries.js';
import { createStaffI18n, STAFF_LANGUAGES } from '../../../staff/staffI18n.js';
import { boundAssociationId } from '../associationBinding.js';
import { commonErrors, isoDate, pageOf, pageQuery } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const auditLine = z
  .object({
    id: z.uuid(),
    at: z.date(),
    action: z.string().describe('stable action code, e.g. request.closed'),
    label: z.string().describe('the action in words, in `lang`'),
    actorType: z.enum(ActorType),
    staffId: z.string().nullable().describe('the staff member who acted (null for people, the system and API tokens)'),
    staffSlackId: z.string().nullable(),
    entityType: z.string(),
    entityId: z.string().nullable().describe('null for a person (their pseudonymous id is not exported)'),
    associationId: z.uuid().nullable(),
    details: z
      .object({
        reason: z.string(),
        from: z.string(),
        to: z.string(),
        answer: z.string(),
        kind: z.string(),
        count: z.number(),
      })
      .partial()
      .describe('codes and counts only'),
  })
  .meta({
    id: 'AuditAction',
    description:
      'One action of the audit trail: who, what, on what, when. Never words, phone numbers or codes of a person.',
  });

const auditQuery = pageQuery.extend({
  reference: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .describe('a request (P-1042), a pledge (D-17) or a device (IMEI or serial): its actions and those naming it'),
  staffId: z.uuid().optional().describe('actions of one staff member'),
  action: z
    .string()
    .trim()
    .regex(/^[A-Za-z_]+(\.[A-Za-z_]*)?$/)
    .max(60)
    .optional()
    .describe('an action code (request.closed) or a family ending with a dot (request.)'),
  associationId: z.uuid().optional(),
  from: isoDate().optional().describe('at or after (ISO 8601)'),
  to: isoDate().optional().describe('before (ISO 8601)'),
  lang: z.enum(STAFF_LANGUAGES).default('en').describe('language of the labels'),
});

const tags = ['audit'];

/**
 * The audit trail for coordinators' exports: filtered by item, staff member, action and
 * period, newest first, paged. An association-bound token reads only its association's
 * actions (events of no association, e.g. the system's, are not shown to it).
 */
export const auditRoutes: AdminRouteModule = async (app, { db }) => {
  const text = createStaffI18n();
  const labelOf = (line: AuditLine, lang: string) => {
    const key = `slack:audit_action.${line.action}`;
    return text.has(lang, key) ? text.t(lang, key) : text.t(lang, 'slack:audit_action.unknown');
  };

  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'Read the audit trail: who did what and when (no personal data)',
        querystring: auditQuery,
        response: { 200: pageOf(auditLine), ...commonErrors },
      },
    },
    async (request) => {
      const { reference, staffId, action, associationId, from, to, lang, limit, cursor } = request.query;
      const bound = boundAssociationId(request);
      const associationIds = bound
        ? associationId && associationId !== bound
          ? []
          : [bound]
        : associationId
          ? [associationId]
          : null;
      const target = reference ? await findAuditTarget(db, reference) : undefined;
      // an unknown reference (or another association's, for a bound token) is an empty list
      if (target === null) return { items: [], nextCursor: null };
      const page = await auditPage(
        db,
        {
          ...(target ? { target } : {}),
          associationIds,
          ...(staffId ? { staffId } : {}),
          ...(action ? { action } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        },
        { limit, cursor },
      );
      return { ...page, items: page.items.map((line) => ({ ...line, label: labelOf(line, lang) })) };
    },
  );
};
