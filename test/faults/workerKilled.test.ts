import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { spawnWorkerProcess } from '../support/workerProcess.js';
import { FAULT_SECRET, FAULT_TOKEN, startFaultRelais, type FaultRelais } from './support/faultRelais.js';

let f: FaultRelais;
const workers: ChildProcess[] = [];
beforeAll(async () => {
  // the web side only: delivery happens in separate worker processes
  f = await startFaultRelais('fault_kill', { env: { RUN_WORKERS: 'false' } });
  f.api.sendDelayMs = 400;
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await f?.close();
});

function startWorker(): ChildProcess {
  const child = spawnWorkerProcess(f.relais.config, {
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_BOT_TOKEN: FAULT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: FAULT_SECRET,
    TELEGRAM_API_ROOT: f.api.apiRoot,
    TELEGRAM_RATE_PER_CHAT_MS: '0',
    // the fake Bot API answers in 0.4 s: a 5 s send lock frees the in-flight messages sooner than the default 120 s
    OUTBOUND_SEND_LOCK_SECONDS: '5',
  });
  workers.push(child);
  return child;
}

describe('a worker killed with SIGKILL while delivering', () => {
  it('after a restart every message is delivered, with at ' +
    'most one duplicate per message that was in flight', async () => {
    const people = [4401, 4402, 4403, 4404, 4405].map((id) => new TelegramUpdateFactory(id));
    for (const p of people) expect((await f.post(p.command('/start'))).statusCode).toBe(200);
    const total = await f.relais.db.message.count({ where: { direction: 'OUTBOUND' } });
    expect(total).toBe(15);

    const first = startWorker();
    // kill it while sends are waiting for the slow Bot API
    await eventually(async () => f.api.callsOf('sendMessage').length >= 4, 20_000, 20);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atCrash = await f.relais.db.message.count({ where: { direction: 'OUTBOUND', status: 'SENT' } });
    expect(atCrash).toBeLessThan(total);

    startWorker();
    // BullMQ sees the killed worker's jobs as stalled once their lock lapses (10 s); a message
    // that was in flight stays behind its Redis send lock (5 s here), then goes again
    await eventually(
      async () => (await f.relais.db.message.count({ where: { direction: 'OUTBOUND', status: 'SENT' } })) === total,
      180_000,
      500,
    );
    for (const p of people) {
      const texts = f.api.textsTo(p.chatId);
      expect(new Set(texts).size).toBe(3);
      // a person's messages leave one at a time: at most the one in flight is sent again
      expect(texts.length - 3).toBeLessThanOrEqual(1);
    }
  }, 240_000);
});
