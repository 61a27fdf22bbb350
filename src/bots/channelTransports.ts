import type { ChannelTransport } from '../core/channels/channelTransport.js';
import type { RelaisCore } from '../relais.js';
import { createWhatsAppTransport } from './whatsapp/whatsappTransport.js';
import { createSlackTransport } from './slack/slackTransport.js';
import { createTelegramTransport } from './telegram/telegramTransport.js';

/** The platform channels enabled by configuration (the web chat is always wired by createRelais). */
export function channelTransports(core: RelaisCore): ChannelTransport[] {
  const transports: ChannelTransport[] = [];
  // always present: when disabled it only answers /admin/whatsapp/qr with a clear 404
  transports.push(createWhatsAppTransport(core));
  const slack = createSlackTransport(core);
  if (slack) transports.push(slack);
  if (core.config.TELEGRAM_MODE !== 'off') transports.push(createTelegramTransport(core.config, core.log));
  return transports;
}
