/**
 * IMEI rules (3GPP TS 23.003): 14 digits (TAC + serial) followed by a Luhn check digit.
 * Refurbishers' spreadsheets often add spaces, dashes or slashes for readability.
 */

/** Digits of an IMEI as people write it ("35 209900 176148 1", "35-209900-176148-1"), separators removed. */
export function normalizeImei(value: string): string {
  return value.replace(/[\s\-./]/g, '');
}

/** The Luhn check digit for a string of digits (the IMEI's 15th digit for its first 14). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // from the right, every second digit (starting with the rightmost) is doubled
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export type ImeiProblem = 'format' | 'checksum';

/** Why a normalized IMEI is not valid, or null when it is 15 digits with a correct Luhn digit. */
export function imeiProblem(imei: string): ImeiProblem | null {
  if (!/^\d{15}$/.test(imei)) return 'format';
  return luhnCheckDigit(imei.slice(0, 14)) === Number(imei[14]) ? null : 'checksum';
}

/** A valid IMEI made of 14 given digits and their check digit (demo data, tests). */
export function withCheckDigit(first14: string): string {
  if (!/^\d{14}$/.test(first14)) throw new RangeError('an IMEI body is 14 digits');
  return `${first14}${luhnCheckDigit(first14)}`;
}
