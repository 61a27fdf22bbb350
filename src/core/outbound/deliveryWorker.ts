import { randomUUID } from 'node:crypto';
import { DelayedError, RateLimitError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  ChannelOffline,
  OutsideWindow,
  PlatformRateLimited,
  PlatformRejected,
  isDatabaseUnavailable,
} from '../errors.js';
import { outboundContentSchema } from '../messages/messageTypes.js';
import type { Metrics } from '../metrics.js';
import { QUEUES, redisOptions } from '../queue/queueConnection.js';
import type { Secrets } from '../secrets.js';
import type { ChannelSender } from './channelSender.js';
import { errorSummary } from './outboxDispatcher.js';
import {
  failMessage,
  failPending,
  hasEarlierPending,
  markSent,
  readOutbound,
  recordAttemptError,
  statusOf,
  type Queryable,
} from './outboxSql.js';
import { SlotLimiter } from './slotLimiter.js';
import { holdMessage, sendContextOf } from './customerWindowSql.js';

export const deliveryJobSchema = z.object({ messageIds: z.array(z.string().uuid()).min(1).max(50) });
const OFFLINE_RETRY_MS = 15_000;
/** waits longer than this give the slot back to BullMQ (delayed job) instead of sleeping */
const MAX_SLEEP_MS = 3_000;
const DEFAULT_SEND_LOCK_MS = 120_000;
/** BullMQ job lock of a delivery worker (QUEUE_STALLED_INTERVAL_MS) */
const DEFAULT_STALLED_MS = 10_000;
/**
 * A sent message whose SENT status could not be written (Postgres down) keeps its mark this
 * long: every later run of its job, or of a job the sweep makes for it, records it from the
 * mark instead of sending it again
 */
const SENT_MARK_MS = 24 * 3600_000;
/** lock values: `sending` while the send may be under way, `sent:<platform message id>` once it left */
const SENDING = 'sending';
const SENT = 'sent:';
/** Postgres unreachable: look again this late, without spending one of the job's attempts */
const DATABASE_RETRY_MS = 3_000;
const UNAVAILABLE_BOUNCE_MS = 250;

export interface DeliveryWorkerDeps {
  /** the node-postgres pool: delivery runs plain SQL (outboxSql.ts), no Prisma */
  pool: Queryable;
  secrets: Secrets;
  redisUrl: string;
  prefix: string;
  log: Logger;
  metrics?: Metrics;
  /**
   * `announcement`: the lower-priority lane (its own queue and few parallel sends) whose sends
   * take a global slot only when the conversation lane leaves one free (SlotLimiter.reserveIfSoon)
   */
  lane?: DeliveryLane;
  /** BullMQ job lock (QUEUE_STALLED_INTERVAL_MS, 10 s by default); stalled jobs are looked for twice as often */
  stalledMs?: number;
  /** how long a send in progress holds its message (OUTBOUND_SEND_LOCK_SECONDS) */
  sendLockMs?: number;
}

export type DeliveryLane = 'conversation' | 'announcement';
/** parallel sends of the announcement lane: half the channel's (one message each; they wait for spare slots in them) */
export const announcementLaneConcurrency = (concurrency: number) => Math.max(1, Math.ceil(concurrency / 2));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers the outbound messages of one channel. One job carries the replies of one turn to
 * one person, sent in order. Guarantees: a message is sent only while it is PENDING in
 * Postgres (a replayed job is a no-op); a person's messages leave in the order they were
 * written and at most one per `perChatMs`; the channel's global rate is enforced by a Redis
 * slot limiter shared by all workers; a platform's retry-after pauses the queue; a permanent
 * refusal marks that message FAILED and never blocks other people. A job yields its place
 * after each send while the person's next message waits for its gap, so chats are served
 * round-robin. A message that has left is marked in Redis before Postgres records it, so a
 * failed status update (Postgres down) is retried from the mark, never by sending again.
 * At-least-once: a worker killed while a send waits for the platform's answer re-sends that
 * one message once (its outcome is unknown); a send whose answer came is never repeated.
 */
export class DeliveryWorker {
  readonly worker: Worker;
  private readonly redis: Redis;
  private readonly slots: SlotLimiter;
  private unsubscribe: (() => void) | undefined;
  private readonly sendLockMs: number;

