import { z } from 'zod/v4';
import { DEFAULT_IMPACT_FACTORS } from '../../../impact/impactFactors.js';
import { impactFigures, type ImpactFigures } from '../../../impact/impactFigures.js';
import { csvLine } from '../csvLine.js';
import { commonErrors } from '../adminSchemas.js';
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
};
