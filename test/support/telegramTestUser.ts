import { eventually } from './testRelais.js';
import type { TelegramTestbed } from './telegramEmulator.js';

export interface TelegramTestUserOptions {
  chatId: number;
  firstName: string;
  /** Telegram's language_code of the person's app (Relais uses it before a language is chosen) */
  languageCode?: string;
}

/** One message of the bot, as the person's Telegram app would show it. */
export interface BotReply {
  messageId: number;
  text: string;
  /** inline buttons top to bottom, as shown ("1. Français") */
  buttons: string[];
  /** callback data of each inline button, same order */
  buttonData: string[];
  /** reply-keyboard buttons (a location question) */
  replyButtons: Array<{ text: string; requestLocation: boolean }>;
  /** the message hides a reply keyboard left from an earlier question */
  removesKeyboard: boolean;
}

const TURN_TIMEOUT_MS = 20_000;
const BOT_PERSON = { id: 123456789, is_bot: true, first_name: 'Relais' };

/**
 * A simulated person in a private chat with the bot. Every action resolves once Relais has
 * stored the message and delivered all its replies, and returns those replies, so a test
 * reads like the conversation: `const [menu] = await amina.press('English')`.
 */
export class TelegramTestUser {
  /** every bot message this person received, oldest first */
  readonly received: BotReply[] = [];
  private lastMessageId = 0;

  constructor(
    private readonly bed: TelegramTestbed,
    readonly options: TelegramTestUserOptions,
  ) {}

  get chatId(): number {
    return this.options.chatId;
  }

  /** `/start` (optionally with a deep-link payload). */
  start(payload?: string): Promise<BotReply[]> {
    const text = payload ? `/start ${payload}` : '/start';
    return this.sendMessage({ text, entities: [{ offset: 0, length: 6, type: 'bot_command' }] });
  }

  /** Types a text (a number in any script, a keyword like "menu", a free answer, a command). */
  sendText(text: string): Promise<BotReply[]> {
    return this.sendMessage({ text });
  }

  /**
   * Presses an inline button of the latest message that has some: by 1-based number, by the
   * label as shown ("2. English") or without its number ("English"), or by callback data. A
   * label the latest buttons do not have is looked for higher up, as a person scrolls up to an
   * earlier message (Telegram keeps its keyboard): the menu above a finished flow's reference.
   */
  async press(button: number | string): Promise<BotReply[]> {
    const latest = this.received.findLast((reply) => reply.buttons.length > 0);
    if (!latest) throw new Error('no message with inline buttons to press');
    const indexIn = (message: BotReply) =>
      typeof button === 'number'
        ? button - 1
        : ([
            message.buttons.indexOf(button),
            message.buttons.findIndex((b) => b.replace(/^\d+\.\s/, '') === button),
            message.buttonData.indexOf(button),
          ].find((i) => i >= 0) ?? -1);
    const message =
      typeof button === 'number' || indexIn(latest) >= 0
        ? latest
        : (this.received.findLast((reply) => indexIn(reply) >= 0) ?? latest);
    const index = indexIn(message);
    const data = message.buttonData[index];
    if (data === undefined) throw new Error(`no button "${String(button)}" in: ${latest.buttons.join(' | ')}`);
    const query = {
      botToken: this.bed.token,
      date: now(),
      from: this.from(),
      message: { message_id: message.messageId, from: BOT_PERSON, chat: this.chat(), date: now(), text: message.text },
      data,
    };
    await this.bed.emulator.addUserCallback(query);
    const stored = this.bed.emulator.storage.userMessages.find(
      (update) => 'callbackQuery' in update && update.callbackQuery === query,
    );
    return this.turn(stored?.updateId);
  }

  /** Presses a button of the latest reply keyboard (it sends its label as text). */
  pressReplyButton(text: string): Promise<BotReply[]> {
    const message = this.received.findLast((reply) => reply.replyButtons.length > 0);
    const button = message?.replyButtons.find((b) => b.text === text && !b.requestLocation);
    if (!button)
      throw new Error(
        `no reply-keyboard button "${text}" in: ${message?.replyButtons.map((b) => b.text).join(' | ') ?? 'none'}`,
      );
    return this.sendText(button.text);
  }

  /** Shares a location (the "share location" button, or the attachment menu). */
  shareLocation(latitude: number, longitude: number): Promise<BotReply[]> {
    return this.sendMessage({ location: { latitude, longitude } });
  }

  /** Shares the person's own contact card. */
  shareContact(phoneNumber = '+33600000000'): Promise<BotReply[]> {
    return this.sendMessage({
      contact: { phone_number: phoneNumber, first_name: this.options.firstName, user_id: this.chatId },
    });
  }

  sendPhoto(): Promise<BotReply[]> {
    return this.sendMessage({ photo: [{ file_id: 'emulated-photo', file_unique_id: 'p1', width: 90, height: 90 }] });
  }

