import type { Logger } from 'pino';
import type { ChannelAvailability } from '../../core/outbound/channelSender.js';
import { ChannelOffline } from '../../core/errors.js';
import { errorSummary } from '../../core/outbound/outboxDispatcher.js';
import type { SessionLock } from './sessionLock.js';
import type { StaffAlerts, WhatsAppAlertCode } from './staffAlerts.js';
import type { WhatsAppClient, WhatsAppClientFactory, WhatsAppMessage } from './whatsappClient.js';
import type { WhatsAppStatusStore } from './whatsappStatus.js';

export interface SessionTiming {
  /** lifetime of the Redis lock (renewed every third) */
  lockTtlMs: number;
  /** how often a worker without the lock tries to take it */
  lockRetryMs: number;
  /** first reconnection delay after a failure; doubles up to reconnectMaxMs (with jitter) */
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** a starting session that is not `ready` by then (and shows no QR) is restarted, staff alerted */
  readyTimeoutMs: number;
  /** controlled browser restart; 0 = never */
  restartEveryMs: number;
  /** health probe (`getState`) of a ready session */
  probeEveryMs: number;
  /** before a controlled restart, how long sends in progress may take to finish */
  drainMs: number;
}

export interface SessionDeps {
  factory: WhatsAppClientFactory;
  lock: SessionLock;
  status: WhatsAppStatusStore;
  alerts: StaffAlerts;
  log: Logger;
  timing: SessionTiming;
  showQr: (qr: string) => void;
  onMessage: (client: WhatsAppClient, message: WhatsAppMessage) => void;
  /** the session became ready (used to catch up unread messages) */
  onReady: (client: WhatsAppClient) => void;
}

const DESTROY_TIMEOUT_MS = 15_000;
const PROBE_TIMEOUT_MS = 10_000;
/** `disconnected` reasons that mean the phone unlinked this browser: a QR scan is needed */
const LOGGED_OUT = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);
/** the number itself is blocked by WhatsApp */
const BLOCKED = new Set(['TOS_BLOCK', 'SMB_TOS_BLOCK']);

/**
 * Life of one WhatsApp number in a worker: wait for the Redis lock, open a client, show the
 * QR when a login is needed, and keep the session alive — reconnect with backoff after
 * `disconnected` or a failed start, restart the browser every few hours (Chromium grows),
 * probe a ready session, alert staff when a person must act. Sends go through `withClient`:
 * without a ready client they fail with ChannelOffline and stay queued. Lifecycle operations
 * run one at a time; events of a client that was replaced are ignored.
 */
