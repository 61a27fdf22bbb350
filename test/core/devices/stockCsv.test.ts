import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { imeiProblem, luhnCheckDigit, normalizeImei, withCheckDigit } from '../../../src/core/devices/imei.js';
import { MAX_STOCK_ROWS, parseStockCsv } from '../../../src/core/devices/stockCsv.js';

const IMEI_A = withCheckDigit('35925108000001');
const IMEI_B = withCheckDigit('35925108000002');

describe('IMEI check digit', () => {
  it('matches the published example 49015420323751-8', () => {
    expect(luhnCheckDigit('49015420323751')).toBe(8);
    expect(imeiProblem('490154203237518')).toBeNull();
  });

  it('detects every single-digit typing mistake', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{14}$/),
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 1, max: 9 }),
        (body, position, delta) => {
          const imei = withCheckDigit(body);
          const typo =
            imei.slice(0, position) + String((Number(imei[position]) + delta) % 10) + imei.slice(position + 1);
          return imeiProblem(imei) === null && imeiProblem(typo) === 'checksum';
        },
      ),
    );
  });

  it('rejects anything that is not 15 digits and ignores readability separators', () => {
    expect(imeiProblem('12345')).toBe('format');
    expect(imeiProblem('49015420323751A')).toBe('format');
    expect(normalizeImei('49-015420 323751/8')).toBe('490154203237518');
  });
});

describe('parsing a refurbisher delivery', () => {
  it('reads a comma-separated file with English headers into stock rows', () => {
    const parsed = parseStockCsv(
      'IMEI,Model,Grade,Erasure certificate,Pledge\n' +
        `${IMEI_A},Sony Xperia X,A,CERT-001,\n${IMEI_B},Sony Xperia X,B,CERT-002,D-1001\n`,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rowCount).toBe(2);
    expect(parsed.rows).toEqual([
      {
        line: 2,
        kind: 'SMARTPHONE',
        imei: IMEI_A,
        serial: null,
        model: 'Sony Xperia X',
        grade: 'A',
        erasureCertificate: 'CERT-001',
        pledgeReference: null,
      },
      {
        line: 3,
        kind: 'SMARTPHONE',
        imei: IMEI_B,
        serial: null,
        model: 'Sony Xperia X',
        grade: 'B',
        erasureCertificate: 'CERT-002',
        pledgeReference: 'D-1001',
      },
    ]);
  });

  it(
    'reads a French Excel export: semicolons, BOM, ' + 'accented headers, commas inside values, serial-only laptops',
    () => {
      const csv =
        '\uFEFFNuméro de série;Modèle;État;Certificat;Type\r\n' + 'PF3ABC12;ThinkPad T480, 8 Go;B;EC-77;ordinateur\r\n';
      const parsed = parseStockCsv(csv);
      expect(parsed.errors).toEqual([]);
      expect(parsed.rows[0]).toMatchObject({
        serial: 'PF3ABC12',
        imei: null,
        model: 'ThinkPad T480, 8 Go',
        grade: 'B',
        erasureCertificate: 'EC-77',
        kind: 'LAPTOP',
      });
    },
  );

  it('reports a wrong Luhn digit, a short IMEI and a spreadsheet number by line and column', () => {
    const wrongDigit = IMEI_A.slice(0, 14) + String((Number(IMEI_A[14]) + 1) % 10);
    const parsed = parseStockCsv(
      `imei,model,grade,certificate\n${IMEI_A},X,A,C1\n${wrongDigit},X,A,C2\n12345,X,A,C3\n3.59251E+14,X,A,C4\n`,
    );
    expect(parsed.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [3, 'imei', 'IMEI_CHECKSUM'],
      [4, 'imei', 'IMEI_FORMAT'],
      [5, 'imei', 'IMEI_FORMAT'],
    ]);
    expect(parsed.errors[2]?.message).toMatch(/format the column as text/);
    expect(parsed.rows.map((r) => r.line)).toEqual([2]);
  });

  it('reports every repeat of an IMEI or serial inside the file with the line of the first', () => {
    const parsed = parseStockCsv(
      'imei,serial,model,grade,certificate\n' +
        `${IMEI_A},,X,A,C1\n${IMEI_A},,X,A,C2\n,SN123,X,A,C3\n,SN123,X,A,C4\n${IMEI_A},,X,A,C5\n`,
    );
    expect(parsed.errors.map((e) => [e.line, e.code, e.message])).toEqual([
      [3, 'DUPLICATE_IN_FILE', 'this IMEI is already on line 2'],
      [5, 'DUPLICATE_IN_FILE', 'this serial number is already on line 4'],
      [6, 'DUPLICATE_IN_FILE', 'this IMEI is already on line 2'],
    ]);
  });

  it('requires an identifier, the model, the grade and the certificate on each row', () => {
    const parsed = parseStockCsv(`imei,model,grade,certificate\n,X,A,C1\n${IMEI_A},,,\n`);
    expect(parsed.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, null, 'IDENTIFIER_MISSING'],
      [3, 'model', 'FIELD_MISSING'],
      [3, 'grade', 'FIELD_MISSING'],
      [3, 'erasureCertificate', 'FIELD_MISSING'],
    ]);
  });

  it('refuses a file without the required columns and names the missing ones', () => {
    const parsed = parseStockCsv(`model,colour\nX,red\n`);
    expect(parsed.errors.map((e) => e.message)).toEqual([
      'the header has no IMEI or serial column',
      'the header has no grade column',
      'the header has no erasureCertificate column',
    ]);
    expect(parsed.ignoredColumns).toEqual(['colour']);
  });

  it('refuses empty, malformed and oversized files with one file-level error', () => {
    expect(parseStockCsv('').errors[0]?.code).toBe('FILE_EMPTY');
    expect(parseStockCsv('imei,model,grade,certificate\n').errors[0]?.code).toBe('FILE_EMPTY');
    const malformed = parseStockCsv(`imei,model,grade,certificate\n${IMEI_A},"Xperia,A,C1\n`);
    expect(malformed.errors[0]).toMatchObject({ code: 'FILE_MALFORMED', line: 2 });
    const rows = Array.from(
      { length: MAX_STOCK_ROWS + 1 },
      (_, i) => `${withCheckDigit(String(35925108000000 + i))},X,A,C`,
    );
    const big = `imei,model,grade,certificate\n${rows.join('\n')}`;
    expect(parseStockCsv(big).errors).toEqual([expect.objectContaining({ code: 'TOO_MANY_ROWS' })]);
  });

  it('refuses an unknown device kind and an over-long model', () => {
    const parsed = parseStockCsv(`imei,model,grade,certificate,kind\n${IMEI_A},${'M'.repeat(121)},A,C1,toaster\n`);
    expect(parsed.errors.map((e) => e.code)).toEqual(['FIELD_TOO_LONG', 'KIND_UNKNOWN']);
  });
});
