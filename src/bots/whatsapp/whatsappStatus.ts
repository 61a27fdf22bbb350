import type { Redis } from 'ioredis';

export type SessionState = 'starting' | 'qr' | 'ready' | 'offline';
const STATES: readonly SessionState[] = ['starting', 'qr', 'ready', 'offline'];

/** WhatsApp Web shows a new QR code about every 20 s: an older one is useless. */
const QR_TTL_MS = 60_000;
/** refreshed while a worker holds the session; expires when none does */
const STATE_TTL_MS = 10 * 60_000;

/**
 * Where the worker driving a WhatsApp number tells the web process what it needs to show on
 * /admin/whatsapp/qr: the session state and the latest login QR code (short-lived, Redis
 * only). The QR string is a login secret for a few seconds: it is never logged.
 */
export class WhatsAppStatusStore {
  private readonly qrKey: string;
  private readonly stateKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    clientId: string,
  ) {
    this.qrKey = `${prefix}:whatsapp:${clientId}:qr`;
    this.stateKey = `${prefix}:whatsapp:${clientId}:state`;
  }

  /** Best effort: Redis being down must not stop the session. */
  async setState(state: SessionState): Promise<void> {
    await this.redis.set(this.stateKey, state, 'PX', STATE_TTL_MS).catch(() => undefined);
    if (state !== 'qr') await this.redis.del(this.qrKey).catch(() => undefined);
  }

  async publishQr(qr: string): Promise<void> {
    await this.redis
      .multi()
      .set(this.qrKey, qr, 'PX', QR_TTL_MS)
      .set(this.stateKey, 'qr', 'PX', STATE_TTL_MS)
      .exec()
      .catch(() => undefined);
  }

  /** Forgets both, when the worker stops (nobody drives the number any more). */
  async clear(): Promise<void> {
    await this.redis.del(this.qrKey, this.stateKey).catch(() => undefined);
  }

  /** What the web process reads; state null when no worker drives the number. */
  async read(): Promise<{ state: SessionState | null; qr: string | null }> {
    const [state, qr] = await this.redis.mget(this.stateKey, this.qrKey);
    const known = STATES.find((s) => s === state) ?? null;
    return { state: known, qr: qr ?? null };
  }
}
