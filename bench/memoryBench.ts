import { FakeSlackApi } from '../test/bots/slack/support/fakeSlackApi.js';
import { createTestDatabase, uniqueQueuePrefix } from '../test/support/testDatabase.js';
import { runWebhookLoad } from './inboundBench.js';
import { dropQueueKeys, queryOne, serviceEnv, sleep } from './support/benchEnv.js';
import { RateLimitedBotApi } from './support/rateLimitedBotApi.js';
import { PHONE_REQUEST_WALK } from './support/walks.js';
import { freePort, startMeasuredProcess, waitForHttp } from './support/serviceProcess.js';

export interface MemoryBenchOptions {
  conversations: number;
  /** people who also walk a phone request (each leaves a `request.created` task: a Slack card) */
  requests: number;
  /** how long the worker delivers the backlog while its RSS is sampled */
  workerSeconds: number;
}

export interface MemoryBenchResult {
  conversations: number;
  openConversations: number;
  webIdleRssMb: number;
  webPeakRssMb: number;
  webAfterRssMb: number;
  webIdleBreakdownMb: MemoryBreakdown;
  /** where the web process's memory is after the load, from its /metrics (prom-client process metrics) */
  webAfterBreakdownMb: MemoryBreakdown;
  /** RSS with the conversations still open, SETTLE_MS after the load ended */
  webSettledRssMb: number;
  webSettledBreakdownMb: MemoryBreakdown;
  inboundPerSec: number;
  /** the worker delivering as fast as it can (pacing lifted) */
  workerPeakRssMb: number;
  workerAfterRssMb: number;
  workerDelivered: number;
  /**
   * a fresh worker (default roles: delivery and background tasks) delivering at Telegram's pace
   * (the default 29 msg/s) while it posts the requests' Slack cards, as in production
   */
  workerPacedPeakRssMb: number;
  workerPacedAfterRssMb: number;
  workerPacedDelivered: number;
  /** Slack cards posted by that worker (its background tasks, which run Prisma queries) */
  workerPacedCardsPosted: number;
  /** the same with WORKER_QUEUES=delivery: no background tasks, so Prisma's query compiler is never loaded */
  deliveryWorkerPacedPeakRssMb: number;
  deliveryWorkerPacedDelivered: number;
  backlog: number;
  requestsCreated: number;
}

/** How long the web process idles after the load before its settled RSS is read. */
const SETTLE_MS = 30_000;

export interface MemoryBreakdown {
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** RSS minus the V8 heap and external memory: code, native modules, wasm, allocator slack */
  other: number;
}

/** Heap and external memory of a running service, read from its Prometheus endpoint. */
async function memoryBreakdown(baseUrl: string, rssMb: number): Promise<MemoryBreakdown> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const metric = (name: string) =>
    Math.round(Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? 0) / 1048576);
  const heapTotal = metric('nodejs_heap_size_total_bytes');
  const external = metric('nodejs_external_memory_bytes');
  return {
    heapUsed: metric('nodejs_heap_size_used_bytes'),
    heapTotal,
    external,
    other: Math.round(rssMb - heapTotal - external),
  };
}

/**
 * RSS of the web process while `conversations` people open a conversation through the
 * Telegram webhook (/start: contact, identity, state, 3 replies each) and `requests` more walk
 * a phone request, with Slack configured against a local fake Web API as in production; then
 * of a worker with the default roles delivering that backlog at Telegram's pace while it posts
 * the requests' Slack cards (background tasks: Prisma queries), then of a worker delivering
 * with pacing lifted (full speed), then of a delivery-only worker (WORKER_QUEUES=delivery) at
 * Telegram's pace.
 */
