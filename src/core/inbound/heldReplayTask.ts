import { z } from 'zod';
import type { Config } from '../config.js';
import type { Db } from '../db.js';
import { inboundContentSchema } from '../messages/messageTypes.js';
import type { OutboxDispatcher } from '../outbound/outboxDispatcher.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { readTaskData } from '../queue/taskData.js';
import type { TaskHandlers } from '../queue/taskWorker.js';
import type { Secrets } from '../secrets.js';
import { readConversationRecord } from './conversationRecord.js';
import { HELD_MARK, REPLAY_HELD_TASK } from './floodCheck.js';
import { clearHeldFlag, lockPersonState, oldestHeld, type HeldRow } from './heldMessagesSql.js';
import type { InboundService } from './inboundService.js';

export interface HeldReplayDeps {
  db: Db;
  config: Config;
  secrets: Secrets;
  inbound: Pick<InboundService, 'receive'>;
  dispatcher: Pick<OutboxDispatcher, 'dispatchJobs'>;
}

type Plan = { status: 'done' } | { status: 'later'; jobId: string } | { status: 'replay'; rows: HeldRow[] };

const taskData = z.object({ contactId: z.string().uuid() });
/** rounds of one run at most; each round plays back a window's worth */
const MAX_ROUNDS = 100;

/**
 * Looks at a person's held messages under their lock: none left → the held mark is cleared
 * and live messages go to the flows again; the window full → the run comes back when it ends;
 * otherwise the oldest messages the window still allows.
 */
async function planRound(deps: HeldReplayDeps, contactId: string): Promise<Plan> {
  const { config } = deps;
  return deps.db.$transaction(async (tx) => {
    const state = await lockPersonState(tx, contactId);
    const flood = readConversationRecord(state)?.flood;
    const now = Date.now();
    const windowMs = config.FLOOD_WINDOW_SECONDS * 1000;
    const current = flood !== undefined && now - flood.windowStart < windowMs;
    const budget = current ? config.FLOOD_MAX_PER_MINUTE - flood.count : config.FLOOD_MAX_PER_MINUTE;
    const rows = await oldestHeld(tx, contactId, Math.max(1, budget));
    if (rows.length === 0) {
      await clearHeldFlag(tx, contactId);
      return { status: 'done' };
    }
    if (budget <= 0) {
      const jobId = await enqueueTask(
        tx,
        REPLAY_HELD_TASK,
        { contactId },
        new Date((flood?.windowStart ?? now) + windowMs),
      );
      return { status: 'later', jobId };
    }
    return { status: 'replay', rows };
  });
}

/**
 * Plays back a person's messages held by the flood limit, oldest first, at most as many per
 * window as the limit allows: each goes through `InboundService.receive` like a new message
 * (so it is answered), and replaces its held copy in the same transaction. A message
 * identical to the one just played back is not played again (a repeated tap), and stays
 * stored as processed. Running twice is harmless: a replay has a de-duplication key of its own.
 */
export async function replayHeldMessages(deps: HeldReplayDeps, contactId: string): Promise<string> {
  let replayed = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const plan = await planRound(deps, contactId);
    if (plan.status === 'done') return `replayed ${replayed}`;
    if (plan.status === 'later') {
      await deps.dispatcher.dispatchJobs([plan.jobId]).catch(() => 0);
      return `replayed ${replayed}, more after the window`;
    }
    let previous: string | undefined;
    for (const row of plan.rows) {
      const content = inboundContentSchema.safeParse(row.content);
      const same = content.success && JSON.stringify(content.data) === previous;
      if (!content.success || !row.addressCipher || same) {
        // unreadable, unreachable, or a repeat of what was just answered: kept, not played back
        await deps.db.message.updateMany({
          where: { id: row.id, status: 'RECEIVED', lastError: HELD_MARK },
          data: { status: 'PROCESSED', lastError: same ? 'collapsed' : 'not_replayed' },
        });
        continue;
      }
      previous = JSON.stringify(content.data);
      await deps.inbound.receive({
        channel: row.channel,
        platformId: deps.secrets.decrypt(row.addressCipher),
        dedupeKey: `held:${row.id}`,
        receivedAt: new Date(),
        content: content.data,
        heldMessageId: row.id,
      });
      // normally gone with the replay's transaction; not when the turn failed and was stored apart
      await deps.db.message.deleteMany({ where: { id: row.id, status: 'RECEIVED', lastError: HELD_MARK } });
      replayed++;
    }
  }
  return `replayed ${replayed}, stopped after ${MAX_ROUNDS} rounds`;
}

/** The task that plays back held messages (scheduled by the inbound path at the end of a window). */
export function buildHeldReplayTasks(deps: HeldReplayDeps): TaskHandlers {
  return {
    [REPLAY_HELD_TASK]: async (data) => {
      const { contactId } = readTaskData(taskData, data, REPLAY_HELD_TASK);
      return replayHeldMessages(deps, contactId);
    },
  };
}
