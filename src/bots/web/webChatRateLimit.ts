import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { I18n } from '../../core/i18n/i18n.js';
import type { Secrets } from '../../core/secrets.js';
import { SESSION_HEADER, sessionIdSchema } from './webChatSession.js';

export interface WebChatRateLimitOptions {
  redis: Redis;
  /** key prefix (`<QUEUE_PREFIX>:webchat-rate:`): instances of one deployment share counters, tests do not */
  namespace: string;
  perSessionPerMinute: number;
  perIpPerMinute: number;
  /** sessions Relais has never seen, per IP address and hour: each one costs a new contact */
  newSessionsPerIpPerHour: number;
}

export interface WebChatLimiterDeps {
  secrets: Secrets;
  i18n: I18n;
  defaultLanguage: string;
  /** whether a session id already has its identity (a known conversation, not a new one) */
  isKnownSession(sessionId: string): Promise<boolean>;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
// INCR, and start the window on the first hit: one round trip, atomic
const FIXED_WINDOW = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;
const counterReply = z.tuple([z.number(), z.number()]);

/** Counts one hit in a fixed window; null when Redis cannot answer (the hit is then let through). */
async function hit(redis: Redis, key: string, windowMs: number): Promise<{ count: number; ttlMs: number } | null> {
  try {
    const [count, ttlMs] = counterReply.parse(await redis.eval(FIXED_WINDOW, 1, key, windowMs));
    return { count, ttlMs: ttlMs > 0 ? ttlMs : windowMs };
  } catch {
    return null;
  }
}

function sessionOf(request: FastifyRequest): string | null {
  const body: unknown = request.body;
  const fromBody = typeof body === 'object' && body !== null && 'sessionId' in body ? body.sessionId : undefined;
  const parsed = sessionIdSchema.safeParse(fromBody ?? request.headers[SESSION_HEADER]);
  return parsed.success ? parsed.data : null;
}

function languageOf(request: FastifyRequest, deps: WebChatLimiterDeps): string {
  const body: unknown = request.body;
  const fromBody = typeof body === 'object' && body !== null && 'language' in body ? body.language : undefined;
  const hint = typeof fromBody === 'string' ? fromBody : request.headers['accept-language'];
  const base = hint?.toLowerCase().split(/[-_,;]/)[0];
  return base && deps.i18n.supports(base) ? base : deps.defaultLanguage;
}

/**
 * Limits the public web chat with fixed-window counters in Redis, shared by every web process:
 * posts per session and per IP address and minute, and sessions Relais has never seen per IP
 * address and hour (a script inventing a session per post would otherwise create a contact per
 * post, within the per-minute limit). The inbound flood limit already slows one person down.
 * Keys: `<QUEUE_PREFIX>:webchat-rate:ip:<keyed hash of the address>`, `…:session:<keyed hash>`
 * (a session id is a bearer secret), `…:new-session:<keyed hash of the address>`: neither an
 * address nor a session id is ever written in clear. Returns the preHandler
 * (after body parsing: the session id is in the body) that answers 429 with Retry-After and a
 * sentence in the person's language for the page to show. Redis down → let through: people first.
 */
export function webChatRateLimit(options: WebChatRateLimitOptions, deps: WebChatLimiterDeps) {
  const { redis, namespace } = options;
  type Refusal = 'too_many_messages' | 'too_many_new_sessions';
  const refuse = (request: FastifyRequest, reply: FastifyReply, ttlMs: number, key: Refusal) => {
    const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
    return reply
      .status(429)
      .header('retry-after', String(seconds))
      .send({
        error: key === 'too_many_messages' ? 'RELAIS_RATE_LIMITED' : 'RELAIS_TOO_MANY_NEW_SESSIONS',
        message: deps.i18n.t(languageOf(request, deps), `channel:web.${key}`),
        retryAfterSeconds: seconds,
      });
  };
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // the client address is personal data: keyed hash in the key, never the address itself
    const ipKey = deps.secrets.hash(`webchat-ip:${request.ip}`).slice(0, 32);
    const perIp = await hit(redis, `${namespace}ip:${ipKey}`, MINUTE);
    if (perIp && perIp.count > options.perIpPerMinute) return refuse(request, reply, perIp.ttlMs, 'too_many_messages');
    const session = sessionOf(request);
    if (!session) return undefined;
    const sessionKey = deps.secrets.hash(`webchat-rate:${session}`).slice(0, 32);
    const perSession = await hit(redis, `${namespace}session:${sessionKey}`, MINUTE);
    if (perSession && perSession.count > options.perSessionPerMinute) {
      return refuse(request, reply, perSession.ttlMs, 'too_many_messages');
    }
    if (await deps.isKnownSession(session)) return undefined;
    const fresh = await hit(redis, `${namespace}new-session:${ipKey}`, HOUR);
    if (fresh && fresh.count > options.newSessionsPerIpPerHour) {
      return refuse(request, reply, fresh.ttlMs, 'too_many_new_sessions');
    }
    return undefined;
  };
}
