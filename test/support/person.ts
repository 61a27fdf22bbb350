import type { InboundContent } from '../../src/core/messages/messageTypes.js';
import type { Relais } from '../../src/relais.js';
import type { FakeChannel } from './fakeChannel.js';
import { eventually } from './testRelais.js';

/**
 * A person writing to Relais through a fake channel: sends inputs one after the other (as
 * a platform delivers them) and reads what they received.
 */
export class Person {
  constructor(
    readonly relais: Relais,
    readonly channel: FakeChannel,
    readonly platformId: string,
  ) {}

  /** First contact and language choice: the person ends on the main menu. */
  async onboard(language = 'en'): Promise<void> {
    await this.send({ kind: 'start' });
    await this.choose(`lang:${language}`);
  }

  send(content: InboundContent) {
    return this.channel.sendEvent(this.platformId, content);
  }

  /** Presses buttons (choice ids) one after the other. */
  async choose(...choiceIds: string[]): Promise<void> {
    for (const choiceId of choiceIds) await this.send({ kind: 'choice', choiceId });
  }

  say(text: string) {
    return this.channel.text(this.platformId, text);
  }

  /** The contact this account currently belongs to. */
  async contactId(): Promise<string> {
    const identity = await this.relais.db.channelIdentity.findUniqueOrThrow({
      where: {
        channel_platformIdHash: {
          channel: this.channel.channel,
          platformIdHash: this.relais.secrets.hash(`${this.channel.channel}:${this.platformId}`),
        },
      },
      select: { contactId: true },
    });
    return identity.contactId;
  }

  texts(): string[] {
    return this.channel.textsTo(this.platformId);
  }

  /** Waits until the person received a message equal to `text` (or containing it, with `partial`). */
  async receives(text: string, options: { partial?: boolean; timeoutMs?: number } = {}): Promise<string> {
    return eventually(
      async () => this.texts().find((t) => (options.partial ? t.includes(text) : t === text)),
      options.timeoutMs ?? 10_000,
    );
  }

  t(key: string, params?: Record<string, string | number>, language = 'en'): string {
    return this.relais.i18n.t(language, key, params);
  }
}
