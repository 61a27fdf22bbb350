import type { WhatsAppMessage } from '../../../src/bots/whatsapp/whatsappClient.js';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { eventually, type TestRelais } from '../../support/testRelais.js';
import { inDigits, type DigitScript } from '../../support/walks.js';
import { startWhatsAppRelais } from '../../support/whatsappRelais.js';
import type { ChannelDriver, ChannelPerson, ChannelReply, Delivery, MediaSample } from '../channelDriver.js';
import { CONFORMANCE_ENV, LinkedRelais, PostgresLink } from './driverSupport.js';

const RLM = '\u200f';
const CHOICE_LINE = /^\u200f?(\d+)\. (.*)$/;
/** Postgres down: the adapter retries for ~12 s here (minutes in production), longer than the suite's outage */
const RETRY_DELAYS_MS = [200, 400, 800, 1_600, 3_200, 6_000];

/**
 * A WhatsApp text as the person's phone shows it: the message, then its choices as a numbered
 * list, then how to answer (the hint, in the list's direction).
 */
function toReply(text: string): ChannelReply {
  const [body = '', list, hint] = splitChoices(text);
  const lines = list?.split('\n') ?? [];
  const choices = lines.map((line) => CHOICE_LINE.exec(line)?.[2] ?? '');
  const written = hint === undefined ? lines : [...lines, hint];
  const marked = written.filter((line) => line.startsWith(RLM)).length;
  if (marked !== 0 && marked !== written.length) throw new Error(`choices only partly marked right to left: ${text}`);
  return {
    text: body,
    choices,
    direction: marked > 0 ? 'rtl' : 'ltr',
    ...(hint === undefined ? {} : { hint: hint.replace(RLM, '') }),
  };
}

/** Whether a block is "N. label" lines, numbered from 1. */
function isNumberedList(block: string): boolean {
  return block.split('\n').every((line, i) => CHOICE_LINE.exec(line)?.[1] === String(i + 1));
}

/** The message, its trailing block of "N. label" lines, and the one paragraph after that block (the hint). */
function splitChoices(text: string): [string, string?, string?] {
  const at = text.lastIndexOf('\n\n');
  if (at < 0) return [text];
  if (isNumberedList(text.slice(at + 2))) return [text.slice(0, at), text.slice(at + 2)];
  const before = text.lastIndexOf('\n\n', at - 1);
  if (before < 0 || !isNumberedList(text.slice(before + 2, at))) return [text];
  return [text.slice(0, before), text.slice(before + 2, at), text.slice(at + 2)];
}

/** A person's phone: whatsapp-web.js message events from their chat, in the order they wrote. */
class WhatsAppPhone implements ChannelPerson {
  private last: WhatsAppMessage | undefined;

  constructor(
    private readonly world: FakeWhatsApp,
    readonly platformId: string,
    private readonly digits: DigitScript,
  ) {}

  write(text: string, fields: Partial<WhatsAppMessage> = {}): Delivery {
    this.last = this.world.write(this.platformId, text, fields);
    return { status: 'emitted' };
  }

  async start(greeting: string): Promise<Delivery> {
    return this.write(greeting);
  }

  async type(text: string): Promise<Delivery> {
    return this.write(text);
  }

  /** No buttons on WhatsApp Web: a choice is answered with its number. */
  async tap(label: string): Promise<Delivery> {
    const shown = (await this.replies()).findLast((r) => r.choices.length > 0);
    const index = shown?.choices.indexOf(label) ?? -1;
    if (!shown || index < 0)
      throw new Error(`no choice "${label}" in: ${shown?.choices.join(' | ') ?? 'no numbered list'}`);
    return this.write(inDigits(String(index + 1), this.digits));
  }

  async replayLast(times: number): Promise<Delivery[]> {
    const message = this.last;
    if (!message) throw new Error('nothing sent yet');
    // whatsapp-web.js emits events without waiting: "at once" and "one after another" are the same here
    return Array.from({ length: times }, () => {
      this.world.deliver(message);
      return { status: 'emitted' as const };
    });
  }

