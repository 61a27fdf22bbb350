import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../../src/core/http/admin/csvLine.js';

const HOSTILE = ['x;=HYPERLINK("http://evil","click")', 'a, +cmd|/c calc', '@SUM(1)', 'ok;-2+3', 'a\n=1+1', '\t=1'];
const FORMULA = /^[=+\-@\t\r]/;

/** Every cell a spreadsheet would see, reading the line with this separator (quotes honoured, or not at all). */
function cellsAs(line: string, delimiter: ';' | ',', quote: '"' | false): string[] {
  const options = { delimiter, quote, relax_quotes: true, relax_column_count: true, record_delimiter: '\r\n' };
  return (parse(line, options) as string[][]).flat();
}

describe('CSV exports opened in a spreadsheet', () => {
  it(
    'a cell like x;=HYPERLINK("http://evil") is quoted and runs no ' + 'formula in a French (;) or English (,) Excel',
    () => {
      const line = csvLine(['Utopia', ...HOSTILE, 42]);
      expect(line.startsWith('Utopia,"x;\'=HYPERLINK(""http://evil"",""click"")"')).toBe(true);
      for (const delimiter of [';', ','] as const) {
        for (const quote of ['"', false] as const) {
          const cells = cellsAs(line, delimiter, quote).map((c) => c.replace(/^"+/, '').trimStart());
          expect(
            cells.filter((c) => FORMULA.test(c)),
            `read with ${delimiter} and quote ${String(quote)}`,
          ).toEqual([]);
        }
      }
    },
  );

  it('read back with commas, each cell keeps its text behind the apostrophe guard', () => {
    const line = csvLine(['x;=HYPERLINK("http://evil")', '=1+1', 'Calais; Paris', 'plain']);
    const [row] = parse(line, { record_delimiter: '\r\n' }) as string[][];
    expect(row).toEqual(['x;\'=HYPERLINK("http://evil")', "'=1+1", 'Calais; Paris', 'plain']);
  });

  it('numbers, dates and empty cells are written as they are', () => {
    const line = csvLine([-3, 2.5, new Date('2026-11-01T00:00:00Z'), null, undefined, true]);
    expect(line).toBe('-3,2.5,2026-11-01T00:00:00.000Z,,,true\r\n');
  });
});
