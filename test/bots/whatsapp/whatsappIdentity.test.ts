import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import type { TestRelais } from '../../support/testRelais.js';
import { startWhatsAppRelais, WhatsAppPerson } from '../../support/whatsappRelais.js';

let t: TestRelais;
const world = new FakeWhatsApp();
beforeAll(async () => {
  t = await startWhatsAppRelais('wa_identity', world);
});
afterAll(async () => {
  await t?.close();
});

const text = (language: string, key: string) => t.relais.i18n.t(language, key);
const identities = () =>
  t.relais.db.channelIdentity.findMany({ where: { channel: 'WHATSAPP' }, select: { id: true, contactId: true } });

describe('WhatsApp @c.us and @lid name one person', () => {
  it('a person writing first as @c.us then as @lid stays the same contact mid-conversation', async () => {
    const phone = '33644444401@c.us';
    const lid = '204800000000001@lid';
    world.link(phone, lid);
    const asPhone = new WhatsAppPerson(world, phone);
    asPhone.say('Salam');
    await asPhone.replies(3);

    // WhatsApp switches to the linked id, and WhatsApp Web cannot even tell the pair this time
    world.pairLookupFails = true;
    world.write(lid, '٣');
    const replies = await asPhone.replies(3);
    world.pairLookupFails = false;
    expect(replies[0]).toBe(text('ar', 'onboarding:language_set'));
    expect(replies[2]?.startsWith(text('ar', 'menu:title'))).toBe(true);
    expect(world.textsTo(lid)).toEqual([]);
    const all = await identities();
    expect(all).toHaveLength(1);
    const contact = await t.relais.db.contact.findUniqueOrThrow({ where: { id: all[0]?.contactId ?? '' } });
    expect(contact.language).toBe('ar');
  });

  it('a person met first as @lid (phone unknown then) keeps that identity when the phone form appears', async () => {
    const lid = '204800000000002@lid';
    const phone = '93700000002@c.us';
    const asLid = new WhatsAppPerson(world, lid);
    asLid.say('hello');
    await asLid.replies(3);
    // later WhatsApp Web learns the pair and the person's messages come from the phone form
    world.link(phone, lid);
    world.write(phone, '4');
    const replies = await asLid.replies(3);
    expect(replies[0]).toBe(text('fa', 'onboarding:language_set'));
    expect(world.textsTo(phone)).toEqual([]);
    expect(await identities()).toHaveLength(2);
  });

  it('on first contact under @lid the phone form is the identity when WhatsApp Web knows it', async () => {
    const phone = '25191000000003@c.us';
    const lid = '204800000000003@lid';
    world.link(phone, lid);
    world.write(lid, 'selam');
    const asPhone = new WhatsAppPerson(world, phone);
    await asPhone.replies(3);
    expect(world.textsTo(lid)).toEqual([]);
  });

  it('aliases are stored as keyed hashes only and disappear with the person', async () => {
    const aliases = await t.relais.db.channelIdentityAlias.findMany();
    expect(aliases.length).toBeGreaterThanOrEqual(3);
    const dump = JSON.stringify(aliases);
    for (const number of ['33644444401', '204800000000001', '93700000002', '204800000000002'])
      expect(dump).not.toContain(number);
    const owner = await t.relais.db.channelIdentity.findUniqueOrThrow({
      where: { id: aliases[0]?.identityId ?? '' },
      select: { contactId: true },
    });
    await t.relais.db.contact.delete({ where: { id: owner.contactId } });
    expect(await t.relais.db.channelIdentityAlias.count({ where: { identityId: aliases[0]?.identityId ?? '' } })).toBe(
      0,
    );
  });
});
