import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// compare-and-act on the owner token: never extend or delete a lock another process holds
const RENEW =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then " + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * "Only one process drives this WhatsApp number": a Redis lock (SET NX PX) with an owner
 * token, renewed every third of its lifetime while held and released on stop. If the holder
 * dies, the lock expires after `ttlMs` and another worker takes over. A holder that cannot
 * renew (another owner, or Redis silent for longer than the lifetime) is told it lost the
 * lock and must close its session at once.
 */
export class SessionLock {
  private readonly token = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private lastRenewed = 0;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** True when this process now holds the lock. Never throws (Redis down = not acquired). */
  async tryAcquire(): Promise<boolean> {
    try {
      const acquired = (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
      if (acquired) this.lastRenewed = Date.now();
      return acquired;
    } catch {
      return false;
    }
  }

  /** Renews the lock in the background until released; `onLost` is called once if it slips away. */
  keepAlive(onLost: () => void): void {
    this.stopRenewal();
    const renew = async () => {
      try {
        const renewed = Number(await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs)));
        if (renewed === 1) {
          this.lastRenewed = Date.now();
          return;
        }
      } catch {
        // Redis unreachable: still ours until the lifetime has passed without a renewal
        if (Date.now() - this.lastRenewed < this.ttlMs) return;
      }
      this.stopRenewal();
      onLost();
    };
    this.timer = setInterval(() => void renew(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** Stops renewing and deletes the lock if it is still ours. */
  async release(): Promise<void> {
    this.stopRenewal();
    await this.redis.eval(RELEASE, 1, this.key, this.token).catch(() => undefined);
  }

  private stopRenewal(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
