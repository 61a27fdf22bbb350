import { Readable } from 'node:stream';
import { z } from 'zod/v4';
import { RequestKind, RequestStatus, Urgency } from '../../../../generated/prisma/enums.js';
import type { Prisma } from '../../../../generated/prisma/client.js';
import type { Db } from '../../../db.js';
import { associationFilter, type AssociationFilter } from '../associationBinding.js';
import { csvLabels, csvLanguageQuery, type CsvLabels } from '../csvLabels.js';
import { csvLine } from '../csvLine.js';
import { commonErrors, isoDate, pageArgs, pageOf, pageQuery, toPage } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

// No contact, no details, no free text: what people told us stays in Relais and Slack.
const requestSelect = {
  id: true,
  reference: true,
  kind: true,
  status: true,
  urgency: true,
  associationId: true,
  assigneeId: true,
  language: true,
  flaggedReason: true,
  createdAt: true,
  updatedAt: true,
  servedAt: true,
  closedAt: true,
} as const;

const requestSummary = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    kind: z.enum(RequestKind),
    status: z.enum(RequestStatus),
    urgency: z.enum(Urgency),
    associationId: z.uuid().nullable(),
    assigneeId: z.uuid().nullable(),
    language: z.string().nullable(),
    flagged: z.boolean(),
    createdAt: z.date(),
    updatedAt: z.date(),
    servedAt: z.date().nullable(),
    closedAt: z.date().nullable(),
  })
  .meta({
    id: 'RequestSummary',
    description: 'A request without any personal data (no contact, no answers, no free text)',
  });

const requestFilters = z.object({
  status: z.enum(RequestStatus).optional(),
  kind: z.enum(RequestKind).optional(),
  associationId: z.uuid().optional(),
  from: isoDate().optional().describe('created at or after (ISO 8601)'),
  to: isoDate().optional().describe('created before (ISO 8601)'),
});
type RequestFilters = z.infer<typeof requestFilters>;

const CSV_HEADER = [
  'reference',
  'kind',
  'status',
  'urgency',
  'association',
  'language',
  'flagged',
  'created_at',
  'updated_at',
  'served_at',
  'closed_at',
  'days_open',
];
const tags = ['requests'];

/**
 * Requests for partners' dashboards: filtered lists and a CSV export, both without personal
 * data; an association-bound token gets its association's requests only.
 */
export const requestRoutes: AdminRouteModule = async (app, { db }) => {
  app.get(
    '/requests',
    {
      schema: {
        tags,
        summary: 'List requests (no personal data)',
        querystring: pageQuery.extend(requestFilters.shape),
        response: { 200: pageOf(requestSummary), ...commonErrors },
      },
    },
    async (request) => {
      const where = whereOf(request.query, associationFilter(request, request.query.associationId));
      const rows = await db.request.findMany({ where, select: requestSelect, ...pageArgs(request.query) });
      const page = toPage(rows, request.query.limit);
      return {
        ...page,
        items: page.items.map(({ flaggedReason, ...row }) => ({ ...row, flagged: flaggedReason !== null })),
      };
    },
  );

  app.get(
    '/requests.csv',
    {
      schema: {
        tags,
        summary: 'Export requests as CSV (no personal data)',
        description:
          `Columns: ${CSV_HEADER.join(', ')} (days_open: from creation until served, closed or now). ` +
          'Same filters as GET /requests, every matching request (no paging), newest first.',
        produces: ['text/csv'],
        querystring: requestFilters.extend(csvLanguageQuery.shape),
        response: {
          200: z
            .custom<Readable>((value) => value instanceof Readable)
            .describe('CSV, UTF-8, CRLF line ends, streamed'),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const day = new Date().toISOString().slice(0, 10);
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="relais-requests-${day}.csv"`);
      const association = associationFilter(request, request.query.associationId);
      return reply.send(Readable.from(exportLines(db, request.query, association, csvLabels(request.query.lang))));
    },
  );
};

function whereOf(filters: RequestFilters, association: AssociationFilter): Prisma.RequestWhereInput {
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...association,
    ...(filters.from || filters.to
      ? { createdAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lt: filters.to } : {}) } }
      : {}),
  };
}

/** Streams the export page by page, so a large network's history never sits in memory. */
async function* exportLines(
  db: Db,
  filters: RequestFilters,
  association: AssociationFilter,
  labels: CsvLabels | null,
): AsyncGenerator<string> {
  yield csvLine(labels ? CSV_HEADER.map((c) => labels.column(c)) : CSV_HEADER);
  const slugs = new Map(
    (await db.association.findMany({ select: { id: true, slug: true } })).map((a) => [a.id, a.slug]),
  );
  const now = Date.now();
  let cursor: string | undefined;
  for (;;) {
    const where = whereOf(filters, association);
    const rows = await db.request.findMany({ where, select: requestSelect, ...pageArgs({ limit: 500, cursor }) });
    const page = toPage(rows, 500);
    for (const r of page.items) {
      const end = r.servedAt ?? r.closedAt ?? null;
      const daysOpen = ((end?.getTime() ?? now) - r.createdAt.getTime()) / 86_400_000;
      const association = r.associationId ? (slugs.get(r.associationId) ?? '') : '';
      const flagged = r.flaggedReason !== null;
      const coded = labels
        ? [
            labels.value('kind', r.kind),
            labels.value('status', r.status),
            labels.value('urgency', r.urgency),
            association,
            labels.value('language', r.language),
            labels.yesNo(flagged),
          ]
        : [r.kind, r.status, r.urgency, association, r.language, flagged];
      yield csvLine([r.reference, ...coded, r.createdAt, r.updatedAt, r.servedAt, r.closedAt, daysOpen.toFixed(1)]);
    }
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