  async replies(): Promise<ChannelReply[]> {
    return this.world.textsTo(this.platformId).map(toReply);
  }
}

function own(person: ChannelPerson): WhatsAppPhone {
  if (!(person instanceof WhatsAppPhone)) throw new Error('not a WhatsApp person');
  return person;
}

/** WhatsApp through whatsapp-web.js: the adapter drives a fake `Client` that emits real-shaped `message` events. */
export class WhatsAppDriver extends LinkedRelais implements ChannelDriver {
  readonly channel = 'WHATSAPP' as const;
  readonly name = 'WhatsApp (fake whatsapp-web.js client)';
  private nextNumber = 447_700_910_001;
  private retriesBeforeCut = 0;

  private constructor(
    t: TestRelais,
    private readonly world: FakeWhatsApp,
    link: PostgresLink,
  ) {
    super(t, link);
  }

  static async start(): Promise<WhatsAppDriver> {
    const world = new FakeWhatsApp();
    const link = await PostgresLink.open();
    const t = await startWhatsAppRelais('conf_whatsapp', world, {
      env: CONFORMANCE_ENV,
      inboundRetryDelaysMs: RETRY_DELAYS_MS,
      databaseUrl: link.via,
    });
    return new WhatsAppDriver(t, world, link);
  }

  person(options: { digits?: DigitScript }): WhatsAppPhone {
    return new WhatsAppPhone(this.world, `${this.nextNumber++}@c.us`, options.digits ?? 'latin');
  }

  /** no buttons: choices are typed back by number, and the list says so */
  readonly numberedChoices = true;

  /** whatsapp-web.js says nothing of the phone's language: first contact is in the default language. */
  firstContactLanguage(): string {
    return this.t.config.DEFAULT_LANGUAGE;
  }

  readonly accepted = (d: Delivery) => d.status === 'emitted';

  /** Events whatsapp-web.js can emit that carry nothing a person could have meant; there is no one to answer. */
  async sendMalformed(): Promise<Array<{ delivery: Delivery; expected: null }>> {
    const from = `${this.nextNumber++}@c.us`;
    const events: unknown[] = [
      { ...this.world.message(from, { body: 'no id' }), id: undefined },
      { ...this.world.message(from), type: undefined },
      this.world.message(from, { type: 'chat', body: '   ' }),
      this.world.message(from, { type: 'location', location: { latitude: 123, longitude: 7 } }),
      this.world.message(from, { type: 'ciphertext', body: '' }),
      this.world.message(from, { type: 'revoked', body: '' }),
    ];
    const client = this.world.current;
    if (!client) throw new Error('no ready WhatsApp client');
    return events.map((event) => {
      client.emit('message', event);
      return { delivery: { status: 'emitted' }, expected: null };
    });
  }

  readonly media: readonly MediaSample[] = [
    {
      name: 'a voice message',
      mediaType: 'voice',
      send: async (p) => own(p).write('', { type: 'ptt', hasMedia: true }),
    },
    { name: 'a photo', mediaType: 'photo', send: async (p) => own(p).write('', { type: 'image', hasMedia: true }) },
    {
      name: 'a sticker',
      mediaType: 'sticker',
      send: async (p) => own(p).write('', { type: 'sticker', hasMedia: true }),
    },
  ];

  /** The adapter did not take the message (WhatsApp keeps it unread) and retries it itself. */
  async awaitRetrySignal(): Promise<void> {
    await eventually(async () => this.retriesLogged() > this.retriesBeforeCut, 5_000);
  }

  private retriesLogged(): number {
    return this.t.logs.lines.filter((line) => line.includes('WhatsApp message not stored yet; retrying')).length;
  }

  async redeliverAfterOutage(): Promise<void> {
    // nothing to do: the adapter's own retry stores the message once Postgres answers
  }

  override cutPostgres(): void {
    this.retriesBeforeCut = this.retriesLogged();
    super.cutPostgres();
  }

  secretIdsOf(person: ChannelPerson): string[] {
    return [person.platformId.replace(/@.*$/, '')];
  }
}
