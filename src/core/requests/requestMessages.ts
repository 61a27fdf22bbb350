import type { Statement } from '../db/sql.js';
import { taskStatement } from '../queue/enqueueTask.js';
import { deferWrites, linkMessageStatement, type RequestSqlExecutor } from './requestSql.js';

/** Task emitted for each message a person writes to a request; the Slack app posts it in the request's thread. */
export const REQUEST_MESSAGE_TASK = 'request.message';

/**
 * The statements linking a person's inbound message to a request and queueing its relay to
 * the volunteers (job data: ids only; the text stays in Postgres), and the outbox task id.
 */
export function attachMessageStatements(
  requestId: string,
  messageId: string,
): { taskId: string; statements: Statement[] } {
  const task = taskStatement(REQUEST_MESSAGE_TASK, { requestId, messageId });
  return { taskId: task.id, statements: [linkMessageStatement(requestId, messageId), task.statement] };
}

/** Links a message to a request and queues its relay (with the transaction's next trip). Returns the outbox task id. */
export async function attachMessageToRequest(
  executor: RequestSqlExecutor,
  requestId: string,
  messageId: string,
): Promise<string> {
  const { taskId, statements } = attachMessageStatements(requestId, messageId);
  await deferWrites(executor, statements);
  return taskId;
}
