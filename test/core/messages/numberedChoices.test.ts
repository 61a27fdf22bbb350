import { describe, expect, it } from 'vitest';
import { renderNumberedChoices } from '../../../src/core/messages/numberedChoices.js';

describe('choices as a numbered list', () => {
  it('follows the text, one numbered line per choice, in the given order', () => {
    expect(
      renderNumberedChoices({
        text: 'What do you need?',
        choices: [
          { id: 'phone', label: '📱 A phone' },
          { id: 'recharge', label: '💳 A recharge' },
        ],
      }),
    ).toBe('What do you need?\n\n1. 📱 A phone\n2. 💳 A recharge');
  });

  it('starts every line with a right-to-left mark in right-to-left languages', () => {
    expect(
      renderNumberedChoices({
        text: 'ماذا تحتاج؟',
        rtl: true,
        choices: [
          { id: 'ar', label: 'العربية' },
          { id: 'en', label: 'English' },
        ],
      }),
    ).toBe('ماذا تحتاج؟\n\n\u200f1. العربية\n\u200f2. English');
  });

  it('ends with how to answer, in the person\'s language (prompts themselves say "choose", for buttons)', () => {
    expect(
      renderNumberedChoices({
        text: 'اختر:',
        rtl: true,
        numberHint: 'أرسل رقم اختيارك.',
        choices: [{ id: 'a', label: 'أ' }],
      }),
    ).toBe('اختر:\n\n\u200f1. أ\n\n\u200fأرسل رقم اختيارك.');
  });

  it('leaves a message without choices as it is', () => {
    expect(renderNumberedChoices({ text: 'Thank you', choices: [] })).toBe('Thank you');
    expect(renderNumberedChoices({ text: 'سلام', rtl: true })).toBe('سلام');
  });
});
