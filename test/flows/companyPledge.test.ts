import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const created = (reference: string) => ({
  kind: 'event' as const,
  name: 'pledgeCreated',
  data: { pledgeId: 'p-1', reference },
});

describe('company pledge', () => {
  it('walks the six questions to a pledge with every answer, then offers news of the gift (English)', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    expect(chat.choose('give')).toEqual([chat.t('pledge:donor_kind')]);
    expect(chat.choose('company')).toEqual([chat.t('pledge:organisation')]);
    expect(chat.send(' ').join('\n')).toContain(chat.t('pledge:organisation_invalid'));
    expect(chat.send('  Transports   Dupont SAS ')).toEqual(
      [chat.t('pledge:kind')].map((t) => expect.stringContaining(t)),
    );
    chat.choose('laptop');
    expect(chat.send('20').join('\n')).toContain('💻 20');
    chat.choose('smartphone');
    chat.send('1 000');
    expect(chat.lastChoices.map((c) => c.id)).toContain('done');
    chat.choose('done');
    chat.choose('2to4');
    chat.choose('mixed');
    expect(chat.send('Calais').join('\n')).toContain(chat.t('donor:address_invalid'));
    chat.send('3 rue des Docks, 62100 Calais');
    chat.choose('next_weeks');
    chat.send('Marie Dupont');
    expect(chat.send('12345').join('\n')).toContain(chat.t('donor:contact_reach_invalid'));
    expect(chat.send('marie@').join('\n')).toContain(chat.t('donor:contact_email_invalid'));
    chat.send('06 12 34 56 78');
    const summary = chat.choose('yes').at(-1) ?? '';
    expect(summary).toContain('💻 20');
    expect(summary).toContain('📱 1000');
    expect(summary).toContain(chat.t('pledge:age_2to4'));
    expect(summary).toContain('3 rue des Docks, 62100 Calais');
    expect(summary).toContain(chat.t('donor:window_next_weeks'));
    expect(summary).toContain('Marie Dupont, 06 12 34 56 78');
    expect(summary).toContain('Transports Dupont SAS');
    chat.choose('send');
    expect(chat.commands).toEqual([
      {
        type: 'createPledge',
        id: 'cmd-createPledge',
        pledge: {
          kind: 'EQUIPMENT',
          donorKind: 'COMPANY',
          items: [
            { kind: 'smartphone', quantity: 1000 },
            { kind: 'laptop', quantity: 20 },
          ],
          fleetAge: '2to4',
          condition: 'mixed',
          postcode: '62100',
          pickupWindow: 'next_weeks',
          donor: {
            name: 'Marie Dupont',
            organisation: 'Transports Dupont SAS',
            phone: '06 12 34 56 78',
            address: '3 rue des Docks, 62100 Calais',
          },
          certificateRequired: true,
        },
      },
    ]);
    const texts = chat.send(created('D-1042'));
    expect(texts[0]).toBe(chat.t('pledge:created', { reference: 'D-1042' }));
    expect(texts[1]).toBe(chat.t('donor:updates_offer'));
    expect(chat.choose('no')).toContain(chat.t('donor:updates_off'));
    expect(chat.commands).toEqual([{ type: 'setDonorUpdates', enabled: false }]);
    expect(chat.state?.flow).toBe('menu');
  });

  it('takes quantities in Arabic-Indic digits and an email, in Arabic (RTL)', () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    chat.choose('give');
    chat.choose('public_body');
    chat.send('Mairie de Grande-Synthe');
    chat.choose('tablet');
    chat.send('١٥');
    chat.choose('done');
    chat.choose('lt2');
    chat.choose('working');
    chat.send('Mairie, 59760 Grande-Synthe');
    chat.send('الأسبوع القادم');
    chat.send('Karim');
    chat.send('Karim@Mairie.example.org');
    const summary = chat.choose('no');
    expect(chat.messages.at(-1)?.rtl).toBe(true);
    expect(summary.at(-1)).toContain('📲 15');
    chat.choose('send');
    expect(chat.commands[0]).toMatchObject({
      type: 'createPledge',
      pledge: {
        donorKind: 'PUBLIC_BODY',
        items: [{ kind: 'tablet', quantity: 15 }],
        postcode: '59760',
        pickupWindow: 'الأسبوع القادم',
        donor: { name: 'Karim', organisation: 'Mairie de Grande-Synthe', email: 'karim@mairie.example.org' },
        certificateRequired: false,
      },
    });
  });

  it('a private person is sent to the individual donation flow', () => {
    const chat = new FlowHarness({ language: 'fr' });
    chat.send({ kind: 'start' });
    chat.choose('give');
    expect(chat.choose('individual')).toEqual([chat.t('donation:what')]);
    expect(chat.state?.flow).toBe('individualDonation');
  });
});
