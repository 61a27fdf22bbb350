/**
 * Real-shaped Telegram updates (as the Bot API sends them to a webhook), for tests that post
 * to /telegram/webhook. Each person is a private chat whose id equals their user id.
 */
/** update ids are unique per bot, whichever person an update comes from */
let lastUpdateId = 700_000_000;

/**
 * Makes the next update id `first`: a process that posts to a bot which already received
 * updates from another process (a second load run) must not repeat their ids, or Relais
 * rightly drops its updates as replays.
 */
export function startUpdateIdsAt(first: number): void {
  lastUpdateId = first - 1;
}

export class TelegramUpdateFactory {
  private messageId = 1;

  constructor(
    readonly chatId: number,
    readonly languageCode = 'en',
  ) {}

  private user() {
    return { id: this.chatId, is_bot: false, first_name: 'Amina', language_code: this.languageCode };
  }

  private chat() {
    return { id: this.chatId, first_name: 'Amina', type: 'private' };
  }

  private message(fields: Record<string, unknown>) {
    return {
      update_id: ++lastUpdateId,
      message: { message_id: this.messageId++, from: this.user(), chat: this.chat(), date: now(), ...fields },
    };
  }

  text(text: string) {
    return this.message({ text });
  }

  command(command: string) {
    const name = command.split(' ')[0] ?? command;
    return this.message({ text: command, entities: [{ offset: 0, length: name.length, type: 'bot_command' }] });
  }

  /** the person pressed an inline button of the bot's message (the message it belongs to, when known) */
  callback(data: string, pressed: { messageId: number; text: string } = { messageId: 1, text: '…' }) {
    const updateId = ++lastUpdateId;
    const bot = { id: 123456, is_bot: true, first_name: 'Relais', username: 'relais_test_bot' };
    return {
      update_id: updateId,
      callback_query: {
        id: `${this.chatId}${updateId}`,
        from: this.user(),
        message: { message_id: pressed.messageId, from: bot, chat: this.chat(), date: now(), text: pressed.text },
        chat_instance: '-4242',
        data,
      },
    };
  }

  location(latitude: number, longitude: number) {
    return this.message({ location: { latitude, longitude } });
  }

  contact(phoneNumber: string) {
    return this.message({ contact: { phone_number: phoneNumber, first_name: 'Amina', user_id: this.chatId } });
  }

  photo() {
    return this.message({
      photo: [{ file_id: 'AgACAgQAAxkBAAIB', file_unique_id: 'AQADx', file_size: 1200, width: 90, height: 67 }],
      caption: '2',
    });
  }

  voice() {
    return this.message({
      voice: {
        duration: 3,
        mime_type: 'audio/ogg',
        file_id: 'AwACAgQAAxkBAAIC',
        file_unique_id: 'AgADy',
        file_size: 9000,
      },
    });
  }

  sticker() {
    return this.message({
      sticker: {
        file_id: 'CAACAgIAAxkBAAID',
        file_unique_id: 'AgADz',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
      },
    });
  }

  edited(text: string) {
    return {
      update_id: ++lastUpdateId,
      edited_message: { message_id: 1, from: this.user(), chat: this.chat(), date: now() - 60, edit_date: now(), text },
    };
  }

  /** the person blocked (kicked) the bot */
  blockedBot() {
    return {
      update_id: ++lastUpdateId,
      my_chat_member: {
        chat: this.chat(),
        from: this.user(),
        date: now(),
        old_chat_member: { user: { id: 123456, is_bot: true, first_name: 'Relais' }, status: 'member' },
        new_chat_member: { user: { id: 123456, is_bot: true, first_name: 'Relais' }, status: 'kicked', until_date: 0 },
      },
    };
  }

  /** a message in a group the bot was added to */
  groupText(text: string) {
    return {
      update_id: ++lastUpdateId,
      message: {
        message_id: this.messageId++,
        from: this.user(),
        chat: { id: -1001234567890, title: 'Calais volunteers', type: 'supergroup' },
        date: now(),
        text,
      },
    };
  }

  channelPost(text: string) {
    return {
      update_id: ++lastUpdateId,
      channel_post: {
        message_id: this.messageId++,
        chat: { id: -1009876543210, title: 'News', type: 'channel' },
        date: now(),
        text,
      },
    };
  }

  poll() {
    return {
      update_id: ++lastUpdateId,
      poll: {
        id: '5',
        question: 'Q?',
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
      },
    };
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
