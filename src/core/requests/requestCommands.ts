import type { CommandEnv, CommandHandlers } from '../commands/commandEnv.js';
import { commandEvent } from '../commands/commandEvents.js';
import type { DomainCommand } from '../commands/commandTypes.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { cancelFollowUpsOfRequest } from '../followUps/followUpService.js';
import { isOverRechargeQuota } from './rechargeQuota.js';
import { parseRequestDetails } from './requestDetails.js';
import { attachMessageToRequest } from './requestMessages.js';
import { CANCELLABLE, listRequestsOf } from './myRequests.js';
import { changeRequestStatus, createRequest } from './requestService.js';
import { OPEN_STATUSES } from './requestStatus.js';

/** Kinds where a second open request of the same person joins the first instead. */
const ONE_OPEN_AT_A_TIME = new Set(['PHONE', 'CONTACT']);

type CreateRequest = Extract<DomainCommand, { type: 'createRequest' }>;

/** The association of a new request: the one chosen (if it exists), none, or the person's own. */
async function resolveAssociation(command: CreateRequest, env: CommandEnv): Promise<{ associationId: string | null; chosen: boolean }> {
  if (command.associationId === null) return { associationId: null, chosen: true };
  if (command.associationId !== undefined) {
    const found = await env.tx.association.findUnique({ where: { id: command.associationId }, select: { id: true } });
    return { associationId: found?.id ?? null, chosen: true };
  }
  const contact = await env.tx.contact.findUniqueOrThrow({ where: { id: env.contactId }, select: { associationId: true } });
  return { associationId: contact.associationId, chosen: false };
}

/** Shared location rounded to 3 decimals (about 100 m): enough to find a person, no more. */
function minimised(details: ReturnType<typeof parseRequestDetails>): Record<string, InputJsonValue> {
  if (details.kind === 'PHONE' && details.details.stay && 'latitude' in details.details.stay) {
    const { latitude, longitude } = details.details.stay;
    return { ...details.details, stay: { latitude: Math.round(latitude * 1000) / 1000, longitude: Math.round(longitude * 1000) / 1000 } };
  }
  return { ...details.details };
}

/** Commands about a person's requests: create, write to, cancel, list. */
export const requestCommands: CommandHandlers = {
  createRequest: async (command, env) => {
    const { tx } = env;
    const details = parseRequestDetails(command.kind, command.details);
    const jobIds: string[] = [];
    if (ONE_OPEN_AT_A_TIME.has(command.kind)) {
      const open = await tx.request.findFirst({
        where: { contactId: env.contactId, kind: command.kind, status: { in: [...OPEN_STATUSES] } },
        orderBy: { createdAt: 'desc' },
        select: { id: true, reference: true, flaggedReason: true },
      });
      if (open) {
        if (command.attachMessage && env.inboundMessageId) jobIds.push(await attachMessageToRequest(tx, open.id, env.inboundMessageId));
        const event = commandEvent('requestCreated', { requestId: open.id, reference: open.reference, kind: command.kind, flaggedReason: open.flaggedReason, existing: true });
        return { values: { reference: open.reference }, event, jobIds };
      }
    }
    const { associationId, chosen } = await resolveAssociation(command, env);
    if (chosen && associationId) await tx.contact.update({ where: { id: env.contactId }, data: { associationId } });
    const quota = { count: env.config.RECHARGE_QUOTA_COUNT, days: env.config.RECHARGE_QUOTA_DAYS };
    const overQuota = command.kind === 'RECHARGE' && (await isOverRechargeQuota(tx, env.contactId, quota, env.now));
    const { request, taskId } = await createRequest(tx, {
      kind: command.kind,
      contactId: env.contactId,
      associationId,
      urgency: command.urgency ?? 'NORMAL',
      language: env.language,
      details: minimised(details),
      flaggedReason: overQuota ? 'over_quota' : null,
    });
    jobIds.push(taskId);
    if (command.attachMessage && env.inboundMessageId) jobIds.push(await attachMessageToRequest(tx, request.id, env.inboundMessageId));
    const event = commandEvent('requestCreated', { requestId: request.id, reference: request.reference, kind: request.kind, flaggedReason: request.flaggedReason, existing: false });
    return { values: { reference: request.reference }, event, jobIds };
  },

  attachToRequest: async (command, env) => {
    const request = await env.tx.request.findFirst({ where: { id: command.requestId, contactId: env.contactId }, select: { status: true } });
    if (!request || !OPEN_STATUSES.includes(request.status)) return { event: commandEvent('requestMessage', { attached: false }) };
    const jobId = await attachMessageToRequest(env.tx, command.requestId, env.inboundMessageId);
    return { event: commandEvent('requestMessage', { attached: true }), jobIds: [jobId] };
  },

  cancelRequest: async (command, env) => {
    const request = await env.tx.request.findFirst({ where: { id: command.requestId, contactId: env.contactId }, select: { id: true, status: true, reference: true } });
    if (!request) return { event: commandEvent('requestCancelled', { result: 'not_found', reference: null }) };
    if (!CANCELLABLE.some((s) => s === request.status)) return { event: commandEvent('requestCancelled', { result: 'not_cancellable', reference: request.reference }) };
    const change = await changeRequestStatus(env.tx, request.id, { to: 'CANCELLED', actor: { type: 'CONTACT', id: env.contactId }, reason: 'cancelled_by_person', expectFrom: CANCELLABLE });
    await cancelFollowUpsOfRequest(env.tx, request.id);
    return { event: commandEvent('requestCancelled', { result: 'cancelled', reference: request.reference }), jobIds: [change.taskId] };
  },

  listMyRequests: async (_command, env) => {
    const requests = await listRequestsOf(env.tx, env.contactId, env.now);
    return { event: commandEvent('myRequests', { requests }) };
  },
};
