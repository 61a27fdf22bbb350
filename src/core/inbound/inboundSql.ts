import { prepared, sql as statement, type SqlRunner, type Statement } from '../db/sqlRunner.js';
import type { Channel, ContactKind } from '../../generated/prisma/enums.js';
import { ensureIdentityStatement } from '../contacts/contactSql.js';
import type { InboundContent, OutboundContent } from '../messages/messageTypes.js';

// The hot path of every inbound message in three statements (plus BEGIN/COMMIT): measured 2-3x
// faster than the same work through Prisma's query builder, which dominated the CPU profile.

export interface LockedTurn {
  identityId: string;
  contactId: string;
  /** null when this update was already stored (a replay) */
  messageId: string | null;
  language: string | null;
  kind: ContactKind;
  associationId: string | null;
  consentAt: Date | null;
  lastSeenAt: Date;
  state: unknown;
  expiresAt: Date | null;
}

/**
 * Stores the inbound message (unless its dedupe key exists), locks the person's row so their
 * messages are processed one at a time, then reads their conversation as the previous message
 * left it, in one trip. Returns undefined when the platform id is unknown; the caller then
 * calls again with `addressCipher`, which first gives the new person their pseudonymous contact
 * in the same trip (always doing so cost known people 5-10 % of throughput).
 */
export async function storeInboundAndLock(
  sql: SqlRunner,
  input: { channel: Channel; platformIdHash: string; addressCipher?: string; dedupeKey: string; content: InboundContent; receivedAt: Date },
): Promise<LockedTurn | undefined> {
  const content = JSON.stringify(input.content);
  // Sent together by the fast path. The conversation is read in a statement of
  // its own, after the lock: in READ COMMITTED a row read by the locking statement would come
  // from its snapshot, taken before waiting for the lock, i.e. before the person's previous
  // message committed its new state; the second statement takes a fresh snapshot.
  const { addressCipher } = input;
  const ensure = addressCipher === undefined ? [] : [ensureIdentityStatement({ ...input, addressCipher })];
  const results = await sql.queryAll([
    ...ensure,
    prepared('relais_inbound_store_lock')`
    WITH ident AS (
      SELECT id, "contactId" FROM "ChannelIdentity"
      WHERE channel = ${input.channel}::"Channel" AND "platformIdHash" = ${input.platformIdHash}
    ), ins AS (
      INSERT INTO "Message" (id, channel, direction, status, "dedupeKey", "identityId", "contactId", content, "createdAt")
      SELECT gen_random_uuid(), ${input.channel}::"Channel", 'INBOUND', 'PROCESSED', ${input.dedupeKey}, ident.id, ident."contactId", ${content}::jsonb, ${input.receivedAt}
      FROM ident
      ON CONFLICT (channel, "dedupeKey") DO NOTHING
      RETURNING id
    )
    SELECT ident.id AS "identityId", ident."contactId", (SELECT id FROM ins) AS "messageId",
           c.language, c.kind, c."associationId", c."consentAt", c."lastSeenAt"
    FROM ident JOIN "Contact" c ON c.id = ident."contactId"
    FOR UPDATE OF c`,
    prepared('relais_inbound_conversation')`
    SELECT state, "expiresAt" FROM "Conversation"
    WHERE "contactId" = (SELECT "contactId" FROM "ChannelIdentity" WHERE channel = ${input.channel}::"Channel" AND "platformIdHash" = ${input.platformIdHash})`,
  ]);
  const [lockedRows = [], conversationRows = []] = results.slice(ensure.length);
  // the caller's statements name their row shapes, as with Prisma's $queryRaw<T>
  const locked = lockedRows[0] as Omit<LockedTurn, 'state' | 'expiresAt'> | undefined;
  if (!locked?.messageId) return locked ? { ...locked, state: null, expiresAt: null } : undefined;
  const conversation = conversationRows[0] as { state: unknown; expiresAt: Date } | undefined;
  return { ...locked, state: conversation?.state ?? null, expiresAt: conversation?.expiresAt ?? null };
}

/** Undoes storeInboundAndLock's insert, for a turn that leaves its batch to run again elsewhere. */
export function forgetInboundStatement(messageId: string): Statement {
  return statement`DELETE FROM "Message" WHERE id = ${messageId}::uuid AND direction = 'INBOUND'`;
}

/** What a message read at a secret step (a reconnection code) is stored as: that a code was entered, not the code. */
export const CODE_ENTERED: InboundContent = { kind: 'text', text: '[code entered]' };

/** Replaces a stored inbound message's content by CODE_ENTERED (nobody reads it back: deferred on the fast path). */
export function redactInboundStatement(messageId: string): Statement {
  return statement`UPDATE "Message" SET content = ${JSON.stringify(CODE_ENTERED)}::jsonb
    WHERE id = ${messageId}::uuid AND direction = 'INBOUND'`;
}

/**
 * Writes the replies of a turn to the outbox (in order, marked as handed to the queue: the
 * caller dispatches right after commit and clears the mark if that fails) and saves the
 * conversation, in one statement.
 */
export async function writeTurn(
  sql: SqlRunner,
  input: {
    channel: Channel;
    identityId: string;
    contactId: string;
    contents: OutboundContent[];
    conversation?: { state: string; expiresAt: Date };
  },
): Promise<Array<{ id: string; channel: Channel; identityId: string | null }>> {
  const contents = JSON.stringify(input.contents);
  const save = input.conversation !== undefined;
  const state = input.conversation?.state ?? '{}';
  const expiresAt = input.conversation?.expiresAt ?? new Date(0);
  // the last statement of a turn: the fast path commits with it, in the same trip
  const [rows = []] = await sql.queryAll([
    prepared('relais_inbound_write_turn')`
    WITH outbound AS (
      INSERT INTO "Message" (id, channel, direction, status, "identityId", "contactId", content, "queuedAt")
      SELECT gen_random_uuid(), ${input.channel}::"Channel", 'OUTBOUND', 'PENDING', ${input.identityId}::uuid, ${input.contactId}::uuid, x.content, now()
      FROM jsonb_array_elements(${contents}::jsonb) WITH ORDINALITY AS x(content, n)
      ORDER BY x.n
      RETURNING id, seq
    ), conversation AS (
      INSERT INTO "Conversation" (id, "contactId", state, "expiresAt", "updatedAt")
      SELECT gen_random_uuid(), ${input.contactId}::uuid, ${state}::jsonb, ${expiresAt}, now() WHERE ${save}
      ON CONFLICT ("contactId") DO UPDATE SET state = EXCLUDED.state, "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = now()
      RETURNING 1
    )
    SELECT id, seq FROM outbound, (SELECT count(*) FROM conversation) AS saved ORDER BY seq`,
  ], { commit: true });
  return (rows as Array<{ id: string }>).map((r) => ({ id: r.id, channel: input.channel, identityId: input.identityId }));
}

/** Marks a person and the account they wrote from as seen now (called at most hourly per person; sent with the turn's last trip). */
export async function touchLastSeen(sql: SqlRunner, contactId: string, identityId: string, now: Date): Promise<void> {
  await sql.defer(prepared('relais_inbound_last_seen')`
    WITH c AS (UPDATE "Contact" SET "lastSeenAt" = ${now} WHERE id = ${contactId}::uuid RETURNING 1)
    UPDATE "ChannelIdentity" SET "lastSeenAt" = ${now} WHERE id = ${identityId}::uuid`);
}
