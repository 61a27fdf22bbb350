import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelTransports } from '../../../src/bots/channelTransports.js';
import { createRelais, type Relais } from '../../../src/relais.js';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { eventually, LogCapture, type TestRelais } from '../../support/testRelais.js';
import {
  ADMIN_TOKEN,
  fakeWhatsAppTransports,
  startWhatsAppRelais,
  WhatsAppPerson,
} from '../../support/whatsappRelais.js';

const world = new FakeWhatsApp();
world.loggedIn = false; // a new number: the QR code must be scanned
let first: TestRelais;
let second: Relais;
let web: Relais;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  first = await startWhatsAppRelais('wa_workers', world, { waitReady: false });
  await eventually(async () => world.clients[0]?.initialized);
  // a second worker process and a web-only process on the same database and Redis
  second = await createRelais(first.config, {
    transports: fakeWhatsAppTransports(world),
    web: false,
    workers: true,
    logDestination: new LogCapture(),
    sweepIntervalMs: 300,
  });
  await second.start();
  web = await createRelais(first.config, {
    transports: fakeWhatsAppTransports(world),
    web: false,
    workers: false,
    logDestination: new LogCapture(),
  });
  await web.start();
});
const stopped = new Set<Relais>();
async function stopOnce(relais: Relais | undefined) {
  if (!relais || stopped.has(relais)) return;
  stopped.add(relais);
  await relais.stop();
}
afterAll(async () => {
  await stopOnce(web);
  await stopOnce(second);
  await stopOnce(first?.relais);
  await first?.database.drop();
});

const qr = (headers: Record<string, string> = {}, query = '') =>
  web.app.inject({ method: 'GET', url: `/admin/whatsapp/qr${query}`, headers });
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('WhatsApp across processes', () => {
  it('only the worker holding the Redis lock opens the WhatsApp session; the web process never does', async () => {
    await sleep(1000); // several lock retries of the second worker
    expect(world.clients).toHaveLength(1);
    expect(world.openBrowsers).toHaveLength(1);
  });

  it('the login QR code reaches the admin page of the web process through Redis, for admins only', async () => {
    const png = await eventually(async () => {
      const response = await qr(admin);
      return response.statusCode === 200 ? response : undefined;
    });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.headers['cache-control']).toBe('no-store');
    const svg = await qr(admin, '?format=svg');
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');

    expect((await qr()).statusCode).toBe(401);
    expect((await qr({ authorization: 'Bearer not-the-admin-token-at-all' })).statusCode).toBe(401);
    expect((await qr({ authorization: ADMIN_TOKEN })).statusCode).toBe(401);
    expect((await qr(admin, '?format=gif')).statusCode).toBe(400);
  });

  it('once the phone has scanned the code, the page says WhatsApp is logged in', async () => {
    world.scanQr();
    const done = await eventually(async () => {
      const response = await qr(admin);
      return response.statusCode === 404 ? response : undefined;
    });
    expect(done.json()).toMatchObject({ error: 'RELAIS_WHATSAPP_LOGGED_IN' });
    const person = new WhatsAppPerson(world, '33677777701@c.us');
    person.say('hello');
    await person.replies(3);
    expect(world.sent.every((m) => m.client === 0)).toBe(true);
  });

  it('a worker that loses the lock closes its browser at once; one worker takes over', async () => {
    const lockKey = `${first.config.QUEUE_PREFIX}:whatsapp:relais:lock`;
    await first.relais.redis.set(lockKey, 'another-process', 'PX', 1000);
    await eventually(async () => world.openBrowsers.length === 0, 5_000);
    await eventually(async () => world.current, 10_000);
    expect(world.openBrowsers).toHaveLength(1);
  });

  it('when the worker holding the session stops, another worker takes over and nothing is lost', async () => {
    const person = new WhatsAppPerson(world, '33677777702@c.us');
    await eventually(async () => world.current);
    person.say('hello');
    await person.replies(3);
    const holder = world.current;
    // stop whichever process holds the session now
    const holderIsFirst = first.relais.transports.some(
      (t) => t.name === 'whatsapp' && t.sender?.availability?.isAvailable(),
    );
    await stopOnce(holderIsFirst ? first.relais : second);
    expect(holder?.destroyed).toBe(true);
    person.say('2');
    // the message reaches WhatsApp while no browser is open; the new holder reads it from the unread chats
    const replies = await person.replies(3, 15_000);
    expect(replies[0]).toBe(web.i18n.t('en', 'onboarding:language_set'));
    expect(world.openBrowsers).toHaveLength(1);
  });

  it('with no worker driving the number, the page says so and asks to retry', async () => {
    await stopOnce(first.relais);
    await stopOnce(second);
    expect(world.openBrowsers).toHaveLength(0);
    const response = await qr(admin);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ error: 'RELAIS_WHATSAPP_NO_QR', state: 'no_worker' });
  });

  it('says clearly when WhatsApp is disabled', async () => {
    const disabled = await createRelais(
      { ...first.config, WHATSAPP_ENABLED: false },
      { transports: channelTransports, web: false, workers: false, logDestination: new LogCapture() },
    );
    await disabled.start();
    try {
      const response = await disabled.app.inject({ method: 'GET', url: '/admin/whatsapp/qr', headers: admin });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'RELAIS_WHATSAPP_DISABLED' });
      expect((await disabled.app.inject({ method: 'GET', url: '/admin/whatsapp/qr' })).statusCode).toBe(401);
    } finally {
      await disabled.stop();
    }
  });
});
