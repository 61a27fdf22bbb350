/** A person's messages counted in the current minute (kept in Conversation.state with the flow). */
export interface FloodWindow {
  windowStart: number;
  count: number;
}

export const FLOOD_WINDOW_MS = 60_000;

/**
 * What the flood check says of one more message: `within` the limit (run the flow), or beyond
 * it, where the first message `warn`s the person once and later ones stay `silent`; either way
 * the message is stored and not run through the flow.
 */
export type FloodVerdict = 'within' | 'warn' | 'silent';

/** Counts one more message of the person at `now` in their window (a new window after a minute). */
export function checkFlood(
  previous: FloodWindow | undefined,
  now: Date,
  maxPerMinute: number,
): { window: FloodWindow; verdict: FloodVerdict } {
  const current = previous !== undefined && now.getTime() - previous.windowStart < FLOOD_WINDOW_MS;
  const window = current ? { ...previous, count: previous.count + 1 } : { windowStart: now.getTime(), count: 1 };
  const verdict = window.count <= maxPerMinute ? 'within' : window.count === maxPerMinute + 1 ? 'warn' : 'silent';
  return { window, verdict };
}
