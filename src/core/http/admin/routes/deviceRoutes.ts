import { z } from 'zod/v4';
import { DeviceKind, DeviceStatus } from '../../../../generated/prisma/enums.js';
import { importStock } from '../../../devices/stockImport.js';
import { MAX_STOCK_ROWS } from '../../../devices/stockCsv.js';
import { apiActor } from '../adminAuth.js';
import { assertVisible, boundAssociationId } from '../associationBinding.js';
import { commonErrors, pageArgs, pageOf, pageQuery, queryBoolean, toPage, withNotFound } from '../adminSchemas.js';
import type { AdminRouteModule } from './adminRouteTypes.js';

const device = z
  .object({
    id: z.uuid(),
    kind: z.enum(DeviceKind),
    model: z.string(),
    imei: z.string().nullable(),
    serial: z.string().nullable(),
    grade: z.string().nullable(),
    status: z.enum(DeviceStatus),
    erasureCertificate: z.string().nullable(),
    associationId: z.uuid().nullable(),
    pledgeId: z.uuid().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Device' });

const importReport = z
  .object({
    status: z
      .enum(['imported', 'valid', 'rejected'])
      .describe(
        '`imported`: all rows are in stock; `valid`: dry run without problems; `rejected`: nothing was imported',
      ),
    rowCount: z.number().int(),
    importedCount: z.number().int(),
    summary: z.array(z.object({ model: z.string(), grade: z.string(), count: z.number().int() })),
    errors: z.array(
      z.object({
        line: z.number().int().describe('line in the file, the header is line 1'),
        column: z.string().nullable(),
        code: z
          .string()
          .describe(
            'IMEI_FORMAT, IMEI_CHECKSUM, DUPLICATE_IN_FILE, DUPLICATE_IN_DATABASE, PLEDGE_UNKNOWN, FIELD_MISSING, …',
          ),
        message: z.string(),
        value: z.string().optional(),
      }),
    ),
    ignoredColumns: z.array(z.string()),
  })
  .meta({ id: 'StockImportReport' });

const IMPORT_DESCRIPTION =
  "Imports a refurbisher's delivery into an association's stock. " +
  'Send the CSV file as the body (`Content-Type: text/csv`) or as JSON `{"csv": "..."}`.\n\n' +
  'Columns (header row required, comma, semicolon or tab separated, English or French names): ' +
  '`imei` or `serial` (at least one per row), `model`, `grade`, `certificate` (erasure certificate reference), ' +
  'optional `pledge` (pledge reference such as D-1001) and `kind` (smartphone, laptop, tablet, other; ' +
  `default smartphone). At most ${MAX_STOCK_ROWS} rows.\n\n` +
  'All or nothing: every IMEI must be 15 digits with a valid Luhn check digit, ' +
  'and no IMEI or serial may appear twice in the file or already be registered. ' +
  'If any row is wrong, nothing is imported and the answer is 422 with every problem of every row by line, ' +
  'in one answer: format errors and devices already registered are listed together ' +
  '(the rows with a malformed field are checked against the database too). ' +
  'There is deliberately no partial mode; use `dryRun=true` to check a file first.';

const tags = ['devices'];

/**
 * Devices in stock and the import of refurbishers' deliveries. An association-bound token sees
 * its stock and the donated devices of pledges routed to it, and imports into its own stock.
 */
export const deviceRoutes: AdminRouteModule = async (app, { db }) => {
  app.get(
    '/devices',
    {
      schema: {
        tags,
        summary: 'List devices',
        querystring: pageQuery.extend({
          associationId: z.uuid().optional(),
          status: z.enum(DeviceStatus).optional(),
          kind: z.enum(DeviceKind).optional(),
          model: z.string().min(1).max(120).optional().describe('part of the model name, any case'),
          grade: z.string().min(1).max(20).optional(),
          pledgeId: z.uuid().optional(),
          imei: z
            .string()
            .regex(/^\d{15}$/)
            .optional(),
          serial: z.string().min(1).max(64).optional(),
        }),
        response: { 200: pageOf(device), ...commonErrors },
      },
    },
    async (request) => {
      const { associationId, status, kind, model, grade, pledgeId, imei, serial } = request.query;
      const bound = boundAssociationId(request);
      // a donated device belongs to its pledge's association until it enters a stock
      const donatedToBound = { associationId: null, pledge: { associationId: bound } };
      const visible = bound ? { OR: [{ associationId: bound }, donatedToBound] } : {};
      const rows = await db.device.findMany({
        where: {
          ...visible,
          ...(associationId ? { associationId } : {}),
          ...(status ? { status } : {}),
          ...(kind ? { kind } : {}),
          ...(model ? { model: { contains: model, mode: 'insensitive' as const } } : {}),
          ...(grade ? { grade } : {}),
          ...(pledgeId ? { pledgeId } : {}),
          ...(imei ? { imei } : {}),
          ...(serial ? { serial } : {}),
        },
        ...pageArgs(request.query),
      });
      return toPage(rows, request.query.limit);
    },
  );

  app.post(
    '/devices/import',
    {
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import a delivery of refurbished devices (CSV, all or nothing)',
        description: IMPORT_DESCRIPTION,
        consumes: ['text/csv', 'application/json'],
        querystring: z.object({
          associationId: z.uuid().describe('association whose stock receives the devices'),
          dryRun: queryBoolean.optional().describe('check only, import nothing'),
        }),
        body: z.union([z.string().describe('the CSV file'), z.object({ csv: z.string() })]),
        response: { 200: importReport, 201: importReport, 422: importReport, ...withNotFound },
      },
    },
    async (request, reply) => {
      assertVisible(request, request.query.associationId, 'association');
      const csv = typeof request.body === 'string' ? request.body : request.body.csv;
      const report = await importStock(db, {
        associationId: request.query.associationId,
        csv,
        actor: apiActor(request),
        dryRun: request.query.dryRun ?? false,
      });
      return reply.status(report.status === 'imported' ? 201 : report.status === 'valid' ? 200 : 422).send(report);
    },
  );
};
