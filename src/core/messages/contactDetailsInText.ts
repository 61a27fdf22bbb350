import { findPhoneNumbersInText } from 'libphonenumber-js';

/** A phone number or e-mail address inside a text: `text.slice(start, end)` is what was typed. */
interface ContactDetailSpan {
  kind: 'phone' | 'email';
  start: number;
  end: number;
}

/** Most people write French numbers without +33; any number written with + or 00 is found whatever its country. */
const DEFAULT_COUNTRY = 'FR';
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

const overlaps = (a: ContactDetailSpan, b: ContactDetailSpan) => a.start < b.end && b.start < a.end;

/**
 * The phone numbers (libphonenumber-js: French national formats and every international one)
 * and e-mail addresses a person typed in a message, in order, not overlapping (an address
 * made of digits counts as an address).
 */
function findContactDetails(text: string): ContactDetailSpan[] {
  const emails = [...text.matchAll(EMAIL)].map(
    (m): ContactDetailSpan => ({ kind: 'email', start: m.index, end: m.index + m[0].length }),
  );
  const phones: ContactDetailSpan[] = findPhoneNumbersInText(text, { defaultCountry: DEFAULT_COUNTRY })
    .map((found): ContactDetailSpan => ({ kind: 'phone', start: found.startsAt, end: found.endsAt }))
    .filter((phone) => !emails.some((email) => overlaps(phone, email)));
  return [...emails, ...phones].sort((a, b) => a.start - b.start);
}

/** A text cut around its contact details: plain pieces and the details, in order. */
export type TextPiece = { kind: 'text'; text: string } | { kind: 'phone' | 'email'; text: string };

/**
 * Splits what a person typed into plain pieces and the phone numbers and e-mail addresses
 * between them, so that staff surfaces can mask the details and show the rest.
 */
export function splitContactDetails(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const span of findContactDetails(text)) {
    if (span.start > at) pieces.push({ kind: 'text', text: text.slice(at, span.start) });
    pieces.push({ kind: span.kind, text: text.slice(span.start, span.end) });
    at = span.end;
  }
  if (at < text.length) pieces.push({ kind: 'text', text: text.slice(at) });
  return pieces;
}
