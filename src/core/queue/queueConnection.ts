import type { RedisOptions } from 'bullmq';

/** ioredis options for BullMQ from a redis:// URL. */
export function redisOptions(url: string, role: 'producer' | 'worker'): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: Number.isFinite(db) ? db : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // workers block on Redis and must never give up a command (BullMQ requirement);
    // producers fail fast so a Redis outage never holds an inbound webhook: the outbox
    // keeps the work and the dispatcher retries
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

export const QUEUES = {
  outbound: (channel: string) => `outbound-${channel.toLowerCase()}`,
  /** the lower-priority lane of a channel: announcement messages, one job per message */
  announcements: (channel: string) => `outbound-${channel.toLowerCase()}-announcements`,
  tasks: 'tasks',
} as const;
