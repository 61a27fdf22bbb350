/**
 * One CSV line (RFC 4180, CRLF). Cells that a spreadsheet would run as a formula (starting
 * with = + - @ or a control character) get a leading apostrophe: exports are opened in Excel.
 */
export function csvLine(cells: ReadonlyArray<string | number | boolean | Date | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
