import type { FastifyRequest } from 'fastify';
import { z } from 'zod/v4';
import { renderImpactChart } from '../../../impact/impactChart.js';
import { DEFAULT_IMPACT_FACTORS } from '../../../impact/impactFactors.js';
import { impactFigures, type ImpactFigures } from '../../../impact/impactFigures.js';
import { createStaffI18n, STAFF_LANGUAGES } from '../../../staff/staffI18n.js';
import { NotFound } from '../../../errors.js';
import { assertVisible, boundAssociationId } from '../associationBinding.js';
import { csvLabels, csvLanguageQuery } from '../csvLabels.js';
import { csvLine } from '../csvLine.js';
import { commonErrors, isoDate, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const figures = z
  .object({
    requestsReceived: z.number().int(),
    requestsServed: z.number().int(),
    devicesCollected: z.number().int(),
    devicesErased: z.number().int(),
    devicesHandedOver: z.number().int(),
    rechargesGiven: z.number().int(),
    peopleEquipped: z.number().int(),
    followUpsAnswered: z.number().int(),
    phonesSponsored: z.number().int(),
    wasteAvoidedKg: z.number(),
    co2eAvoidedKg: z.number(),
  })
  .meta({ id: 'ImpactFigures' });

const impactQuery = z.object({
  from: isoDate().optional().describe('start of the period (ISO date), included'),
  to: isoDate().optional().describe('end of the period (ISO date), excluded'),
  association: z
    .uuid()
    .optional()
    .describe('one association; all of the network when absent (an association-bound token: its own)'),
});

const FIGURE_COLUMNS: ReadonlyArray<keyof ImpactFigures> = [
  'requestsReceived',
  'requestsServed',
  'devicesCollected',
  'devicesErased',
  'devicesHandedOver',
  'rechargesGiven',
  'peopleEquipped',
  'followUpsAnswered',
  'phonesSponsored',
  'wasteAvoidedKg',
  'co2eAvoidedKg',
];

const tags = ['impact'];

/**
 * Impact figures over a period, per association or for the network, as JSON or CSV
 * (docs/IMPACT.md). An association-bound token gets its own association's figures only.
 */
export const impactRoutes: AdminRouteModule = async (app, { db }) => {
  const staffText = createStaffI18n();
  /** The association asked for, or the bound token's own; another one is "not found" to a bound token. */
  const associationOf = (request: FastifyRequest, asked: string | undefined) => {
    if (asked) assertVisible(request, asked, 'association');
    return asked ?? boundAssociationId(request) ?? undefined;
  };

  app.get(
    '/impact',
    {
      schema: {
        tags,
        summary:
          'Impact figures over a period (counts only, no personal data), with the factors used for waste and CO2e',
        querystring: impactQuery,
        response: {
          200: z.object({
            from: z.date().nullable(),
            to: z.date().nullable(),
            associationId: z.uuid().nullable(),
            figures,
            factors: z.object({
              kgPerDevice: z.record(z.string(), z.number()),
              co2eKgPerDevice: z.record(z.string(), z.number()),
            }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const association = associationOf(request, request.query.association);
      return {
        from: from ?? null,
        to: to ?? null,
        associationId: association ?? null,
        figures: await impactFigures(db, {
          associationId: association ?? null,
          ...(from ? { since: from } : {}),
          ...(to ? { until: to } : {}),
        }),
        factors: DEFAULT_IMPACT_FACTORS,
      };
    },
  );

  app.get(
    '/impact.csv',
    {
      schema: {
        tags,
        summary: 'Impact figures as CSV: one line per association, then the whole network',
        querystring: impactQuery.omit({ association: true }).extend(csvLanguageQuery.shape),
        produces: ['text/csv'],
        response: { 200: z.string(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { from, to } = request.query;
      const period = { ...(from ? { since: from } : {}), ...(to ? { until: to } : {}) };
      const bound = boundAssociationId(request);
      const associations = await db.association.findMany({
        where: bound ? { id: bound } : {},
        orderBy: { name: 'asc' },
        select: { id: true, name: true },
      });
      const labels = csvLabels(request.query.lang);
      const columns = ['association', 'from', 'to', ...FIGURE_COLUMNS];
      let csv = csvLine(labels ? columns.map((c) => labels.column(c)) : columns);
      for (const association of associations) {
        const row = await impactFigures(db, { associationId: association.id, ...period });
        csv += csvLine([association.name, from, to, ...FIGURE_COLUMNS.map((c) => row[c])]);
      }
      if (!bound) {
        const total = await impactFigures(db, period);
        csv += csvLine([labels ? labels.network() : '(network)', from, to, ...FIGURE_COLUMNS.map((c) => total[c])]);
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="impact.csv"')
        .send(csv);
    },
  );

  app.get(
    '/impact.png',
    {
      schema: {
        tags,
        summary:
          'Impact figures over a period as a bar chart (PNG, 1200 × 675), for one association or the network, ' +
          'with the waste and CO2e avoided as a caption',
        querystring: impactQuery.extend({
          lang: z.enum(STAFF_LANGUAGES).default('en').describe('language of the labels'),
        }),
        produces: ['image/png'],
        response: { 200: z.any().describe('image/png'), ...withNotFound },
      },
    },
    async (request, reply) => {
      const { from, to, lang } = request.query;
      const association = associationOf(request, request.query.association);
      const named = association
        ? await db.association.findUnique({ where: { id: association }, select: { name: true } })
        : null;
      if (association && !named) throw new NotFound('association');
      const period = { ...(from ? { since: from } : {}), ...(to ? { until: to } : {}) };
      const figures = await impactFigures(db, { associationId: association ?? null, ...period });
      const chart = await renderImpactChart(
        { associationName: named?.name ?? null, period, figures, generatedAt: new Date() },
        { language: lang, say: (key, params) => staffText.t(lang, key, params) },
      );
      return reply
        .header('content-type', 'image/png')
        .header('content-disposition', 'inline; filename="impact.png"')
        .send(chart.png);
    },
  );
};
