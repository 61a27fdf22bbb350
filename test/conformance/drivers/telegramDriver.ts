import { z } from 'zod';
import { channelTransports } from '../../../src/bots/channelTransports.js';
import { FakeBotApi, type BotApiCall } from '../../support/fakeBotApi.js';
import { TelegramUpdateFactory } from '../../support/telegramUpdates.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';
import type { ChannelDriver, ChannelPerson, ChannelReply, Delivery, MediaSample } from '../channelDriver.js';
import { CONFORMANCE_ENV, expectRetryLater, httpDelivery, LinkedRelais, PostgresLink } from './driverSupport.js';

const SECRET = 'conformance_secret-0123456789';
const TOKEN = '123456:CONFORMANCE-token_for_tests';

const markupSchema = z
  .object({
    inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string() }))).optional(),
    keyboard: z.array(z.array(z.object({ text: z.string(), request_location: z.boolean().optional() }))).optional(),
  })
  .optional();

interface TelegramMessage extends ChannelReply {
  messageId: number;
  /** callback data of each inline button, same order as `choices` */
  data: string[];
  /** the buttons of a reply keyboard send their label as text */
  replyKeyboard: boolean;
}

function toMessage(call: BotApiCall): TelegramMessage {
  const markup = markupSchema.parse(call.body.reply_markup);
  const inline = markup?.inline_keyboard?.flat() ?? [];
  const keyboard = (markup?.keyboard?.flat() ?? []).filter((b) => b.request_location !== true);
  // an inline button reads "N. label": its number, so the person can also type it
  inline.forEach((button, i) => {
    if (!button.text.startsWith(`${i + 1}. `)) throw new Error(`button ${i + 1} is not numbered: ${button.text}`);
  });
  return {
    messageId: call.messageId ?? 0,
    text: String(call.body.text),
    choices: inline.length > 0 ? inline.map((b) => b.text.replace(/^\d+\. /, '')) : keyboard.map((b) => b.text),
    data: inline.map((b) => b.callback_data),
    replyKeyboard: inline.length === 0 && keyboard.length > 0,
    direction: 'app',
  };
}

/** A Telegram account: real-shaped updates posted to the webhook, as Telegram does, one chat at a time. */
class TelegramPerson implements ChannelPerson {
  private last: unknown;

  constructor(
    private readonly driver: TelegramDriver,
    readonly factory: TelegramUpdateFactory,
  ) {}

  get platformId(): string {
    return String(this.factory.chatId);
  }

  send(update: unknown): Promise<Delivery> {
    this.last = update;
    return this.driver.post(update);
  }

  start(): Promise<Delivery> {
    return this.send(this.factory.command('/start'));
  }

  type(text: string): Promise<Delivery> {
    return this.send(this.factory.text(text));
  }

  async tap(label: string): Promise<Delivery> {
    const message = this.driver.messagesTo(this.factory.chatId).findLast((m) => m.choices.length > 0);
    const index = message?.choices.indexOf(label) ?? -1;
    if (!message || index < 0)
      throw new Error(`no button "${label}" in: ${message?.choices.join(' | ') ?? 'no message with buttons'}`);
    // a reply-keyboard button sends its label as a message; an inline one a callback query
    if (message.replyKeyboard) return this.type(label);
    return this.send(
      this.factory.callback(message.data[index] ?? '', { messageId: message.messageId, text: message.text }),
    );
  }

  async replayLast(times: number, options: { concurrently?: boolean } = {}): Promise<Delivery[]> {
    const update = this.last;
    if (update === undefined) throw new Error('nothing sent yet');
    if (options.concurrently) return Promise.all(Array.from({ length: times }, () => this.driver.post(update)));
    const deliveries: Delivery[] = [];
    for (let i = 0; i < times; i++) deliveries.push(await this.driver.post(update));
    return deliveries;
  }

  /** The retry of the last update, as Telegram makes it after a 5xx. */
  redeliver(): Promise<Delivery> {
    return this.driver.post(this.last);
  }

  async replies(): Promise<ChannelReply[]> {
    return this.driver.messagesTo(this.factory.chatId);
  }
}

function own(person: ChannelPerson): TelegramPerson {
  if (!(person instanceof TelegramPerson)) throw new Error('not a Telegram person');
  return person;
}

/** Telegram: the webhook (secret header, real-shaped Update JSON) and a fake Bot API receiving the replies. */
export class TelegramDriver extends LinkedRelais implements ChannelDriver {
  readonly channel = 'TELEGRAM' as const;
  readonly name = 'Telegram (webhook, fake Bot API)';
  private nextChatId = 6_100_001;

  private constructor(
    t: TestRelais,
    private readonly api: FakeBotApi,
    link: PostgresLink,
  ) {
    super(t, link);
  }

  static async start(): Promise<TelegramDriver> {
    const api = await new FakeBotApi().start();
    const link = await PostgresLink.open();
    const env = {
      ...CONFORMANCE_ENV,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_RATE_PER_CHAT_MS: '0',
    };
    const t = await startTestRelais('conf_telegram', env, { transports: channelTransports, databaseUrl: link.via });
    return new TelegramDriver(t, api, link);
  }

  post(update: unknown, secret = SECRET): Promise<Delivery> {
    const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret };
    return this.relais.app
      .inject({ method: 'POST', url: '/telegram/webhook', payload: JSON.stringify(update), headers })
      .then(httpDelivery);
  }

  messagesTo(chatId: number): TelegramMessage[] {
    return this.api.messagesTo(chatId).map(toMessage);
  }

  person(options: { appLanguage: string }): TelegramPerson {
    return new TelegramPerson(this, new TelegramUpdateFactory(this.nextChatId++, options.appLanguage));
  }

  /** choices are inline buttons */
  readonly numberedChoices = false;

  /** Telegram says the app's language (`language_code`): the first replies use it. */
  firstContactLanguage(appLanguage: string): string {
    return appLanguage;
  }

  readonly accepted = (d: Delivery) => d.status === 200;

  async sendMalformed(): Promise<Array<{ delivery: Delivery; expected: number }>> {
    const bodies = [
      {},
      { update_id: 'x' },
      { update_id: -1 },
      { update_id: 5, message: { text: 'no chat' } },
      { update_id: 6, callback_query: { data: 'x' } },
      [],
      'text',
    ];
    const answers = [];
    for (const body of bodies) answers.push({ delivery: await this.post(body), expected: 400 });
    const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET };
    const notJson = await this.relais.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      payload: '{"update_id":',
      headers,
    });
    answers.push({ delivery: httpDelivery(notJson), expected: 400 });
    return answers;
  }

  readonly media: readonly MediaSample[] = [
    { name: 'a photo', mediaType: 'photo', send: (p) => own(p).send(own(p).factory.photo()) },
    { name: 'a voice message', mediaType: 'voice', send: (p) => own(p).send(own(p).factory.voice()) },
    { name: 'a sticker', mediaType: 'sticker', send: (p) => own(p).send(own(p).factory.sticker()) },
  ];

  /** Telegram keeps the update and delivers it again later. */
  async awaitRetrySignal(d: Delivery): Promise<void> {
    expectRetryLater(d);
  }

  async redeliverAfterOutage(person: ChannelPerson): Promise<void> {
    const again = await own(person).redeliver();
    if (again.status !== 200) throw new Error(`the redelivered update answered ${again.status}`);
  }

  secretIdsOf(): string[] {
    // a chat id is a small number that may appear in unrelated figures; Telegram ids are HMACs in storage anyway
    return [];
  }

  override async close(): Promise<void> {
    await super.close();
    await this.api.close();
  }
}
