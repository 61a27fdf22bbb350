import { connect } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool, type Db } from '../../../src/core/db.js';
import { errorHandler } from '../../../src/core/http/errorHandler.js';
import { createLogger } from '../../../src/core/logger.js';
import { errorSummary, OutboxDispatcher } from '../../../src/core/outbound/outboxDispatcher.js';
import { freePort } from '../../support/freePort.js';
import { createTestDatabase, TEST_REDIS_URL, uniqueQueuePrefix } from '../../support/testDatabase.js';
import type { TestDatabase } from '../../support/testDatabase.js';
import { eventually, LogCapture } from '../../support/testRelais.js';

/** what a person typed where a bigint was expected: Postgres quotes it back in its message */
const TYPED = '99999999999999999999';

let database: TestDatabase;
let pool: pg.Pool;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase('error_logging');
  pool = createPool({ url: database.url, poolMax: 2, connectTimeoutMs: 2000 });
  db = createDb({ url: database.url, poolMax: 2, connectTimeoutMs: 2000 }, pool);
});
afterAll(async () => {
  await db?.$disconnect();
  await pool?.end();
  await database?.drop();
});

/** A real connection refused: a port nobody listens on. */
async function refusedConnection(): Promise<Error> {
  const port = await freePort();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', resolve);
  });
}

const entries = (capture: LogCapture) => capture.lines.map((line): Record<string, unknown> => JSON.parse(line));

describe('error codes in the logs', () => {
  it('ECONNREFUSED stays readable in a logged delivery error; the text, phone and code beside it do not', async () => {
    const error = await refusedConnection();
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    const personal = { text: 'je suis à Calais', phone: '+33612345678', code: '4827193056' };
    log.warn({ err: errorSummary(error), channel: 'TELEGRAM', ...personal }, 'delivery worker error');
    const [entry] = entries(capture);
    expect(entry).toMatchObject({ err: { type: 'Error', code: 'ECONNREFUSED' }, channel: 'TELEGRAM' });
    expect(entry).toMatchObject({ text: '[redacted]', phone: '[redacted]', code: '[redacted]' });
    expect(capture.text).not.toMatch(/Calais|33612345678|4827193056/);
  });

  it('the outbox sweep that cannot reach Postgres logs ECONNREFUSED, not [redacted]', async () => {
    const capture = new LogCapture();
    const url = `postgresql://postgres@127.0.0.1:${await freePort()}/none`;
    const unreachable = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 1000 });
    const prefix = uniqueQueuePrefix('error_logging');
    const dispatcher = new OutboxDispatcher(unreachable, TEST_REDIS_URL, prefix, createLogger('info', capture));
    dispatcher.start(50);
    try {
      await eventually(async () => capture.lines.some((l) => l.includes('outbox sweep failed')));
    } finally {
      await dispatcher.close();
      await unreachable.end();
    }
    const failed = entries(capture).find((e) => e.msg === 'outbox sweep failed');
    expect(failed?.err).toEqual({ type: 'Error', code: 'ECONNREFUSED' });
  });

  it('system, Fastify, Prisma, Postgres and platform codes stay readable; codes people type do not', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    const named = ['EAI_AGAIN', 'ERR_HTTP_HEADERS_SENT', 'RELAIS_DEPENDENCY_UNAVAILABLE', 'FST_ERR_CTP_BODY_TOO_LARGE'];
    const platform = [...named, 'P2024', 'telegram_429', 'not_authed'];
    for (const code of platform) log.info({ code }, 'platform');
    log.info({ err: { type: 'DatabaseError', code: '57P01' } }, 'sqlstate');
    const typed = ['4827193056', '4827 1930 56', 'mot de passe', '12345'];
    for (const code of typed) log.info({ code, user: { code } }, 'typed');
    const logged = entries(capture);
    expect(logged.filter((e) => e.msg === 'platform').map((e) => e.code)).toEqual(platform);
    expect(logged.find((e) => e.msg === 'sqlstate')?.err).toEqual({ type: 'DatabaseError', sqlState: '57P01' });
    const censored = logged.filter((l) => l.msg === 'typed');
    expect(censored).toHaveLength(typed.length);
    for (const e of censored) expect(e).toMatchObject({ code: '[redacted]', user: { code: '[redacted]' } });
  });
});

describe('a Postgres error quoting a value a person typed', () => {
  const thrown = (query: Promise<unknown>) =>
    query.then(
      () => expect.unreachable(),
      (error: unknown) => error,
    );
  const pgError = () => thrown(pool.query('SELECT $1::bigint AS n', [TYPED]));
  const prismaError = () => thrown(db.$queryRaw`SELECT ${TYPED}::bigint AS n`);

  it('is logged by the HTTP error handler with its class, SQLSTATE and frames, without the value', async () => {
    const capture = new LogCapture();
    const app = Fastify({ loggerInstance: createLogger('info', capture) });
    app.setErrorHandler(errorHandler);
    app.get('/sql', async () => pool.query('SELECT $1::bigint AS n', [TYPED]));
    app.get('/prisma', async () => db.$queryRaw`SELECT ${TYPED}::bigint AS n`);
    try {
      expect((await app.inject({ method: 'GET', url: '/sql' })).statusCode).toBe(500);
      expect((await app.inject({ method: 'GET', url: '/prisma' })).statusCode).toBe(500);
    } finally {
      await app.close();
    }
    expect(capture.text).not.toContain(TYPED);
    const unhandled = entries(capture).filter((e) => e.msg === 'unhandled error');
    expect(unhandled.map((e) => e.err)).toEqual([
      expect.objectContaining({
        type: 'error',
        sqlState: '22003',
        routine: 'pg_strtoint64',
        stack: expect.stringMatching(/^\s+at /),
      }),
      expect.objectContaining({ type: 'PrismaClientKnownRequestError', code: 'P2010', dbCode: '22003' }),
    ]);
  });

  it('is logged without the value however a worker passes it: err, error, first argument, spread, cause', async () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    const fromPg = await pgError();
    const fromPrisma = await prismaError();
    log.warn({ err: fromPg }, 'task failed');
    log.warn({ error: fromPrisma }, 'task failed');
    log.error(fromPg);
    log.error(fromPrisma, 'delivery failed');
    log.warn({ ...Object(fromPg) }, 'spread');
    log.warn({ err: new Error('could not record the delivery', { cause: fromPrisma }) }, 'wrapped');
    expect(capture.lines).toHaveLength(6);
    expect(capture.text).not.toContain(TYPED);
    expect(capture.text).not.toMatch(/out of range/);
    const wrapped = entries(capture).find((e) => e.msg === 'wrapped');
    const cause = { type: 'PrismaClientKnownRequestError', code: 'P2010', dbCode: '22003' };
    expect(wrapped?.err).toMatchObject({ type: 'Error', cause });
  });
});
