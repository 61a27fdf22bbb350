/** The first code point (digit zero) of each block of decimal digits read as 0-9. */
const digitBlocks = [
  0x0660 /* Arabic-Indic */, 0x06f0 /* Persian */, 0x0966 /* Devanagari */, 0x09e6 /* Bengali */,
  0xff10 /* full-width */,
];

/** Turns Arabic-Indic (٠-٩), Persian (۰-۹) and other decimal digits into ASCII 0-9. */
export function normalizeDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const block = digitBlocks.find((b) => code >= b && code <= b + 9);
    out += block === undefined ? ch : String(code - block);
  }
  return out;
}

/** Lower case, NFKC, no emoji/punctuation/marks at the ends, collapsed spaces, no leading slash. */
export function normalizeText(text: string): string {
  return normalizeDigits(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/^\//, '')
    .replace(/\u200e|\u200f|[\u202a-\u202e]|[\u2066-\u2069]|[\u200b-\u200d]|\ufe0f/g, '')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}
