import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../../support/fakeChannel.js';
import { Person } from '../../support/person.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');
let associationId: string;

beforeAll(async () => {
  t = await startTestRelais('request_flows', { RECHARGE_QUOTA_COUNT: '1', RECHARGE_QUOTA_DAYS: '30' }, { transports: () => [channel] });
  // before anyone writes, so the flows' cached association list has it
  associationId = (await t.relais.db.association.create({ data: { slug: 'utopia', name: 'Utopia 56', city: 'Calais' } })).id;
});
afterAll(async () => {
  await t?.close();
});

const person = (id: string) => new Person(t.relais, channel, id);

describe('requests through the real inbound path', () => {
  it('a phone request is stored with a reference and validated details, the person\'s association is set, and they are told the next step', async () => {
    const amina = person('tg-amina');
    await amina.onboard('en');
    await amina.choose('phone', 'family', 'stolen', 'high', `assoc:${associationId}`);
    await amina.send({ kind: 'location', latitude: 50.951283, longitude: 1.858686 });
    await amina.choose('send');
    const contactId = await amina.contactId();
    const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId } });
    expect(request).toMatchObject({ kind: 'PHONE', status: 'OPEN', urgency: 'HIGH', associationId, language: 'en', flaggedReason: null });
    expect(request.reference).toMatch(/^P-\d{4,}$/);
    expect(request.details).toEqual({ forWhom: 'family', situation: 'stolen', stay: { latitude: 50.951, longitude: 1.859 } });
    expect((await t.relais.db.contact.findUniqueOrThrow({ where: { id: contactId } })).associationId).toBe(associationId);
    expect(await t.relais.db.outboxJob.count({ where: { name: 'request.created', data: { equals: { requestId: request.id } } } })).toBe(1);
    await amina.receives(amina.t('phone:created', { reference: request.reference }));
    await amina.receives(amina.t('phone:next_step_association', { association: 'Utopia 56' }));

    // asking again while the first is open gives the same reference, not a second request
    await amina.choose('phone', 'self', 'lost', 'low', 'none', 'skip', 'send');
    await amina.receives(amina.t('phone:already_open', { reference: request.reference }));
    expect(await t.relais.db.request.count({ where: { contactId, kind: 'PHONE' } })).toBe(1);
  });

  it('over the recharge quota the request is still recorded, flagged for a volunteer, and the person is told kindly', async () => {
    const bilal = person('tg-bilal');
    await bilal.onboard('ar');
    await bilal.choose('recharge', 'lycamobile', 'eur10', 'send');
    await bilal.choose('recharge', 'orange', 'data4gb', 'send');
    const contactId = await bilal.contactId();
    const requests = await t.relais.db.request.findMany({ where: { contactId, kind: 'RECHARGE' }, orderBy: { number: 'asc' } });
    expect(requests.map((r) => r.flaggedReason)).toEqual([null, 'over_quota']);
    expect(requests[1]?.details).toEqual({ operator: 'orange', offer: 'data4gb' });
    const kindly = await bilal.receives(bilal.t('recharge:over_quota', { count: 1, days: 30 }, 'ar'));
    expect(channel.sent.find((m) => m.content.text === kindly)?.content.rtl).toBe(true);
  });

  it('a cancelled recharge request does not count towards the quota', async () => {
    const chen = person('tg-chen');
    await chen.onboard('en');
    await chen.choose('recharge', 'free', 'eur5', 'send');
    await chen.choose('myRequests');
    const [first] = await t.relais.db.request.findMany({ where: { contactId: await chen.contactId() } });
    await chen.choose(`cancel:${first?.id}`, 'yes');
    await chen.receives(chen.t('myRequests:cancelled', { reference: first?.reference ?? '' }));
    await chen.choose('recharge', 'free', 'eur5', 'send');
    const again = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await chen.contactId(), status: 'OPEN' } });
    expect(again.flaggedReason).toBeNull();
    const cancelled = await t.relais.db.request.findUniqueOrThrow({ where: { id: first?.id ?? '' } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', closeReason: 'cancelled_by_person' });
    expect(await t.relais.db.auditEvent.count({ where: { action: 'request.cancelled', entityId: first?.id ?? '' } })).toBe(1);
  });

  it('a help session is booked as a HELP request with its topic', async () => {
    const dawit = person('tg-dawit');
    await dawit.onboard('ti');
    await dawit.choose('help', 'account', 'book', 'yes');
    const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await dawit.contactId() } });
    expect(request).toMatchObject({ kind: 'HELP', details: { topic: 'account' } });
    expect(request.reference).toMatch(/^H-/);
    await dawit.receives(dawit.t('phoneHelp:booked', { reference: request.reference }, 'ti'));
  });

  it('"my requests" lists the person\'s own requests in plain words, never someone else\'s', async () => {
    const amina = person('tg-amina');
    await amina.choose('myRequests');
    const own = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await amina.contactId() } });
    await amina.receives(own.reference, { partial: true });
    const listed = amina.texts().filter((text) => /[PRHC]-\d{4}/.test(text) && text.includes(amina.t('myRequests:status_OPEN')));
    const others = await t.relais.db.request.findMany({ where: { NOT: { contactId: await amina.contactId() } }, select: { reference: true } });
    for (const other of others) expect(listed.join('\n')).not.toContain(other.reference);
  });
});
