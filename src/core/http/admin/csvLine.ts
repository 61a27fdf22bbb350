/**
 * One CSV line (RFC 4180, CRLF). Exports are opened in spreadsheets, which run a cell starting
 * with = + - @ (or tab / CR) as a formula, so such a cell gets a leading apostrophe. A French
 * Excel splits on `;` (and a naive reader on `,` inside quotes too), so a formula after any
 * separator inside a cell is guarded the same way, and a cell holding `;` is quoted like one
 * holding `,`.
 */
export function csvLine(cells: ReadonlyArray<string | number | boolean | Date | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** where another reader would start a new cell: after `;`, `,`, a tab or a line break (and spaces) */
const FORMULA_AFTER_SEPARATOR = /([;,\t\r\n] *)(?=[=+\-@])/g;
const NEEDS_QUOTES = /[",;\t\r\n]/;

function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') return String(value);
  const guarded = value.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  const safe = FORMULA_START.test(guarded) ? `'${guarded}` : guarded;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
