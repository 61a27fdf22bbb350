import { randomUUID } from 'node:crypto';
import { onAnyTransaction, onPrismaTransaction, type CommandHandlers, type TurnEnv } from '../commands/commandEnv.js';
import type { Transaction } from '../db/transaction.js';
import { commandEvent } from '../commands/commandEvents.js';
import type { CommandOutcome, DomainCommand } from '../commands/commandTypes.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { cancelFollowUpsOfRequest } from '../followUps/followUpService.js';
import { parseRequestDetails } from './requestDetails.js';
import { attachMessageStatements, attachMessageToRequest } from './requestMessages.js';
import { CANCELLABLE, listRequestsOf } from './myRequests.js';
import { changeRequestStatus, createRequest } from './requestService.js';
import { OPEN_STATUSES } from './requestStatus.js';
import { adoptAssociationStatement, readRequestRules } from './requestSql.js';

/** Kinds where a second open request of the same person joins the first instead (but see isForFamily). */
const ONE_OPEN_AT_A_TIME = new Set(['PHONE', 'CONTACT']);

/**
 * A phone for someone in the person's family is a request of its own: it never joins an open
 * one, and a request for oneself never joins a family one.
 */
function isForFamily(command: CreateRequest): boolean {
  return command.kind === 'PHONE' && command.details.forWhom === 'family';
}

type CreateRequest = Extract<DomainCommand, { type: 'createRequest' }>;

/** Shared location rounded to 3 decimals (about 100 m): enough to find a person, no more. */
function minimised(details: ReturnType<typeof parseRequestDetails>): Record<string, InputJsonValue> {
  if (details.kind === 'PHONE' && details.details.stay && 'latitude' in details.details.stay) {
    const { latitude, longitude } = details.details.stay;
    return {
      ...details.details,
      stay: { latitude: Math.round(latitude * 1000) / 1000, longitude: Math.round(longitude * 1000) / 1000 },
    };
  }
  return { ...details.details };
}

/**
 * A person's new request, in plain SQL (two trips: a read, then every write), so the inbound
 * fast path runs it without a Prisma transaction; a second open PHONE or CONTACT request
 * joins the first instead.
 */
async function createRequestOf(command: CreateRequest, env: TurnEnv, db: Transaction): Promise<CommandOutcome> {
  const runner = db.sql;
  const details = parseRequestDetails(command.kind, command.details);
  const quota = {
    count: env.config.RECHARGE_QUOTA_COUNT,
    since: new Date(env.now.getTime() - env.config.RECHARGE_QUOTA_DAYS * 86_400_000),
  };
  const rules = {
    contactId: env.contactId,
    kind: command.kind,
    joinOpen: ONE_OPEN_AT_A_TIME.has(command.kind) && !isForFamily(command),
    associationId: command.associationId,
    quota,
  };
  const { open, nextNumber, association, overQuota } = await readRequestRules(runner, rules);
  const attach = command.attachMessage && env.inboundMessageId ? env.inboundMessageId : null;
  if (open) {
    const jobIds = attach ? [await attachMessageToRequest(runner, open.id, attach)] : [];
    const event = commandEvent('requestCreated', {
      requestId: open.id,
      reference: open.reference,
      kind: command.kind,
      flaggedReason: open.flaggedReason,
      existing: true,
    });
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
  const event = commandEvent('requestCreated', {
    requestId: request.id,
    reference: request.reference,
    kind: request.kind,
    flaggedReason: request.flaggedReason,
    existing: false,
  });
  return {
    values: { reference: request.reference },
    event,
    jobIds: attachment ? [taskId, attachment.taskId] : [taskId],
  };
}

/** Commands about a person's requests: create (plain SQL, on either path), write to, cancel, list. */
export const requestCommands: CommandHandlers = {
  createRequest: onAnyTransaction(createRequestOf),

  attachToRequest: onPrismaTransaction(async (command, env, db) => {
    const request = await env.tx.request.findFirst({
      where: { id: command.requestId, contactId: env.contactId },
      select: { status: true },
    });
    if (!request || !OPEN_STATUSES.includes(request.status))
      return { event: commandEvent('requestMessage', { attached: false }) };
    const jobId = await attachMessageToRequest(db.sql, command.requestId, env.inboundMessageId);
    return { event: commandEvent('requestMessage', { attached: true }), jobIds: [jobId] };
  }),

  cancelRequest: onPrismaTransaction(async (command, env) => {
    const request = await env.tx.request.findFirst({
      where: { id: command.requestId, contactId: env.contactId },
      select: { id: true, status: true, reference: true },
    });
    if (!request) return { event: commandEvent('requestCancelled', { result: 'not_found', reference: null }) };
    if (!CANCELLABLE.some((s) => s === request.status))
      return { event: commandEvent('requestCancelled', { result: 'not_cancellable', reference: request.reference }) };
    const change = await changeRequestStatus(env.tx, request.id, {
      to: 'CANCELLED',
      actor: { type: 'CONTACT', id: env.contactId },
      reason: 'cancelled_by_person',
      expectFrom: CANCELLABLE,
    });
    await cancelFollowUpsOfRequest(env.tx, request.id);
    return {
      event: commandEvent('requestCancelled', { result: 'cancelled', reference: request.reference }),
      jobIds: [change.taskId],
    };
  }),

  // one read statement: the fast path runs it too (opening "phone" lists the person's requests first)
  listMyRequests: onAnyTransaction(async (_command, env, db) => {
    const requests = await listRequestsOf(db.sql, env.contactId, env.now);
    return { event: commandEvent('myRequests', { requests }) };
  }),
};
