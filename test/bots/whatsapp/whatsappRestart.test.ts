import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { eventually, type TestRelais } from '../../support/testRelais.js';
import { startWhatsAppRelais, WhatsAppPerson } from '../../support/whatsappRelais.js';

let t: TestRelais;
const world = new FakeWhatsApp();
beforeAll(async () => {
  t = await startWhatsAppRelais('wa_restart', world, {
    env: { WHATSAPP_TYPING_MS: '20' },
    timing: { restartEveryMs: 700, readyTimeoutMs: 400, probeEveryMs: 100 },
  });
});
afterAll(async () => {
  await t?.close();
});

const alertCodes = async () =>
  (await t.relais.db.outboxJob.findMany({ where: { name: 'staff.alert' } })).flatMap((j) =>
    typeof j.data === 'object' && j.data !== null && 'code' in j.data ? [j.data.code] : [],
  );

describe('WhatsApp browser restarts', () => {
  it('restarts the browser periodically without losing a message, one browser at a time', async () => {
    const people = ['33666666601@c.us', '33666666602@c.us', '33666666603@c.us'].map(
      (jid) => new WhatsAppPerson(world, jid),
    );
    const startedWith = world.clients.length;
    // people keep writing across several restarts; replies written meanwhile wait and go out after
    const messages = ['hello', '2', 'menu', 'menu', 'menu', 'menu'];
    for (const message of messages) {
      for (const person of people) {
        await eventually(async () => world.current);
        person.say(message);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(world.openBrowsers.length).toBeLessThanOrEqual(1);
    }
    for (const person of people) expect(await person.replies(3 + 3 + 4, 15_000)).toHaveLength(10);
    expect(world.clients.length - startedWith).toBeGreaterThanOrEqual(2);
    expect(world.clients.slice(0, -1).every((c) => c.destroyed)).toBe(true);
    expect(
      await t.relais.db.message.count({
        where: { channel: 'WHATSAPP', direction: 'OUTBOUND', status: { not: 'SENT' } },
      }),
    ).toBe(0);
  });

  it('shows "typing…" in the chat before each message', async () => {
    const person = new WhatsAppPerson(world, '33666666604@c.us');
    await eventually(async () => world.current);
    person.say('hi');
    await person.replies(3);
    expect(world.typing.filter((chat) => chat === person.jid)).toHaveLength(3);
  });

  it('a client that never reaches ready alerts staff and is retried until it does', async () => {
    await eventually(async () => world.current);
    world.initializeBehaviour = 'hang';
    const before = world.clients.length;
    await eventually(async () => (await alertCodes()).includes('whatsapp_not_ready'), 10_000);
    await eventually(async () => world.clients.length >= before + 2, 10_000);
    world.initializeBehaviour = 'normal';
    await eventually(async () => world.current, 10_000);
    expect(world.openBrowsers).toHaveLength(1);
  });

  it('a browser that keeps failing to start (no network) alerts staff too, and recovers by itself', async () => {
    await eventually(async () => world.current);
    const alertsBefore = (await alertCodes()).filter((c) => c === 'whatsapp_not_ready').length;
    world.initializeBehaviour = 'fail';
    world.current?.disconnect('CONFLICT');
    await eventually(
      async () => (await alertCodes()).filter((c) => c === 'whatsapp_not_ready').length > alertsBefore,
      10_000,
    );
    world.initializeBehaviour = 'normal';
    await eventually(async () => world.current, 10_000);
  });

  it('a ready client whose page stopped answering is replaced', async () => {
    const client = await eventually(async () => world.current);
    client.stalled = true;
    await eventually(async () => client.destroyed, 10_000);
    const person = new WhatsAppPerson(world, '33666666605@c.us');
    await eventually(async () => world.current && world.current !== client);
    person.say('hi');
    expect(await person.replies(3)).toHaveLength(3);
  });
});
