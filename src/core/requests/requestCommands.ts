import { randomUUID } from 'node:crypto';
import type { CommandHandlers, SqlCommandEnv, SqlCommandHandler, SqlCommandHandlers } from '../commands/commandEnv.js';
import { prepared, prismaRunner, sql, type SqlRunner } from '../db/sqlRunner.js';
import { commandEvent } from '../commands/commandEvents.js';
import type { DomainCommand } from '../commands/commandTypes.js';
import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import { cancelFollowUpsOfRequest } from '../followUps/followUpService.js';
import { parseRequestDetails } from './requestDetails.js';
import { attachMessageStatements, attachMessageToRequest } from './requestMessages.js';
import { CANCELLABLE, listRequestsOf } from './myRequests.js';
import { changeRequestStatus, createRequest } from './requestService.js';
import { OPEN_STATUSES } from './requestStatus.js';

/** Kinds where a second open request of the same person joins the first instead (but see isForFamily). */
const ONE_OPEN_AT_A_TIME = new Set(['PHONE', 'CONTACT']);

type CreateRequest = Extract<DomainCommand, { type: 'createRequest' }>;

/**
 * A phone for someone in the person's family is a request of its own: it never joins an open
 * one, and a request for oneself never joins a family one.
 */
function isForFamily(command: CreateRequest): boolean {
  return command.kind === 'PHONE' && command.details.forWhom === 'family';
}

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
async function readBeforeCreate(command: CreateRequest, env: SqlCommandEnv, runner: SqlRunner) {
  const joinOpen = ONE_OPEN_AT_A_TIME.has(command.kind) && !isForFamily(command);
  const chosen = command.associationId;
  // an id that is not a uuid cannot name an association (and must not reach the ::uuid cast)
  const chosenId = typeof chosen === 'string' && UUID.test(chosen) ? chosen : null;
  const quota = { count: env.config.RECHARGE_QUOTA_COUNT, days: env.config.RECHARGE_QUOTA_DAYS };
  const since = new Date(env.now.getTime() - quota.days * 86_400_000);
  const [rows = []] = await runner.queryAll([
    prepared('relais_request_read_before_create')`
    SELECT o.id AS "openId", o.reference AS "openReference", o."flaggedReason" AS "openFlaggedReason",
           CASE WHEN o.id IS NULL THEN nextval(pg_get_serial_sequence('"Request"', 'number'))::int END AS "nextNumber",
           (SELECT a.id FROM "Association" a WHERE a.id = ${chosenId}::uuid) AS "chosenId",
           (SELECT c."associationId" FROM "Contact" c WHERE c.id = ${env.contactId}::uuid) AS "ownAssociationId",
           (SELECT count(*)::int FROM "Request" r WHERE ${command.kind === 'RECHARGE'} AND r."contactId" = ${env.contactId}::uuid AND r.kind = 'RECHARGE'
              AND r."createdAt" >= ${since}::timestamp AND r.status <> 'CANCELLED') AS "recentRecharges"
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT id, reference, "flaggedReason" FROM "Request"
      WHERE ${joinOpen} AND "contactId" = ${env.contactId}::uuid AND kind = ${command.kind}::"RequestKind" AND status::text = ANY (string_to_array(${OPEN_STATUSES.join(',')}, ','))
        AND details->>'forWhom' IS DISTINCT FROM 'family'
      ORDER BY "createdAt" DESC LIMIT 1
    ) AS o ON TRUE`,
  ]);
  // the statement names its row shape, as with Prisma's $queryRaw<T>
  const row = rows[0] as { openId: string | null; openReference: string | null; openFlaggedReason: string | null; nextNumber: number | null; chosenId: string | null; ownAssociationId: string | null; recentRecharges: number } | undefined;
  if (!row) throw new Error('no row from the request read');
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
  const adopt = association.chosen && association.id ? [sql`UPDATE "Contact" SET "associationId" = ${association.id}::uuid WHERE id = ${env.contactId}::uuid RETURNING 1`] : [];
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
