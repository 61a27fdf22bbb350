import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramTransport } from '../../src/bots/telegram/telegramTransport.js';
import { DeliveryWorker } from '../../src/core/outbound/deliveryWorker.js';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { spawnWorkerProcess } from '../support/workerProcess.js';
import { FAULT_SECRET, FAULT_TOKEN, startFaultRelais, type FaultRelais } from './support/faultRelais.js';

const IN_FLIGHT = 30;
const SEND_LOCK_S = 10;
let f: FaultRelais;
let pool: pg.Pool | undefined;
let survivor: DeliveryWorker | undefined;
let killed: ChildProcess | undefined;
beforeAll(async () => {
  // the web side only: delivery happens in the worker process, then in the survivor below
  f = await startFaultRelais('fault_kill_send', { env: { RUN_WORKERS: 'false' } });
  // a Bot API taking 2 s to answer: the killed worker has as many sends in flight as it may
  f.api.sendDelayMs = 2000;
});
afterAll(async () => {
  if (killed?.exitCode === null) killed.kill('SIGKILL');
  await survivor?.close();
  await pool?.end();
  await f?.close();
});

describe('a worker killed with SIGKILL while its sends wait for the Bot API', () => {
  it(`with up to ${IN_FLIGHT} sends in flight, another worker sends a full window again within 5 s, ` +
    `and only the in-flight sends whose outcome was never learnt (at most ${IN_FLIGHT}) may go twice`, async () => {
    const people = Array.from({ length: 80 }, (_, i) => new TelegramUpdateFactory(4800 + i));
    for (const p of people) expect((await f.post(p.command('/start'))).statusCode).toBe(200);
    const total = await f.relais.db.message.count({ where: { direction: 'OUTBOUND' } });
    expect(total).toBe(240);

    killed = spawnWorkerProcess(f.relais.config, {
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: FAULT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: FAULT_SECRET,
      TELEGRAM_API_ROOT: f.api.apiRoot,
      TELEGRAM_RATE_PER_CHAT_MS: '0',
      TELEGRAM_SEND_CONCURRENCY: String(IN_FLIGHT),
      // the fake Bot API answers in 2 s: a 10 s lock frees the killed worker's sends sooner than the default 120 s
      OUTBOUND_SEND_LOCK_SECONDS: String(SEND_LOCK_S),
    });
    await eventually(async () => f.api.open >= IN_FLIGHT - 2, 30_000, 10);
    const worker = killed;
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    const killedAt = Date.now();
    const openAtKill = f.api.open;

    // another worker, on the same queue, Redis and Telegram window
    pool = new pg.Pool({ connectionString: f.relais.config.DATABASE_URL, max: 5 });
    const sender = createTelegramTransport(f.relais.config, pino({ level: 'silent' })).sender;
    if (!sender) throw new Error('the Telegram transport has no sender');
    survivor = new DeliveryWorker(sender, {
      pool,
      secrets: f.relais.secrets,
      redisUrl: f.relais.config.REDIS_URL,
      prefix: f.relais.config.QUEUE_PREFIX,
      log: pino({ level: 'silent' }),
      sendLockMs: SEND_LOCK_S * 1000,
    });
    survivor.start();
    // back at full pace: a window's worth of new sends (30) has reached the Bot API
    const resumed = await eventually(
      async () =>
        f.api
          .callsOf('sendMessage')
          .filter((c) => c.arrivedAt > killedAt)
          .map((c) => c.arrivedAt)
          .sort((a, b) => a - b)[IN_FLIGHT - 1],
      60_000,
      20,
    );
    const resumeMs = resumed - killedAt;

    // the killed worker's jobs come back once BullMQ sees them stalled; the messages it was
    // sending wait behind their send lock, then go again
    await eventually(
      async () => (await f.relais.db.message.count({ where: { direction: 'OUTBOUND', status: 'SENT' } })) === total,
      240_000,
      500,
    );
    const unknown = f.api.callsOf('sendMessage').filter((c) => !c.answered).length;
    let duplicates = 0;
    for (const p of people) {
      const texts = f.api.textsTo(p.chatId);
      expect(new Set(texts).size).toBe(3);
      duplicates += texts.length - 3;
    }
    console.info(
      `${openAtKill} sends in flight at the kill, ${unknown} never answered; ` +
        `${IN_FLIGHT} new sends within ${resumeMs} ms; ${duplicates} duplicates`,
    );
    expect(resumeMs).toBeLessThan(5000);
    expect(unknown).toBeLessThanOrEqual(IN_FLIGHT);
    expect(duplicates).toBeLessThanOrEqual(unknown);
  }, 300_000);
});
