import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramTransport } from '../../../src/bots/telegram/telegramTransport.js';
import { departementOfPoint } from '../../../src/core/announcements/announcementAudience.js';
import { previewAnnouncement, type AnnouncementActor } from '../../../src/core/announcements/announcementService.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import { announcingAssociation } from '../../support/announcingAssociation.js';
import { TelegramUpdateFactory } from '../../support/telegramUpdates.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

const SECRET = 'webhook_secret-announce-area';
const TOKEN = '123456:TEST-token_for_area';
let api: FakeBotApi;
let t: TestRelais;
let associationId: string;
let placeId: string;
let coordinator: AnnouncementActor;

const post = async (update: unknown) => {
  const response = await t.relais.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    payload: JSON.stringify(update),
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
  });
  expect(response.statusCode).toBe(200);
};

/**
 * A person asks for a phone through the Auberge on Telegram, as the bot asks: the menu's "phone",
 * for themself, never had one, urgency, the association, then where they stay (a shared
 * location, or "skip"), and confirms.
 */
async function phoneRequest(chatId: number, stay: { latitude: number; longitude: number } | 'skip') {
  const person = new TelegramUpdateFactory(chatId);
  await post(person.command('/start'));
  await post(person.callback('lang:en'));
  for (const answer of ['1', '1', '1', '1', '1']) await post(person.text(answer));
  await post(stay === 'skip' ? person.text('Skip') : person.location(stay.latitude, stay.longitude));
  await post(person.text('1'));
  await eventually(
    async () =>
      (await t.relais.db.request.count({
        where: { contact: { identities: { some: { channel: 'TELEGRAM' } } }, kind: 'PHONE' },
      })) > 0 && api.textsTo(chatId).length > 0,
  );
  return person;
}

const CALAIS = { latitude: 50.951, longitude: 1.858 }; // Pas-de-Calais (62)
const BOULOGNE = { latitude: 50.726, longitude: 1.614 }; // Pas-de-Calais (62)
// Nord (59), both inside a box drawn around the Pas-de-Calais' postcode centres
const DUNKERQUE = { latitude: 51.034, longitude: 2.377 };
const ARMENTIERES = { latitude: 50.687, longitude: 2.881 };

const audienceIn = async (departements: string[]) => {
  const preview = await previewAnnouncement(
    t.relais.db,
    t.relais.i18n,
    { config: t.config },
    {
      template: 'distribution',
      params: { placeId, date: '2026-09-26', time: '10:00' },
      audience: { scope: 'association', departements },
    },
    coordinator,
  );
  return preview.total;
};

beforeAll(async () => {
  api = await new FakeBotApi().start();
  t = await startTestRelais(
    'announce_area',
    {
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_RATE_PER_CHAT_MS: '0',
    },
    { transports: (core) => [createTelegramTransport(core.config, core.log)] },
  );
  ({ associationId, placeId, coordinator } = await announcingAssociation(t.relais.db, 'UCOORDAREA'));
  for (const [chatId, stay] of [
    [6101, CALAIS],
    [6102, BOULOGNE],
    [6103, DUNKERQUE],
    [6104, ARMENTIERES],
    [6105, 'skip'],
  ] as const)
    await phoneRequest(chatId, stay);
  const located = await t.relais.db.request.findMany({ select: { details: true } });
  // the location is stored rounded to about 100 m, as the request keeps it
  expect(located.filter((r) => JSON.stringify(r.details).includes('"latitude"'))).toHaveLength(4);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await api?.close();
});

describe('an announcement to a département', () => {
  it('a shared location counts where it is, though it lies inside the neighbouring département’s outline box', () => {
    expect(departementOfPoint(CALAIS.latitude, CALAIS.longitude)).toBe('62');
    expect(departementOfPoint(DUNKERQUE.latitude, DUNKERQUE.longitude)).toBe('59');
    expect(departementOfPoint(ARMENTIERES.latitude, ARMENTIERES.longitude)).toBe('59');
    expect(departementOfPoint(41.919, 8.738)).toBe('2A'); // Ajaccio
    expect(departementOfPoint(42.697, 9.45)).toBe('2B'); // Bastia
    expect(departementOfPoint(16.241, -61.533)).toBe('971'); // Pointe-à-Pitre
    expect(departementOfPoint(51.507, -0.128)).toBeUndefined(); // London: no French postcode near
  });

  it('reaches people by the location they shared, and the others by their association’s places', async () => {
    // Calais and Boulogne by their location, the person who skipped by the Auberge's place in Calais
    expect(await audienceIn(['62'])).toBe(3);
    // Dunkerque and Armentières: their location says Nord, though the Auberge's places are all in 62
    expect(await audienceIn(['59'])).toBe(2);
    expect(await audienceIn(['62', '59'])).toBe(5);
    expect(await audienceIn(['75'])).toBe(0);
  });
});
