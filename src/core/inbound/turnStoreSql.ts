import { z } from 'zod';
import { prepared, sql as statement, type SqlRunner, type Statement } from '../db/sqlRunner.js';
import type { Channel } from '../../generated/prisma/enums.js';
import { ensureIdentityStatement } from '../contacts/contactSql.js';
import { CODE_ENTERED } from '../conversation/reconnectCodeFormat.js';
import { channels, type InboundContent, type OutboundContent } from '../messages/messageTypes.js';

// The turn store: every statement of an inbound turn, on whichever transaction the turn runs in
// (the fast path's pg client or a Prisma transaction). The hot path of every inbound message is
// three statements plus BEGIN/COMMIT (why hand-written: docs/BENCHMARKS.md).

const lockedRow = z.object({
  identityId: z.string(),
  contactId: z.string(),
  /** null when this update was already stored (a replay) */
  messageId: z.string().nullable(),
  language: z.string().nullable(),
  kind: z.enum(['BENEFICIARY', 'DONOR']),
  associationId: z.string().nullable(),
  consentAt: z.date().nullable(),
  lastSeenAt: z.date(),
});
const conversationRow = z.object({ state: z.unknown(), expiresAt: z.date() });

/** The person behind an inbound message, locked for the turn, with the conversation as their last message left it. */
export type LockedTurn = z.infer<typeof lockedRow> & { state: unknown; expiresAt: Date | null };

/**
 * Stores the inbound message (unless its dedupe key exists), locks the person's row so their
 * messages are processed one at a time, then reads their conversation as the previous message
 * left it, in one trip. Returns undefined when the platform id is unknown; the caller then
 * calls again with `addressCipher`, which first gives the new person their pseudonymous contact
 * in the same trip (always doing so cost known people 5-10 % of throughput). With `failure`
 * (a turn that failed, stored again in a transaction of its own) the message is kept
 * unprocessed (RECEIVED) with that error code.
 */
