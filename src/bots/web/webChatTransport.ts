import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChannelTransport, Receive } from '../../core/channels/channelTransport.js';
import type { Db } from '../../core/db.js';
import type { ChannelSender } from '../../core/outbound/channelSender.js';
import type { Queryable } from '../../core/outbound/outboxSql.js';
import type { I18n } from '../../core/i18n/i18n.js';
import type { Secrets } from '../../core/secrets.js';
import type { WebChatEvents } from './webChatEvents.js';
import { webChatHistory } from './webChatHistory.js';
import { toInboundMessage, webChatPostSchema } from './webChatMessage.js';
import { webChatRateLimit, type WebChatRateLimitOptions } from './webChatRateLimit.js';
import { isKnownSession, renewSession, SESSION_HEADER, sessionIdSchema } from './webChatSession.js';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
// seq is a bigint in Postgres; a larger number is refused here, before it reaches a query
const historyQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER, 'after: a message number from 0 to 9007199254740991')
    .default(0),
});

const wordsQuerySchema = z.object({ lng: z.string().max(16).default('') });
/** The page's own words, `channel:web.ui.<key>` in every locale. */
const WEB_CHAT_WORDS = [
  'placeholder',
  'send',
  'message',
  'conversation',
  'new_conversation',
  'restart_confirm',
  'share_location',
  'sending',
  'not_sent',
  'too_long',
] as const;

export interface WebChatDeps {
  db: Db;
  pool: Queryable;
  secrets: Secrets;
  i18n: I18n;
  defaultLanguage: string;
  rateLimit: WebChatRateLimitOptions;
  /** replies announced to the open pages (GET /chat/api/events) */
  events: WebChatEvents;
}

/** open event streams of one session (a few tabs of the same conversation); beyond, 503 and the tab polls */
export const WEBCHAT_STREAMS_PER_SESSION = 3;
const eventsQuerySchema = z.object({ session: sessionIdSchema.optional() });

/**
 * Web chat: a page at /chat that talks to the same flows as Telegram and WhatsApp, through
 * the same durable inbound path. Replies are "delivered" by the outbound queue like any
 * other channel; once one is, the page's event stream (GET /chat/api/events) says so and the
 * page fetches the history of its session (it polls every second only without a stream). Posts are rate limited per
 * session and per IP address, new sessions per IP address and hour (429 + Retry-After,
 * counters in Redis). When the session's profile changes (a shared handset) the page renews
 * its session (POST /chat/api/session).
 */
export function createWebChatTransport(deps: WebChatDeps): ChannelTransport {
  const sender: ChannelSender = {
    channel: 'WEB',
    pacing: { globalPerSec: 500, perChatMs: 0, jitterMs: 0, concurrency: 20 },
    // the browser fetches SENT messages from /chat/api/messages: marking it sent is the delivery
    send: async () => ({}),
    deliveredOnFetch: true,
    // the page fetches it at once: the web process holding its stream hears it through Redis
    delivered: (address, seq) => deps.events.publish(address, seq),
  };
  return {
    name: 'web',
    sender,
    async registerRoutes(app: FastifyInstance, receive: Receive) {
      // loaded here, not at the top: a worker process delivers web chat messages but serves no page
      const { default: fastifyStatic } = await import('@fastify/static');
      await app.register(async (scope) => {
        await scope.register(fastifyStatic, {
          root: PUBLIC_DIR,
          prefix: '/chat/assets/',
          decorateReply: true,
          index: false,
        });
        scope.get('/chat', async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('chat.html'));
        const limited = webChatRateLimit(deps.rateLimit, {
          secrets: deps.secrets,
          i18n: deps.i18n,
          defaultLanguage: deps.defaultLanguage,
          isKnownSession: (sessionId) => isKnownSession(deps.pool, deps.secrets, sessionId),
        });
        scope.post('/chat/api/messages', { bodyLimit: 16 * 1024, preHandler: limited }, async (request, reply) => {
          const body = webChatPostSchema.parse(request.body);
          const result = await receive(toInboundMessage(body, new Date(), request.ip));
          return reply.status(202).send({ status: result.status });
        });
        // the page's own words (placeholder, Send, errors…) in the person's language, with lang and dir
        scope.get('/chat/api/words', async (request, reply) => {
          const query = wordsQuerySchema.parse(request.query);
          const language = deps.i18n.supports(query.lng) ? query.lng : deps.defaultLanguage;
          const words = Object.fromEntries(
            WEB_CHAT_WORDS.map((key) => [key, deps.i18n.t(language, `channel:web.ui.${key}`)]),
          );
          return reply
            .header('cache-control', 'public, max-age=300')
            .send({ lang: language, dir: deps.i18n.isRtl(language) ? 'rtl' : 'ltr', words });
        });
        scope.get('/chat/api/messages', async (request) => {
          const session = sessionIdSchema.parse(request.headers[SESSION_HEADER]);
          const query = historyQuerySchema.parse(request.query);
          return webChatHistory(deps, session, query.after);
        });
        // "something new" for the page (no content), instead of asking every second: the session
        // id comes in the query (an EventSource sends no header of its own); never compressed
        scope.get('/chat/api/events', { compress: false, exposeHeadRoute: false }, async (request, reply) => {
          const query = eventsQuerySchema.parse(request.query);
          const session = sessionIdSchema.parse(query.session ?? request.headers[SESSION_HEADER]);
          if (!(await isKnownSession(deps.pool, deps.secrets, session))) {
            return reply.status(404).send({ error: 'RELAIS_NOT_FOUND', message: 'unknown session' });
          }
          if (!deps.events.hasRoomFor(session)) {
            return reply
              .status(503)
              .header('retry-after', '60')
              .send({ error: 'RELAIS_BUSY', message: 'too many streams' });
          }
          reply.hijack();
          const headers = Object.fromEntries(
            Object.entries(reply.getHeaders()).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
          );
          await deps.events.stream(session, reply.raw, headers);
          return reply;
        });
        scope.post('/chat/api/session', { bodyLimit: 1024, preHandler: limited }, async (request, reply) => {
          const session = sessionIdSchema.parse(request.headers[SESSION_HEADER]);
          const renewed = await renewSession(deps.pool, deps.secrets, session);
          if (!renewed) return reply.status(404).send({ error: 'RELAIS_NOT_FOUND', message: 'unknown session' });
          return reply.header('cache-control', 'no-store').send({ sessionId: renewed });
        });
      });
    },
    async stop() {
      await deps.events.close();
    },
  };
}
