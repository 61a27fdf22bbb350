import { expect } from 'vitest';
import type { TelegramTestbed } from './telegramEmulator.js';
import type { BotReply, TelegramTestUser } from './telegramTestUser.js';

export { inDigits } from './walks.js';

/**
 * Helpers for walking flows on the Telegram testbed: texts rendered from the real locales
 * (with the parameters Relais always adds), onboarding, and the database side of a chat.
 */
export class TelegramWalk {
  constructor(readonly bed: TelegramTestbed) {}

  /** `key` in `language`, as Relais renders it (nested `{ t: … }` params already rendered by the caller). */
  t(language: string, key: string, params: Record<string, string | number> = {}): string {
    const { config, relais } = this.bed.relais;
    return relais.i18n.t(language, key, {
      messageDays: config.MESSAGE_RETENTION_DAYS,
      requestDays: config.REQUEST_RETENTION_DAYS,
      ...params,
    });
  }

  /** The texts of a turn's replies. */
  texts(replies: BotReply[]): string[] {
    return replies.map((reply) => reply.text);
  }

  /** `/start`, then the language button (pressed by its label, as a person would): ends on the menu. */
  async onboard(user: TelegramTestUser, language: string): Promise<BotReply> {
    await user.start();
    const replies = await user.press(this.t(language, `languages:${language}`));
    const menu = replies.at(-1);
    expect(menu?.text).toBe(this.t(language, 'menu:title'));
    return menu ?? expect.unreachable('no menu after the language choice');
  }

  /** Presses the main-menu entry with this label key (the person must be on the menu). */
  openMenu(user: TelegramTestUser, language: string, labelKey: string): Promise<BotReply[]> {
    return user.press(this.t(language, labelKey));
  }

  /** The contact a Telegram account currently belongs to. */
  async contactId(user: TelegramTestUser): Promise<string> {
    const { relais } = this.bed.relais;
    const identity = await relais.db.channelIdentity.findUniqueOrThrow({
      where: {
        channel_platformIdHash: { channel: 'TELEGRAM', platformIdHash: relais.secrets.hash(`TELEGRAM:${user.chatId}`) },
      },
      select: { contactId: true },
    });
    return identity.contactId;
  }
}
