import type { Config } from '../../core/config.js';

/** The fields of a whatsapp-web.js `Message` the adapter reads (validated again in whatsappMessage.ts). */
export interface WhatsAppMessage {
  id: { _serialized: string; id?: string };
  from: string;
  author?: string | undefined;
  body: string;
  type: string;
  timestamp?: number;
  hasMedia: boolean;
  location?: { latitude: number | string; longitude: number | string } | undefined;
  vCards?: string[];
  isStatus: boolean;
  fromMe: boolean;
  broadcast?: boolean;
}

/** The fields of a whatsapp-web.js `Chat` the adapter uses (typing indication, catch-up of unread messages). */
export interface WhatsAppChat {
  id: { _serialized: string };
  isGroup: boolean;
  unreadCount: number;
  sendStateTyping(): Promise<unknown>;
  fetchMessages(options: { limit: number }): Promise<WhatsAppMessage[]>;
}

/**
 * The part of whatsapp-web.js's `Client` Relais uses. The real `Client` satisfies it as is
 * (checked by the compiler in createWhatsAppClientFactory); tests use a fake with the same
 * events and methods (test/support/fakeWhatsAppClient.ts).
 */
export interface WhatsAppClient {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'message', listener: (message: WhatsAppMessage) => void): unknown;
  on(event: 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  removeAllListeners(): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  getState(): Promise<string | null>;
  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string; id?: string } }>;
  getChatById(chatId: string): Promise<WhatsAppChat>;
  getChats(): Promise<WhatsAppChat[]>;
  /** both names of an account (`…@lid`, `…@c.us`) when WhatsApp Web knows them */
  getContactLidAndPhone(userIds: string[]): Promise<Array<{ lid?: string; pn?: string }>>;
}

/** Builds a fresh client for each (re)connection; the session owns and destroys it. */
export type WhatsAppClientFactory = () => Promise<WhatsAppClient>;

/** Flags that work for Debian's Chromium running headless as root (see ENVIRONMENT.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Production clients: whatsapp-web.js with LocalAuth (browser profile in WHATSAPP_DATA_DIR, so
 * a restart needs no new QR scan) and Debian's Chromium. The library (and Puppeteer) is loaded
 * on first use only, so processes without WhatsApp never pay for it.
 */
export function createWhatsAppClientFactory(
  config: Pick<Config, 'WHATSAPP_CLIENT_ID' | 'WHATSAPP_DATA_DIR' | 'CHROMIUM_PATH'>,
): WhatsAppClientFactory {
  return async () => {
    const { default: whatsapp } = await import('whatsapp-web.js');
    const client: WhatsAppClient = new whatsapp.Client({
      authStrategy: new whatsapp.LocalAuth({ clientId: config.WHATSAPP_CLIENT_ID, dataPath: config.WHATSAPP_DATA_DIR }),
      puppeteer: { executablePath: config.CHROMIUM_PATH, args: CHROMIUM_ARGS },
    });
    return client;
  };
}
