import type { ChannelDefinition } from './channelDriver.js';
import { TelegramDriver } from './drivers/telegramDriver.js';
import { WebChatDriver } from './drivers/webChatDriver.js';
import { WhatsAppDriver } from './drivers/whatsappDriver.js';
import { WhatsAppCloudDriver } from './drivers/whatsappCloudDriver.js';

/**
 * Every channel a person can write from. A new channel joins the conformance suite with one
 * entry here: a driver that sends what its platform sends and reads what it receives.
 */
export const CHANNELS: readonly ChannelDefinition[] = [
  { name: 'Telegram', carriesFiles: true, start: () => TelegramDriver.start() },
  { name: 'WhatsApp', carriesFiles: true, start: () => WhatsAppDriver.start() },
  { name: 'WhatsApp Cloud API', carriesFiles: true, start: () => WhatsAppCloudDriver.start() },
  { name: 'web chat', carriesFiles: false, start: () => WebChatDriver.start() },
];
