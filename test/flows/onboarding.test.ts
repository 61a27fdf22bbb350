import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

describe('first contact', () => {
  it('shows the privacy notice and the language list, in the platform language', () => {
    const chat = new FlowHarness({ language: null, hint: 'fr' });
    const texts = chat.send({ kind: 'start' });
    expect(texts).toContain(chat.t('privacy:notice_short', {}, 'fr'));
    expect(chat.lastChoices.map((c) => c.id)).toEqual([
      'lang:fr',
      'lang:en',
      'lang:ar',
      'lang:fa',
      'lang:ps',
      'lang:ti',
      'lang:ckb',
      'lang:am',
    ]);
  });

  it('choosing a language by Arabic-Indic digit records it with consent and opens the menu in that language', () => {
    const chat = new FlowHarness({ language: null });
    chat.send({ kind: 'start' });
    const texts = chat.send('٣');
    expect(chat.commands).toEqual([{ type: 'setLanguage', language: 'ar' }, { type: 'acceptPrivacy' }]);
    expect(texts).toContain(chat.t('onboarding:language_set', {}, 'ar'));
    expect(texts.at(-1)).toBe(chat.t('menu:title', {}, 'ar'));
    expect(chat.state?.flow).toBe('menu');
  });

  it('anything else than a language repeats the question kindly', () => {
    const chat = new FlowHarness({ language: null });
    chat.send({ kind: 'start' });
    const texts = chat.send('bonjour');
    expect(texts).toEqual([chat.t('onboarding:invalid_language'), chat.t('onboarding:choose_language')]);
    expect(chat.state?.flow).toBe('onboarding');
    expect(chat.commands).toEqual([]);
  });
});

describe('global keywords', () => {
  it('"language" in French opens the language choice, and the new language is used from then on', () => {
    const chat = new FlowHarness({ language: 'fr' });
    chat.send({ kind: 'start' });
    chat.send('langue');
    expect(chat.state?.flow).toBe('language');
    const texts = chat.choose('lang:fa');
    expect(chat.commands).toEqual([{ type: 'setLanguage', language: 'fa' }]);
    expect(texts.at(-1)).toBe(chat.t('menu:title', {}, 'fa'));
  });

  it('"back" returns to the previous question, "menu" to the main menu', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('privacy');
    chat.choose('erase');
    expect(chat.state?.step).toBe('confirm');
    chat.send('back');
    expect(chat.state?.step).toBe('start');
    expect(chat.state?.flow).toBe('privacy');
    chat.send('menu');
    expect(chat.state?.flow).toBe('menu');
  });

  it('"stop" pauses, and the next message welcomes the person back to the menu', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    expect(chat.send('stop')).toEqual([chat.t('common:stopped')]);
    expect(chat.commands).toEqual([{ type: 'pauseContact' }]);
    const texts = chat.send('hello');
    expect(chat.commands).toEqual([{ type: 'resumeContact' }]);
    expect(texts[0]).toBe(chat.t('common:welcome_back'));
  });

  it('"help" explains the keywords in the person\'s language and repeats the question', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    const texts = chat.send('help');
    expect(texts[0]).toBe(chat.t('common:help', {}, 'ar'));
    expect(texts.at(-1)).toBe(chat.t('menu:title', {}, 'ar'));
  });

  it('a voice message is acknowledged politely and the question repeated', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    const texts = chat.send({ kind: 'attachment', mediaType: 'voice' });
    expect(texts[0]).toBe(chat.t('common:attachment_unsupported'));
    expect(texts.at(-1)).toBe(chat.t('menu:title'));
  });
});

describe('my data', () => {
  it('erasing asks for confirmation, then erases and starts again from the language choice', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('privacy');
    chat.choose('erase');
    chat.choose('yes');
    expect(chat.commands).toEqual([{ type: 'eraseContact' }]);
    expect(chat.state?.flow).toBe('onboarding');
  });
});
