import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import { errorHandler } from './core/http/errorHandler.js';
import { fastifyTrustProxy } from './core/http/trustProxy.js';
import { receiptRoute } from './core/http/receiptRoute.js';
import { healthRoutes } from './core/http/healthRoutes.js';
import { adminApi } from './core/http/admin/adminApi.js';
import { queueDashboard } from './core/http/queueDashboard.js';
import { registerScrapeGauges } from './core/http/scrapeGauges.js';
import { observeQueues, type ObservedQueues } from './core/queue/observedQueues.js';
import { QUEUES } from './core/queue/queueConnection.js';
import type { ChannelTransport, Receive } from './core/channels/channelTransport.js';
import type { RelaisCore } from './relaisCore.js';

/**
 * One line per request, at debug, instead of Fastify's two at info (an open chat tab asks
 * every second); a request that failed is still logged as an error. Never the query string.
 */
class QuietRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.routeOptions.url,
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.debug(line, 'request completed');
  }
}

export interface HttpSurface {
  app: FastifyInstance;
  /** queue handles of the dashboard and the metrics gauges */
  observed: ObservedQueues;
}

/**
 * Everything a process serves over HTTP: the Fastify app with security headers, health,
 * metrics gauges, the admin API, donor receipts, the queue dashboard and each channel's
 * routes. Loaded only by processes that serve HTTP, so a worker does not carry Fastify and
 * these modules (docs/BENCHMARKS.md).
 */
export async function createHttpSurface(
  core: RelaisCore,
  transports: readonly ChannelTransport[],
  receive: Receive,
): Promise<HttpSurface> {
  const { config, db, log, metrics, redis, secrets } = core;
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: 256 * 1024,
    requestTimeout: 30_000,
    // an inbound turn gives up at INBOUND_TURN_TIMEOUT_MS (503, the platform retries); a handler
    // still running 5 s later gets 503 from Fastify; only then may an idle socket be cut
    handlerTimeout: config.INBOUND_TURN_TIMEOUT_MS + 5_000,
    connectionTimeout: config.INBOUND_TURN_TIMEOUT_MS + 15_000,
    // the client address (rate limits, logs) comes from X-Forwarded-For only through trusted hops
    trustProxy: fastifyTrustProxy(config.TRUST_PROXY),
    logController: new QuietRequestLog(),
  });
  app.setErrorHandler(errorHandler);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // responses above 1 KB gzip/brotli/deflate-compressed when the client accepts it (the chat page, its
  // history, the admin pages); registered before the routes (it hooks each route as it is added).
  // Requests are not decompressed: webhooks keep the exact bytes their signatures cover.
  await app.register(compress, { global: true, threshold: 1024, globalDecompression: false });
  await healthRoutes(app, { db, metrics, pingRedis: async () => (await redis.ping()) === 'PONG' });
  const lanes = transports.flatMap((t) =>
    t.sender ? [QUEUES.outbound(t.sender.channel), QUEUES.announcements(t.sender.channel)] : [],
  );
  const observed = observeQueues([QUEUES.tasks, ...lanes], config.REDIS_URL, config.QUEUE_PREFIX);
  registerScrapeGauges(metrics.registry, { db, queues: () => observed.queues });
  await adminApi(app, {
    db,
    config,
    dispatcher: core.dispatcher,
    adminToken: config.ADMIN_TOKEN,
    publicUrl: config.PUBLIC_URL,
  });
  await receiptRoute(app, { db, secrets });
  await queueDashboard(app, { db, adminToken: config.ADMIN_TOKEN, queues: observed.queues });
  for (const transport of transports) await transport.registerRoutes?.(app, receive);
  return { app, observed };
}
