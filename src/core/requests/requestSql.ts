import { z } from 'zod';
import type { RequestKind, RequestStatus, Urgency } from '../../generated/prisma/enums.js';
import type { SqlRunner } from '../db/prismaRunner.js';
import { firstRow, prepared, sql, type Statement } from '../db/sql.js';

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
            ${request.language}, ${JSON.stringify(request.details)}::jsonb, ${request.flaggedReason}, clock_timestamp(), clock_timestamp())`;
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

const beforeCreateRow = z.object({
  openId: z.string().nullable(),
  openReference: z.string().nullable(),
  openFlaggedReason: z.string().nullable(),
  nextNumber: z.number().int().nullable(),
  chosenId: z.string().nullable(),
  ownAssociationId: z.string().nullable(),
  recentRecharges: z.number().int(),
});
export type BeforeCreateRow = z.infer<typeof beforeCreateRow>;

/**
 * What a new request needs to know, in one statement: the person's latest request of `kind` in
 * one of `openStatuses` when `joinOpen`, the association `chosenId` if it exists, the person's
 * own association, their recharge requests since `since` (cancelled ones aside) when
 * `countRecharges`, and, unless an open request is found, the new request's number.
 */
export async function readBeforeCreate(
  executor: RequestSqlExecutor,
  input: {
    kind: RequestKind;
    contactId: string;
    chosenId: string | null;
    joinOpen: boolean;
    countRecharges: boolean;
    since: Date;
    openStatuses: readonly RequestStatus[];
  },
): Promise<BeforeCreateRow> {
  const [rows = []] = await executor.queryAll([
    prepared('relais_request_read_before_create')`
    SELECT o.id AS "openId", o.reference AS "openReference", o."flaggedReason" AS "openFlaggedReason",
           CASE WHEN o.id IS NULL THEN nextval(pg_get_serial_sequence('"Request"', 'number'))::int
           END AS "nextNumber",
           (SELECT a.id FROM "Association" a WHERE a.id = ${input.chosenId}::uuid) AS "chosenId",
           (SELECT c."associationId" FROM "Contact" c WHERE c.id = ${input.contactId}::uuid) AS "ownAssociationId",
           (SELECT count(*)::int FROM "Request" r
            WHERE ${input.countRecharges} AND r."contactId" = ${input.contactId}::uuid AND r.kind = 'RECHARGE'
              AND r."createdAt" >= ${input.since}::timestamp AND r.status <> 'CANCELLED') AS "recentRecharges"
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT id, reference, "flaggedReason" FROM "Request"
      WHERE ${input.joinOpen} AND "contactId" = ${input.contactId}::uuid AND kind = ${input.kind}::"RequestKind"
        AND status::text = ANY (string_to_array(${input.openStatuses.join(',')}, ','))
      ORDER BY "createdAt" DESC LIMIT 1
    ) AS o ON TRUE`,
  ]);
  const row = firstRow(beforeCreateRow, rows);
  if (!row) throw new Error('no row from the request read');
  return row;
}
