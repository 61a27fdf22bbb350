import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import type { DeviceKind } from '../../generated/prisma/enums.js';
import { imeiProblem, normalizeImei } from './imei.js';

/** Most rows one import may hold (a refurbisher's delivery is a few hundred). */
export const MAX_STOCK_ROWS = 5000;

/** One device of a refurbisher's delivery, validated. `line` is the line in the file (header = 1). */
export interface StockRow {
  line: number;
  kind: DeviceKind;
  imei: string | null;
  serial: string | null;
  model: string;
  grade: string;
  erasureCertificate: string;
  pledgeReference: string | null;
}

export type StockErrorCode =
  | 'FILE_EMPTY'
  | 'FILE_MALFORMED'
  | 'TOO_MANY_ROWS'
  | 'MISSING_COLUMN'
  | 'IDENTIFIER_MISSING'
  | 'IMEI_FORMAT'
  | 'IMEI_CHECKSUM'
  | 'SERIAL_FORMAT'
  | 'FIELD_MISSING'
  | 'FIELD_TOO_LONG'
  | 'KIND_UNKNOWN'
  | 'DUPLICATE_IN_FILE'
  | 'DUPLICATE_IN_DATABASE'
  | 'PLEDGE_UNKNOWN';

/** A problem with one row (or the whole file, line 1), in English for machines; `code` is stable for translations. */
export interface StockRowError {
  line: number;
  column: StockColumn | null;
  code: StockErrorCode;
  message: string;
  value?: string;
}

export type StockColumn = 'imei' | 'serial' | 'model' | 'grade' | 'erasureCertificate' | 'pledgeReference' | 'kind';

/** Header spellings (lower case, letters and digits only) accepted for each column, English and French. */
const COLUMN_ALIASES: Record<StockColumn, readonly string[]> = {
  imei: ['imei', 'imei1'],
  serial: ['serial', 'serialnumber', 'sn', 'numerodeserie', 'serie'],
  model: ['model', 'modele', 'devicemodel'],
  grade: ['grade', 'condition', 'etat'],
  erasureCertificate: [
    'erasurecertificate',
    'erasurecertificatereference',
    'certificate',
    'certificatereference',
    'certificateref',
    'certificat',
    'certificateffacement',
  ],
  pledgeReference: ['pledge', 'pledgereference', 'pledgeref', 'don', 'referencedon'],
  kind: ['kind', 'type', 'devicekind'],
};

const KINDS: Record<string, DeviceKind> = {
  smartphone: 'SMARTPHONE',
  phone: 'SMARTPHONE',
  telephone: 'SMARTPHONE',
  laptop: 'LAPTOP',
  ordinateur: 'LAPTOP',
  computer: 'LAPTOP',
  portable: 'LAPTOP',
  tablet: 'TABLET',
  tablette: 'TABLET',
  other: 'OTHER',
  autre: 'OTHER',
};

const MAX_LENGTH: Record<'model' | 'grade' | 'erasureCertificate' | 'pledgeReference', number> = {
  model: 120,
  grade: 20,
  erasureCertificate: 120,
  pledgeReference: 40,
};
const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9\-_./]{2,63}$/;

export interface ParsedStock {
  /** device rows in the file (header and empty lines excluded) */
  rowCount: number;
  rows: StockRow[];
  errors: StockRowError[];
  /** header cells that match no known column (ignored, reported so a typo is noticed) */
  ignoredColumns: string[];
  /**
   * Well-formed identifiers of every row, valid or not: checked against the database too, so
   * one report lists a row's format problems and its IMEI already registered together.
   */
  identifiers: StockIdentifiers[];
}

/** What of one row can be checked against the database (null where absent or malformed). */
export interface StockIdentifiers {
  line: number;
  imei: string | null;
  serial: string | null;
  pledgeReference: string | null;
}

