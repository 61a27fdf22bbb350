import type { FastifyInstance } from 'fastify';
import type { RelaisCore } from './relaisCore.js';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import type { DestinationStream } from 'pino';
import type { Config } from './core/config.js';
import { createDb, createPool } from './core/db.js';
import { createI18n } from './core/i18n/i18n.js';
import { createLogger } from './core/logger.js';
import { createMetrics } from './core/metrics.js';
import { Secrets } from './core/secrets.js';
import { AddressGuesses } from './core/contacts/addressGuesses.js';
import { InboundService } from './core/inbound/inboundService.js';
import { ReferenceDataCache } from './core/inbound/referenceData.js';
import { TurnBatcher } from './core/db/turnBatcher.js';
import { OutboxDispatcher } from './core/outbound/outboxDispatcher.js';
import { DeliveryWorker } from './core/outbound/deliveryWorker.js';
import type { ChannelSender } from './core/outbound/channelSender.js';
import type { ChannelTransport, Receive } from './core/channels/channelTransport.js';
import { createTaskWorker, type TaskHandlers } from './core/queue/taskWorker.js';
import { QUEUES, redisOptions } from './core/queue/queueConnection.js';
import { buildCoreTasks } from './core/coreTasks.js';
import { FOLLOW_UP_TASKS } from './core/followUps/followUpService.js';
import { buildKeywordTable } from './core/conversation/globalKeywords.js';
import { createTurnEngine } from './flows/engine/turnEngine.js';
import { buildFlowRegistry } from './flows/flowRegistry.js';
import { createWebChatTransport, WEBCHAT_STREAMS_PER_SESSION } from './bots/web/webChatTransport.js';
import { WebChatEvents } from './bots/web/webChatEvents.js';

export interface RelaisOptions {
  /** where logs go (tests capture them) */
  logDestination?: DestinationStream;
  /** channel transports besides the web chat (Telegram, Slack, WhatsApp, test fakes) */
  transports?: (core: RelaisCore) => ChannelTransport[] | Promise<ChannelTransport[]>;
  /** listen on HOST:PORT (web process); without it the routes still answer `app.inject` */
  web?: boolean;
  /** build the HTTP routes at all (default true); a worker process sets false and serves nothing */
  http?: boolean;
  /** run queue workers in this process */
  workers?: boolean;
  sweepIntervalMs?: number;
}

export type { RelaisCore } from './relaisCore.js';

