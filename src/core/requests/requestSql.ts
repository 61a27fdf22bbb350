import { z } from 'zod';
import type { RequestKind, Urgency } from '../../generated/prisma/enums.js';
import type { SqlRunner } from '../db/prismaRunner.js';
import { firstRow, prepared, sql, type Statement } from '../db/sql.js';
import { OPEN_STATUSES } from './requestStatus.js';

/**
 * Where the request statements run: the turn's transaction, a Prisma one or the inbound fast
 * path's own client. Writes are deferred (sent with the transaction's next trip).
 */
export type RequestSqlExecutor = Pick<SqlRunner, 'queryAll' | 'defer'>;

const numberRow = z.object({ n: z.number().int() });

/** Draws the next request number from the `Request.number` sequence. */
export async function drawRequestNumber(executor: RequestSqlExecutor): Promise<number> {
  const [rows = []] = await executor.queryAll([
    sql`SELECT nextval(pg_get_serial_sequence('"Request"', 'number'))::int AS n`,
  ]);
  const row = firstRow(numberRow, rows);
  if (!row) throw new Error('no request number drawn');
  return row.n;
}

/** The INSERT of a new request (prepared once per connection: the hot path creates requests). */
export function insertRequestStatement(request: {
  id: string;
  number: number;
  reference: string;
  kind: RequestKind;
  contactId: string | null;
  associationId: string | null;
  urgency: Urgency;
  language: string | null;
  details: unknown;
  flaggedReason: string | null;
}): Statement {
  return prepared('relais_request_insert')`
    INSERT INTO "Request" (id, number, reference, kind, "contactId", "associationId", urgency, language, details,
                           "flaggedReason", "createdAt", "updatedAt")
    VALUES (${request.id}::uuid, ${request.number}::int, ${request.reference}, ${request.kind}::"RequestKind",
            ${request.contactId}::uuid, ${request.associationId}::uuid, ${request.urgency}::"Urgency",
            ${request.language}, ${JSON.stringify(request.details)}::jsonb, ${request.flaggedReason},
            clock_timestamp(), clock_timestamp())`;
}

/** Links a person's inbound message to a request. */
export function linkMessageStatement(requestId: string, messageId: string): Statement {
  return sql`UPDATE "Message" SET "requestId" = ${requestId}::uuid WHERE id = ${messageId}::uuid RETURNING 1`;
}

/** Makes an association the person's own. */
export function adoptAssociationStatement(contactId: string, associationId: string): Statement {
  return sql`UPDATE "Contact" SET "associationId" = ${associationId}::uuid WHERE id = ${contactId}::uuid RETURNING 1`;
}

/** Sends writes nobody reads back with the transaction's next trip, in order. */
export async function deferWrites(executor: RequestSqlExecutor, statements: readonly Statement[]): Promise<void> {
  for (const statement of statements) await executor.defer(statement);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const beforeCreateRow = z.object({
  openId: z.string().nullable(),
  openReference: z.string().nullable(),
  openFlaggedReason: z.string().nullable(),
  nextNumber: z.number().int().nullable(),
  chosenId: z.string().nullable(),
  ownAssociationId: z.string().nullable(),
  recentRecharges: z.number().int(),
});

/** What the rules of a new request found: the open request it joins, its number, its association, the quota. */
export interface RequestRulesFacts {
  open: { id: string; reference: string; flaggedReason: string | null } | null;
  /** drawn unless an open request is joined */
  nextNumber: number | null;
  association: { id: string | null; chosen: boolean };
  overQuota: boolean;
}

/**
 * What a new request needs to know, in one statement: the person's open request of the same
 * kind when `joinOpen` (one at a time; never a request for the family), the association (the
 * one chosen if it exists, none, or the person's own), the recharge quota (the person's
 * recharge requests since `quota.since`, cancelled ones aside) and, unless an open request is
 * joined, the new request's number. The inbound path locks the person's row, so two requests
 * of one person cannot both slip under the quota.
 */
export async function readRequestRules(
  runner: RequestSqlExecutor,
  input: {
    contactId: string;
    kind: RequestKind;
    joinOpen: boolean;
    /** undefined: the person's own; null: none */
    associationId: string | null | undefined;
    quota: { count: number; since: Date };
  },
): Promise<RequestRulesFacts> {
  const chosen = input.associationId;
  // an id that is not a uuid cannot name an association (and must not reach the ::uuid cast)
  const chosenId = typeof chosen === 'string' && UUID.test(chosen) ? chosen : null;
  const [rows = []] = await runner.queryAll([
    prepared('relais_request_read_before_create')`
    SELECT o.id AS "openId", o.reference AS "openReference", o."flaggedReason" AS "openFlaggedReason",
           CASE WHEN o.id IS NULL THEN nextval(pg_get_serial_sequence('"Request"', 'number'))::int END AS "nextNumber",
           (SELECT a.id FROM "Association" a WHERE a.id = ${chosenId}::uuid) AS "chosenId",
           (SELECT c."associationId" FROM "Contact" c WHERE c.id = ${input.contactId}::uuid) AS "ownAssociationId",
           (SELECT count(*)::int FROM "Request" r
            WHERE ${input.kind === 'RECHARGE'} AND r."contactId" = ${input.contactId}::uuid AND r.kind = 'RECHARGE'
              AND r."createdAt" >= ${input.quota.since}::timestamp AND r.status <> 'CANCELLED') AS "recentRecharges"
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT id, reference, "flaggedReason" FROM "Request"
      WHERE ${input.joinOpen} AND "contactId" = ${input.contactId}::uuid AND kind = ${input.kind}::"RequestKind"
        AND status::text = ANY (string_to_array(${OPEN_STATUSES.join(',')}, ','))
        AND details->>'forWhom' IS DISTINCT FROM 'family'
      ORDER BY "createdAt" DESC LIMIT 1
    ) AS o ON TRUE`,
  ]);
  const row = beforeCreateRow.parse(rows[0]);
  const association =
    chosen === null
      ? { id: null, chosen: true }
      : chosen !== undefined
        ? { id: row.chosenId, chosen: true }
        : { id: row.ownAssociationId, chosen: false };
  const open =
    row.openId && row.openReference
      ? { id: row.openId, reference: row.openReference, flaggedReason: row.openFlaggedReason }
      : null;
  const overQuota = input.kind === 'RECHARGE' && row.recentRecharges >= input.quota.count;
  return { open, nextNumber: row.nextNumber, association, overQuota };
}
