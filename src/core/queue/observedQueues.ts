import { Queue } from 'bullmq';
import { redisOptions } from './queueConnection.js';

export interface ObservedQueues {
  queues: readonly Queue[];
  close(): Promise<void>;
}

/**
 * Queue handles for looking at queues (dashboard, metrics), separate from the dispatcher's:
 * the dispatcher creates its producers lazily and must keep failing fast when Redis is down,
 * which handles opened at start-up and reconnecting in the background would change.
 */
export function observeQueues(names: readonly string[], redisUrl: string, prefix: string): ObservedQueues {
  const queues = names.map((name) => {
    const queue = new Queue(name, { connection: redisOptions(redisUrl, 'producer'), prefix });
    // errors surface on each call (and are handled there); without a listener they would be unhandled
    queue.on('error', () => undefined);
    return queue;
  });
  return {
    queues,
    async close() {
      // close() waits for a connection that may never come when Redis is down: bound it
      await Promise.all(
        queues.map((q) =>
          Promise.race([q.close().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]),
        ),
      );
      for (const q of queues) void q.disconnect().catch(() => undefined);
    },
  };
}