  sendVoice(): Promise<BotReply[]> {
    return this.sendMessage({ voice: { file_id: 'emulated-voice', file_unique_id: 'v1', duration: 2 } });
  }

  sendSticker(): Promise<BotReply[]> {
    return this.sendMessage({
      sticker: {
        file_id: 'emulated-sticker',
        file_unique_id: 's1',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
    });
  }

  sendDocument(): Promise<BotReply[]> {
    return this.sendMessage({
      document: { file_id: 'emulated-document', file_unique_id: 'd1', file_name: 'scan.pdf' },
    });
  }

  /** Waits for a bot message not caused by an action of this person (reminder, volunteer reply…). */
  async waitForReply(matches: (reply: BotReply) => boolean, timeoutMs = TURN_TIMEOUT_MS): Promise<BotReply> {
    return eventually(async () => {
      this.collect();
      return this.received.find(matches);
    }, timeoutMs);
  }

  /** The latest message of the bot, if any. */
  get lastReply(): BotReply | undefined {
    return this.received.at(-1);
  }

  /** Texts of every bot message so far. */
  texts(): string[] {
    return this.received.map((reply) => reply.text);
  }

  private from() {
    return {
      id: this.chatId,
      is_bot: false,
      first_name: this.options.firstName,
      ...(this.options.languageCode ? { language_code: this.options.languageCode } : {}),
    };
  }

  private chat() {
    return { id: this.chatId, first_name: this.options.firstName, type: 'private' as const };
  }

  private async sendMessage(fields: Record<string, unknown>): Promise<BotReply[]> {
    const message = {
      botToken: this.bed.token,
      date: now(),
      from: this.from(),
      chat: this.chat(),
      text: undefined,
      ...fields,
    };
    await this.bed.emulator.addUserMessage(message);
    const stored = this.bed.emulator.storage.userMessages.find(
      (update) => 'message' in update && update.message === message,
    );
    return this.turn(stored?.updateId);
  }

  /**
   * Waits until Relais stored this update and sent every reply it wrote (none PENDING any
   * more), then returns the bot messages that arrived since the previous action.
   */
  private async turn(updateId: number | undefined): Promise<BotReply[]> {
    if (updateId === undefined) throw new Error('the emulator did not record the update');
    const db = this.bed.relais.relais.db;
    const dedupeKey = `tg:${this.bed.botId}:${updateId}`;
    try {
      await eventually(async () => {
        const inbound = await db.message.findUnique({
          where: { channel_dedupeKey: { channel: 'TELEGRAM', dedupeKey } },
          select: { identityId: true },
        });
        if (!inbound?.identityId) return false;
        const pending = await db.message.count({
          where: { identityId: inbound.identityId, direction: 'OUTBOUND', status: 'PENDING' },
        });
        return pending === 0;
      }, TURN_TIMEOUT_MS);
    } catch {
      throw new Error(
        `Relais did not store update ${updateId} and deliver its replies within ${TURN_TIMEOUT_MS / 1000} s ` +
          '(an update Relais ignores, or a stuck delivery: see bed.relais.logs)',
      );
    }
    return this.collect();
  }

  /** Moves the bot's new messages for this chat from the emulator into `received`. */
  private collect(): BotReply[] {
    const fresh = this.bed.emulator.storage.botMessages
      .filter(
        (stored) =>
          stored.botToken === this.bed.token &&
          String(stored.message.chat_id) === String(this.chatId) &&
          stored.messageId > this.lastMessageId,
      )
      .sort((a, b) => a.messageId - b.messageId)
      .map((stored) => toBotReply(stored.messageId, stored.message));
    for (const reply of fresh) this.lastMessageId = Math.max(this.lastMessageId, reply.messageId);
    this.received.push(...fresh);
    return fresh;
  }
}

function toBotReply(messageId: number, message: { text?: unknown; reply_markup?: unknown }): BotReply {
  const markup = typeof message.reply_markup === 'object' && message.reply_markup !== null ? message.reply_markup : {};
  const inline =
    'inline_keyboard' in markup && Array.isArray(markup.inline_keyboard) ? markup.inline_keyboard.flat() : [];
  const keyboard = 'keyboard' in markup && Array.isArray(markup.keyboard) ? markup.keyboard.flat() : [];
  return {
    messageId,
    text: String(message.text ?? ''),
    buttons: inline.map((button: { text?: unknown }) => String(button.text)),
    buttonData: inline.map((button: { callback_data?: unknown }) => String(button.callback_data)),
    replyButtons: keyboard.map((button: { text?: unknown; request_location?: unknown }) => ({
      text: String(button.text),
      requestLocation: button.request_location === true,
    })),
    removesKeyboard: 'remove_keyboard' in markup && markup.remove_keyboard === true,
  };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
