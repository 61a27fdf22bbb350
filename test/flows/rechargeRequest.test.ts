import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const created = (reference: string, flaggedReason: string | null) => ({
  kind: 'event' as const,
  name: 'requestCreated',
  data: { requestId: 'r-1', reference, kind: 'RECHARGE', flaggedReason, existing: false },
});

describe('request a recharge', () => {
  it('asks the operator and the amount, confirms, and creates a RECHARGE request (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('recharge');
    expect(chat.lastChoices.map((c) => c.label)).toEqual([
      'Lycamobile',
      'Lebara',
      'SFR',
      'Orange',
      'Bouygues Telecom',
      'Free',
      chat.t('recharge:operator_other'),
    ]);
    chat.send('1');
    const summary = chat.choose('data4gb').at(-1) ?? '';
    expect(summary).toContain('Lycamobile');
    expect(summary).toContain(chat.t('recharge:offer_data4gb'));
    chat.choose('send');
    expect(chat.commands).toEqual([
      {
        type: 'createRequest',
        id: 'cmd-createRequest',
        kind: 'RECHARGE',
        details: { operator: 'lycamobile', offer: 'data4gb' },
      },
    ]);
    const texts = chat.send(created('R-1050', null));
    expect(texts.slice(0, 2)).toEqual([
      chat.t('recharge:created', { reference: 'R-1050' }),
      chat.t('recharge:next_step'),
    ]);
  });

  it('over the quota the person is told kindly that a volunteer will decide, in Arabic (RTL)', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    chat.choose('recharge');
    chat.send('٤'); // Orange
    chat.send('٢'); // 10 €
    chat.send('١'); // send
    expect(chat.commands[0]).toMatchObject({
      type: 'createRequest',
      kind: 'RECHARGE',
      details: { operator: 'orange', offer: 'eur10' },
    });
    const texts = chat.send(created('R-1051', 'over_quota'));
    expect(texts[1]).toBe(chat.t('recharge:over_quota', { count: 1, days: 30 }, 'ar'));
    expect(chat.messages[1]?.rtl).toBe(true);
  });

  it('"another operator" asks for its name, which appears in the summary and the request', () => {
    const chat = new FlowHarness({ language: 'fr' });
    chat.send({ kind: 'start' });
    chat.choose('recharge');
    expect(chat.choose('other')).toEqual([chat.t('recharge:operator_name', {}, 'fr')]);
    chat.send('NRJ Mobile');
    expect(chat.choose('eur20').at(-1)).toContain('NRJ Mobile');
    chat.choose('send');
    expect(chat.commands[0]).toMatchObject({
      details: { operator: 'other', operatorOther: 'NRJ Mobile', offer: 'eur20' },
    });
  });
});
