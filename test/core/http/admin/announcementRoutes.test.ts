import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, type ApiScope } from '../../../../src/core/apiTokens/apiTokenService.js';
import { seedTelegramPeople } from '../../../support/announcementAudience.js';
import { startTestRelais, type TestRelais } from '../../../support/testRelais.js';

let t: TestRelais;
const tokens = { network: '', boundA: '', readOnly: '' };
const ids = { a: '', b: '', placeA: '' };

beforeAll(async () => {
  // no workers: announcements stay as the API left them (scheduled), nothing is sent
  t = await startTestRelais('announce_api', {}, { workers: false });
  const db = t.relais.db;
  ids.a = (await db.association.create({ data: { slug: 'api-a', name: 'A' } })).id;
  ids.b = (await db.association.create({ data: { slug: 'api-b', name: 'B' } })).id;
  ids.placeA = (
    await db.place.create({
      data: { name: 'Salle des fêtes', category: 'DISTRIBUTION', associationId: ids.a, postcode: '62100' },
    })
  ).id;
  await seedTelegramPeople(t.relais, { count: 3, firstChatId: 9100, language: 'ps', associationId: ids.a });
  await seedTelegramPeople(t.relais, { count: 2, firstChatId: 9200, language: 'am', associationId: ids.a });
  await seedTelegramPeople(t.relais, { count: 4, firstChatId: 9300, language: 'ar', associationId: ids.b });
  const make = async (scopes: ApiScope[], associationId: string | null) =>
    (
      await createApiToken(t.relais.db, {
        name: scopes.join('+'),
        scopes,
        associationId,
        actor: { type: 'SYSTEM', id: null },
      })
    ).token;
  tokens.network = await make(['read', 'write'], null);
  tokens.boundA = await make(['read', 'write'], ids.a);
  tokens.readOnly = await make(['read'], null);
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
  t.relais.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });

const distribution = () => ({
  template: 'distribution',
  params: { placeId: ids.placeA, date: '2026-09-26', time: '10:00' },
  audience: { scope: 'association' },
});

describe('admin API: announcements', () => {
  it(
    'POST /announcements schedules one for a bound token’s ' + 'people and answers the counts per language and channel',
    async () => {
      const sendAt = new Date(Date.now() + 3_600_000).toISOString();
      const response = await api('POST', '/api/v1/announcements', tokens.boundA, { ...distribution(), sendAt });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json();
      expect(body.preview).toMatchObject({
        total: 5,
        byLanguage: { ps: 3, am: 2 },
        byChannel: [{ channel: 'TELEGRAM', people: 5, seconds: 1 }],
      });
      expect(body.announcement).toMatchObject({
        status: 'SCHEDULED',
        template: 'distribution',
        associationId: ids.a,
        createdByType: 'API',
      });
      const got = await api('GET', `/api/v1/announcements/${body.announcement.id}`, tokens.boundA);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject({ id: body.announcement.id, counts: { sent: 0, queued: 0 } });
      const audit = await t.relais.db.auditEvent.findFirst({
        where: { action: 'announcement.created', entityId: body.announcement.id },
      });
      expect(audit?.actorType).toBe('API');
      expect(JSON.stringify(audit?.data)).not.toContain('Salle');

      const cancelled = await api('POST', `/api/v1/announcements/${body.announcement.id}/cancel`, tokens.boundA);
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json()).toMatchObject({ status: 'CANCELLED' });
      expect(
        (await api('POST', `/api/v1/announcements/${body.announcement.id}/cancel`, tokens.boundA)).statusCode,
      ).toBe(409);
    },
  );

  it(
    'refuses what the Slack modal refuses: a template without its parameters, no text at all, nobody in the ' +
      'audience',
    async () => {
      const missing = await api('POST', '/api/v1/announcements', tokens.network, {
        template: 'distribution',
        params: { placeId: ids.placeA },
        audience: { scope: 'association', associationId: ids.a },
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('date');
      const neither = await api('POST', '/api/v1/announcements', tokens.network, { audience: { scope: 'network' } });
      expect(neither.statusCode).toBe(400);
      const nobody = await api('POST', '/api/v1/announcements', tokens.network, {
        texts: { ti: 'ሰላም' },
        audience: { scope: 'network' },
      });
      expect(nobody.statusCode).toBe(422);
      expect(nobody.json()).toMatchObject({ error: 'RELAIS_ANNOUNCEMENT_NO_TEXT_FOR_AUDIENCE' });
      const unknownPlace = await api('POST', '/api/v1/announcements', tokens.network, {
        ...distribution(),
        params: { ...distribution().params, placeId: '0b1e8a4c-1a7e-4c3e-9b1a-2f9d7c1e5a10' },
        audience: { scope: 'network' },
      });
      expect(unknownPlace.statusCode).toBe(422);
    },
  );

  it('free text counts who is left out; a network token reaches the whole network', async () => {
    const response = await api('POST', '/api/v1/announcements', tokens.network, {
      texts: { ar: 'المكتب مغلق غداً', ps: 'دفتر سبا تړلی دی' },
      audience: { scope: 'network' },
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().preview).toMatchObject({ total: 7, byLanguage: { ar: 4, ps: 3 }, leftOutNoText: { am: 2 } });
    expect(response.json().announcement.languages.sort()).toEqual(['ar', 'ps']);
  });

  it(
    'a bound token cannot reach the network nor another association’s announcement; a read-only token cannot ' +
      'announce',
    async () => {
      expect(
        (
          await api('POST', '/api/v1/announcements', tokens.boundA, {
            ...distribution(),
            audience: { scope: 'network' },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await api('POST', '/api/v1/announcements', tokens.boundA, {
            ...distribution(),
            audience: { scope: 'association', associationId: ids.b },
          })
        ).statusCode,
      ).toBe(404);
      const other = await api('POST', '/api/v1/announcements', tokens.network, {
        ...distribution(),
        audience: { scope: 'association', associationId: ids.b },
        sendAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(other.statusCode).toBe(201);
      expect(
        (await api('GET', `/api/v1/announcements/${other.json().announcement.id}`, tokens.boundA)).statusCode,
      ).toBe(404);
      expect(
        (await api('POST', `/api/v1/announcements/${other.json().announcement.id}/cancel`, tokens.boundA)).statusCode,
      ).toBe(404);
      expect((await api('POST', '/api/v1/announcements', tokens.readOnly, distribution())).statusCode).toBe(403);
    },
  );
});
