import { createAnnouncement } from '../src/core/announcements/announcementService.js';
import { loadConfig } from '../src/core/config.js';
import { resolveIdentity } from '../src/core/contacts/contactService.js';
import { createDb } from '../src/core/db.js';
import { Secrets } from '../src/core/secrets.js';
import { AUBERGE_PLACE } from '../test/support/announcingAssociation.js';
import { TelegramUpdateFactory } from '../test/support/telegramUpdates.js';
import { createTestDatabase, uniqueQueuePrefix } from '../test/support/testDatabase.js';
import { BENCH_APP_SECRET, BENCH_SECRET, dropQueueKeys, loadAverage, serviceEnv, sleep } from './support/benchEnv.js';
import { RateLimitedBotApi } from './support/rateLimitedBotApi.js';
import { freePort, startMeasuredProcess, waitForHttp } from './support/serviceProcess.js';
import { percentile } from './support/stats.js';
import { PHONE_REQUEST_WALK, updateFor } from './support/walks.js';

export interface AnnounceBenchOptions {
  people: number;
  walkers: number;
}

const FAKE_LIMIT_PER_SEC = 30;
const FIRST_CHAT = 30_000_000;
const LANGUAGES = ['ar', 'fa', 'ps', 'ti', 'ckb', 'am', 'fr', 'en'] as const;
/** a person reads the reply before answering */
const THINK_MS = 1500;

interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  replies: number;
}

const summary = (values: number[]): Latencies => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  max: Math.max(0, ...values),
  replies: values.length,
});
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * `people` on Telegram receive one announcement (a web process, a delivery-only worker — the
 * one measured — and a task worker for the feeder), through a Bot API that answers 429 beyond
 * 30 msg/s overall or 1/s per chat. Before it and during it, `walkers` people walk the
 * phone-request flow; each step's first reply is timed from the webhook POST.
 */
