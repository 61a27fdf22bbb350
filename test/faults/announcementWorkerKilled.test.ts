import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnouncement, readAnnouncement } from '../../src/core/announcements/announcementService.js';
import { seedTelegramPeople } from '../support/announcementAudience.js';
import { FakeBotApi } from '../support/fakeBotApi.js';
import { eventually, startTestRelais, type TestRelais } from '../support/testRelais.js';
import { spawnWorkerProcess } from '../support/workerProcess.js';

const PEOPLE = 30;
let api: FakeBotApi;
let t: TestRelais;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  api = await new FakeBotApi().start();
  api.sendDelayMs = 400;
  // the web side only: the feeder and the deliveries run in worker processes
  t = await startTestRelais('fault_announce_kill', { RUN_WORKERS: 'false' });
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await t?.close();
  await api?.close();
});

function startWorker(): ChildProcess {
  const child = spawnWorkerProcess(t.config, {
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_BOT_TOKEN: '123456:TEST-token_for_kill',
    TELEGRAM_WEBHOOK_SECRET: 'kill_secret-0123456789',
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_RATE_PER_CHAT_MS: '0',
    TELEGRAM_SEND_CONCURRENCY: '8',
    // short stalled checks and send locks, so that recovery takes seconds, not minutes
    QUEUE_STALLED_INTERVAL_MS: '1500',
    OUTBOUND_SEND_LOCK_SECONDS: '2.5',
    ANNOUNCEMENT_FEED_INTERVAL_MS: '200',
  });
  workers.push(child);
  return child;
}

describe('a worker killed with SIGKILL in the middle of an announcement', () => {
  it('another worker finishes it: everyone gets it, and only the sends in flight at the crash go twice (one per ' +
    'person at most)', async () => {
    const association = await t.relais.db.association.create({ data: { slug: 'kill', name: 'Kill' } });
    await seedTelegramPeople(t.relais, {
      count: PEOPLE,
      firstChatId: 8800,
      language: 'ti',
      associationId: association.id,
    });
    const created = await t.relais.db.$transaction((tx) =>
      createAnnouncement(
        tx,
        { config: t.config },
        { texts: { ti: 'ጽባሕ ቤት ጽሕፈት ዕጹው እዩ።' }, audience: { scope: 'association', associationId: association.id } },
        { type: 'API', id: 'test', associationId: null },
      ),
    );
    const first = startWorker();
    await eventually(async () => api.callsOf('sendMessage').length >= 8, 30_000, 20);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const sentAtCrash = (await readAnnouncement(t.relais.db, created.id))?.counts.sent ?? 0;
    expect(sentAtCrash).toBeLessThan(PEOPLE);

    startWorker();
    const done = await eventually(
      async () => {
        const view = await readAnnouncement(t.relais.db, created.id);
        return view?.status === 'DONE' ? view : undefined;
      },
      60_000,
      250,
    );
    expect(done.counts).toMatchObject({ recipients: PEOPLE, sent: PEOPLE, failed: 0, queued: 0 });
    let duplicates = 0;
    for (let chat = 8800; chat < 8800 + PEOPLE; chat++) {
      const copies = api.messagesTo(chat).length;
      expect(copies).toBeGreaterThanOrEqual(1);
      expect(copies).toBeLessThanOrEqual(2);
      duplicates += copies - 1;
    }
    // the sends in flight at the crash (their outcome unknown to anyone alive): at most the
    // lane's parallel sends, TELEGRAM_SEND_CONCURRENCY / 2 = 4
    expect(duplicates).toBeLessThanOrEqual(4);
  }, 120_000);
});
