import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const noRequests = { kind: 'event' as const, name: 'myRequests', data: { requests: [] } };
const requestCreated = (reference: string, kind: string) => ({
  kind: 'event' as const,
  name: 'requestCreated',
  data: { requestId: 'r-1', reference, kind, flaggedReason: null, existing: false },
});
const pledgeCreated = (reference: string) => ({
  kind: 'event' as const,
  name: 'pledgeCreated',
  data: { pledgeId: 'p-1', reference },
});

describe('after a finished flow the reference stays in sight', () => {
  it('a phone request ends with its number and one short line, not the whole menu (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('phone');
    chat.send(noRequests);
    chat.walk('self', 'lost', 'normal', 'skip', 'send');
    const texts = chat.send(requestCreated('P-1001', 'PHONE'));
    expect(texts).toEqual([
      chat.t('phone:created', { reference: 'P-1001' }),
      chat.t('phone:next_step_triage'),
      chat.t('menu:after_done'),
    ]);
    expect(texts.join('\n')).not.toContain(chat.t('menu:title'));
    // no buttons or list under the short line (the menu's are still kept to read a number)
    expect(chat.messages.some((m) => m.choices)).toBe(false);
  });

  it('a recharge ends the same way, in Arabic (right to left)', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    chat.walk('recharge', 'orange', 'eur10', 'send');
    const texts = chat.send(requestCreated('R-1051', 'RECHARGE'));
    expect(texts.at(0)).toBe(chat.t('recharge:created', { reference: 'R-1051' }, 'ar'));
    expect(texts.at(-1)).toBe(chat.t('menu:after_done', {}, 'ar'));
    expect(texts).toHaveLength(3);
    expect(chat.messages.every((m) => m.rtl)).toBe(true);
  });

  it('a donor pledge ends with its D- number, the offer of news, then one short line (French)', () => {
    const chat = new FlowHarness({ language: 'fr' });
    chat.send({ kind: 'start' });
    chat.walk('give', 'company');
    chat.send('Transports Dupont SAS');
    chat.choose('laptop');
    chat.send('20');
    chat.walk('done', '2to4', 'mixed');
    chat.send('3 rue des Docks, 62100 Calais');
    chat.choose('next_weeks');
    chat.send('Marie Dupont');
    chat.send('06 12 34 56 78');
    chat.walk('yes', 'send');
    expect(chat.send(pledgeCreated('D-1042'))[0]).toBe(chat.t('pledge:created', { reference: 'D-1042' }));
    expect(chat.choose('yes')).toEqual([chat.t('donor:updates_on'), chat.t('menu:after_done')]);
  });

  it(
    '"0", "menu" or anything else shows the menu again; a number or a button of the earlier menu still opens its ' +
      'entry',
    () => {
      const chat = new FlowHarness({ language: 'en' });
      chat.send({ kind: 'start' });
      chat.choose('phone');
      chat.send(noRequests);
      chat.walk('self', 'lost', 'normal', 'skip', 'cancel');
      expect(chat.texts.at(-1)).toBe(chat.t('menu:after_done'));
      expect(chat.send('0').at(-1)).toBe(chat.t('menu:title'));
      chat.choose('phone');
      chat.send(noRequests);
      chat.walk('self', 'lost', 'normal', 'skip', 'cancel');
      expect(chat.send('ok thanks').at(-1)).toBe(chat.t('menu:title'));
      chat.choose('phone');
      chat.send(noRequests);
      chat.walk('self', 'lost', 'normal', 'skip', 'cancel');
      expect(chat.send('2')).toEqual([chat.t('recharge:operator')]);
      chat.send('menu');
      chat.choose('phone');
      chat.send(noRequests);
      chat.walk('self', 'lost', 'normal', 'skip', 'cancel');
      expect(chat.choose('recharge')).toEqual([chat.t('recharge:operator')]);
    },
  );

  it('the first contact and a language change still end on the whole menu', () => {
    const chat = new FlowHarness({ language: null });
    chat.send({ kind: 'start' });
    expect(chat.choose('lang:fa').at(-1)).toBe(chat.t('menu:title', {}, 'fa'));
    chat.send('language');
    expect(chat.choose('lang:ti').at(-1)).toBe(chat.t('menu:title', {}, 'ti'));
  });
});
