import QRCode from 'qrcode';
import type { ChannelTransport } from '../../core/channels/channelTransport.js';
import type { RelaisCore } from '../../relaisCore.js';
import { SessionLock } from './sessionLock.js';
import { StaffAlerts } from './staffAlerts.js';
import { catchUpUnread, DEFAULT_CATCH_UP } from './unreadCatchUp.js';
import { createWhatsAppClientFactory, type WhatsAppClientFactory } from './whatsappClient.js';
import { WhatsAppIdentities } from './whatsappIdentity.js';
import { WhatsAppInbound } from './whatsappInbound.js';
import { registerWhatsAppQrRoute } from './whatsappQrRoute.js';
import { createWhatsAppSender } from './whatsappSender.js';
import { WhatsAppSession, type SessionTiming } from './whatsappSession.js';
import { WhatsAppStatusStore } from './whatsappStatus.js';
import { errorSummary } from '../../core/outbound/outboxDispatcher.js';

export interface WhatsAppTransportOptions {
  /** tests pass a fake whatsapp-web.js client; production builds the real one */
  clientFactory?: WhatsAppClientFactory;
  /** shorter timings for tests */
  timing?: Partial<SessionTiming>;
  offlineRetryMs?: number;
  inboundRetryDelaysMs?: readonly number[];
  /** where the login QR is printed (default: the terminal when WHATSAPP_QR_TERMINAL) */
  showQr?: (qr: string) => void;
}

const DRAIN_INBOUND_MS = 5_000;

/**
 * WhatsApp through whatsapp-web.js. The web process only serves /admin/whatsapp/qr; the
 * browser runs where queue workers run (`startWithWorkers`), in the one worker holding the
 * number's Redis lock, and its sender takes delivery jobs only there while the session is
 * ready. When WHATSAPP_ENABLED is false only the QR route exists (and says so).
 */
export function createWhatsAppTransport(core: RelaisCore, options: WhatsAppTransportOptions = {}): ChannelTransport {
  const { config, log, db, secrets, redis, dispatcher } = core;
  if (!config.WHATSAPP_ENABLED) {
    return {
      name: 'whatsapp',
      registerRoutes: (app) =>
        registerWhatsAppQrRoute(app, { enabled: false, adminToken: config.ADMIN_TOKEN, status: null }),
    };
  }
  const clientId = config.WHATSAPP_CLIENT_ID;
  const status = new WhatsAppStatusStore(redis, config.QUEUE_PREFIX, clientId);
  const timing: SessionTiming = {
    lockTtlMs: 30_000,
    lockRetryMs: 10_000,
    reconnectBaseMs: 5_000,
    reconnectMaxMs: 5 * 60_000,
    readyTimeoutMs: config.WHATSAPP_READY_TIMEOUT_MS,
    restartEveryMs: config.WHATSAPP_RESTART_HOURS * 3_600_000,
    probeEveryMs: 60_000,
    drainMs: 10_000,
    ...options.timing,
  };
  const inbound = new WhatsAppInbound({
    identities: new WhatsAppIdentities({ db, secrets }),
    secrets,
    log,
    ...(options.inboundRetryDelaysMs ? { retryDelaysMs: options.inboundRetryDelaysMs } : {}),
  });
  const session = new WhatsAppSession({
    factory: options.clientFactory ?? createWhatsAppClientFactory(config),
    lock: new SessionLock(redis, `${config.QUEUE_PREFIX}:whatsapp:${clientId}:lock`, timing.lockTtlMs),
    status,
    alerts: new StaffAlerts({ db, dispatcher, log, clientId }),
    log,
    timing,
    showQr: options.showQr ?? (config.WHATSAPP_QR_TERMINAL ? printQrInTerminal : () => undefined),
    onMessage: (client, message) => void inbound.handle(client, message),
    onReady: (client) => {
      catchUpUnread(client, (message) => inbound.handle(client, message), DEFAULT_CATCH_UP).catch((error: unknown) =>
        log.warn({ err: errorSummary(error), channel: 'WHATSAPP' }, 'could not catch up unread WhatsApp chats'),
      );
    },
  });
  return {
    name: 'whatsapp',
    sender: createWhatsAppSender({
      session,
      db,
      secrets,
      config,
      ...(options.offlineRetryMs !== undefined ? { offlineRetryMs: options.offlineRetryMs } : {}),
    }),
    registerRoutes: (app) => registerWhatsAppQrRoute(app, { enabled: true, adminToken: config.ADMIN_TOKEN, status }),
    async startWithWorkers(receive) {
      inbound.start(receive);
      session.start();
    },
    async stop() {
      await session.stop();
      await inbound.drain(DRAIN_INBOUND_MS);
    },
  };
}

function printQrInTerminal(qr: string): void {
  QRCode.toString(qr, { type: 'terminal', small: true })
    .then((art) =>
      process.stdout.write(
        '\nWhatsApp login: scan this QR code with the phone (WhatsApp > Linked devices), ' +
          `or open GET /admin/whatsapp/qr\n${art}\n`,
      ),
    )
    .catch(() => undefined);
}
