import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool, type Db } from '../../../src/core/db.js';
import { eraseFetchedSensitive, failMessage, failPending, markSent } from '../../../src/core/outbound/outboxSql.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase.js';

let database: TestDatabase;
let pool: pg.Pool;
let db: Db;
let identityA: string;
let identityB: string;
const contactOf = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase('outbox_sql');
  const options = { url: database.url, poolMax: 3, connectTimeoutMs: 3000 };
  pool = createPool(options);
  db = createDb(options, pool);
  const identity = async (id: string) => {
    const row = await db.channelIdentity.create({
      data: { channel: 'WEB', platformIdHash: id, addressCipher: 'x', contact: { create: { kind: 'BENEFICIARY' } } },
    });
    contactOf.set(row.id, row.contactId);
    return row.id;
  };
  identityA = await identity('a');
  identityB = await identity('b');
});
afterAll(async () => {
  await db?.$disconnect();
  await pool?.end();
  await database?.drop();
});

async function outbound(
  identityId: string,
  text: string,
  sensitive: boolean,
  status: 'PENDING' | 'SENT' = 'PENDING',
  contactId = contactOf.get(identityId),
) {
  const content = { text, ...(sensitive ? { sensitive: true } : {}) };
  const row = await db.message.create({
    data: { channel: 'WEB', direction: 'OUTBOUND', status, identityId, contactId: contactId ?? null, content },
    select: { id: true, seq: true },
  });
  return row;
}
const read = (id: string) =>
  db.message.findUniqueOrThrow({ where: { id }, select: { status: true, content: true, contentPurgedAt: true } });

describe('sensitive outbound texts (a reconnection code)', () => {
  it('are erased when marked sent by a platform that now holds them, kept otherwise', async () => {
    const code = await outbound(identityA, 'code 1234 5678 90', true);
    const plain = await outbound(identityA, 'hello', false);
    await markSent(pool, code.id, 'p1', { eraseSensitive: true });
    await markSent(pool, plain.id, 'p2', { eraseSensitive: true });
    expect(await read(code.id)).toEqual({ status: 'SENT', content: null, contentPurgedAt: expect.any(Date) });
    expect(await read(plain.id)).toEqual({ status: 'SENT', content: { text: 'hello' }, contentPurgedAt: null });

    // the web chat: "sent" means available to fetch, so the text stays
    const web = await outbound(identityA, 'code 2222 3333 44', true);
    await markSent(pool, web.id, null, { eraseSensitive: false });
    expect((await read(web.id)).content).toEqual({ text: 'code 2222 3333 44', sensitive: true });
  });

  it('are erased when they fail for good, one by one or in a batch', async () => {
    const one = await outbound(identityA, 'code 1', true);
    const batch = await outbound(identityA, 'code 2', true);
    const plain = await outbound(identityA, 'plain', false);
    await failMessage(pool, one.id, 'rejected: blocked', { attempted: true });
    expect(await failPending(pool, [batch.id, plain.id], 'gave up')).toBe(2);
    expect(await read(one.id)).toEqual({ status: 'FAILED', content: null, contentPurgedAt: expect.any(Date) });
    expect(await read(batch.id)).toEqual({ status: 'FAILED', content: null, contentPurgedAt: expect.any(Date) });
    expect(await read(plain.id)).toEqual({ status: 'FAILED', content: { text: 'plain' }, contentPurgedAt: null });
  });

  it('once fetched by the web chat page: only that session, only up to its cursor, only sent ones', async () => {
    const fetched = await outbound(identityB, 'code fetched', true, 'SENT');
    const plain = await outbound(identityB, 'plain', false, 'SENT');
    const later = await outbound(identityB, 'code later', true, 'SENT');
    const pending = await outbound(identityB, 'code pending', true, 'PENDING');
    const other = await outbound(identityA, 'code of another session', true, 'SENT');
    const b = { identityId: identityB, contactId: contactOf.get(identityB) ?? '' };
    expect(await eraseFetchedSensitive(pool, b, plain.seq)).toBe(1);
    expect((await read(fetched.id)).content).toBeNull();
    expect((await read(plain.id)).content).toEqual({ text: 'plain' });
    expect((await read(later.id)).content).not.toBeNull();
    expect((await read(other.id)).content).not.toBeNull();
    expect(await eraseFetchedSensitive(pool, b, pending.seq)).toBe(1);
    expect((await read(later.id)).content).toBeNull();
    expect((await read(pending.id)).content).not.toBeNull();
  });

  it("a new profile on a shared handset reading its page leaves the previous person's unseen code", async () => {
    const previous = (await db.contact.create({ data: { kind: 'BENEFICIARY' }, select: { id: true } })).id;
    const unseen = await outbound(identityB, 'voucher of the previous person', true, 'SENT', previous);
    const b = { identityId: identityB, contactId: contactOf.get(identityB) ?? '' };
    expect(await eraseFetchedSensitive(pool, b, unseen.seq)).toBe(0);
    expect((await read(unseen.id)).content).toEqual({ text: 'voucher of the previous person', sensitive: true });
  });
});