export class WhatsAppSession implements ChannelAvailability {
  private client: WhatsAppClient | null = null;
  private generation = 0;
  private ready = false;
  private running = false;
  private holdsLock = false;
  private showingQr = false;
  private failures = 0;
  private probeMisses = 0;
  private inFlight = 0;
  /** since when the session has not been ready (null while ready) */
  private unreadySince: number | null = null;
  private readonly listeners = new Set<(available: boolean) => void>();
  private readonly timers = new Map<'lock' | 'retry' | 'readyTimeout' | 'restart' | 'probe', NodeJS.Timeout>();
  private ops: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SessionDeps) {}

  /** Starts in the background: returns at once, the client opens once the lock is ours. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tryLock();
  }

  /** Clean shutdown: closes the browser, releases the lock. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer('lock');
    await this.enqueue(() => this.close());
    if (this.holdsLock) {
      this.holdsLock = false;
      await this.deps.lock.release();
      await this.deps.status.clear();
    }
  }

  isAvailable(): boolean {
    return this.ready;
  }

  onChange(listener: (available: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `use` with the ready client; throws ChannelOffline when there is none (logged out, starting, restarting). */
  async withClient<T>(use: (client: WhatsAppClient) => Promise<T>): Promise<T> {
    const client = this.ready ? this.client : null;
    if (!client) throw new ChannelOffline('whatsapp');
    this.inFlight++;
    try {
      return await use(client);
    } finally {
      this.inFlight--;
    }
  }

  /** A send failed as if the browser were gone: check now rather than at the next probe. */
  suspectBroken(): void {
    if (this.ready) void this.probe(this.generation);
  }

  private async tryLock(): Promise<void> {
    if (!this.running) return;
    if (await this.deps.lock.tryAcquire()) {
      if (!this.running) return this.deps.lock.release();
      this.holdsLock = true;
      this.unreadySince = Date.now();
      this.deps.log.info({ channel: 'WHATSAPP' }, 'WhatsApp session lock acquired: opening the client');
      this.deps.lock.keepAlive(() => void this.enqueue(() => this.lockLost()));
      await this.enqueue(() => this.open());
      return;
    }
    this.setTimer('lock', () => void this.tryLock(), this.deps.timing.lockRetryMs);
  }

  private async open(): Promise<void> {
    if (!this.running || !this.holdsLock) return;
    const generation = ++this.generation;
    const { log, status, timing } = this.deps;
    await status.setState('starting');
    let client: WhatsAppClient;
    try {
      client = await this.deps.factory();
    } catch (error) {
      log.error({ err: errorSummary(error), channel: 'WHATSAPP' }, 'could not create the WhatsApp client');
      return this.reopenLater('client_failed');
    }
    this.client = client;
    const current = () => generation === this.generation && this.running;
    client.on('message', (message) => this.deps.onMessage(client, message));
    client.on('qr', (qr) => {
      if (!current()) return;
      this.showingQr = true;
      this.clearTimer('readyTimeout');
      void status.publishQr(qr);
      this.deps.showQr(qr);
      void this.deps.alerts.raise('whatsapp_login_required');
    });
    client.on('ready', () => {
      if (current()) void this.enqueue(() => this.becameReady(client, generation));
    });
    client.on('disconnected', (reason) => {
      if (!current()) return;
      const known = /^[A-Z_]{1,40}$/.test(reason) ? reason : 'other';
      log.warn({ channel: 'WHATSAPP', reason: known }, 'WhatsApp session disconnected');
      const alert: WhatsAppAlertCode | null = BLOCKED.has(reason)
        ? 'whatsapp_blocked'
        : LOGGED_OUT.has(reason)
          ? 'whatsapp_logged_out'
          : null;
      if (alert) void this.deps.alerts.raise(alert);
      void this.enqueue(() => this.reopenLater('disconnected', generation));
    });
    client.on('auth_failure', () => {
      if (!current()) return;
      void this.deps.alerts.raise('whatsapp_logged_out');
      void this.enqueue(() => this.reopenLater('auth_failure', generation));
    });
    this.setTimer(
      'readyTimeout',
      () => {
        if (current() && !this.ready && !this.showingQr)
          void this.enqueue(() => this.reopenLater('ready_timeout', generation));
      },
      timing.readyTimeoutMs,
    );
    // not awaited: initialize() may take minutes (or hang after a WhatsApp Web update); the
    // ready timeout above takes care of that, and stop() must never wait for it
    client.initialize().catch((error: unknown) => {
      if (!current()) return;
      log.warn({ err: errorSummary(error), channel: 'WHATSAPP' }, 'WhatsApp client failed to start');
      void this.enqueue(() => this.reopenLater('initialize_failed', generation));
    });
  }

  private async becameReady(client: WhatsAppClient, generation: number): Promise<void> {
    if (generation !== this.generation || this.client !== client || !this.running) return;
    this.clearTimer('readyTimeout');
    this.showingQr = false;
    this.failures = 0;
    this.probeMisses = 0;
    await this.deps.status.setState('ready');
    this.deps.alerts.reset();
    this.setReady(true);
    this.deps.log.info({ channel: 'WHATSAPP' }, 'WhatsApp session ready');
    const { restartEveryMs, probeEveryMs } = this.deps.timing;
    if (restartEveryMs > 0)
      this.setTimer('restart', () => void this.enqueue(() => this.restart(generation)), restartEveryMs);
    this.setTimer('probe', () => void this.probe(generation), probeEveryMs, true);
    this.deps.onReady(client);
  }

  /**
   * Controlled restart against Chromium's memory growth: stop taking sends (they wait in the
   * queue as ChannelOffline), let the ones in progress finish, close the browser, open anew.
   * The session is kept on disk (LocalAuth), so no QR scan is needed.
   */
  private async restart(generation: number): Promise<void> {
    if (generation !== this.generation || !this.ready || !this.running) return;
    this.deps.log.info({ channel: 'WHATSAPP' }, 'WhatsApp controlled restart');
    this.setReady(false);
    const deadline = Date.now() + this.deps.timing.drainMs;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await this.close();
    await this.open();
  }

  private async probe(generation: number): Promise<void> {
    const client = this.client;
    if (generation !== this.generation || !this.ready || !client) return;
    const state = await withTimeout(client.getState(), PROBE_TIMEOUT_MS).catch(() => null);
    if (generation !== this.generation) return;
    if (state === 'CONNECTED') {
      this.probeMisses = 0;
      await this.deps.status.setState('ready');
      return;
    }
    this.probeMisses++;
    if (this.probeMisses >= 2) await this.enqueue(() => this.reopenLater('probe_failed', generation));
  }

  /** Closes the client and opens a new one after an exponential, jittered delay. */
  private async reopenLater(reason: string, generation = this.generation): Promise<void> {
    if (generation !== this.generation || !this.running) return;
    // not ready for too long (failing starts, a hang, no network) while nobody is asked to scan a QR
    const waitingForScan = this.showingQr;
    if (
      !waitingForScan &&
      this.unreadySince !== null &&
      Date.now() - this.unreadySince >= this.deps.timing.readyTimeoutMs
    )
      void this.deps.alerts.raise('whatsapp_not_ready');
    await this.close();
    await this.deps.status.setState('offline');
    this.failures++;
    const { reconnectBaseMs, reconnectMaxMs } = this.deps.timing;
    const delay = Math.round(
      Math.min(reconnectMaxMs, reconnectBaseMs * 2 ** (this.failures - 1)) * (0.75 + Math.random() * 0.5),
    );
    this.deps.log.info(
      { channel: 'WHATSAPP', reason, delayMs: delay, failures: this.failures },
      'WhatsApp session will reconnect',
    );
    this.setTimer('retry', () => void this.enqueue(() => this.open()), delay);
  }

  private async lockLost(): Promise<void> {
    if (!this.holdsLock) return;
    this.holdsLock = false;
    this.deps.log.warn(
      { channel: 'WHATSAPP' },
      'WhatsApp session lock lost: closing the client so two processes never drive the number',
    );
    await this.close();
    this.setTimer('lock', () => void this.tryLock(), this.deps.timing.lockRetryMs);
  }

  private async close(): Promise<void> {
    this.setReady(false);
    for (const name of ['retry', 'readyTimeout', 'restart', 'probe'] as const) this.clearTimer(name);
    this.showingQr = false;
    const client = this.client;
    this.client = null;
    this.generation++;
    if (!client) return;
    await withTimeout(client.destroy(), DESTROY_TIMEOUT_MS).catch((error: unknown) =>
      this.deps.log.warn({ err: errorSummary(error), channel: 'WHATSAPP' }, 'WhatsApp client did not close cleanly'),
    );
    client.removeAllListeners();
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.unreadySince = ready ? null : Date.now();
    for (const listener of this.listeners) listener(ready);
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.ops = this.ops
      .then(op)
      .catch((error: unknown) =>
        this.deps.log.error({ err: errorSummary(error), channel: 'WHATSAPP' }, 'WhatsApp session operation failed'),
      );
    return this.ops;
  }

  private setTimer(
    name: 'lock' | 'retry' | 'readyTimeout' | 'restart' | 'probe',
    run: () => void,
    ms: number,
    repeat = false,
  ): void {
    this.clearTimer(name);
    const timer = repeat ? setInterval(run, ms) : setTimeout(run, ms);
    timer.unref();
    this.timers.set(name, timer);
  }

  private clearTimer(name: 'lock' | 'retry' | 'readyTimeout' | 'restart' | 'probe'): void {
    const timer = this.timers.get(name);
    // clearTimeout also clears an interval (same timer pool in Node)
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
