import { z } from 'zod/v4';
import { renderImpactChart } from '../../../impact/impactChart.js';
import { DEFAULT_IMPACT_FACTORS } from '../../../impact/impactFactors.js';
import { impactFigures, type ImpactFigures } from '../../../impact/impactFigures.js';
import { createStaffI18n, STAFF_LANGUAGES } from '../../../staff/staffI18n.js';
import { csvLine } from '../csvLine.js';
import { commonErrors, withNotFound } from '../adminSchemas.js';
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
  from: z.coerce.date().optional().describe('start of the period (ISO date), included'),
  to: z.coerce.date().optional().describe('end of the period (ISO date), excluded'),
  association: z.uuid().optional().describe('one association; all of the network when absent'),
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

/** Impact figures over a period, per association or for the network, as JSON or CSV (docs/IMPACT.md). */
export const impactRoutes: AdminRouteModule = async (app, { db }) => {
  const staffText = createStaffI18n();

  app.get(
    '/impact',
    {
      schema: {
        tags,
        summary: 'Impact figures over a period (counts only, no personal data), with the factors used for waste and CO2e',
        querystring: impactQuery,
        response: {
          200: z.object({
            from: z.date().nullable(),
            to: z.date().nullable(),
            associationId: z.uuid().nullable(),
            figures,
            factors: z.object({ kgPerDevice: z.record(z.string(), z.number()), co2eKgPerDevice: z.record(z.string(), z.number()) }),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const { from, to, association } = request.query;
      return {
        from: from ?? null,
        to: to ?? null,
        associationId: association ?? null,
        figures: await impactFigures(db, { associationId: association ?? null, ...(from ? { since: from } : {}), ...(to ? { until: to } : {}) }),
        factors: DEFAULT_IMPACT_FACTORS,
      };
    },
  );

  app.get(
    '/impact.csv',
    { schema: { tags, summary: 'Impact figures as CSV: one line per association, then the whole network', querystring: impactQuery.omit({ association: true }), produces: ['text/csv'], response: { 200: z.string(), ...commonErrors } } },
    async (request, reply) => {
      const { from, to } = request.query;
      const period = { ...(from ? { since: from } : {}), ...(to ? { until: to } : {}) };
      const associations = await db.association.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } });
      let csv = csvLine(['association', 'from', 'to', ...FIGURE_COLUMNS]);
      for (const association of associations) {
        const row = await impactFigures(db, { associationId: association.id, ...period });
        csv += csvLine([association.name, from, to, ...FIGURE_COLUMNS.map((c) => row[c])]);
      }
      const total = await impactFigures(db, period);
      csv += csvLine(['(network)', from, to, ...FIGURE_COLUMNS.map((c) => total[c])]);
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="impact.csv"').send(csv);
    },
  );

  app.get(
    '/impact.png',
    {
      schema: {
        tags,
        summary: 'Impact figures over a period as a bar chart (PNG, 1200 × 675), for one association or the network, with the waste and CO2e avoided as a caption',
        querystring: impactQuery.extend({ lang: z.enum(STAFF_LANGUAGES).default('en').describe('language of the labels') }),
        produces: ['image/png'],
        response: { 200: z.any().describe('image/png'), ...withNotFound },
      },
    },
    async (request, reply) => {
      const { from, to, association, lang } = request.query;
      const named = association ? await db.association.findUnique({ where: { id: association }, select: { name: true } }) : null;
      if (association && !named) return reply.status(404).send({ error: 'RELAIS_NOT_FOUND', message: 'association not found' });
      const period = { ...(from ? { since: from } : {}), ...(to ? { until: to } : {}) };
      const figures = await impactFigures(db, { associationId: association ?? null, ...period });
      const chart = await renderImpactChart({ associationName: named?.name ?? null, period, figures, generatedAt: new Date() }, { language: lang, say: (key, params) => staffText.t(lang, key, params) });
      return reply.header('content-type', 'image/png').header('content-disposition', 'inline; filename="impact.png"').send(chart.png);
    },
  );
};
