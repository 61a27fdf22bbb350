import { EventEmitter } from 'node:events';
import type { WhatsAppChat, WhatsAppClient, WhatsAppMessage } from '../../src/bots/whatsapp/whatsappClient.js';

export interface FakeSentMessage {
  chatId: string;
  text: string;
  at: number;
  /** which client (browser) sent it: 0 for the first one built */
  client: number;
}

type InitializeBehaviour = 'normal' | 'hang' | 'fail';

/**
 * WhatsApp as seen from whatsapp-web.js, for tests: people's phones, the linked-device login
 * kept on disk, the lid/phone address book. `factory` builds clients the adapter drives; each
 * behaves like whatsapp-web.js's `Client` (same events and methods): `initialize()` emits
 * `ready` when the login is saved, `qr` otherwise; `disconnected` is followed by the client
 * destroying itself; sending needs a ready client.
 */
export class FakeWhatsApp {
  /** the browser profile holds a linked session (LocalAuth): no QR needed */
  loggedIn = true;
  initializeBehaviour: InitializeBehaviour = 'normal';
  /** getContactLidAndPhone throws, as on an old WhatsApp Web or an unknown contact */
  pairLookupFails = false;
  readonly clients: FakeWhatsAppClient[] = [];
  readonly sent: FakeSentMessage[] = [];
  /** false: `sent` stays empty (long benchmarks measure the adapter, not the fake) */
  retainSent = true;
  /** called for every message a client sends */
  onSend: ((message: FakeSentMessage) => void) | undefined;
  /** how long sendMessage takes (a real browser: a second or more) */
  sendDelayMs = 0;
  /** sends under way now, and the most there ever were at once */
  inFlight = 0;
  mostInFlight = 0;
  readonly typing: string[] = [];
  readonly unread = new Map<string, WhatsAppMessage[]>();
  private readonly pairs: Array<{ lid: string; pn: string }> = [];
  private readonly sendFailures: Error[] = [];
  private counter = 0;

  readonly factory = async (): Promise<WhatsAppClient> => {
    const client = new FakeWhatsAppClient(this, this.clients.length);
    this.clients.push(client);
    return client;
  };

  /** The client that is ready now (what a phone message reaches). */
  get current(): FakeWhatsAppClient | undefined {
    return this.clients.filter((c) => c.isReady).at(-1);
  }

  /** Clients that called initialize() (a Chromium opened) and were not destroyed. */
  get openBrowsers(): FakeWhatsAppClient[] {
    return this.clients.filter((c) => c.initialized && !c.destroyed);
  }

  /** The same person under their phone id and their linked id. */
  link(pn: string, lid: string): void {
    this.pairs.push({ pn, lid });
  }

  pairOf(id: string): { lid?: string; pn?: string } {
    const pair = this.pairs.find((p) => p.pn === id || p.lid === id);
    return pair ?? (id.endsWith('@lid') ? { lid: id } : { pn: id });
  }

  /** The next sendMessage calls fail with these errors. */
  failSends(...errors: Error[]): void {
    this.sendFailures.push(...errors);
  }

  takeSendFailure(): Error | undefined {
    return this.sendFailures.shift();
  }

  /** A WhatsApp message as whatsapp-web.js builds it. */
  message(from: string, fields: Partial<WhatsAppMessage> = {}): WhatsAppMessage {
    const key = `3EB0${(++this.counter).toString(16).padStart(16, '0').toUpperCase()}`;
    return {
      id: { _serialized: `false_${from}_${key}`, id: key },
      from,
      author: undefined,
      body: '',
      type: 'chat',
      timestamp: Math.floor(Date.now() / 1000),
      hasMedia: false,
      location: undefined,
      vCards: [],
      isStatus: from === 'status@broadcast',
      fromMe: false,
      broadcast: false,
      ...fields,
    };
  }

  /**
   * A person sends `text` (or a whole message) to the number: it reaches the ready client, or waits unread while none
   * is.
   */
  write(from: string, text: string, fields: Partial<WhatsAppMessage> = {}): WhatsAppMessage {
    const message = this.message(from, { body: text, ...fields });
    if (this.current) this.deliver(message);
    else this.unread.set(from, [...(this.unread.get(from) ?? []), message]);
    return message;
  }