export interface Relais extends RelaisCore {
  app: FastifyInstance;
  transports: ChannelTransport[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Composition root: wires core, flows and channels. Only main.ts, worker.ts and tests call it. */
export async function createRelais(config: Config, options: RelaisOptions = {}): Promise<Relais> {
  const log = createLogger(config.LOG_LEVEL, options.logDestination);
  const poolOptions = {
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  };
  // one pool for Prisma and for the inbound fast path, so DATABASE_POOL_MAX bounds both
  const pool = createPool(poolOptions);
  const db = createDb(poolOptions, pool);
  const secrets = new Secrets(config.APP_SECRET);
  const i18n = createI18n();
  const metrics = createMetrics();
  const redis = new Redis(redisOptions(config.REDIS_URL, 'producer'));
  redis.on('error', () => undefined);
  const dispatcher = new OutboxDispatcher(pool, config.REDIS_URL, config.QUEUE_PREFIX, log);
  const turns = new TurnBatcher(pool, {
    maxSize: config.INBOUND_BATCH_MAX,
    concurrency: config.INBOUND_BATCH_CONCURRENCY,
    prepare: config.DATABASE_PREPARED_STATEMENTS,
    queueWaitMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    lockTimeoutMs: config.INBOUND_LOCK_TIMEOUT_MS,
  });
  const inbound = new InboundService({
    db,
    turns,
    secrets,
    i18n,
    config,
    log,
    dispatcher,
    metrics,
    // the core reaches the flows only through this port
    engine: createTurnEngine(buildFlowRegistry(), buildKeywordTable(i18n.keywordSpellings(), i18n.choiceSpellings())),
    referenceData: new ReferenceDataCache(db),
    addressGuesses: new AddressGuesses(redis, config.QUEUE_PREFIX),
  });
  const receive: Receive = (message) => inbound.receive(message);
  const servesHttp = options.http ?? true;
  const core: RelaisCore = {
    config,
    log,
    db,
    secrets,
    i18n,
    metrics,
    dispatcher,
    inbound,
    receive,
    redis,
    pool,
    servesHttp,
  };

  const transports: ChannelTransport[] = [];
  if (config.WEBCHAT_ENABLED) {
    const rateLimit = {
      redis,
      namespace: `${config.QUEUE_PREFIX}:webchat-rate:`,
      perSessionPerMinute: config.WEBCHAT_RATE_PER_SESSION_PER_MIN,
      perIpPerMinute: config.WEBCHAT_RATE_PER_IP_PER_MIN,
      newSessionsPerIpPerHour: config.WEBCHAT_NEW_SESSIONS_PER_IP_PER_HOUR,
    };
    const defaultLanguage = config.DEFAULT_LANGUAGE;
    const events = new WebChatEvents({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      secrets,
      publisher: redis,
      maxConnections: config.WEBCHAT_EVENT_STREAMS_MAX,
      maxPerSession: WEBCHAT_STREAMS_PER_SESSION,
    });
    transports.push(createWebChatTransport({ db, pool, secrets, i18n, defaultLanguage, rateLimit, events }));
  }
  transports.push(...((await options.transports?.(core)) ?? []));

  // a worker serves no HTTP: it does not even load Fastify and the routes' modules
  const http = servesHttp
    ? await (await import('./httpSurface.js')).createHttpSurface(core, transports, receive)
    : null;

  const workers: Array<DeliveryWorker | Worker> = [];
  const runWorkers = options.workers ?? config.RUN_WORKERS;
  // WORKER_QUEUES splits the work: delivery workers run plain SQL and never load Prisma's query
  // compiler; background tasks (Slack cards, follow-ups, retention…) need Prisma
  const delivers = runWorkers && config.WORKER_QUEUES.includes('delivery');
  const runsTasks = runWorkers && config.WORKER_QUEUES.includes('tasks');
  if (delivers) {
    const senders: ChannelSender[] = transports.flatMap((t) => (t.sender ? [t.sender] : []));
    const deliveryDeps = {
      pool,
      secrets,
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      log,
      metrics,
      stalledMs: config.QUEUE_STALLED_INTERVAL_MS,
      sendLockMs: config.OUTBOUND_SEND_LOCK_SECONDS * 1000,
    };
    for (const sender of senders) {
      workers.push(new DeliveryWorker(sender, deliveryDeps));
      // announcements: the same pacing, in a lower-priority lane (docs/ARCHITECTURE.md)
      workers.push(new DeliveryWorker(sender, { ...deliveryDeps, lane: 'announcement' }));
    }
  }
  if (runsTasks) {
    const tasks: TaskHandlers = {
      ...buildCoreTasks(core),
      ...Object.assign({}, ...transports.map((t) => t.tasks ?? {})),
    };
    workers.push(
      createTaskWorker(tasks, {
        db: pool,
        redisUrl: config.REDIS_URL,
        prefix: config.QUEUE_PREFIX,
        log,
        stalledMs: config.QUEUE_STALLED_INTERVAL_MS,
      }),
    );
  }

  const scheduleRecurringTasks = async () => {
    // retention runs daily; the scheduler is idempotent across processes
    await dispatcher
      .queue(QUEUES.tasks)
      .upsertJobScheduler('retention-daily', { pattern: '17 3 * * *' }, { name: 'purgeExpiredData', data: {} })
      .catch((error: unknown) =>
        log.warn(
          { err: { type: error instanceof Error ? error.name : 'unknown' } },
          'could not schedule the retention purge',
        ),
      );
    // follow-ups whose delayed job was lost (Redis flushed) are found again in Postgres
    await dispatcher
      .queue(QUEUES.tasks)
      .upsertJobScheduler('followups-catch-up', { every: 15 * 60_000 }, { name: FOLLOW_UP_TASKS.catchUp, data: {} })
      .catch((error: unknown) =>
        log.warn(
          { err: { type: error instanceof Error ? error.name : 'unknown' } },
          'could not schedule the follow-up catch-up',
        ),
      );
  };

  let started = false;
  return {
    ...core,
    get app() {
      if (!http) throw new Error('this Relais serves no HTTP (created with http: false)');
      return http.app;
    },
    transports,
    async start() {
      if (http && (options.web ?? true)) {
        await http.app.listen({ host: config.HOST, port: config.PORT });
      } else {
        await http?.app.ready();
      }
      for (const transport of transports) await transport.start?.(receive);
      if (delivers) for (const transport of transports) await transport.startWithWorkers?.(receive);
      for (const worker of workers) {
        if (worker instanceof DeliveryWorker) worker.start();
        else void worker.run();
      }
      if (runWorkers) {
        dispatcher.start(options.sweepIntervalMs ?? 2000);
        await scheduleRecurringTasks();
        // a Redis that lost its data lost the schedulers too: the sweep that notices puts them back
        dispatcher.onRedisEmptied = scheduleRecurringTasks;
      }
      started = true;
    },
    async stop() {
      // stop taking new work first, then let in-flight jobs finish (graceful drain)
      for (const transport of transports) await transport.stop?.();
      await http?.app.close();
      await Promise.all(workers.map((w) => w.close()));
      await dispatcher.close();
      await http?.observed.close();
      redis.disconnect();
      await db.$disconnect();
      await pool.end().catch(() => undefined);
      started = false;
      void started;
    },
  };
}
