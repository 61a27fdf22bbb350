import { randomUUID } from 'node:crypto';
import type { CommandHandlers, SqlCommandEnv, SqlCommandHandler, SqlCommandHandlers } from '../commands/commandEnv.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { commandEvent } from '../commands/commandEvents.js';
import type { DomainCommand } from '../commands/commandTypes.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { cancelFollowUpsOfRequest } from '../followUps/followUpService.js';
import { parseRequestDetails } from './requestDetails.js';
import { attachMessageStatements, attachMessageToRequest } from './requestMessages.js';
import { CANCELLABLE, listRequestsOf } from './myRequests.js';
import { changeRequestStatus, createRequest } from './requestService.js';
import { OPEN_STATUSES } from './requestStatus.js';
import { adoptAssociationStatement, readBeforeCreate as readBeforeCreateRow, type RequestSqlExecutor } from './requestSql.js';

/** Kinds where a second open request of the same person joins the first instead. */
const ONE_OPEN_AT_A_TIME = new Set(['PHONE', 'CONTACT']);

type CreateRequest = Extract<DomainCommand, { type: 'createRequest' }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shared location rounded to 3 decimals (about 100 m): enough to find a person, no more. */
function minimised(details: ReturnType<typeof parseRequestDetails>): Record<string, InputJsonValue> {
  if (details.kind === 'PHONE' && details.details.stay && 'latitude' in details.details.stay) {
    const { latitude, longitude } = details.details.stay;
    return { ...details.details, stay: { latitude: Math.round(latitude * 1000) / 1000, longitude: Math.round(longitude * 1000) / 1000 } };
  }
  return { ...details.details };
}

/**
 * What a new request needs to know, in one statement: the person's open request of the same
 * kind (PHONE, CONTACT: one at a time), the association (the one chosen if it exists, none,
 * or the person's own), the recharge quota: the person's recharge requests of the last
 * RECHARGE_QUOTA_DAYS days, cancelled ones aside, and, unless an open request is joined, the
 * new request's number. The inbound path locks the person's row, so two requests of one person
 * cannot both slip under the quota.
 */
async function readBeforeCreate(command: CreateRequest, env: SqlCommandEnv, executor: RequestSqlExecutor) {
  const chosen = command.associationId;
  // an id that is not a uuid cannot name an association (and must not reach the ::uuid cast)
  const chosenId = typeof chosen === 'string' && UUID.test(chosen) ? chosen : null;
  const quota = { count: env.config.RECHARGE_QUOTA_COUNT, days: env.config.RECHARGE_QUOTA_DAYS };
  const since = new Date(env.now.getTime() - quota.days * 86_400_000);
  const row = await readBeforeCreateRow(executor, {
    kind: command.kind,
    contactId: env.contactId,
    chosenId,
    joinOpen: ONE_OPEN_AT_A_TIME.has(command.kind),
    countRecharges: command.kind === 'RECHARGE',
    since,
    openStatuses: OPEN_STATUSES,
  });
  const association = chosen === null ? { id: null, chosen: true } : chosen !== undefined ? { id: row.chosenId, chosen: true } : { id: row.ownAssociationId, chosen: false };
  const open = row.openId && row.openReference ? { id: row.openId, reference: row.openReference, flaggedReason: row.openFlaggedReason } : null;
  return { open, nextNumber: row.nextNumber, association, overQuota: command.kind === 'RECHARGE' && row.recentRecharges >= quota.count };
}

/**
 * A person's new request, in plain SQL (two trips: a read, then every write), so the inbound
 * fast path runs it without a Prisma transaction; a second open PHONE or CONTACT request
 * joins the first instead.
 */
const createRequestSql: SqlCommandHandler<'createRequest'> = async (command, env, runner) => {
  const details = parseRequestDetails(command.kind, command.details);
  const { open, nextNumber, association, overQuota } = await readBeforeCreate(command, env, runner);
  const attach = command.attachMessage && env.inboundMessageId ? env.inboundMessageId : null;
  if (open) {
    const jobIds = attach ? [await attachMessageToRequest(runner, open.id, attach)] : [];
    const event = commandEvent('requestCreated', { requestId: open.id, reference: open.reference, kind: command.kind, flaggedReason: open.flaggedReason, existing: true });
    return { values: { reference: open.reference }, event, jobIds };
  }
  if (nextNumber === null) throw new Error('no request number drawn');
  const requestId = randomUUID();
  const attachment = attach ? attachMessageStatements(requestId, attach) : null;
  // a chosen association becomes the person's own
  const adopt = association.chosen && association.id ? [adoptAssociationStatement(env.contactId, association.id)] : [];
  const { request, taskId } = await createRequest(
    runner,
    {
      id: requestId,
      number: nextNumber,
      kind: command.kind,
      contactId: env.contactId,
      associationId: association.id,
      urgency: command.urgency ?? 'NORMAL',
      language: env.language,
      details: minimised(details),
      flaggedReason: overQuota ? 'over_quota' : null,
    },
    [...adopt, ...(attachment?.statements ?? [])],
  );
  const event = commandEvent('requestCreated', { requestId: request.id, reference: request.reference, kind: request.kind, flaggedReason: request.flaggedReason, existing: false });
  return { values: { reference: request.reference }, event, jobIds: attachment ? [taskId, attachment.taskId] : [taskId] };
};

/** Commands about requests that are plain SQL: the inbound fast path runs them on its pg client. */
export const requestSqlCommands: SqlCommandHandlers = { createRequest: createRequestSql };

/** Commands about a person's requests: create, write to, cancel, list. */
export const requestCommands: CommandHandlers = {
  createRequest: (command, env) => createRequestSql(command, env, prismaRunner(env.tx)),

  attachToRequest: async (command, env) => {
    const request = await env.tx.request.findFirst({ where: { id: command.requestId, contactId: env.contactId }, select: { status: true } });
    if (!request || !OPEN_STATUSES.includes(request.status)) return { event: commandEvent('requestMessage', { attached: false }) };
    const jobId = await attachMessageToRequest(prismaRunner(env.tx), command.requestId, env.inboundMessageId);
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