  constructor(
    private readonly sender: ChannelSender,
    private readonly deps: DeliveryWorkerDeps,
  ) {
    this.sendLockMs = deps.sendLockMs ?? DEFAULT_SEND_LOCK_MS;
    this.redis = new Redis(redisOptions(deps.redisUrl, 'worker'));
    this.redis.on('error', () => undefined);
    this.slots = new SlotLimiter(this.redis);
    const announcements = deps.lane === 'announcement';
    const queue = announcements ? QUEUES.announcements(sender.channel) : QUEUES.outbound(sender.channel);
    this.worker = new Worker(queue, (job, token) => this.process(job, token), {
      connection: redisOptions(deps.redisUrl, 'worker'),
      prefix: deps.prefix,
      concurrency: announcements ? announcementLaneConcurrency(sender.pacing.concurrency) : sender.pacing.concurrency,
      // a killed worker's jobs come back within 1.5 × the lock instead of BullMQ's 30 + 30 s: its job
      // locks lapse after `stalledMs` (renewed every half of it while alive), looked for as often
      lockDuration: deps.stalledMs ?? DEFAULT_STALLED_MS,
      stalledInterval: Math.round((deps.stalledMs ?? DEFAULT_STALLED_MS) / 2),
      autorun: false,
    });
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
      if (exhausted) void this.markFailed(job, error);
    });
    this.worker.on('error', (error) =>
      deps.log.warn({ err: errorSummary(error), channel: sender.channel }, 'delivery worker error'),
    );
  }

  start(): void {
    const availability = this.sender.availability;
    if (availability) {
      // a channel bound to one process: take jobs only while it can send from here
      const follow = (available: boolean) => void (available ? this.worker.resume() : this.worker.pause(true));
      this.unsubscribe = availability.onChange(follow);
      if (!availability.isAvailable()) void this.worker.pause(true);
    }
    void this.worker.run();
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.worker.close();
    this.redis.disconnect();
  }

  private async process(job: Job, token: string | undefined): Promise<number> {
    const { messageIds } = deliveryJobSchema.parse(job.data);
    // a paused worker may still receive the job its blocking fetch was waiting for: hand it
    // back at once for the process where the channel is available
    if (this.sender.availability && !this.sender.availability.isAvailable())
      return this.delay(job, token, UNAVAILABLE_BOUNCE_MS);
    let sent = 0;
    for (const [index, messageId] of messageIds.entries()) {
      const outcome = await this.deliverOneOrWait(job, token, messageId, messageIds);
      if (outcome === 'sent') sent++;
      // the person's next message waits for its gap anyway: wait in the queue, behind the other
      // chats' messages, instead of in a worker slot (a newcomer is not held behind a backlog)
      if (outcome === 'sent' && index < messageIds.length - 1 && this.sender.pacing.perChatMs > 0) {
        return this.delay(job, token, this.sender.pacing.perChatMs);
      }
    }
    return sent;
  }

  /** Postgres unreachable: the job waits for it without using up its attempts (they are for the platform). */
  private async deliverOneOrWait(
    job: Job,
    token: string | undefined,
    messageId: string,
    batch: string[],
  ): Promise<'sent' | 'skipped' | 'failed'> {
    try {
      return await this.deliverOne(job, token, messageId, batch);
    } catch (error) {
      if (isDatabaseUnavailable(error)) return this.delay(job, token, DATABASE_RETRY_MS);
      throw error;
    }
  }

  private async deliverOne(
    job: Job,
    token: string | undefined,
    messageId: string,
    batch: string[],
  ): Promise<'sent' | 'skipped' | 'failed'> {
    const { pool, secrets } = this.deps;
    const { channel, pacing } = this.sender;
    const message = await readOutbound(pool, messageId);
    if (message?.status !== 'PENDING') return 'skipped';
    if (!message.addressCipher || !message.identityId || message.content === null) {
      await failMessage(pool, messageId, 'recipient erased', { attempted: false });
      return 'failed';
    }
    // a reply never waits behind an announcement to the same person; an announcement waits for everything before it
    const conversationOnly = this.deps.lane !== 'announcement';
    if (await hasEarlierPending(pool, message.identityId, message.seq, batch, { conversationOnly }))
      return this.delay(job, token, Math.max(250, pacing.perChatMs));

    // two jobs may carry the same message (a sweep re-dispatch grouped differently): only the
    // holder of this lock sends it; the lock expires if the worker dies mid-send. Taken before
    // the send slots, so a skipped message wastes no slot and the send follows its slot closely.
    const lockKey = this.lockKey(messageId);
    if ((await this.redis.set(lockKey, SENDING, 'PX', this.sendLockMs, 'NX')) !== 'OK') {
      const held = await this.redis.get(lockKey);
      if (held?.startsWith(SENT)) {
        // it left, but Postgres did not record it: record it now, never send it again
        await this.recordSent(messageId, held);
        await this.sender.delivered?.(secrets.decrypt(message.addressCipher), message.seq).catch(() => undefined);
        return 'sent';
      }
      // another job is sending it, or a worker died while sending it: come back when the lock
      // is free (then it is SENT and skipped, or still PENDING and sent). Skipping it here would
      // send the person's next messages first and leave this one to a re-dispatch that the
      // finished job's id blocks for an hour.
      const ttl = await this.redis.pttl(lockKey);
      return this.delay(job, token, Math.max(250, ttl));
    }
    if ((await statusOf(pool, messageId)) !== 'PENDING') {
      await this.redis.del(lockKey);
      return 'skipped';
    }
    const chatKey = `${this.deps.prefix}:pace:${channel}:${message.identityId}`;
    const chatWait = await this.slots.reserve(chatKey, pacing.perChatMs);
    const jitter = pacing.jitterMs > 0 ? Math.floor(Math.random() * pacing.jitterMs) : 0;
    if (chatWait + jitter > MAX_SLEEP_MS) {
      await this.redis.del(lockKey);
      return this.delay(job, token, chatWait + jitter);
    }
    const globalKey = `${this.deps.prefix}:pace:${channel}`;
    const globalWait =
      this.deps.lane === 'announcement'
        ? await this.spareGlobalSlot(globalKey)
        : await this.slots.reserve(globalKey, 1000 / pacing.globalPerSec);
    await sleep(Math.max(chatWait + jitter, globalWait));
    // an announcement may wait long for a spare slot: cancelled meanwhile, it does not leave
    if (this.deps.lane === 'announcement' && (await statusOf(pool, messageId)) !== 'PENDING') {
      await this.redis.del(lockKey);
      return 'skipped';
    }
    const windowSlot = await this.takeWindowSlot(channel, messageId);
    const content = outboundContentSchema.parse(message.content);
    const address = secrets.decrypt(message.addressCipher);
    const context = this.sender.customerWindow ? await sendContextOf(pool, message.identityId) : undefined;
    let result: { platformMessageId?: string };
    try {
      result = await this.sender.send(address, content, context).finally(async () => {
        await this.slots.holdFromNow(chatKey, pacing.perChatMs).catch(() => undefined);
        if (windowSlot) await this.slots.completeSend(windowSlot.key, windowSlot.member).catch(() => undefined);
      });
    } catch (error) {
      if (!(error instanceof PlatformRejected)) await this.redis.del(lockKey);
      if (error instanceof ChannelOffline) return this.delay(job, token, pacing.offlineRetryMs ?? OFFLINE_RETRY_MS);
      if (error instanceof PlatformRateLimited) {
        this.deps.metrics?.outbound.inc({ channel, result: 'rate_limited' });
        await this.worker.rateLimit(error.retryAfterMs);
        throw new RateLimitError();
      }
      if (error instanceof OutsideWindow) {
        // nothing left: the message waits for the person's next message, staff are told
        await holdMessage(pool, messageId, channel);
        this.deps.metrics?.outbound.inc({ channel, result: 'held' });
        return 'skipped';
      }
      if (error instanceof PlatformRejected) {
        // a refusal for good concerns this message only: record it and go on with the batch
        await failMessage(pool, messageId, `rejected: ${error.reason}`, { attempted: true });
        this.deps.metrics?.outbound.inc({ channel, result: 'failed' });
        return 'failed';
      }
      await recordAttemptError(pool, messageId, errorCode(error)).catch(() => undefined);
      throw error;
    }
    // it has left: from here on, whatever fails must not send it again
    const mark = `${SENT}${result.platformMessageId ?? ''}`;
    const marked = this.redis.set(lockKey, mark, 'PX', this.sendLockMs).catch(() => null);
    try {
      await markSent(pool, messageId, result.platformMessageId ?? null, {
        eraseSensitive: !this.sender.deliveredOnFetch,
      });
    } catch (error) {
      await marked;
      await this.redis.set(lockKey, mark, 'PX', SENT_MARK_MS).catch(() => undefined);
      throw error;
    }
    await marked;
    this.deps.metrics?.outbound.inc({ channel, result: 'sent' });
    await this.sender.delivered?.(address, message.seq).catch(() => undefined);
    return 'sent';
  }

  /**
   * The announcement lane's global slot: one the conversation lane has not booked, at most one
   * interval ahead, so a reply arriving now waits for at most one announcement send. While
   * conversations keep the channel busy this lane waits (in its own worker slots).
   */
  private async spareGlobalSlot(key: string): Promise<number> {
    const interval = 1000 / this.sender.pacing.globalPerSec;
    for (;;) {
      const slot = await this.slots.reserveIfSoon(key, interval, interval);
      if ('waitMs' in slot) return slot.waitMs;
      await sleep(Math.min(Math.max(slot.busyForMs - interval, 5), 250));
    }
  }

  private lockKey(messageId: string): string {
    return `${this.deps.prefix}:sending:${messageId}`;
  }

  /** Writes SENT from a `sent:<platform message id>` mark (the send happened, its status update failed). */
  private async recordSent(messageId: string, mark: string): Promise<void> {
    const platformMessageId = mark.slice(SENT.length) || null;
    await markSent(this.deps.pool, messageId, platformMessageId, { eraseSensitive: !this.sender.deliveredOnFetch });
    this.deps.metrics?.outbound.inc({ channel: this.sender.channel, result: 'sent' });
  }

  /**
   * Waits for a place in the platform's hard window (Pacing.window), if the channel has one.
   * The GCRA slot above keeps sends evenly spaced, so this rarely waits: only after a stall
   * bunched sends together.
   */
  private async takeWindowSlot(channel: string, messageId: string): Promise<{ key: string; member: string } | null> {
    const window = this.sender.pacing.window;
    if (!window) return null;
    const key = `${this.deps.prefix}:window:${channel}`;
    const member = `${messageId}:${randomUUID()}`;
    for (;;) {
      // the announcement lane leaves the next free place to a conversation send that claimed it
      const priority = this.deps.lane === 'announcement' ? 'low' : 'high';
      const wait = await this.slots.acquireWindow(
        key,
        member,
        window.limit,
        window.windowMs,
        window.arrivalMs,
        priority,
      );
      if (wait === 0) return { key, member };
      // the window is full of recent sends: look again when the oldest ages out
      await sleep(Math.min(wait, 250));
    }
  }

  private async delay(job: Job, token: string | undefined, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  }

  /**
   * Retries exhausted: the messages still pending in this job are recorded as FAILED (visible,
   * not lost), except those marked sent, which are recorded SENT.
   */
  private async markFailed(job: Job, error: Error): Promise<void> {
    const parsed = deliveryJobSchema.safeParse(job.data);
    if (!parsed.success) return;
    const unsent: string[] = [];
    for (const messageId of parsed.data.messageIds) {
      const mark = await this.redis.get(this.lockKey(messageId)).catch(() => null);
      // a message that left is never FAILED: if Postgres is still down, the sweep's next job records it
      if (mark?.startsWith(SENT)) await this.recordSent(messageId, mark).catch(() => undefined);
      else unsent.push(messageId);
    }
    const count = await failPending(this.deps.pool, unsent, errorCode(error)).catch((e: unknown) => {
      this.deps.log.error({ err: errorSummary(e) }, 'could not record a failed delivery');
      return 0;
    });
    this.deps.metrics?.outbound.inc({ channel: this.sender.channel, result: 'failed' }, count);
  }
}

function errorCode(error: unknown): string {
  if (error instanceof Error) return ('code' in error && error.code ? String(error.code) : error.name).slice(0, 200);
  return 'unknown';
}
