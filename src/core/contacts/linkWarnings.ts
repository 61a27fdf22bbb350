import type { Channel } from '../../generated/prisma/enums.js';
import type { CommandEnv } from '../commands/commandEnv.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { queueTextToContact } from '../outbound/queueTextToContact.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { REQUEST_TASKS } from '../requests/requestService.js';
import { OPEN_STATUSES } from '../requests/requestStatus.js';

/**
 * After a new account was linked to a person with a code: each of the person's previous
 * accounts is told, in the person's language ("a new phone was linked to your record; if it
 * was not you, tell a volunteer"), and the cards of their open requests are re-rendered so
 * staff see the link. Whoever took over a record with a stolen or wrongly issued code cannot
 * do it unseen. Call before the link changes the person's language.
 */
export async function warnPreviousAccounts(
  env: CommandEnv,
  contactId: string,
  previousIdentities: Array<{ id: string; channel: Channel }>,
): Promise<{ messages: DispatchableMessage[]; jobIds: string[] }> {
  const messages: DispatchableMessage[] = [];
  for (const identity of previousIdentities) {
    const warning = { contactId, identityId: identity.id, key: 'code:new_account_linked' };
    const message = await queueTextToContact(env.tx, env.i18n, warning);
    if (message) messages.push(message);
  }
  const open = await env.tx.request.findMany({
    where: { contactId, status: { in: [...OPEN_STATUSES] } },
    select: { id: true },
  });
  const jobIds: string[] = [];
  for (const request of open) jobIds.push(await enqueueTask(env.tx, REQUEST_TASKS.changed, { requestId: request.id }));
  return { messages, jobIds };
}
