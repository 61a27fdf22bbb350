import type { Redis } from 'ioredis';

// GCRA ("virtual scheduling") in Redis: each call reserves the next free send time of a key
// and returns how long to wait for it. Spacing is exact (no fixed-window bursts at second
// boundaries), shared by every worker process, and uses Redis' clock, not the workers'.
// Times are kept in microseconds, so a rate like 29/s is spaced 34 483 µs apart and not
// rounded up to 35 ms (which would be 28.6/s: 3.5 % slower over a long run). The delivery
// worker names these keys `…:pace:…` (the millisecond version used `…:slot:…`), so old and
// new workers never read each other's unit during a rolling upgrade.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
local newTat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', newTat), 'PX', math.ceil((newTat - now) / 1000) + 1000)
return math.ceil(wait / 1000)
`;

// RESERVE for a lower-priority lane: takes the next free time only if it is at most ARGV[2] µs
// away, else leaves the key untouched and returns -(wait + 1) ms. The conversation lane's
// reservations push the key ahead, so this lane only ever fills the capacity they leave.
const RESERVE_IF_SOON = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now
if wait > tonumber(ARGV[2]) then return -math.ceil(wait / 1000) - 1 end
local newTat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', newTat), 'PX', math.ceil((newTat - now) / 1000) + 1000)
return math.ceil(wait / 1000)
`;

// Moves a key's next free time to at least `now + ARGV[1]` (never earlier than reserved).
const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local floor = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < floor then
  redis.call('SET', KEYS[1], string.format('%.0f', floor), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
end
return 0
`;

/** how long after its place frees a claim on the window waits for its holder (who sleeps until then) */
const CLAIM_GRACE_MS = 50;

// Sliding window of sends as the platform counts them (arrivals): each send counts from when it
// completed, or from `arrival` µs after it started if it is still in flight then (ARGV[4]: by
// then the platform has the request; only its answer is slow). A platform counting arrivals
// in any window of `window` µs sees at most `limit` of ours, however late a send leaves after
// its GCRA slot, because a send arrives after it starts and before min(completion, start +
// arrival). A slow answer (2 s) then holds a place for arrival + window, not 2 s + window, and
// a sender that died mid-send frees its places as soon, without anyone noticing its death.
// Priority (ARGV[5] = 'high'): a high-priority sender finding the window full claims the next
// place (KEYS[2], until a little after it frees); a low-priority sender leaves a free place to
// the claim's holder and looks again 1 ms later. The claim lapses by itself if its holder dies.
const ACQUIRE_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local arrival = tonumber(ARGV[4])
local high = ARGV[5] == 'high'
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local claim = redis.call('GET', KEYS[2])
if redis.call('ZCARD', KEYS[1]) < limit then
  if claim and claim ~= ARGV[3] and not high then return 1 end
  if claim == ARGV[3] then redis.call('DEL', KEYS[2]) end
  redis.call('ZADD', KEYS[1], now + arrival, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil((arrival + window) / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1000 then wait = 1000 end
if high and (not claim or claim == ARGV[3]) then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', math.ceil(wait / 1000) + ${CLAIM_GRACE_MS})
end
return math.ceil(wait / 1000)
`;

// a send that completed before its arrival bound counts from its completion (never later: LT)
const COMPLETE_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZADD', KEYS[1], 'XX', 'LT', now, ARGV[1])
return 0
`;

/** Reserves send slots: `interval` ms apart per key (fractions allowed), the first `burst` immediately. */
export class SlotLimiter {
  constructor(private readonly redis: Redis) {}

  /** Milliseconds to wait before using the reserved slot. */
  async reserve(key: string, intervalMs: number, burst = 1): Promise<number> {
    if (intervalMs <= 0) return 0;
    const intervalUs = Math.round(intervalMs * 1000);
    const toleranceUs = Math.max(0, burst - 1) * intervalUs;
    const wait = await this.redis.eval(RESERVE, 1, key, String(intervalUs), String(toleranceUs));
    return Number(wait);
  }

  /**
   * Reserves a slot only if it is at most `maxWaitMs` away (lower-priority traffic that must
   * never push others back): the wait in ms when reserved, otherwise how long the key is booked ahead.
   */
  async reserveIfSoon(
    key: string,
    intervalMs: number,
    maxWaitMs: number,
  ): Promise<{ waitMs: number } | { busyForMs: number }> {
    if (intervalMs <= 0) return { waitMs: 0 };
    const args = [String(Math.round(intervalMs * 1000)), String(Math.round(maxWaitMs * 1000))];
    const wait = Number(await this.redis.eval(RESERVE_IF_SOON, 1, key, ...args));
    return wait >= 0 ? { waitMs: wait } : { busyForMs: -wait - 1 };
  }

  /**
   * The next slot of `key` comes no sooner than `intervalMs` from now. Called when a send has
   * completed: the spacing then counts from when the platform really got the message, not
   * from the reservation (a send delayed by the global limit would otherwise leave its
   * successor too close behind it).
   */
  async holdFromNow(key: string, intervalMs: number): Promise<void> {
    if (intervalMs <= 0) return;
    await this.redis.eval(HOLD, 1, key, String(Math.round(intervalMs * 1000)));
  }

  /**
   * Takes a place for `member` among the last `limit` sends of `key` within `windowMs`, or
   * returns how many ms to wait before asking again (0 = taken). Pair with completeSend.
   * `arrivalMs`: a send still in flight this long after it started counts as arrived then.
   * `priority`: a `high` sender kept waiting claims the next free place; `low` senders leave it to them.
   */
  async acquireWindow(
    key: string,
    member: string,
    limit: number,
    windowMs: number,
    arrivalMs: number,
    priority: 'high' | 'low' = 'high',
  ): Promise<number> {
    const args = [
      String(Math.round(windowMs * 1000)),
      String(limit),
      member,
      String(Math.round(arrivalMs * 1000)),
      priority,
    ];
    const wait = await this.redis.eval(ACQUIRE_WINDOW, 2, key, `${key}:claim`, ...args);
    return Number(wait);
  }

  /** The send of `member` is over (delivered or not): it counts from now on, if sooner than its arrival bound. */
  async completeSend(key: string, member: string): Promise<void> {
    await this.redis.eval(COMPLETE_WINDOW, 1, key, member);
  }
}