export async function runAnnounceBench(options: AnnounceBenchOptions) {
  const database = await createTestDatabase('bench_announce');
  const api = await new RateLimitedBotApi().start();
  const prefix = uniqueQueuePrefix('bench_announce');
  const db = createDb({ url: database.url, poolMax: 5, connectTimeoutMs: 5000 });
  const loadAverageBefore = loadAverage();
  const port = await freePort();
  const waiting = new Map<string, (at: number) => void>();
  api.onAccepted = (chat, at) => {
    const resolve = waiting.get(chat);
    if (resolve) {
      waiting.delete(chat);
      resolve(at);
    }
  };
  const env = (extra: Record<string, string>) =>
    serviceEnv({ databaseUrl: database.url, port, prefix, apiRoot: api.apiRoot, runWorkers: false, extra });
  const web = startMeasuredProcess('src/main.ts', env({}));
  const delivery = startMeasuredProcess(
    'src/worker.ts',
    env({ RUN_WORKERS: 'true', WORKER_QUEUES: 'delivery', PORT: '0' }),
  );
  const tasks = startMeasuredProcess('src/worker.ts', env({ RUN_WORKERS: 'true', WORKER_QUEUES: 'tasks', PORT: '0' }));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, web);
    const { associationId, placeId } = await seed(db, options.people);

    const post = async (update: object) => {
      const response = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_SECRET },
        body: JSON.stringify(update),
      });
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    };
    /** one person walks the phone request; the time to each step's first reply */
    const walk = async (chatId: number): Promise<number[]> => {
      const person = new TelegramUpdateFactory(chatId);
      const times: number[] = [];
      for (const step of PHONE_REQUEST_WALK.steps) {
        const replied = new Promise<number>((resolve) => waiting.set(String(chatId), resolve));
        const sentAt = performance.now();
        await post(updateFor(person, step));
        const at = await Promise.race([replied, sleep(30_000).then(() => Number.NaN)]);
        times.push(at - sentAt);
        await sleep(THINK_MS);
      }
      return times;
    };
    const walkAll = async (firstChat: number) =>
      (
        await Promise.all(
          Array.from({ length: options.walkers }, (_, i) => sleep(i * 250).then(() => walk(firstChat + i))),
        )
      ).flat();

    const without = await walkAll(40_000_000);

    const config = loadConfig({ DATABASE_URL: database.url });
    const actor = { type: 'API' as const, id: 'bench', associationId: null };
    const announcedAt = performance.now();
    await db.$transaction(
      (tx) =>
        createAnnouncement(
          tx,
          { config },
          {
            template: 'distribution',
            params: { placeId, date: '2026-09-26', time: '10:00' },
            audience: { scope: 'association', associationId },
          },
          actor,
        ),
      { timeout: 60_000 },
    );
    const stopSampling = delivery.sampleRss();
    const stopTaskSampling = tasks.sampleRss();
    const announced = new Set(Array.from({ length: options.people }, (_, i) => String(FIRST_CHAT + i)));
    let first = 0;
    let last = 0;
    let reached = 0;
    /** conversation replies the Bot API accepted while the announcement was going out (they share its 30/s) */
    let repliesAmong = 0;
    let repliesSinceLast = 0;
    const previous = api.onAccepted;
    api.onAccepted = (chat, at) => {
      previous(chat, at);
      if (!announced.has(chat)) {
        if (first !== 0) repliesSinceLast++;
        return;
      }
      repliesAmong += repliesSinceLast;
      repliesSinceLast = 0;
      reached++;
      if (first === 0) first = at;
      last = at;
    };
    // the walkers start once the announcement is well under way
    await (async () => {
      while (reached < Math.min(300, options.people / 4)) await sleep(200);
    })();
    const during = await walkAll(41_000_000);
    const deadline = announcedAt + ((options.people / FAKE_LIMIT_PER_SEC) * 1.5 + 120) * 1000;
    let sent = 0;
    while (performance.now() < deadline) {
      await sleep(1000);
      for (const p of [web, delivery, tasks])
        if (p.child.exitCode !== null) throw new Error(`a process exited: ${p.stderr()}`);
      sent = await db.message.count({ where: { announcementId: { not: null }, status: 'SENT' } });
      if (sent >= options.people) break;
    }
    const floorSeconds = options.people / FAKE_LIMIT_PER_SEC;
    const deliverySeconds = (last - first) / 1000;
    let duplicates = 0;
    for (const chat of announced) duplicates += Math.max(0, (api.textsByChat.get(chat)?.length ?? 0) - 1);
    return {
      people: options.people,
      walkers: options.walkers,
      loadAverageBefore,
      announcementSeconds: round(deliverySeconds),
      startToLastSeconds: round((last - announcedAt) / 1000),
      floorSeconds: round(floorSeconds),
      overFloorPercent: round(((deliverySeconds - floorSeconds) / floorSeconds) * 100),
      repliesAmongAnnouncement: repliesAmong,
      /** every message the Bot API accepted between the announcement's first and last, per second */
      acceptedPerSecond: round((options.people - 1 + repliesAmong) / deliverySeconds),
      overFloorWithRepliesPercent: round(
        ((deliverySeconds - (options.people + repliesAmong) / FAKE_LIMIT_PER_SEC) / floorSeconds) * 100,
      ),
      rejected429: api.rejected429,
      sent,
      lost: options.people - sent,
      duplicates,
      deliveryWorkerRssPeakMb: stopSampling(),
      taskWorkerRssPeakMb: stopTaskSampling(),
      repliesWithout: summary(without.map(Math.round)),
      repliesDuring: summary(during.map(Math.round)),
      loadAverageAfter: loadAverage(),
    };
  } finally {
    await Promise.all([web.stop(), delivery.stop(), tasks.stop()]);
    await db.$disconnect();
    await api.close();
    await dropQueueKeys(prefix);
    await database.drop();
  }
}

/**
 * One association, its place, and `people` who chose their language and accepted the notice (8 languages, Telegram).
 */
async function seed(
  db: ReturnType<typeof createDb>,
  people: number,
): Promise<{ associationId: string; placeId: string }> {
  const secrets = new Secrets(BENCH_APP_SECRET);
  const association = await db.association.create({ data: { slug: 'bench', name: 'Bench' } });
  const place = await db.place.create({ data: { ...AUBERGE_PLACE, associationId: association.id } });
  for (let first = 0; first < people; first += 200) {
    await db.$transaction(
      async (tx) => {
        for (let i = first; i < Math.min(first + 200, people); i++) {
          const identity = await resolveIdentity(tx, secrets, 'TELEGRAM', String(FIRST_CHAT + i));
          await tx.contact.update({
            where: { id: identity.contactId },
            data: {
              language: LANGUAGES[i % LANGUAGES.length] ?? 'en',
              consentAt: new Date(),
              associationId: association.id,
            },
          });
        }
      },
      { timeout: 120_000 },
    );
  }
  return { associationId: association.id, placeId: place.id };
}
