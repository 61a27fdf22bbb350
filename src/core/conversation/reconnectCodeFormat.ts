import type { InboundContent } from '../messages/messageTypes.js';
import { normalizeDigits } from './normalizeText.js';

/** Shows a code as "4827 1930 56" (digits in groups, easier to copy by hand). */
export function formatCode(code: string): string {
  return code.replace(/(\d{4})(\d{4})(\d{2})/, '$1 $2 $3');
}

/** Keeps the digits of what a person typed ("٤٨٢٧ ١٩٣٠ ٥٦" → "4827193056"); null if it cannot be a code. */
export function parseCode(text: string): string | null {
  const digits = normalizeDigits(text).replace(/[\s\-.]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

/** What a message read at a secret step (a reconnection code) is stored as: that a code was entered, not the code. */
export const CODE_ENTERED: InboundContent = { kind: 'text', text: '[code entered]' };