  /** Delivers a message event (also a replay of an earlier one) to the ready client. */
  deliver(message: WhatsAppMessage): void {
    const client = this.current;
    if (!client) throw new Error('no ready WhatsApp client to deliver to');
    client.emit('message', message);
  }

  /** The phone scans the QR code shown by the current browser. */
  scanQr(): void {
    const client = this.clients.filter((c) => c.initialized && !c.destroyed).at(-1);
    if (!client) throw new Error('no browser waiting for a scan');
    this.loggedIn = true;
    client.becomeReady();
  }

  nextSendId(): string {
    return `3EB1${(++this.counter).toString(16).padStart(16, '0').toUpperCase()}`;
  }

  textsTo(chatId: string): string[] {
    return this.sent.filter((m) => m.chatId === chatId).map((m) => m.text);
  }
}

/** One whatsapp-web.js `Client` (one Chromium) of the fake. */
export class FakeWhatsAppClient extends EventEmitter implements WhatsAppClient {
  initialized = false;
  destroyed = false;
  /** the page froze without any event (WhatsApp Web update, Chromium hung): getState stops answering CONNECTED */
  stalled = false;
  private ready = false;

  constructor(
    private readonly world: FakeWhatsApp,
    readonly index: number,
  ) {
    super();
  }

  get isReady(): boolean {
    return this.ready && !this.destroyed;
  }

  async initialize(): Promise<void> {
    this.initialized = true;
    if (this.world.initializeBehaviour === 'fail')
      throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
    if (this.world.initializeBehaviour === 'hang') return new Promise(() => undefined);
    setImmediate(() => {
      if (this.destroyed) return;
      if (this.world.loggedIn) this.becomeReady();
      else this.emit('qr', `2@fake-qr-${this.index}-${Date.now()}`);
    });
  }

  becomeReady(): void {
    this.ready = true;
    this.emit('ready');
  }

  /** WhatsApp drops the connection; like whatsapp-web.js, the client then destroys itself. */
  disconnect(reason: string): void {
    this.ready = false;
    if (reason === 'LOGOUT' || reason === 'UNPAIRED') this.world.loggedIn = false;
    this.emit('disconnected', reason);
    void this.destroy();
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.ready = false;
  }

  async getState(): Promise<string | null> {
    if (this.stalled) return 'TIMEOUT';
    return this.isReady ? 'CONNECTED' : null;
  }

  async sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string; id: string } }> {
    if (!this.isReady)
      throw new Error('Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.');
    const failure = this.world.takeSendFailure();
    if (failure) throw failure;
    this.world.inFlight++;
    this.world.mostInFlight = Math.max(this.world.mostInFlight, this.world.inFlight);
    try {
      if (this.world.sendDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.world.sendDelayMs));
    } finally {
      this.world.inFlight--;
    }
    const id = this.world.nextSendId();
    const sent = { chatId, text: content, at: Date.now(), client: this.index };
    if (this.world.retainSent) this.world.sent.push(sent);
    this.world.onSend?.(sent);
    // whatsapp-web.js marks the chat read when sending (sendSeen defaults to true)
    this.world.unread.delete(chatId);
    return { id: { _serialized: `true_${chatId}_${id}`, id } };
  }

  async getChatById(chatId: string): Promise<WhatsAppChat> {
    return this.chat(chatId);
  }

  async getChats(): Promise<WhatsAppChat[]> {
    return [...this.world.unread.keys()].map((chatId) => this.chat(chatId));
  }

  async getContactLidAndPhone(userIds: string[]): Promise<Array<{ lid?: string; pn?: string }>> {
    if (this.world.pairLookupFails)
      throw new Error('Evaluation failed: TypeError: Cannot read properties of undefined');
    return userIds.map((id) => this.world.pairOf(id));
  }

  private chat(chatId: string): WhatsAppChat {
    const unread = this.world.unread.get(chatId) ?? [];
    return {
      id: { _serialized: chatId },
      isGroup: chatId.endsWith('@g.us'),
      unreadCount: unread.length,
      sendStateTyping: async () => {
        this.world.typing.push(chatId);
      },
      fetchMessages: async ({ limit }) => unread.slice(-limit),
    };
  }
}
