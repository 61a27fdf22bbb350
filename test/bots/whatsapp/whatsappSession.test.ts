import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { eventually, type TestRelais } from '../../support/testRelais.js';
import { startWhatsAppRelais, WhatsAppPerson } from '../../support/whatsappRelais.js';

let t: TestRelais;
const world = new FakeWhatsApp();
beforeAll(async () => {
  t = await startWhatsAppRelais('wa_session', world);
});
afterAll(async () => {
  await t?.close();
});

const text = (language: string, key: string) => t.relais.i18n.t(language, key);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A person who already chose English and sees the menu. */
async function onboardedPerson(jid: string): Promise<{ person: WhatsAppPerson; contactId: string }> {
  const person = new WhatsAppPerson(world, jid);
  person.say('hi');
  await person.replies(3);
  person.say('2');
  await person.replies(3);
  const identity = await t.relais.db.channelIdentity.findUniqueOrThrow({
    where: {
      channel_platformIdHash: { channel: 'WHATSAPP', platformIdHash: t.relais.secrets.hash(`WHATSAPP:${jid}`) },
    },
  });
  return { person, contactId: identity.contactId };
}

const alerts = async () =>
  (await t.relais.db.outboxJob.findMany({ where: { name: 'staff.alert' }, orderBy: { createdAt: 'asc' } })).map(
    (j) => j.data,
  );

describe('WhatsApp session lifecycle', () => {
  it('messages queued while the session is disconnected are delivered once it is ready again', async () => {
    const { person, contactId } = await onboardedPerson('33655555501@c.us');
    world.initializeBehaviour = 'fail'; // reconnections fail until WhatsApp Web is reachable again
    world.current?.disconnect('CONFLICT');
    await eventually(async () => !world.current);
    for (let i = 0; i < 3; i++) await t.relais.inbound.startFlowFor(contactId, 'menu', {});
    await sleep(1200);
    expect(person.unseen()).toEqual([]);
    expect(await t.relais.db.message.count({ where: { contactId, direction: 'OUTBOUND', status: 'PENDING' } })).toBe(3);

    world.initializeBehaviour = 'normal';
    const delivered = await person.replies(3);
    expect(delivered.every((m) => m.startsWith(text('en', 'menu:title')))).toBe(true);
    await eventually(
      async () =>
        (await t.relais.db.message.count({ where: { contactId, direction: 'OUTBOUND', status: { not: 'SENT' } } })) ===
        0,
    );
    expect(world.openBrowsers).toHaveLength(1);
  });

  it(
    'messages written while no browser was connected are read ' + 'from the unread chats once it is back, once',
    async () => {
      const { person: answered } = await onboardedPerson('33655555505@c.us');
      const earlier = answered.say('menu');
      await answered.replies(1);
      world.initializeBehaviour = 'fail';
      world.current?.disconnect('CONFLICT');
      await eventually(async () => !world.current);
      const person = new WhatsAppPerson(world, '33655555506@c.us');
      person.say('hello'); // no browser: WhatsApp keeps it unread
      // an already answered message that WhatsApp still lists as unread is not answered twice
      world.unread.set(answered.jid, [earlier]);

      world.initializeBehaviour = 'normal';
      expect(await person.replies(3)).toHaveLength(3);
      await sleep(300);
      expect(answered.unseen()).toEqual([]);
    },
  );

  it('a send that meets a closed browser is kept and sent again, not lost', async () => {
    const { person, contactId } = await onboardedPerson('33655555502@c.us');
    world.failSends(new Error('Protocol error (Runtime.callFunctionOn): Target closed.'));
    await t.relais.inbound.startFlowFor(contactId, 'menu', {});
    expect((await person.replies(1))[0]?.startsWith(text('en', 'menu:title'))).toBe(true);
    await sleep(300);
    expect(person.unseen()).toEqual([]);
  });

  it('a send WhatsApp refuses for good is marked failed and later messages still go', async () => {
    const { person, contactId } = await onboardedPerson('33655555503@c.us');
    world.failSends(new Error('Evaluation failed: Error: wid error: invalid wid'));
    await t.relais.inbound.startFlowFor(contactId, 'menu', {});
    await eventually(async () => (await t.relais.db.message.count({ where: { contactId, status: 'FAILED' } })) === 1);
    await t.relais.inbound.startFlowFor(contactId, 'menu', {});
    expect((await person.replies(1))[0]?.startsWith(text('en', 'menu:title'))).toBe(true);
  });

  it('a logout alerts staff, shows a QR code, and messages wait until the phone scans it', async () => {
    const { person, contactId } = await onboardedPerson('33655555504@c.us');
    world.current?.disconnect('LOGOUT');
    await eventually(async () =>
      (await alerts()).some(
        (a) => typeof a === 'object' && a !== null && 'code' in a && a.code === 'whatsapp_login_required',
      ),
    );
    expect(await alerts()).toEqual(
      expect.arrayContaining([{ code: 'whatsapp_logged_out', channel: 'WHATSAPP', clientId: 'relais' }]),
    );
    expect(t.logs.text).toContain('WhatsApp session needs staff attention');
    await t.relais.inbound.startFlowFor(contactId, 'menu', {});
    await sleep(800);
    expect(person.unseen()).toEqual([]);

    world.scanQr();
    expect((await person.replies(1))[0]?.startsWith(text('en', 'menu:title'))).toBe(true);
    // the alert task completes even without Slack (core no-op handler)
    await eventually(
      async () => (await t.relais.db.outboxJob.count({ where: { name: 'staff.alert', status: 'PENDING' } })) === 0,
    );
  });

  it('never messages a WhatsApp chat that did not write first', async () => {
    const stranger = '33655555599@c.us';
    const contact = await t.relais.db.contact.create({ data: { language: 'en' }, select: { id: true } });
    const identity = await t.relais.db.channelIdentity.create({
      data: {
        channel: 'WHATSAPP',
        platformIdHash: t.relais.secrets.hash(`WHATSAPP:${stranger}`),
        addressCipher: t.relais.secrets.encrypt(stranger),
        contactId: contact.id,
      },
      select: { id: true },
    });
    const message = await t.relais.db.message.create({
      data: {
        channel: 'WHATSAPP',
        direction: 'OUTBOUND',
        status: 'PENDING',
        identityId: identity.id,
        contactId: contact.id,
        content: { text: 'unsolicited' },
      },
      select: { id: true, channel: true, identityId: true },
    });
    await t.relais.dispatcher.dispatchMessages([message]);
    const failed = await eventually(async () =>
      t.relais.db.message.findFirst({ where: { id: message.id, status: 'FAILED' } }),
    );
    expect(failed.lastError).toContain('never wrote first');
    expect(world.textsTo(stranger)).toEqual([]);
  });
});
