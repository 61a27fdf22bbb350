import type { Reply } from './engine/flowTypes.js';

/** What a long answer becomes, and whether it was cut (the person is then told). */
export interface ClippedText {
  text: string;
  cut: boolean;
}

/** A word boundary this close to the end is preferred to cutting a word in two. */
const BOUNDARY_WINDOW = 0.3;

/**
 * Keeps at most `max` characters (code points) of an answer, ending at a word boundary when
 * there is one near the end, and marks the cut with "…" so nobody takes it for the whole.
 */
export function clipText(text: string, max: number): ClippedText {
  const chars = [...text];
  if (chars.length <= max) return { text, cut: false };
  const head = chars.slice(0, max - 1).join('');
  const boundary = head.search(/\s\S*$/);
  const kept = boundary >= (max - 1) * (1 - BOUNDARY_WINDOW) ? head.slice(0, boundary) : head;
  return { text: `${kept.trimEnd()}…`, cut: true };
}

/** "✂️ Your answer was long: I kept its beginning", when an answer was cut. */
export function cutNotice(clipped: ClippedText): Reply[] {
  return clipped.cut ? [{ key: 'common:text_cut' }] : [];
}
