import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';

export interface WebChatRateLimitOptions {
  redis: Redis;
  /** Redis key prefix, so instances of one deployment share counters and tests do not */
  namespace: string;
  perSessionPerMinute: number;
  perIpPerMinute: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{22,64}$/;

function sessionOf(request: FastifyRequest): string | null {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null || !('sessionId' in body)) return null;
  return typeof body.sessionId === 'string' && SESSION_ID.test(body.sessionId) ? body.sessionId : null;
}

/**
 * Limits posts to the public web chat per session and per IP address, with counters in Redis
 * (@fastify/rate-limit's Redis store) so every web process shares them. The inbound flood
 * limit already slows one person down; this stops a script from costing a database
 * transaction (and a new contact) per request, e.g. by inventing a session per post.
 * Returns the preHandler (after body parsing: the session id is in the body) that answers
 * 429 with Retry-After. Redis down → the post is let through (skipOnError): people first.
 */
export async function webChatRateLimit(scope: FastifyInstance, options: WebChatRateLimitOptions) {
  await scope.register(rateLimit, { global: false, redis: options.redis, nameSpace: options.namespace, skipOnError: true });
  const perIp = scope.createRateLimit({ max: options.perIpPerMinute, timeWindow: 60_000, skipOnError: true, keyGenerator: (request) => `ip:${request.ip}` });
  const perSession = scope.createRateLimit({ max: options.perSessionPerMinute, timeWindow: 60_000, skipOnError: true, keyGenerator: (request) => `session:${sessionOf(request) ?? 'none'}` });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const limits = [await perIp(request)];
    if (sessionOf(request)) limits.push(await perSession(request));
    const exceeded = limits.find((limit) => !limit.isAllowed && limit.isExceeded);
    if (!exceeded || exceeded.isAllowed) return undefined;
    return reply
      .status(429)
      .header('retry-after', String(Math.max(1, exceeded.ttlInSeconds)))
      .send({ error: 'RELAIS_RATE_LIMITED', message: `too many messages, retry in ${Math.max(1, exceeded.ttlInSeconds)} s` });
  };
}
