import { describe, expect, it } from 'vitest';
import { checkTelegramUpdate } from '../../../src/bots/telegram/telegramUpdate.js';

describe('Telegram update validation', () => {
  it(
    'checks an update object once: asked again (the middleware after the webhook route), it gives the same result ' +
      'without parsing',
    () => {
      const body = {
        update_id: 7,
        message: {
          message_id: 1,
          date: 1_700_000_000,
          chat: { id: 42, type: 'private' },
          from: { id: 42, is_bot: false, first_name: 'A' },
          text: 'hi',
        },
      };
      const first = checkTelegramUpdate(body);
      const second = checkTelegramUpdate(body);
      expect(first.success).toBe(true);
      // a parse builds a new object each time; the same object back means no second parse
      expect(second.success && first.success && second.data === first.data).toBe(true);
      // an equal body that is another object is parsed on its own
      const other = checkTelegramUpdate(structuredClone(body));
      expect(other.success && first.success && other.data !== first.data).toBe(true);
    },
  );

  it('a malformed update is refused every time, with the field at fault', () => {
    const body = { update_id: -1 };
    for (let i = 0; i < 2; i++) {
      const checked = checkTelegramUpdate(body);
      expect(checked.success).toBe(false);
      expect(checked.success ? [] : checked.error.issues.map((issue) => issue.path.join('.'))).toEqual(['update_id']);
    }
  });
});
