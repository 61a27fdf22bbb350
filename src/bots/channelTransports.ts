import type { ChannelTransport } from '../core/channels/channelTransport.js';
import type { RelaisCore } from '../relaisCore.js';
import { createWhatsAppTransport } from './whatsapp/whatsappTransport.js';

/**
 * The platform channels enabled by configuration (the web chat is always wired by createRelais).
 * Slack's Bolt and grammY are loaded only when their channel is on (their RSS: docs/BENCHMARKS.md).
 */
export async function channelTransports(core: RelaisCore): Promise<ChannelTransport[]> {
  const transports: ChannelTransport[] = [];
  // always present: when disabled it only answers /admin/whatsapp/qr with a clear 404
  transports.push(createWhatsAppTransport(core));
  if (core.config.SLACK_MODE !== 'off') {
    const { createSlackTransport } = await import('./slack/slackTransport.js');
    const slack = await createSlackTransport(core);
    if (slack) transports.push(slack);
  }
  if (core.config.TELEGRAM_MODE !== 'off') {
    const { createTelegramTransport } = await import('./telegram/telegramTransport.js');
    transports.push(createTelegramTransport(core.config, core.log));
  }
  if (core.config.WHATSAPP_CLOUD_PHONE_NUMBER_ID) {
    const { createCloudTransport } = await import('./whatsapp-cloud/cloudTransport.js');
    const cloud = createCloudTransport(core);
    if (cloud) transports.push(cloud);
  }
  return transports;
}
