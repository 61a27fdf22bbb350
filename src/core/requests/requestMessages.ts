import type { Tx } from '../db.js';
import { enqueueTask } from '../queue/enqueueTask.js';

/** Task emitted for each message a person writes to a request; the Slack app posts it in the request's thread. */
export const REQUEST_MESSAGE_TASK = 'request.message';

/**
 * Links a person's inbound message to a request and queues its relay to the volunteers
 * (job data: ids only; the text stays in Postgres). Returns the outbox task id.
 */
export async function attachMessageToRequest(tx: Tx, requestId: string, messageId: string): Promise<string> {
  await tx.message.update({ where: { id: messageId }, data: { requestId } });
  return enqueueTask(tx, REQUEST_MESSAGE_TASK, { requestId, messageId });
}
