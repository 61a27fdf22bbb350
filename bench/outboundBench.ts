import { createDb } from '../src/core/db.js';
import { resolveIdentity } from '../src/core/contacts/contactService.js';
import { Secrets } from '../src/core/secrets.js';
import { createTestDatabase, uniqueQueuePrefix } from '../test/support/testDatabase.js';
import { BENCH_APP_SECRET, dropQueueKeys, loadAverage, serviceEnv, sleep } from './support/benchEnv.js';
import { RateLimitedBotApi } from './support/rateLimitedBotApi.js';
import { startMeasuredProcess } from './support/serviceProcess.js';

export interface OutboundBenchOptions {
  messages: number;
  chats: number;
  /** TELEGRAM_RATE_GLOBAL_PER_SEC of the worker (unset: the configured default) */
  globalPerSec?: number;
}

export interface OutboundBenchResult {
  messages: number;
  chats: number;
  loadAverageBefore: string;
  /** first to last message accepted by the fake Bot API */
  deliverySeconds: number;
  /** worker start to last message stored as SENT */
  totalSeconds: number;
  floorSeconds: number;
  overFloorPercent: number;
  accepted: number;
  rejected429: number;
  rejectedPerChat: number;
  sent: number;
  failed: number;
  lost: number;
  duplicates: number;
  workerRssPeakMb: number;
}

const FAKE_LIMIT_PER_SEC = 30;

/**
 * `messages` outbound messages to `chats` people, written to the outbox as the inbound path
 * does (PENDING rows), delivered by a separate `src/worker.ts` process through the real
 * Telegram queue (DeliveryWorker + Telegram sender) to a Bot API that answers 429 beyond
 * 30 msg/s overall or 1 msg/s per chat.
 */
export async function runOutboundBench(options: OutboundBenchOptions): Promise<OutboundBenchResult> {
  const database = await createTestDatabase('bench_outbound');
  const api = await new RateLimitedBotApi().start();
  const prefix = uniqueQueuePrefix('bench_outbound');
  const db = createDb({ url: database.url, poolMax: 5, connectTimeoutMs: 5000 });
  const loadAverageBefore = loadAverage();
  try {
    await writeOutbox(db, options);
    const worker = startMeasuredProcess(
      'src/worker.ts',
      serviceEnv({
        databaseUrl: database.url,
        port: 0,
        prefix,
        apiRoot: api.apiRoot,
        runWorkers: true,
        extra: options.globalPerSec ? { TELEGRAM_RATE_GLOBAL_PER_SEC: String(options.globalPerSec) } : {},
      }),
    );
    const started = performance.now();
    const stopSampling = worker.sampleRss();
    const floorSeconds = options.messages / FAKE_LIMIT_PER_SEC;
    const deadline = started + (floorSeconds * 1.5 + 60) * 1000;
    let sent = 0;
    let failed = 0;
    try {
      while (performance.now() < deadline) {
        await sleep(1000);
        if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.stderr()}`);
        const rows = await db.message.groupBy({ by: ['status'], where: { direction: 'OUTBOUND' }, _count: true });
        sent = rows.find((r) => r.status === 'SENT')?._count ?? 0;
        failed = rows.find((r) => r.status === 'FAILED')?._count ?? 0;
        if (sent + failed >= options.messages) break;
      }
    } finally {
      await worker.stop();
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const deliverySeconds = (api.lastAt - api.firstAt) / 1000;
    return {
      messages: options.messages,
      chats: options.chats,
      loadAverageBefore,
      deliverySeconds: round(deliverySeconds),
      totalSeconds: round(totalSeconds),
      floorSeconds: round(floorSeconds),
      overFloorPercent: round(((deliverySeconds - floorSeconds) / floorSeconds) * 100),
      accepted: api.accepted,
      rejected429: api.rejected429,
      rejectedPerChat: api.rejectedPerChat,
      sent,
      failed,
      lost: options.messages - sent,
      duplicates: api.duplicates(),
      workerRssPeakMb: stopSampling(),
    };
  } finally {
    await db.$disconnect();
    await api.close();
    await dropQueueKeys(prefix);
    await database.drop();
  }
}

/** People and their pending messages, as if each had just finished a turn (texts differ so duplicates show). */
async function writeOutbox(db: ReturnType<typeof createDb>, options: OutboundBenchOptions): Promise<void> {
  const secrets = new Secrets(BENCH_APP_SECRET);
  const perChat = Math.ceil(options.messages / options.chats);
  const createdAt = new Date(Date.now() - 5000);
  let written = 0;
  for (let first = 0; first < options.chats; first += 100) {
    await db.$transaction(
      async (tx) => {
        const rows = [];
        for (let chat = first; chat < Math.min(first + 100, options.chats); chat++) {
          const identity = await resolveIdentity(tx, secrets, 'TELEGRAM', String(20_000_000 + chat));
          for (let k = 0; k < perChat && written < options.messages; k++, written++) {
            rows.push({
              channel: 'TELEGRAM' as const,
              direction: 'OUTBOUND' as const,
              status: 'PENDING' as const,
              identityId: identity.identityId,
              contactId: identity.contactId,
              content: { text: `bench message ${k + 1} of ${perChat}` },
              createdAt,
            });
          }
        }
        await tx.message.createMany({ data: rows });
      },
      { timeout: 60_000 },
    );
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
