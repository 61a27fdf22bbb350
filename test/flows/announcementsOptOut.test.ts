import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

describe('switching announcements off and on', () => {
  it('the keyword in the person’s language switches announcements off and leaves them where they were', () => {
    const chat = new FlowHarness({ language: 'ps' });
    chat.send('menu');
    chat.send('1'); // the phone request starts
    const step = chat.state?.step;
    const texts = chat.send('اعلانونه بند');
    expect(chat.commands).toEqual([{ type: 'setAnnouncements', enabled: false }]);
    expect(texts[0]).toBe(chat.t('announcements:opted_out', {}, 'ps'));
    expect(chat.state?.flow).toBe('phone');
    expect(chat.state?.step).toBe(step);
    expect(chat.state?.paused).toBe(false);
  });

  it('every language’s stop word is one of its keywords, so the line that ends an announcement works', () => {
    for (const language of ['fr', 'en', 'ar', 'fa', 'ps', 'ti', 'ckb', 'am']) {
      const chat = new FlowHarness({ language });
      chat.send('menu');
      chat.send(chat.t('announcements:stop_word', {}, language));
      expect(chat.commands, language).toEqual([{ type: 'setAnnouncements', enabled: false }]);
    }
  });

  it('"My data" offers announcements on or off, in Arabic, and says what changed', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send('menu');
    chat.send({ kind: 'choice', choiceId: 'privacy' });
    expect(chat.lastChoices.map((c) => c.id)).toEqual(['erase', 'announcements', 'menu']);
    const prompt = chat.send({ kind: 'choice', choiceId: 'announcements' });
    expect(prompt.at(-1)).toBe(chat.t('announcements:settings_prompt', {}, 'ar'));
    const on = chat.send('١');
    expect(chat.commands).toEqual([{ type: 'setAnnouncements', enabled: true }]);
    expect(on[0]).toBe(chat.t('announcements:opted_in', {}, 'ar'));
    expect(chat.state?.flow).toBe('menu');
  });

  it('"stop" still pauses everything', () => {
    const chat = new FlowHarness({ language: 'ti' });
    chat.send('menu');
    chat.send('stop');
    expect(chat.commands).toEqual([{ type: 'pauseContact' }]);
    expect(chat.state?.paused).toBe(true);
  });
});
