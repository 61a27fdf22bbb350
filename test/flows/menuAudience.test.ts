import { describe, expect, it } from 'vitest';
import { MENU_ENTRIES } from '../../src/flows/flowRegistry.js';
import { MAX_MENU_ENTRIES } from '../../src/flows/menu.js';
import { FlowHarness } from '../support/flowHarness.js';

describe('a menu for each audience', () => {
  it('people in exile see ten entries for them: no donor entries', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    const shown = chat.messages.at(-1)?.choices?.map((c) => c.id);
    expect(shown).toEqual([
      'phone',
      'recharge',
      'help',
      'orientation',
      'volunteer',
      'myRequests',
      'code',
      'otherPerson',
      'language',
      'privacy',
    ]);
    expect(shown?.length).toBeLessThanOrEqual(MAX_MENU_ENTRIES);
    // 9 and 10 are the language and the data
    expect(chat.send('9')).toEqual([chat.t('onboarding:choose_language')]);
  });

  it('a donor arrives through their own entry: a deep link, or a word typed at the menu', () => {
    const linked = new FlowHarness({ language: 'fr' });
    expect(linked.send({ kind: 'start', payload: 'give' })).toEqual([linked.t('pledge:donor_kind')]);

    const typed = new FlowHarness({ language: 'fr' });
    typed.send({ kind: 'start' });
    expect(typed.send('donner')).toEqual([typed.t('pledge:donor_kind')]);
  });

  it("a new person following the donors' link chooses a language, then goes straight to the pledge", () => {
    const chat = new FlowHarness({ language: null });
    chat.send({ kind: 'start', payload: 'give' });
    expect(chat.choose('lang:en').at(-1)).toBe(chat.t('pledge:donor_kind'));
  });

  it('an unknown deep link opens the menu as a plain start', () => {
    const chat = new FlowHarness({ language: 'en' });
    expect(chat.send({ kind: 'start', payload: 'nothing-here' }).at(-1)).toBe(chat.t('menu:title'));
  });

  it('people who pledged see the donor entries, "News of my gifts" among them', () => {
    const chat = new FlowHarness({ language: 'en', kind: 'DONOR' });
    chat.send({ kind: 'start' });
    expect(chat.messages.at(-1)?.choices?.map((c) => c.id)).toEqual(['give', 'donorNews', 'language', 'privacy']);
    // what is for people in exile is still found by its words
    chat.send('phone');
    expect(chat.state?.flow).toBe('phone');
  });

  it('"News of my gifts" is never reached by people who did not pledge', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.send('news');
    expect(chat.state?.flow).toBe('menu');
    expect(MENU_ENTRIES.filter((e) => e.audience === 'beneficiary' || e.audience === 'all').length).toBeLessThanOrEqual(
      MAX_MENU_ENTRIES,
    );
  });
});
