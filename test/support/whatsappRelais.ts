import { createWhatsAppTransport, type WhatsAppTransportOptions } from '../../src/bots/whatsapp/whatsappTransport.js';
import type { SessionTiming } from '../../src/bots/whatsapp/whatsappSession.js';
import type { ChannelTransport } from '../../src/core/channels/channelTransport.js';
import type { RelaisCore } from '../../src/relais.js';
import type { FakeWhatsApp } from './fakeWhatsAppClient.js';
import { eventually, startTestRelais, type TestRelais } from './testRelais.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** No pacing, no typing pause, no QR in the terminal: tests wait for nothing but the code. */
export const WHATSAPP_TEST_ENV: Record<string, string> = {
  WHATSAPP_ENABLED: 'true',
  WHATSAPP_MIN_DELAY_MS: '0',
  WHATSAPP_JITTER_MS: '0',
  WHATSAPP_GLOBAL_PER_MINUTE: '600000',
  WHATSAPP_TYPING_MS: '0',
  WHATSAPP_QR_TERMINAL: 'false',
  ADMIN_TOKEN,
};

export const FAST_TIMING: SessionTiming = {
  lockTtlMs: 1500,
  lockRetryMs: 150,
  reconnectBaseMs: 100,
  reconnectMaxMs: 400,
  readyTimeoutMs: 5_000,
  restartEveryMs: 0,
  probeEveryMs: 60_000,
  drainMs: 2_000,
};

/** The WhatsApp transport driving `world`'s fake clients, with test timings. */
export function fakeWhatsAppTransports(
  world: FakeWhatsApp,
  options: WhatsAppTransportOptions = {},
): (core: RelaisCore) => ChannelTransport[] {
  return (core) => [
    createWhatsAppTransport(core, {
      clientFactory: world.factory,
      offlineRetryMs: 200,
      inboundRetryDelaysMs: [50, 100],
      showQr: () => undefined,
      ...options,
      timing: { ...FAST_TIMING, ...options.timing },
    }),
  ];
}

/** A real Relais (Postgres, Redis, queues) whose WhatsApp is `world`; resolves once the session is ready. */
export async function startWhatsAppRelais(
  label: string,
  world: FakeWhatsApp,
  options: WhatsAppTransportOptions & {
    env?: Record<string, string>;
    waitReady?: boolean;
    databaseUrl?: (url: string) => string;
  } = {},
): Promise<TestRelais> {
  const { env, waitReady, databaseUrl, ...transport } = options;
  const relaisOptions = {
    transports: fakeWhatsAppTransports(world, transport),
    ...(databaseUrl ? { databaseUrl } : {}),
  };
  const t = await startTestRelais(label, { ...WHATSAPP_TEST_ENV, ...env }, relaisOptions);
  if (waitReady ?? true) await eventually(async () => world.current);
  return t;
}

/**
 * One person on WhatsApp: `say` sends a message, `replies(n)` waits for the next n messages
 * Relais sent to this chat and returns them.
 */
export class WhatsAppPerson {
  private seen = 0;

  constructor(
    private readonly world: FakeWhatsApp,
    readonly jid: string,
  ) {}

  say(text: string) {
    return this.world.write(this.jid, text);
  }

  async replies(count: number, timeoutMs = 10_000): Promise<string[]> {
    const texts = await eventually(async () => {
      const all = this.world.textsTo(this.jid);
      return all.length >= this.seen + count ? all : undefined;
    }, timeoutMs);
    const next = texts.slice(this.seen, this.seen + count);
    this.seen += count;
    return next;
  }

  /** Everything sent to this chat so far that `replies` has not returned. */
  unseen(): string[] {
    return this.world.textsTo(this.jid).slice(this.seen);
  }
}
