import { Prisma } from '../../generated/prisma/client.js';
import { recordAudit } from '../audit/auditTrail.js';
import type { Db, Tx } from '../db.js';
import { NotFound } from '../errors.js';
import { parseStockCsv, type StockIdentifiers, type StockRow, type StockRowError } from './stockCsv.js';

export type { StockRowError, StockErrorCode } from './stockCsv.js';

/**
 * Who imports: a volunteer from Slack (staff member id), a partner through the admin API (token id) or a script (seed).
 */
export interface StockImportActor {
  type: 'STAFF' | 'API' | 'SYSTEM';
  id: string;
}

export interface StockImportInput {
  associationId: string;
  csv: string;
  actor: StockImportActor;
  /** validate against the file and the database, import nothing */
  dryRun?: boolean;
}

export interface StockImportReport {
  /** `imported`: every row is in stock; `valid`: dry run found no problem; `rejected`: nothing was imported */
  status: 'imported' | 'valid' | 'rejected';
  rowCount: number;
  importedCount: number;
  /** devices per model and grade in this file (what the delivery contains) */
  summary: Array<{ model: string; grade: string; count: number }>;
  errors: StockRowError[];
  ignoredColumns: string[];
}

/**
 * Imports a refurbisher's delivery into an association's stock, all or nothing: the file is
 * parsed and validated (IMEI length and Luhn digit, required fields, duplicates inside the
 * file), then checked against the database (IMEI or serial already known, unknown pledge
 * reference) and written in one transaction with one audit event. If any row is wrong,
 * nothing is imported and the report lists every problem by line. Shared by the admin API
 * and the Slack app.
 */
export async function importStock(db: Db, input: StockImportInput): Promise<StockImportReport> {
  const association = await db.association.findUnique({ where: { id: input.associationId }, select: { id: true } });
  if (!association) throw new NotFound('association');
  const parsed = parseStockCsv(input.csv);
  const base = { rowCount: parsed.rowCount, ignoredColumns: parsed.ignoredColumns, summary: summarize(parsed.rows) };
  if (parsed.errors.length > 0) {
    // one complete report: the rows already in the database are listed with the format errors
    const { errors } = await checkAgainstDatabase(db, parsed.identifiers);
    return { ...base, status: 'rejected', importedCount: 0, errors: byLine([...parsed.errors, ...errors]) };
  }

  // A concurrent import of the same devices makes the insert fail on the unique IMEI/serial
  // index; the second attempt then sees them in the database and reports them per row.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(
        async (tx) => {
          const { pledgeIds, errors } = await checkAgainstDatabase(tx, parsed.rows);
          if (errors.length > 0) return { ...base, status: 'rejected' as const, importedCount: 0, errors };
          if (input.dryRun) return { ...base, status: 'valid' as const, importedCount: 0, errors: [] };
          const created = await tx.device.createMany({
            data: parsed.rows.map((row) => ({
              kind: row.kind,
              model: row.model,
              imei: row.imei,
              serial: row.serial,
              grade: row.grade,
              erasureCertificate: row.erasureCertificate,
              status: 'IN_STOCK' as const,
              associationId: input.associationId,
              pledgeId: row.pledgeReference ? (pledgeIds.get(row.pledgeReference) ?? null) : null,
            })),
          });
          await recordAudit(tx, {
            actorType: input.actor.type,
            actorId: input.actor.id,
            action: 'devices.imported',
            entityType: 'Association',
            entityId: input.associationId,
            associationId: input.associationId,
            data: { count: created.count, summary: base.summary },
          });
          return { ...base, status: 'imported' as const, importedCount: created.count, errors: [] };
          // 5,000 rows take about 3 s on a small machine: well past Prisma's 5 s default under load
        },
        { maxWait: 5_000, timeout: 60_000 },
      );
    } catch (error) {
      if (attempt < 2 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') continue;
      throw error;
    }
  }
}

/** Errors by line (stable: a line's own problems keep their order). */
function byLine(errors: StockRowError[]): StockRowError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.i - b.i)
    .map(({ e }) => e);
}

async function checkAgainstDatabase(
  tx: Db | Tx,
  rows: readonly StockIdentifiers[],
): Promise<{ pledgeIds: Map<string, string>; errors: StockRowError[] }> {
  const imeis = rows.flatMap((r) => (r.imei ? [r.imei] : []));
  const serials = rows.flatMap((r) => (r.serial ? [r.serial] : []));
  if (imeis.length === 0 && serials.length === 0 && rows.every((r) => !r.pledgeReference))
    return { pledgeIds: new Map(), errors: [] };
  const references = [...new Set(rows.flatMap((r) => (r.pledgeReference ? [r.pledgeReference] : [])))];
  const [known, pledges] = await Promise.all([
    tx.device.findMany({
      where: { OR: [{ imei: { in: imeis } }, { serial: { in: serials } }] },
      select: { imei: true, serial: true },
    }),
    references.length > 0
      ? tx.pledge.findMany({ where: { reference: { in: references } }, select: { id: true, reference: true } })
      : Promise.resolve([]),
  ]);
  const knownImeis = new Set(known.flatMap((d) => (d.imei ? [d.imei] : [])));
  const knownSerials = new Set(known.flatMap((d) => (d.serial ? [d.serial] : [])));
  const pledgeIds = new Map(pledges.map((p) => [p.reference, p.id]));
  const errors: StockRowError[] = [];
  for (const row of rows) {
    if (row.imei && knownImeis.has(row.imei))
      errors.push({
        line: row.line,
        column: 'imei',
        code: 'DUPLICATE_IN_DATABASE',
        message: 'a device with this IMEI is already registered',
        value: row.imei,
      });
    if (row.serial && knownSerials.has(row.serial))
      errors.push({
        line: row.line,
        column: 'serial',
        code: 'DUPLICATE_IN_DATABASE',
        message: 'a device with this serial number is already registered',
        value: row.serial,
      });
    if (row.pledgeReference && !pledgeIds.has(row.pledgeReference))
      errors.push({
        line: row.line,
        column: 'pledgeReference',
        code: 'PLEDGE_UNKNOWN',
        message: 'no pledge has this reference',
        value: row.pledgeReference,
      });
  }
  return { pledgeIds, errors };
}

function summarize(rows: readonly StockRow[]): StockImportReport['summary'] {
  const counts = new Map<string, { model: string; grade: string; count: number }>();
  for (const row of rows) {
    const key = `${row.model}\u0000${row.grade}`;
    const entry = counts.get(key) ?? { model: row.model, grade: row.grade, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => a.model.localeCompare(b.model) || a.grade.localeCompare(b.grade));
}
