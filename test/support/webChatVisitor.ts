import { randomBytes } from 'node:crypto';
import type { Relais } from '../../src/relais.js';
import { eventually } from './testRelais.js';

export interface WebChatHistoryEntry {
  seq: number;
  from: 'person' | 'relais';
  text: string;
}

/**
 * One browser session of the public web chat, driven through the real routes (fastify
 * inject) from one client address: posts as the page does, reads the history as it polls.
 */
export class WebChatVisitor {
  readonly sessionId = randomBytes(16).toString('base64url');
  private counter = 0;

  constructor(
    private readonly relais: Relais,
    readonly remoteAddress = '203.0.113.10',
  ) {}

  private async post(body: Record<string, unknown>): Promise<void> {
    const response = await this.relais.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      remoteAddress: this.remoteAddress,
      payload: { sessionId: this.sessionId, clientMessageId: `msg${String(++this.counter).padStart(6, '0')}`, ...body },
    });
    if (response.statusCode !== 202) throw new Error(`web chat post answered ${response.statusCode}`);
  }

  /** Opens the chat and picks a language: the visitor ends on the main menu. */
  async onboard(language = 'en'): Promise<void> {
    await this.post({ kind: 'start', language });
    await this.choose(`lang:${language}`);
  }

  async choose(...choiceIds: string[]): Promise<void> {
    for (const choiceId of choiceIds) await this.post({ kind: 'choice', choiceId });
  }

  say(text: string): Promise<void> {
    return this.post({ kind: 'text', text });
  }

  /** The page's view of the conversation (what it would show). */
  async history(): Promise<WebChatHistoryEntry[]> {
    const response = await this.relais.app.inject({
      method: 'GET',
      url: '/chat/api/messages',
      headers: { 'x-relais-session': this.sessionId },
    });
    return response.json<{ messages: WebChatHistoryEntry[] }>().messages;
  }

  /** Waits until Relais's replies include `text` (delivery is asynchronous). */
  async receives(text: string): Promise<void> {
    await eventually(async () => (await this.history()).some((m) => m.from === 'relais' && m.text === text));
  }

  /** The contact this session's account belongs to now. */
  async contactId(): Promise<string> {
    const identity = await this.relais.db.channelIdentity.findUniqueOrThrow({
      where: {
        channel_platformIdHash: { channel: 'WEB', platformIdHash: this.relais.secrets.hash(`WEB:${this.sessionId}`) },
      },
      select: { contactId: true },
    });
    return identity.contactId;
  }
}
