import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAnnouncement,
  readAnnouncement,
  type AnnouncementActor,
} from '../../../src/core/announcements/announcementService.js';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';
import { fakeWhatsAppTransports, WHATSAPP_TEST_ENV, WhatsAppPerson } from '../../support/whatsappRelais.js';

let world: FakeWhatsApp;
let t: TestRelais;
let coordinator: AnnouncementActor;
let placeId: string;
const people: WhatsAppPerson[] = [];

beforeAll(async () => {
  world = new FakeWhatsApp();
  t = await startTestRelais(
    'whatsapp_lanes',
    { ...WHATSAPP_TEST_ENV, ANNOUNCEMENT_FEED_INTERVAL_MS: '100' },
    { transports: fakeWhatsAppTransports(world) },
  );
  await eventually(async () => world.current);
  const association = await t.relais.db.association.create({ data: { slug: 'auberge', name: 'Auberge' } });
  const place = await t.relais.db.place.create({
    data: { name: 'Auberge des Migrants', category: 'DISTRIBUTION', postcode: '62100', city: 'Calais' },
  });
  placeId = place.id;
  const staff = await t.relais.db.staffMember.create({
    data: { slackUserId: 'UCOORDWA', associationId: association.id, role: 'COORDINATOR' },
  });
  coordinator = { type: 'STAFF', id: staff.id, role: 'COORDINATOR', associationId: association.id };
  for (let i = 0; i < 6; i++) {
    const person = new WhatsAppPerson(world, `3361234570${i}@c.us`);
    person.say('salam');
    await person.replies(3);
    person.say('2');
    await person.replies(3);
    people.push(person);
  }
  await t.relais.db.contact.updateMany({ data: { associationId: association.id } });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('WhatsApp (one browser) during an announcement', () => {
  it('sends one message at a time, the conversation lane and the announcement lane together', async () => {
    // a browser takes its time to send: two lanes each allowed one send would overlap
    world.sendDelayMs = 150;
    world.mostInFlight = 0;
    const created = await t.relais.db.$transaction((tx) =>
      createAnnouncement(
        tx,
        { config: t.config },
        {
          template: 'distribution',
          params: { placeId, date: '2026-09-26', time: '10:00' },
          audience: { scope: 'association' },
        },
        coordinator,
      ),
    );
    await t.relais.dispatcher.dispatchJobs(created.jobIds);
    // meanwhile, someone is in a conversation
    const talker = people[0];
    if (!talker) throw new Error('no people');
    talker.unseen();
    for (let i = 0; i < 3; i++) talker.say('0');
    await eventually(async () => {
      const view = await readAnnouncement(t.relais.db, created.id);
      return view?.status === 'DONE' ? view : undefined;
    }, 20_000);
    await eventually(async () => world.inFlight === 0 && talker.unseen().length >= 3 + 1, 10_000);
    expect(world.mostInFlight).toBe(1);
  });
});
