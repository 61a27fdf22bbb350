import { describe, expect, it } from 'vitest';
import { splitContactDetails } from '../../../src/core/messages/contactDetailsInText.js';

const details = (text: string) => splitContactDetails(text).filter((p) => p.kind !== 'text');

describe('phone numbers and e-mail addresses in what a person typed', () => {
  it('French numbers are found in every usual spelling, international ones with + or 00', () => {
    const french = [
      '06 12 34 56 78',
      '0612345678',
      '06.12.34.56.78',
      '06-12-34-56-78',
      '+33 6 12 34 56 78',
      '+33 (0)6 12 34 56 78',
    ];
    const international = [
      '0033 6 12 34 56 78',
      '+44 7911 123456',
      '0044 7911 123456',
      '+93 70 123 4567',
      '+291 7 123 456',
    ];
    for (const number of [...french, ...international]) {
      expect(details(`appelle moi au ${number} stp`), number).toEqual([{ kind: 'phone', text: number }]);
    }
  });

  it('e-mail addresses are found, one made of digits too, and counted once', () => {
    expect(details('écris à amina.k+relais@exemple.fr ou 0612345678@mail.com')).toEqual([
      { kind: 'email', text: 'amina.k+relais@exemple.fr' },
      { kind: 'email', text: '0612345678@mail.com' },
    ]);
  });

  it('references, IMEIs, times, dates and amounts are not taken for phone numbers', () => {
    expect(details('P-1042 demain 14h30 le 12/11/2026, 10 €, IMEI 356938035643809, code 1234 5678')).toEqual([]);
  });

  it('the pieces put together give back the text', () => {
    const text = 'Salut, mon numéro: 06 12 34 56 78, mail a@b.fr. Merci';
    expect(
      splitContactDetails(text)
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
    expect(splitContactDetails(text).map((p) => p.kind)).toEqual(['text', 'phone', 'text', 'email', 'text']);
  });
});
