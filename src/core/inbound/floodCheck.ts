/** The task that plays a person's held messages back, in order, once their window allows. */
export const REPLAY_HELD_TASK = 'inbound.replayHeld';

/** What a held inbound message is marked with (status RECEIVED: stored, not processed yet). */
export const HELD_MARK = 'held';

/**
 * A person's flood window, kept in their conversation record: `count` messages reached the
 * flows since `windowStart`; `held` is set while some of their messages wait to be played back.
 */
export interface FloodWindow {
  windowStart: number;
  count: number;
  held?: boolean | undefined;
}

export type FloodDecision =
  /** the message goes to the flows now; `flood` is the window to store */
  | { hold: false; flood: FloodWindow }
  /**
   * the message is kept and played back later, in order: `notify` on the first message
   * held in a row (the person is told once that they will be read shortly)
   */
  | { hold: true; flood: FloodWindow; notify: boolean; replayAt: Date };

/**
 * The flood check, one step of the turn: decides whether a message goes to the flows now or
 * waits. A message waits when the person already sent `limit` messages in the window, or while
 * earlier ones wait (order is kept); a message played back (`replay`) always goes, and counts
 * in the window like any other. Nothing is ever dropped: a held message is stored and played
 * back by the `inbound.replayHeld` task (heldReplayTask.ts).
 */
export function decideFlood(
  previous: FloodWindow | undefined,
  now: Date,
  limit: number,
  windowMs: number,
  replay: boolean,
): FloodDecision {
  const current = previous && now.getTime() - previous.windowStart < windowMs;
  const window: FloodWindow = current
    ? { ...previous }
    : { windowStart: now.getTime(), count: 0, held: previous?.held };
  const held = window.held === true;
  if (!replay && (held || window.count >= limit)) {
    return {
      hold: true,
      flood: { ...window, held: true },
      notify: !held,
      replayAt: new Date(window.windowStart + windowMs),
    };
  }
  return { hold: false, flood: { ...window, count: window.count + 1 } };
}
