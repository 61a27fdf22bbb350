import { z } from 'zod';
import type { Db } from '../db.js';
import type { InboundService } from '../inbound/inboundService.js';
import { readConversationRecord } from '../inbound/conversationRecord.js';
import type { TaskHandlers } from '../queue/taskWorker.js';
import { readTaskData } from '../queue/taskData.js';
import { REQUEST_MESSAGE_TASK } from './requestMessages.js';
import { OPEN_STATUSES } from './requestStatus.js';
import { STAFF_REPLIED_TASK } from './staffReply.js';
import { VOLUNTEER_CHAT } from '../proactiveFlows.js';

const requestIdData = z.object({ requestId: z.string().uuid() });

/**
 * After a volunteer's reply, the person's next words should reach the volunteer: unless they
 * are already in the chat of this request, the chat is opened (one short prompt).
 */
async function openVolunteerChat(
  deps: { db: Db; inbound: Pick<InboundService, 'startFlowFor'> },
  requestId: string,
): Promise<string> {
  const request = await deps.db.request.findUnique({
    where: { id: requestId },
    select: { contactId: true, status: true, reference: true },
  });
  if (!request?.contactId || !OPEN_STATUSES.includes(request.status)) return 'request closed';
  const conversation = await deps.db.conversation.findUnique({
    where: { contactId: request.contactId },
    select: { state: true, expiresAt: true },
  });
  const flow =
    conversation && conversation.expiresAt > new Date() ? readConversationRecord(conversation.state)?.flow : undefined;
  if (flow?.flow === VOLUNTEER_CHAT.flow && flow.step === VOLUNTEER_CHAT.step && flow.data.requestId === requestId)
    return 'already in the chat';
  const sent = await deps.inbound.startFlowFor(
    request.contactId,
    VOLUNTEER_CHAT.flow,
    { requestId, reference: request.reference },
    { step: VOLUNTEER_CHAT.step },
  );
  return sent ? 'chat opened' : 'person unreachable';
}

/** Core tasks of requests. `request.message` is the Slack app's; without Slack it completes as a no-op. */
export function buildRequestTasks(deps: { db: Db; inbound: Pick<InboundService, 'startFlowFor'> }): TaskHandlers {
  return {
    [REQUEST_MESSAGE_TASK]: async () => 'no staff channel configured',
    [STAFF_REPLIED_TASK]: async (data) =>
      openVolunteerChat(deps, readTaskData(requestIdData, data, STAFF_REPLIED_TASK).requestId),
  };
}
