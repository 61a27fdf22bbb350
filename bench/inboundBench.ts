import { fileURLToPath } from 'node:url';
import { createTestDatabase, uniqueQueuePrefix } from '../test/support/testDatabase.js';
import {
  webhookLoadResultSchema,
  type WebhookLoadOptions,
  type WebhookLoadResult,
} from './support/webhookLoadTypes.js';
import {
  BENCH_SECRET,
  committedTransactions,
  dropQueueKeys,
  loadAverage,
  queryOne,
  serviceDatabaseUrl,
  serviceEnv,
  sleep,
} from './support/benchEnv.js';
import { RateLimitedBotApi } from './support/rateLimitedBotApi.js';
import { freePort, runJsonScript, startMeasuredProcess, waitForHttp } from './support/serviceProcess.js';

const LOAD = fileURLToPath(new URL('./webhookLoad.ts', import.meta.url));
const BARE = fileURLToPath(new URL('./bareInsertServer.ts', import.meta.url));

export interface InboundBenchOptions {
  walk: string;
  chats: number;
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** directory for a V8 CPU profile of the service (node --cpu-prof) */
  cpuProfDir?: string;
}

export interface InboundBenchResult {
  walk: string;
  chats: number;
  connections: number;
  loadAverageBefore: string;
  relais: WebhookLoadResult;
  bare: WebhookLoadResult;
  ratio: number;
  /** node-postgres queries per stored inbound message (BEGIN and COMMIT included) */
  roundTripsPerMessage: number;
  transactionsPerMessage: number;
  inboundStored: number;
  outboundWritten: number;
  rssPeakMb: number;
  rssAfterMb: number;
  bareRssPeakMb: number;
}

/**
 * Relais' web process (separate process, RUN_WORKERS=false: delivery is measured apart)
 * receiving webhook updates from `chats` people walking a conversation, then the bare-insert
 * bound under the same load generator and pool size.
 */
export async function runInboundBench(options: InboundBenchOptions): Promise<InboundBenchResult> {
  const database = await createTestDatabase('bench_inbound');
  const api = await new RateLimitedBotApi(null).start();
  const prefix = uniqueQueuePrefix('bench_inbound');
  const loadAverageBefore = loadAverage();
  try {
    const port = await freePort();
    const service = startMeasuredProcess(
      'src/main.ts',
      serviceEnv({ databaseUrl: database.url, port, prefix, apiRoot: api.apiRoot, runWorkers: false }),
      options.cpuProfDir ? { cpuProfDir: options.cpuProfDir } : {},
    );
    let relais: WebhookLoadResult;
    let trips: number;
    let commits: number;
    let rssPeakMb: number;
    let rssAfterMb: number;
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, service);
      const tripsBefore = await service.roundTrips();
      const commitsBefore = await committedTransactions(database.url);
      const stopSampling = service.sampleRss();
      relais = await runWebhookLoad({ url: `http://127.0.0.1:${port}`, ...options, firstChatId: 10_000_000 });
      rssPeakMb = stopSampling();
      await sleep(600);
      rssAfterMb = service.rssMb();
      trips = (await service.roundTrips()) - tripsBefore;
      commits = (await committedTransactions(database.url)) - commitsBefore;
    } finally {
      await service.stop();
    }
    const counts = await queryOne<{ inbound: string; outbound: string }>(
      database.url,
      `SELECT count(*) FILTER (WHERE direction = 'INBOUND')::text AS inbound,
              count(*) FILTER (WHERE direction = 'OUTBOUND')::text AS outbound FROM "Message"`,
    );
    const inboundStored = Number(counts?.inbound ?? 0);

    const barePort = await freePort();
    const bareProcess = startMeasuredProcess(BARE, {
      DATABASE_URL: serviceDatabaseUrl(database.url),
      PORT: String(barePort),
      DATABASE_POOL_MAX: '10',
    });
    let bare: WebhookLoadResult;
    let bareRssPeakMb: number;
    try {
      await waitForHttp(`http://127.0.0.1:${barePort}/healthz`, bareProcess);
      const stop = bareProcess.sampleRss();
      bare = await runWebhookLoad({ url: `http://127.0.0.1:${barePort}`, ...options, firstChatId: 50_000_000 });
      bareRssPeakMb = stop();
    } finally {
      await bareProcess.stop();
    }
    return {
      walk: options.walk,
      chats: options.chats,
      connections: options.connections,
      loadAverageBefore,
      relais,
      bare,
      ratio: Math.round((relais.perSec / bare.perSec) * 100) / 100,
      roundTripsPerMessage: Math.round((trips / inboundStored) * 100) / 100,
      transactionsPerMessage: Math.round((commits / inboundStored) * 100) / 100,
      inboundStored,
      outboundWritten: Number(counts?.outbound ?? 0),
      rssPeakMb,
      rssAfterMb,
      bareRssPeakMb,
    };
  } finally {
    await api.close();
    await dropQueueKeys(prefix);
    await database.drop();
  }
}

/** Runs the load generator in its own process against `url`. */
export async function runWebhookLoad(options: Omit<WebhookLoadOptions, 'secret'>): Promise<WebhookLoadResult> {
  const { url, walk, chats, connections, durationSec, amount, warmupSec, firstChatId } = options;
  const args: WebhookLoadOptions = {
    url,
    secret: BENCH_SECRET,
    walk,
    chats,
    connections,
    durationSec,
    amount,
    warmupSec,
    firstChatId,
  };
  return webhookLoadResultSchema.parse(await runJsonScript(LOAD, [JSON.stringify(args)]));
}
