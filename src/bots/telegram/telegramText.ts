/** Telegram's maximum message length (it counts UTF-16 code units, as JavaScript does). */
export const TELEGRAM_TEXT_MAX = 4096;

/**
 * Splits a text into parts Telegram accepts, preferring to cut between paragraphs, then
 * lines, then words, and never inside a surrogate pair (emoji, some scripts).
 */
export function splitTelegramText(text: string, max = TELEGRAM_TEXT_MAX): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    const part = rest.slice(0, cut).trimEnd();
    if (part.length > 0) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  // a break in the second half of the window keeps parts reasonably full
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= max / 2) return at;
  }
  const code = text.charCodeAt(max - 1);
  const highSurrogate = code >= 0xd800 && code <= 0xdbff;
  return highSurrogate ? max - 1 : max;
}
