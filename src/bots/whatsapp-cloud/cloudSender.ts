import type { Logger } from 'pino';
import { z } from 'zod';
import type { TemplateCatalogue } from '../../core/config.js';
import {
  ChannelOffline,
  OutsideWindow,
  PlatformRateLimited,
  PlatformRejected,
  PlatformUnreachable,
} from '../../core/errors.js';
import type { ChannelSender, Pacing, SendContext } from '../../core/outbound/channelSender.js';
import { buildCloudMessage, buildTemplateMessage, type GraphMessage } from './cloudMessageBuilder.js';

const PLATFORM = 'whatsapp_cloud';
/** Meta's customer-service window: free-form messages within 24 h of the person's last message */
export const WINDOW_MS = 24 * 3600_000;
/** a send that hangs this long is retried by the delivery worker */
const SEND_TIMEOUT_MS = 30_000;
/** Meta says 130429 without a retry time: wait this long, then try again */
const RATE_LIMIT_WAIT_MS = 2_000;
/** an access token refused: try again this late (a probe; the messages stay queued) */
const TOKEN_RETRY_MS = 60_000;

/** rate limits of the number or the app (130429 throughput, 80007 / 4 / 613 app and account limits) */
const RATE_LIMITED = new Set([130429, 80007, 4, 613]);
/** the person wrote more than 24 h ago (131047 re-engagement) */
const OUTSIDE_WINDOW = new Set([131047]);
/**
 * transient at Meta, retried with backoff: 131000 something went wrong, 131016 service
 * unavailable, 131056 too many messages to one person
 */
const TRANSIENT = new Set([1, 2, 131000, 131016, 131056, 133004]);

const errorBody = z.object({
  error: z.object({ code: z.number(), error_subcode: z.number().optional() }).passthrough(),
});
const sentBody = z.object({ messages: z.array(z.object({ id: z.string() })).min(1) });

export interface CloudSenderOptions {
  graphUrl: string;
  phoneNumberId: string;
  accessToken: string;
  templates: TemplateCatalogue;
  pacing: Pacing;
  log: Logger;
  defaultLanguage: string;
  /** the list button's label in a language (i18next) */
  listButtonLabel: (language: string) => string;
  /** called once when the token is refused, until a send works again */
  onTokenRefused: () => void;
  now?: () => Date;
}

/**
 * Sends through the Graph API's `/<phone number id>/messages`. Within 24 h of the person's last
 * message, a free-form message (buttons, list or text); later, the approved template of its
 * kind, or OutsideWindow when there is none (the worker holds it). Errors in the worker's
 * vocabulary: rate limits → PlatformRateLimited, a refused token → ChannelOffline (staff told
 * once, messages kept), undeliverable or blocked → PlatformRejected for that message only.
 */
export function createCloudSender(options: CloudSenderOptions): ChannelSender {
  let tokenRefused = false;
  const now = options.now ?? (() => new Date());
  const url = `${options.graphUrl}/${options.phoneNumberId}/messages`;
  return {
    channel: 'WHATSAPP_CLOUD',
    pacing: options.pacing,
    customerWindow: true,
    async send(address, content, context?: SendContext) {
      const language = context?.language ?? options.defaultLanguage;
      const open = context?.lastInboundAt ? now().getTime() - context.lastInboundAt.getTime() < WINDOW_MS : false;
      const message = open
        ? buildCloudMessage(content, options.listButtonLabel(language))
        : buildTemplateMessage(content, language, options.templates);
      if (!message) throw new OutsideWindow(PLATFORM);
      const recipient = /^\d+$/.test(address) ? { to: address } : { recipient: address };
      const body: GraphMessage = {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        ...recipient,
        ...message,
      };
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (error) {
        const name = error instanceof Error ? error.name : 'unknown';
        throw new PlatformUnreachable(PLATFORM, new Error(`network: ${name}`));
      }
      const json: unknown = await response.json().catch(() => null);
      if (response.ok) {
        const sent = sentBody.safeParse(json);
        if (!sent.success) throw new PlatformUnreachable(PLATFORM, new Error('unexpected answer'));
        tokenRefused = false;
        return { platformMessageId: sent.data.messages[0]?.id ?? '' };
      }
      const code = errorBody.safeParse(json).data?.error.code;
      if (code === 190 || response.status === 401) {
        if (!tokenRefused) {
          tokenRefused = true;
          options.log.error(
            { code: 'whatsapp_cloud_token_refused', status: response.status },
            'WhatsApp Cloud token refused: sending paused',
          );
          options.onTokenRefused();
        }
        throw new ChannelOffline(PLATFORM);
      }
      if (code !== undefined && RATE_LIMITED.has(code)) throw new PlatformRateLimited(PLATFORM, RATE_LIMIT_WAIT_MS);
      if (response.status === 429) throw new PlatformRateLimited(PLATFORM, RATE_LIMIT_WAIT_MS);
      if (code !== undefined && OUTSIDE_WINDOW.has(code)) throw new OutsideWindow(PLATFORM);
      if (response.status >= 500 || (code !== undefined && TRANSIENT.has(code))) {
        const answered = `Graph API answered ${response.status} (${code ?? 'no code'})`;
        throw new PlatformUnreachable(PLATFORM, new Error(answered));
      }
      throw new PlatformRejected(PLATFORM, `error ${code ?? response.status}`);
    },
  };
}

/** The offline retry of a paused channel (a refused token). */
export const CLOUD_OFFLINE_RETRY_MS = TOKEN_RETRY_MS;