export async function storeInboundAndLock(
  sql: SqlRunner,
  input: {
    channel: Channel;
    platformIdHash: string;
    addressCipher?: string;
    dedupeKey: string;
    content: InboundContent;
    receivedAt: Date;
    failure?: string;
  },
): Promise<LockedTurn | undefined> {
  const content = JSON.stringify(input.content);
  const status = input.failure === undefined ? 'PROCESSED' : 'RECEIVED';
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
      INSERT INTO "Message"
        (id, channel, direction, status, "dedupeKey", "identityId", "contactId", content, "createdAt", "lastError")
      SELECT gen_random_uuid(), ${input.channel}::"Channel", 'INBOUND', ${status}::"MessageStatus", ${input.dedupeKey},
             ident.id, ident."contactId", ${content}::jsonb, ${input.receivedAt}, ${input.failure ?? null}::text
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
    WHERE "contactId" = (SELECT "contactId" FROM "ChannelIdentity"
                         WHERE channel = ${input.channel}::"Channel" AND "platformIdHash" = ${input.platformIdHash})`,
  ]);
  const [lockedRows = [], conversationRows = []] = results.slice(ensure.length);
  if (lockedRows.length === 0) return undefined;
  const locked = lockedRow.parse(lockedRows[0]);
  if (!locked.messageId) return { ...locked, state: null, expiresAt: null };
  const conversation = conversationRows.length > 0 ? conversationRow.parse(conversationRows[0]) : undefined;
  return { ...locked, state: conversation?.state ?? null, expiresAt: conversation?.expiresAt ?? null };
}

/** Undoes storeInboundAndLock's insert, for a turn that leaves its batch to run again elsewhere. */
export function forgetInboundStatement(messageId: string): Statement {
  return statement`DELETE FROM "Message" WHERE id = ${messageId}::uuid AND direction = 'INBOUND'`;
}

/** Replaces a stored inbound message's content by CODE_ENTERED (nobody reads it back: deferred on the fast path). */
export function redactInboundStatement(messageId: string): Statement {
  return statement`UPDATE "Message" SET content = ${JSON.stringify(CODE_ENTERED)}::jsonb
    WHERE id = ${messageId}::uuid AND direction = 'INBOUND'`;
}

const outboundRow = z.object({ id: z.string() });

/** An outbound message a turn wrote, as the dispatcher takes it. */
export interface StoredOutbound {
  id: string;
  channel: Channel;
  identityId: string | null;
}

/**
 * Writes the replies of a turn to the outbox, in order, and saves the conversation, in one
 * statement. `queued`: marked as handed to the queue (the caller dispatches right after commit
 * and clears the mark if that fails); otherwise the dispatcher marks them once handed over.
 */
export async function writeTurn(
  sql: SqlRunner,
  input: {
    channel: Channel;
    identityId: string;
    contactId: string;
    contents: OutboundContent[];
    conversation?: { state: string; expiresAt: Date };
    queued: boolean;
  },
): Promise<StoredOutbound[]> {
  const contents = JSON.stringify(input.contents);
  const save = input.conversation !== undefined;
  const state = input.conversation?.state ?? '{}';
  const expiresAt = input.conversation?.expiresAt ?? new Date(0);
  // the last statement of a turn: the fast path commits with it, in the same trip
  const [rows = []] = await sql.queryAll(
    [
      prepared('relais_inbound_write_turn')`
    WITH outbound AS (
      INSERT INTO "Message" (id, channel, direction, status, "identityId", "contactId", content, "queuedAt")
      SELECT gen_random_uuid(), ${input.channel}::"Channel", 'OUTBOUND', 'PENDING', ${input.identityId}::uuid,
             ${input.contactId}::uuid, x.content, CASE WHEN ${input.queued} THEN now() END
      FROM jsonb_array_elements(${contents}::jsonb) WITH ORDINALITY AS x(content, n)
      ORDER BY x.n
      RETURNING id, seq
    ), conversation AS (
      INSERT INTO "Conversation" (id, "contactId", state, "expiresAt", "updatedAt")
      SELECT gen_random_uuid(), ${input.contactId}::uuid, ${state}::jsonb, ${expiresAt}, now() WHERE ${save}
      ON CONFLICT ("contactId")
        DO UPDATE SET state = EXCLUDED.state, "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = now()
      RETURNING 1
    )
    SELECT id, seq FROM outbound, (SELECT count(*) FROM conversation) AS saved ORDER BY seq`,
    ],
    { commit: true },
  );
  return rows.map((row) => ({ id: outboundRow.parse(row).id, channel: input.channel, identityId: input.identityId }));
}

/**
 * Marks a person and the account they wrote from as seen now (called at most hourly per person;
 * sent with the turn's last trip).
 */
export async function touchLastSeen(sql: SqlRunner, contactId: string, identityId: string, now: Date): Promise<void> {
  await sql.defer(prepared('relais_inbound_last_seen')`
    WITH c AS (UPDATE "Contact" SET "lastSeenAt" = ${now} WHERE id = ${contactId}::uuid RETURNING 1)
    UPDATE "ChannelIdentity" SET "lastSeenAt" = ${now} WHERE id = ${identityId}::uuid`);
}

const proactiveRows = {
  contact: z.object({
    language: z.string().nullable(),
    kind: z.enum(['BENEFICIARY', 'DONOR']),
    associationId: z.string().nullable(),
    consentAt: z.date().nullable(),
    status: z.string(),
  }),
  identity: z.object({ id: z.string(), channel: z.enum(channels) }),
};

/** A person the core opens a flow for, locked, with their conversation and the account they last wrote from. */
export interface LockedPerson {
  contact: z.infer<typeof proactiveRows.contact>;
  conversation: z.infer<typeof conversationRow> | null;
  identity: z.infer<typeof proactiveRows.identity> | null;
}

/**
 * Locks a person for a turn without input (a check-in, a volunteer's question) and reads, after
 * the lock (see storeInboundAndLock), the state their last message left and the account they
 * last wrote from. Null when there is no such person.
 */
export async function lockPerson(sql: SqlRunner, contactId: string): Promise<LockedPerson | null> {
  const [contacts = [], conversations = [], identities = []] = await sql.queryAll([
    statement`SELECT c.language, c.kind, c."associationId", c."consentAt", c.status
      FROM "Contact" c WHERE c.id = ${contactId}::uuid FOR UPDATE OF c`,
    statement`SELECT state, "expiresAt" FROM "Conversation" WHERE "contactId" = ${contactId}::uuid`,
    statement`SELECT id, channel FROM "ChannelIdentity"
      WHERE "contactId" = ${contactId}::uuid ORDER BY "lastSeenAt" DESC LIMIT 1`,
  ]);
  if (contacts.length === 0) return null;
  return {
    contact: proactiveRows.contact.parse(contacts[0]),
    conversation: conversations.length > 0 ? conversationRow.parse(conversations[0]) : null,
    identity: identities.length > 0 ? proactiveRows.identity.parse(identities[0]) : null,
  };
}