/**
 * Parses and validates a refurbisher's delivery: a CSV file (comma, semicolon or tab, with a
 * header row) with an IMEI or serial number, model, grade and erasure certificate reference
 * per device, and optionally the pledge reference and device kind. Pure: duplicates against
 * the database and unknown pledges are checked by {@link importStock}.
 */
export function parseStockCsv(csv: string): ParsedStock {
  const fileError = (code: StockErrorCode, message: string, line = 1, rowCount = 0): ParsedStock => ({
    rowCount,
    rows: [],
    errors: [{ line, column: null, code, message }],
    ignoredColumns: [],
    identifiers: [],
  });
  if (csv.trim().length === 0) return fileError('FILE_EMPTY', 'the file is empty');

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    const lines: number[] = [];
    const cells = parse(csv, {
      delimiter: detectDelimiter(csv),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      // the line where each record ends, for the per-row report
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
    records = cells.map((record, index) => ({ record, info: { lines: lines[index] ?? 0 } }));
  } catch (error) {
    if (error instanceof CsvError)
      return fileError('FILE_MALFORMED', `the file is not valid CSV: ${error.message}`, lineOf(error));
    throw error;
  }
  const [header, ...body] = records;
  if (!header || body.length === 0) return fileError('FILE_EMPTY', 'the file has a header but no device rows');
  if (body.length > MAX_STOCK_ROWS)
    return fileError(
      'TOO_MANY_ROWS',
      `at most ${MAX_STOCK_ROWS} devices per import (this file has ${body.length}); split it`,
      1,
      body.length,
    );

  const { columns, ignored } = mapHeader(header.record);
  const missing: string[] = [];
  if (columns.imei === undefined && columns.serial === undefined) missing.push('IMEI or serial');
  for (const required of ['model', 'grade', 'erasureCertificate'] as const)
    if (columns[required] === undefined) missing.push(required);
  if (missing.length > 0) {
    const errors = missing.map(
      (name): StockRowError => ({
        line: header.info.lines,
        column: null,
        code: 'MISSING_COLUMN',
        message: `the header has no ${name} column`,
      }),
    );
    return { rowCount: body.length, rows: [], errors, ignoredColumns: ignored, identifiers: [] };
  }

  const rows: StockRow[] = [];
  const errors: StockRowError[] = [];
  const identifiers: StockIdentifiers[] = [];
  for (const { record, info } of body) {
    const cell = (column: StockColumn) => {
      const index = columns[column];
      return index === undefined ? '' : (record[index] ?? '').trim();
    };
    const result = validateRow(info.lines, cell);
    if ('row' in result) rows.push(result.row);
    errors.push(...result.errors);
    identifiers.push(wellFormedIdentifiers(info.lines, cell, result.errors));
  }
  errors.push(...findDuplicates(rows));
  const badLines = new Set(errors.map((e) => e.line));
  return {
    rowCount: body.length,
    rows: rows.filter((r) => !badLines.has(r.line)),
    errors: errors.sort((a, b) => a.line - b.line),
    ignoredColumns: ignored,
    identifiers,
  };
}

/** The row's identifiers that passed their own format check (the rest of the row may be wrong). */
function wellFormedIdentifiers(
  line: number,
  cell: (column: StockColumn) => string,
  errors: readonly StockRowError[],
): StockIdentifiers {
  const bad = (column: StockColumn) => errors.some((e) => e.column === column);
  const imei = cell('imei') && !bad('imei') ? normalizeImei(cell('imei')) : null;
  const serial = cell('serial') && !bad('serial') ? cell('serial') : null;
  const pledgeReference = cell('pledgeReference') && !bad('pledgeReference') ? cell('pledgeReference') : null;
  return { line, imei, serial, pledgeReference };
}

function validateRow(
  line: number,
  cell: (column: StockColumn) => string,
): { row: StockRow; errors: [] } | { errors: StockRowError[] } {
  const errors: StockRowError[] = [];
  const problem = (column: StockColumn | null, code: StockErrorCode, message: string, value?: string) =>
    errors.push({ line, column, code, message, ...(value !== undefined ? { value } : {}) });

  const rawImei = cell('imei');
  const rawSerial = cell('serial');
  let imei: string | null = null;
  if (rawImei) {
    imei = normalizeImei(rawImei);
    const imeiIssue = imeiProblem(imei);
    if (imeiIssue === 'format') {
      const hint = /e\+?\d+$/i.test(rawImei)
        ? ' (the spreadsheet turned it into a number: format the column as text)'
        : '';
      problem('imei', 'IMEI_FORMAT', `an IMEI is 15 digits${hint}`, rawImei);
    } else if (imeiIssue === 'checksum') {
      problem('imei', 'IMEI_CHECKSUM', 'the IMEI check digit (Luhn) is wrong: probably a typing mistake', rawImei);
    }
  }
  const serial = rawSerial || null;
  if (serial && !SERIAL_PATTERN.test(serial))
    problem('serial', 'SERIAL_FORMAT', 'a serial number is 3 to 64 letters, digits or - _ . /', serial);
  if (!rawImei && !serial) problem(null, 'IDENTIFIER_MISSING', 'each device needs an IMEI or a serial number');

  const text = (column: keyof typeof MAX_LENGTH, required: boolean): string => {
    const value = cell(column);
    if (required && !value) problem(column, 'FIELD_MISSING', `${column} is required`);
    if (value.length > MAX_LENGTH[column])
      problem(column, 'FIELD_TOO_LONG', `${column} is at most ${MAX_LENGTH[column]} characters`, value.slice(0, 40));
    return value;
  };
  const model = text('model', true);
  const grade = text('grade', true);
  const erasureCertificate = text('erasureCertificate', true);
  const pledgeReference = text('pledgeReference', false) || null;

  const rawKind = cell('kind');
  const kind = rawKind ? KINDS[normalizeKey(rawKind)] : 'SMARTPHONE';
  if (!kind) problem('kind', 'KIND_UNKNOWN', `kind is one of smartphone, laptop, tablet, other`, rawKind);

  if (errors.length > 0 || !kind) return { errors };
  return { row: { line, kind, imei, serial, model, grade, erasureCertificate, pledgeReference }, errors: [] };
}

/** The same IMEI or serial twice in one file: every repeat is reported with the line of the first. */
function findDuplicates(rows: readonly StockRow[]): StockRowError[] {
  const errors: StockRowError[] = [];
  for (const column of ['imei', 'serial'] as const) {
    const firstLine = new Map<string, number>();
    for (const row of rows) {
      const value = row[column];
      if (!value) continue;
      const first = firstLine.get(value);
      if (first === undefined) firstLine.set(value, row.line);
      else
        errors.push({
          line: row.line,
          column,
          code: 'DUPLICATE_IN_FILE',
          message: `this ${column === 'imei' ? 'IMEI' : 'serial number'} is already on line ${first}`,
          value,
        });
    }
  }
  return errors;
}

function mapHeader(cells: readonly string[]): { columns: Partial<Record<StockColumn, number>>; ignored: string[] } {
  const columns: Partial<Record<StockColumn, number>> = {};
  const ignored: string[] = [];
  cells.forEach((cell, index) => {
    const key = normalizeKey(cell);
    const column = (Object.keys(COLUMN_ALIASES) as StockColumn[]).find((c) => COLUMN_ALIASES[c].includes(key));
    if (column && columns[column] === undefined) columns[column] = index;
    else if (cell.trim()) ignored.push(cell.trim());
  });
  return { columns, ignored };
}

/** "Numéro de série" → "numerodeserie": accents, case, spaces and punctuation do not matter in headers and kinds. */
function normalizeKey(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Spreadsheets export with commas, semicolons (French Excel) or tabs: the header line tells which. */
function detectDelimiter(csv: string): string {
  const firstLine =
    csv
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim().length > 0) ?? '';
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

function lineOf(error: CsvError): number {
  const lines: unknown = 'lines' in error ? error.lines : undefined;
  return typeof lines === 'number' && lines > 0 ? lines : 1;
}
