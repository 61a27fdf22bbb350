import type { Redis } from 'ioredis';

const WINDOW_MS = 60 * 60_000;
// Redis must never hold a code check (an inbound transaction) for long
const REDIS_TIMEOUT_MS = 500;

// Sliding window of wrong codes per client address: a sorted set of failure times (ms).
// Counting and adding run in one script, so parallel failures are counted exactly.
const COUNT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])
`;
const RECORD = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 60000)
return redis.call('ZCARD', KEYS[1])
`;

function within<T>(operation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('redis too slow')), REDIS_TIMEOUT_MS);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wrong reconnection codes per client address (the web chat's IP) in the last hour, kept in
 * Redis only, under a keyed hash of the address (an address never reaches Postgres or a log).
 * A web chat session costs nothing, so the account lock alone does not slow a script that
 * opens a session per guess; its address does. Redis down: the address is not counted (the
 * account lock and the channel pause still hold), so people are not refused for our outage.
 */
export class AddressGuesses {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(addressKey: string): string {
    return `${this.prefix}:code-guesses:address:${addressKey}`;
  }

  /** Wrong codes from this address in the hour before `now`; 0 when Redis does not answer. */
  async failures(addressKey: string, now: Date): Promise<number> {
    try {
      return Number(await within(this.redis.eval(COUNT, 1, this.key(addressKey), now.getTime(), WINDOW_MS)));
    } catch {
      return 0;
    }
  }

  /** Counts one wrong code (`attempt` names it, so a retried turn counts once). */
  async record(addressKey: string, now: Date, attempt: string): Promise<void> {
    try {
      await within(this.redis.eval(RECORD, 1, this.key(addressKey), now.getTime(), WINDOW_MS, attempt));
    } catch {
      // best effort: see the class comment
    }
  }
}
