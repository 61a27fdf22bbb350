import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../support/fakeChannel.js';
import { Person } from '../support/person.js';
import { startTestRelais, type TestRelais } from '../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');

beforeAll(async () => {
  t = await startTestRelais('family_request', {}, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

describe('asked once, answered at the start', () => {
  it(
    'with an open phone request, asking again says so at the first step; "for my family" creates a request of its ' +
      'own',
    async () => {
      const amina = new Person(t.relais, channel, 'amina');
      await amina.onboard('fr');
      await amina.choose('phone', 'self', 'lost', 'high', 'skip', 'send');
      const first = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await amina.contactId() } });
      await amina.receives(amina.t('phone:created', { reference: first.reference }, 'fr'));

      // the first step already knows: no question is asked before
      await amina.choose('phone');
      const status = amina.t('myRequests:status_OPEN', {}, 'fr');
      await amina.receives(amina.t('phone:already_open_start', { reference: first.reference, status }, 'fr'));
      expect(amina.texts().at(-1)).toBe(
        amina.t('phone:already_open_start', { reference: first.reference, status }, 'fr'),
      );

      await amina.choose('family', 'stolen', 'normal', 'skip', 'send');
      const requests = await t.relais.db.request.findMany({
        where: { contactId: await amina.contactId() },
        orderBy: { number: 'asc' },
      });
      expect(requests).toHaveLength(2);
      const second = requests[1];
      expect(second?.reference).not.toBe(first.reference);
      expect(second?.details).toMatchObject({ forWhom: 'family', situation: 'stolen' });
      await amina.receives(amina.t('phone:created', { reference: second?.reference ?? '' }, 'fr'));

      // another family member: another request
      await amina.choose('phone', 'family', 'never', 'low', 'skip', 'send');
      expect(await t.relais.db.request.count({ where: { contactId: await amina.contactId() } })).toBe(3);
    },
  );
});