export async function runMemoryBench(options: MemoryBenchOptions): Promise<MemoryBenchResult> {
  const database = await createTestDatabase('bench_memory');
  const api = await new RateLimitedBotApi(null).start();
  const slackApi = new FakeSlackApi();
  await slackApi.start();
  const slack = {
    SLACK_MODE: 'http',
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: 'bench-slack-signing-secret-0123456789',
    SLACK_API_URL: slackApi.url,
    SLACK_TRIAGE_CHANNEL: 'CBENCHTRIAGE',
  };
  const prefix = uniqueQueuePrefix('bench_memory');
  try {
    const port = await freePort();
    const web = startMeasuredProcess(
      'src/main.ts',
      serviceEnv({ databaseUrl: database.url, port, prefix, apiRoot: api.apiRoot, runWorkers: false, extra: slack }),
    );
    let webIdleRssMb: number;
    let webIdleBreakdownMb: MemoryBreakdown;
    let webPeakRssMb: number;
    let webAfterRssMb: number;
    let webAfterBreakdownMb: MemoryBreakdown;
    let webSettledRssMb: number;
    let webSettledBreakdownMb: MemoryBreakdown;
    let inboundPerSec: number;
    let requestsCreated: number;
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, web);
      await sleep(1000);
      webIdleRssMb = web.rssMb();
      webIdleBreakdownMb = await memoryBreakdown(`http://127.0.0.1:${port}`, webIdleRssMb);
      const stop = web.sampleRss();
      const load = await runWebhookLoad({
        url: `http://127.0.0.1:${port}`,
        walk: 'first-contact',
        chats: options.conversations,
        connections: 16,
        durationSec: 0,
        amount: options.conversations,
        firstChatId: 30_000_000,
      });
      inboundPerSec = load.perSec;
      const walk = PHONE_REQUEST_WALK;
      const walked = await runWebhookLoad({
        url: `http://127.0.0.1:${port}`,
        walk: walk.name,
        chats: options.requests,
        connections: 16,
        durationSec: 0,
        amount: options.requests * walk.steps.length,
        firstChatId: 40_000_000,
      });
      requestsCreated = Number(
        (await queryOne<{ n: string }>(database.url, `SELECT count(*)::text AS n FROM "Request"`))?.n ?? 0,
      );
      if (requestsCreated !== options.requests)
        throw new Error(
          `${options.requests} phone-request walks created ${requestsCreated} requests ` +
            `(${JSON.stringify(walked)}): ${web.stderr()}`,
        );
      webPeakRssMb = stop();
      await sleep(2000);
      webAfterRssMb = web.rssMb();
      webAfterBreakdownMb = await memoryBreakdown(`http://127.0.0.1:${port}`, webAfterRssMb);
      // the conversations stay open (in Postgres); V8 shrinks its heap once allocation calms down
      await sleep(SETTLE_MS);
      webSettledRssMb = web.rssMb();
      webSettledBreakdownMb = await memoryBreakdown(`http://127.0.0.1:${port}`, webSettledRssMb);
    } finally {
      await web.stop();
    }
    const open = await queryOne<{ n: string }>(
      database.url,
      `SELECT count(*)::text AS n FROM "Conversation" WHERE "expiresAt" > now()`,
    );
    const backlog = await queryOne<{ n: string }>(
      database.url,
      `SELECT count(*)::text AS n FROM "Message" WHERE direction = 'OUTBOUND' AND status = 'PENDING'`,
    );

    const sent = async () =>
      Number(
        (
          await queryOne<{ n: string }>(
            database.url,
            `SELECT count(*)::text AS n FROM "Message" WHERE direction = 'OUTBOUND' AND status = 'SENT'`,
          )
        )?.n ?? 0,
      );
    const deliver = async (extra: Record<string, string>) => {
      const before = await sent();
      const cardsBefore = slackApi.of('chat.postMessage').length;
      const worker = startMeasuredProcess(
        'src/worker.ts',
        serviceEnv({
          databaseUrl: database.url,
          port: 0,
          prefix,
          apiRoot: api.apiRoot,
          runWorkers: true,
          extra: { ...slack, ...extra },
        }),
      );
      const stop = worker.sampleRss();
      await sleep(options.workerSeconds * 1000);
      const peak = stop();
      const after = worker.rssMb();
      await worker.stop();
      return {
        peak,
        after,
        delivered: (await sent()) - before,
        cards: slackApi.of('chat.postMessage').length - cardsBefore,
      };
    };
    // the default worker first, while the requests' cards are still to be posted
    const paced = await deliver({});
    const fast = await deliver({ TELEGRAM_RATE_GLOBAL_PER_SEC: '100000', TELEGRAM_RATE_PER_CHAT_MS: '0' });
    const pacedDeliveryOnly = await deliver({ WORKER_QUEUES: 'delivery' });
    return {
      conversations: options.conversations,
      openConversations: Number(open?.n ?? 0),
      webIdleRssMb,
      webIdleBreakdownMb,
      webPeakRssMb,
      webAfterRssMb,
      webAfterBreakdownMb,
      webSettledRssMb,
      webSettledBreakdownMb,
      inboundPerSec,
      workerPeakRssMb: fast.peak,
      workerAfterRssMb: fast.after,
      workerDelivered: fast.delivered,
      workerPacedPeakRssMb: paced.peak,
      workerPacedAfterRssMb: paced.after,
      workerPacedDelivered: paced.delivered,
      workerPacedCardsPosted: paced.cards,
      deliveryWorkerPacedPeakRssMb: pacedDeliveryOnly.peak,
      deliveryWorkerPacedDelivered: pacedDeliveryOnly.delivered,
      backlog: Number(backlog?.n ?? 0),
      requestsCreated,
    };
  } finally {
    await api.close();
    await slackApi.stop();
    await dropQueueKeys(prefix);
    await database.drop();
  }
}
