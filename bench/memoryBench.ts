import { createTestDatabase, uniqueQueuePrefix } from '../test/support/testDatabase.js';
import { runWebhookLoad } from './inboundBench.js';
import { dropQueueKeys, queryOne, serviceEnv, sleep } from './support/benchEnv.js';
import { RateLimitedBotApi } from './support/rateLimitedBotApi.js';
import { freePort, startMeasuredProcess, waitForHttp } from './support/serviceProcess.js';

export interface MemoryBenchOptions {
  conversations: number;
  /** how long the worker delivers the backlog while its RSS is sampled */
  workerSeconds: number;
}

export interface MemoryBenchResult {
  conversations: number;
  openConversations: number;
  webIdleRssMb: number;
  webPeakRssMb: number;
  webAfterRssMb: number;
  inboundPerSec: number;
  workerPeakRssMb: number;
  workerAfterRssMb: number;
  workerDelivered: number;
  backlog: number;
}

/**
 * RSS of the web process while `conversations` people open a conversation through the
 * Telegram webhook (/start: contact, identity, state, 3 replies each), then of a worker
 * process delivering that backlog (pacing lifted so it works at full speed).
 */
export async function runMemoryBench(options: MemoryBenchOptions): Promise<MemoryBenchResult> {
  const database = await createTestDatabase('bench_memory');
  const api = await new RateLimitedBotApi(null).start();
  const prefix = uniqueQueuePrefix('bench_memory');
  try {
    const port = await freePort();
    const web = startMeasuredProcess('src/main.ts', serviceEnv({ databaseUrl: database.url, port, prefix, apiRoot: api.apiRoot, runWorkers: false }));
    let webIdleRssMb: number;
    let webPeakRssMb: number;
    let webAfterRssMb: number;
    let inboundPerSec: number;
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, web);
      await sleep(1000);
      webIdleRssMb = web.rssMb();
      const stop = web.sampleRss();
      const load = await runWebhookLoad({ url: `http://127.0.0.1:${port}`, walk: 'first-contact', chats: options.conversations, connections: 16, durationSec: 0, amount: options.conversations, firstChatId: 30_000_000 });
      inboundPerSec = load.perSec;
      webPeakRssMb = stop();
      await sleep(2000);
      webAfterRssMb = web.rssMb();
    } finally {
      await web.stop();
    }
    const open = await queryOne<{ n: string }>(database.url, `SELECT count(*)::text AS n FROM "Conversation" WHERE "expiresAt" > now()`);
    const backlog = await queryOne<{ n: string }>(database.url, `SELECT count(*)::text AS n FROM "Message" WHERE direction = 'OUTBOUND' AND status = 'PENDING'`);

    const worker = startMeasuredProcess(
      'src/worker.ts',
      serviceEnv({ databaseUrl: database.url, port: 0, prefix, apiRoot: api.apiRoot, runWorkers: true, extra: { TELEGRAM_RATE_GLOBAL_PER_SEC: '100000', TELEGRAM_RATE_PER_CHAT_MS: '0' } }),
    );
    const stop = worker.sampleRss();
    await sleep(options.workerSeconds * 1000);
    const workerPeakRssMb = stop();
    const workerAfterRssMb = worker.rssMb();
    await worker.stop();
    const delivered = await queryOne<{ n: string }>(database.url, `SELECT count(*)::text AS n FROM "Message" WHERE direction = 'OUTBOUND' AND status = 'SENT'`);
    return {
      conversations: options.conversations,
      openConversations: Number(open?.n ?? 0),
      webIdleRssMb,
      webPeakRssMb,
      webAfterRssMb,
      inboundPerSec,
      workerPeakRssMb,
      workerAfterRssMb,
      workerDelivered: Number(delivered?.n ?? 0),
      backlog: Number(backlog?.n ?? 0),
    };
  } finally {
    await api.close();
    await dropQueueKeys(prefix);
    await database.drop();
  }
}
