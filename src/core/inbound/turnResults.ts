import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import type { StoredOutbound } from './turnStoreSql.js';

// What a turn comes back with: the results the receive orchestration chooses the path by.

export type ReceiveResult =
  | { status: 'accepted'; messageId: string; contactId: string; outbound: number }
  | { status: 'duplicate' }
  | { status: 'throttled'; messageId: string; contactId: string };

/** What a committed turn leaves to do after the commit. */
export interface TurnOutcome {
  result: ReceiveResult;
  /** the turn's replies, marked as queued: dispatched right after the commit */
  outbound: StoredOutbound[];
  jobIds: string[];
  /** flows completed in this turn (metrics) */
  completed: string[];
  /** messages domain commands wrote to the person's other accounts (not marked as queued) */
  commandMessages: DispatchableMessage[];
}

/** How running an inbound turn in a transaction ended. */
export type TurnRun =
  | { status: 'done'; outcome: TurnOutcome }
  /**
   * a command of the turn runs only in a Prisma transaction: nothing the turn did here may be
   * kept (it stored message `messageId`; its command writes were deferred); it runs again in
   * one, where the flow, being pure, decides the same
   */
  | { status: 'needsPrisma'; messageId: string }
  /** the person is in another turn of this same transaction (writing from two accounts at once, group commit) */
  | { status: 'personBusy' };
