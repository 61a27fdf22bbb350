import type { ChannelTransport } from '../../core/channels/channelTransport.js';
import { templateCatalogueSchema } from '../../core/config.js';
import {
  findKnownPlatformId,
  moveToNewPlatformId,
  recordPlatformIdAliases,
} from '../../core/contacts/platformIdAliases.js';
import { errorForLog } from '../../core/errorForLog.js';
import { holdSentMessage, recordPlatformStatus, releaseHeld } from '../../core/outbound/customerWindowSql.js';
import { queueStaffAlert } from '../../core/staff/staffAlerts.js';
import type { RelaisCore } from '../../relaisCore.js';
import { CLOUD_OFFLINE_RETRY_MS, createCloudSender } from './cloudSender.js';
import type { CloudStatus } from './cloudWebhookPayload.js';
import { registerCloudWebhook } from './cloudWebhookRoute.js';

const CHANNEL = 'WHATSAPP_CLOUD';
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

/**
 * The WhatsApp Business Platform (Cloud API) channel: the signed webhook (web process) and a
 * Graph API sender (any worker; no session, no browser). Beside the whatsapp-web.js channel,
 * on its own number; a person who writes on both is linked like any two accounts.
 * Returns null when WHATSAPP_CLOUD_PHONE_NUMBER_ID is not set.
 */
export function createCloudTransport(core: RelaisCore): ChannelTransport | null {
  const { config, log, db, secrets, pool, dispatcher, i18n } = core;
  const phoneNumberId = config.WHATSAPP_CLOUD_PHONE_NUMBER_ID;
  const accessToken = config.WHATSAPP_CLOUD_ACCESS_TOKEN;
  const appSecret = config.WHATSAPP_CLOUD_APP_SECRET;
  const verifyToken = config.WHATSAPP_CLOUD_VERIFY_TOKEN;
  if (!phoneNumberId) return null;
  // loadConfig has said which of these is missing, one line each
  if (!accessToken || !appSecret || !verifyToken) throw new Error('WHATSAPP_CLOUD_* configuration is incomplete');
  const templates = templateCatalogueSchema.parse(JSON.parse(config.WHATSAPP_CLOUD_TEMPLATES));

  const alertStaff = async (code: string) => {
    try {
      const id = await db.$transaction((tx) => queueStaffAlert(tx, code, { channel: CHANNEL }));
      await dispatcher.dispatchJobs([id]);
    } catch (error) {
      log.error({ err: errorForLog(error), alert: code }, 'could not record the staff alert');
    }
  };
  const sender = createCloudSender({
    graphUrl: config.WHATSAPP_CLOUD_GRAPH_URL,
    phoneNumberId,
    accessToken,
    templates,
    log,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    listButtonLabel: (language) => i18n.t(language, 'channel:choose'),
    onTokenRefused: () => void alertStaff('whatsapp_cloud_token_invalid'),
    pacing: {
      globalPerSec: config.WHATSAPP_CLOUD_RATE_PER_SEC,
      perChatMs: config.WHATSAPP_CLOUD_PER_CHAT_MS,
      jitterMs: 0,
      concurrency: Math.max(4, Math.min(100, Math.ceil(config.WHATSAPP_CLOUD_RATE_PER_SEC))),
      offlineRetryMs: CLOUD_OFFLINE_RETRY_MS,
      window: { limit: Math.max(1, Math.floor(config.WHATSAPP_CLOUD_RATE_PER_SEC)), windowMs: 1000, arrivalMs: 250 },
    },
  });

  const onStatus = async (status: CloudStatus) => {
    if (!STATUSES.has(status.status)) return;
    const at = new Date(Number(status.timestamp) * 1000);
    const code = status.errors?.[0]?.code;
    if (status.status === 'failed' && code === 131047) {
      await holdSentMessage(pool, CHANNEL, status.id);
      return;
    }
    const kind = status.status as 'sent' | 'delivered' | 'read' | 'failed';
    await recordPlatformStatus(pool, CHANNEL, status.id, kind, at, code === undefined ? undefined : String(code));
    if (kind === 'failed') log.info({ channel: CHANNEL, code }, 'WhatsApp Cloud message failed at the platform');
  };

  return {
    name: 'whatsapp-cloud',
    sender,
    async registerRoutes(app, receive) {
      await registerCloudWebhook(app, receive, {
        phoneNumberId,
        appSecret,
        verifyToken,
        log,
        platformIdOf: async ({ userId, waId }) => {
          const candidates = [userId, waId].filter((id): id is string => id !== undefined);
          const known = await findKnownPlatformId(db, secrets, CHANNEL, candidates);
          return known ?? candidates[0] ?? '';
        },
        afterStored: async (contactId, { platformId, userId, waId }) => {
          const others = [userId, waId].filter((id): id is string => id !== undefined && id !== platformId);
          if (others.length > 0) await recordPlatformIdAliases(db, secrets, CHANNEL, platformId, others);
          // the person wrote: what waited for them (outside the window) leaves now
          const released = await releaseHeld(pool, contactId, CHANNEL);
          if (released.length > 0) await dispatcher.dispatchMessages(released, { again: true });
        },
        onStatus,
        onIdChanged: async ({ userId, waId }, newId, kind) => {
          const candidates = [userId, waId].filter((id): id is string => id !== undefined);
          const known = await findKnownPlatformId(db, secrets, CHANNEL, candidates);
          if (!known) return;
          // a new number, and Relais writes to the old one: write to the new one from now on
          if (kind === 'number' && known === waId && (await moveToNewPlatformId(db, secrets, CHANNEL, known, newId)))
            return;
          await recordPlatformIdAliases(db, secrets, CHANNEL, known, [newId]);
        },
      });
    },
  };
}
