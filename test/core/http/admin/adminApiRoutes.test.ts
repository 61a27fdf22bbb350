import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_ADMIN_TOKEN_ID } from '../../../../src/core/apiTokens/apiTokenService.js';
import { withCheckDigit } from '../../../../src/core/devices/imei.js';
import { createRequest } from '../../../../src/core/requests/requestService.js';
import { prismaRunner } from '../../../../src/core/db/sqlRunner.js';
import { startTestRelais, type TestRelais } from '../../../support/testRelais.js';

const ADMIN_TOKEN = 'bootstrap-admin-token-0123456789';
let t: TestRelais;
let associationId = '';

beforeAll(async () => {
  t = await startTestRelais('admin_routes', { ADMIN_TOKEN }, { workers: false });
});
afterAll(async () => {
  await t?.close();
});

function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, token = ADMIN_TOKEN) {
  return t.relais.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

describe('associations', () => {
  it('creates, lists and updates an association, each change in the audit trail with the token id', async () => {
    const created = await api('POST', '/associations', {
      slug: 'refugee-womens-centre',
      name: "Refugee Women's Centre",
      city: 'Dunkerque',
    });
    expect(created.statusCode).toBe(201);
    associationId = created.json<{ id: string }>().id;
    const updated = await api('PATCH', `/associations/${associationId}`, {
      city: 'Grande-Synthe',
      slackChannelId: 'C0RWC1234',
    });
    expect(updated.json()).toMatchObject({
      slug: 'refugee-womens-centre',
      city: 'Grande-Synthe',
      slackChannelId: 'C0RWC1234',
    });
    expect(
      (await api('GET', '/associations')).json<{ items: Array<{ id: string }> }>().items.map((a) => a.id),
    ).toContain(associationId);
    const audit = await t.relais.db.auditEvent.findMany({ where: { entityId: associationId }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorType, a.actorId])).toEqual([
      ['association.created', 'API', ENV_ADMIN_TOKEN_ID],
      ['association.updated', 'API', ENV_ADMIN_TOKEN_ID],
    ]);
    expect(audit[1]?.data).toEqual({ fields: ['city', 'slackChannelId'] });
  });

  it('refuses a bad slug with 400 and the failing field, a taken slug with 409, an unknown id with 404', async () => {
    const bad = await api('POST', '/associations', { slug: 'Not A Slug', name: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'RELAIS_BAD_REQUEST',
      issues: [expect.objectContaining({ path: '/slug' })],
    });
    expect((await api('POST', '/associations', { slug: 'refugee-womens-centre', name: 'again' })).statusCode).toBe(409);
    expect((await api('PATCH', '/associations/0b1e8a4c-1a7e-4c3e-9b1a-2f9d7c1e5a10', { city: 'x' })).statusCode).toBe(
      404,
    );
    expect((await api('PATCH', '/associations/not-a-uuid', { city: 'x' })).statusCode).toBe(400);
  });
});

describe('staff', () => {
  it('adds a coordinator and deactivates them; an unknown association is 422 and a bad Slack id 400', async () => {
    const created = await api('POST', '/staff', {
      slackUserId: 'U0COORD01',
      associationId,
      role: 'COORDINATOR',
      language: 'fr',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await api('PATCH', `/staff/${id}`, { active: false })).json()).toMatchObject({
      active: false,
      role: 'COORDINATOR',
    });
    expect(
      (await api('GET', `/staff?associationId=${associationId}&active=false`)).json<{ items: unknown[] }>().items,
    ).toHaveLength(1);
    expect(
      (await api('POST', '/staff', { slackUserId: 'U0COORD02', associationId: '0b1e8a4c-1a7e-4c3e-9b1a-2f9d7c1e5a10' }))
        .statusCode,
    ).toBe(422);
    expect((await api('POST', '/staff', { slackUserId: 'alice', associationId })).statusCode).toBe(400);
    expect((await api('POST', '/staff', { slackUserId: 'U0COORD03', associationId, language: 'xx' })).statusCode).toBe(
      400,
    );
  });
});

describe('places', () => {
  it('creates a drop-off point with weekly hours and accepted items, filters by category, deactivates it', async () => {
    const body = {
      name: 'Emmaüs Connect — point de collecte',
      category: 'DROP_OFF',
      address: '7 rue de la Paix',
      postcode: '75002',
      city: 'Paris',
      latitude: 48.8686,
      longitude: 2.3314,
      hours: [
        { day: 2, open: '10:00', close: '13:00' },
        { day: 2, open: '14:00', close: '18:00' },
      ],
      acceptedItems: ['smartphone', 'laptop'],
    };
    const created = await api('POST', '/places', body);
    expect(created.statusCode).toBe(201);
    const place = created.json<{ id: string; hours: unknown; active: boolean }>();
    expect(place).toMatchObject({ hours: body.hours, active: true });
    const list = (await api('GET', '/places?category=DROP_OFF&active=true')).json<{ items: Array<{ id: string }> }>();
    expect(list.items.map((p) => p.id)).toEqual([place.id]);
    expect((await api('PATCH', `/places/${place.id}`, { name: body.name, postcode: '75003' })).json()).toMatchObject({
      postcode: '75003',
    });
    expect((await api('POST', `/places/${place.id}/deactivate`)).json()).toMatchObject({ active: false });
    expect((await api('GET', '/places?category=DROP_OFF&active=true')).json<{ items: unknown[] }>().items).toEqual([]);
    const actions = (
      await t.relais.db.auditEvent.findMany({ where: { entityId: place.id }, orderBy: { at: 'asc' } })
    ).map((a) => a.action);
    expect(actions).toEqual(['place.created', 'place.updated', 'place.deactivated']);
    // the trail names the fields whose value changed, not every field sent
    expect(
      (await t.relais.db.auditEvent.findFirstOrThrow({ where: { entityId: place.id, action: 'place.updated' } })).data,
    ).toMatchObject({ fields: ['postcode'], category: 'DROP_OFF' });
  });

  it('refuses hours that close before they open, a latitude without longitude and a bad day', async () => {
    for (const body of [
      { name: 'x', category: 'CHARGING', hours: [{ day: 1, open: '18:00', close: '09:00' }] },
      { name: 'x', category: 'CHARGING', hours: [{ day: 7, open: '09:00', close: '10:00' }] },
      { name: 'x', category: 'CHARGING', hours: [{ day: 1, open: '9h', close: '10:00' }] },
      { name: 'x', category: 'CHARGING', latitude: 50.95 },
      { name: 'x', category: 'NOWHERE' },
      { name: '', category: 'CHARGING' },
    ]) {
      const response = await api('POST', '/places', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('pages through places with a cursor, newest first', async () => {
    for (let i = 0; i < 5; i++) await api('POST', '/places', { name: `Distribution ${i}`, category: 'DISTRIBUTION' });
    const first = (await api('GET', '/places?category=DISTRIBUTION&limit=2')).json<{
      items: Array<{ name: string }>;
      nextCursor: string;
    }>();
    const second = (await api('GET', `/places?category=DISTRIBUTION&limit=2&cursor=${first.nextCursor}`)).json<{
      items: Array<{ name: string }>;
      nextCursor: string;
    }>();
    const third = (await api('GET', `/places?category=DISTRIBUTION&limit=2&cursor=${second.nextCursor}`)).json<{
      items: Array<{ name: string }>;
      nextCursor: string | null;
    }>();
    expect([...first.items, ...second.items, ...third.items].map((p) => p.name)).toEqual([
      'Distribution 4',
      'Distribution 3',
      'Distribution 2',
      'Distribution 1',
      'Distribution 0',
    ]);
    expect(third.nextCursor).toBeNull();
    expect((await api('GET', '/places?limit=500')).statusCode).toBe(400);
  });
});

describe('devices', () => {
  const imei = (n: number) => withCheckDigit(String(35925108100000 + n));

  it('imports a CSV body, then finds the devices by model and association', async () => {
    const csv = `imei,model,grade,certificate\n${imei(1)},Sony Xperia X,A,EC-1\n${imei(2)},Sony Xperia X,B,EC-2\n`;
    const response = await api('POST', `/devices/import?associationId=${associationId}`, csv);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'imported',
      importedCount: 2,
      summary: [
        { model: 'Sony Xperia X', grade: 'A', count: 1 },
        { model: 'Sony Xperia X', grade: 'B', count: 1 },
      ],
    });
    const found = (await api('GET', `/devices?associationId=${associationId}&model=xperia&status=IN_STOCK`)).json<{
      items: Array<{ imei: string; erasureCertificate: string }>;
    }>();
    expect(found.items.map((d) => d.imei).sort()).toEqual([imei(1), imei(2)]);
    const audit = await t.relais.db.auditEvent.findFirst({
      where: { action: 'devices.imported', entityId: associationId },
    });
    expect(audit).toMatchObject({ actorType: 'API', actorId: ENV_ADMIN_TOKEN_ID, data: { count: 2 } });
  });

  it('takes the file as JSON too, and a dry run checks it without importing', async () => {
    const csv = `imei;modèle;état;certificat\n${imei(3)};Samsung Galaxy A5;C;EC-3\n`;
    const dry = await api('POST', `/devices/import?associationId=${associationId}&dryRun=true`, { csv });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ status: 'valid', rowCount: 1, importedCount: 0 });
    expect(await t.relais.db.device.count({ where: { imei: imei(3) } })).toBe(0);
    expect((await api('POST', `/devices/import?associationId=${associationId}`, { csv })).statusCode).toBe(201);
  });

  it('answers 422 with the per-row report and imports nothing when one row is wrong', async () => {
    const before = await t.relais.db.device.count();
    const csv = `imei,model,grade,certificate\n${imei(10)},Sony Xperia X,A,EC-10\n${imei(1)},Sony Xperia X,A,EC-11\n`;
    const response = await api('POST', `/devices/import?associationId=${associationId}`, csv);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      status: 'rejected',
      importedCount: 0,
      errors: [{ line: 3, column: 'imei', code: 'DUPLICATE_IN_DATABASE', value: imei(1) }],
    });
    expect(await t.relais.db.device.count()).toBe(before);
  });

  it(
    'refuses an unknown association with 404, a missing association ' +
      'with 400 and an unsupported body type with 415',
    async () => {
      const csv = `imei,model,grade,certificate\n${imei(20)},X,A,EC\n`;
      expect(
        (await api('POST', '/devices/import?associationId=0b1e8a4c-1a7e-4c3e-9b1a-2f9d7c1e5a10', csv)).statusCode,
      ).toBe(404);
      expect((await api('POST', '/devices/import', csv)).statusCode).toBe(400);
      const xml = await t.relais.app.inject({
        method: 'POST',
        url: `/api/v1/devices/import?associationId=${associationId}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/xml' },
        payload: '<x/>',
      });
      expect(xml.statusCode).toBe(415);
      expect((await api('GET', '/devices?imei=123')).statusCode).toBe(400);
    },
  );
});

describe('requests', () => {
  it('lists and exports requests without any personal data, filtered by status, kind and date', async () => {
    const contact = await t.relais.db.contact.create({ data: { language: 'fa' } });
    await t.relais.db.$transaction((tx) =>
      createRequest(prismaRunner(tx), {
        kind: 'PHONE',
        contactId: contact.id,
        associationId,
        language: 'fa',
        details: { forWhom: 'self', whereStaying: 'secret camp location' },
      }),
    );
    await t.relais.db.$transaction((tx) =>
      createRequest(prismaRunner(tx), {
        kind: 'RECHARGE',
        contactId: contact.id,
        associationId,
        language: 'fa',
        details: { operator: 'Lyca' },
      }),
    );
    const list = await api(
      'GET',
      `/requests?kind=PHONE&status=OPEN&associationId=${associationId}&from=2020-01-01T00:00:00Z`,
    );
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: Array<Record<string, unknown>> }>().items;
    expect(items).toHaveLength(1);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual([
      'assigneeId',
      'associationId',
      'closedAt',
      'createdAt',
      'flagged',
      'id',
      'kind',
      'language',
      'reference',
      'servedAt',
      'status',
      'updatedAt',
      'urgency',
    ]);
    expect(JSON.stringify(items)).not.toContain(contact.id);

    const csv = await api('GET', '/requests.csv?status=OPEN');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="relais-requests-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'reference,kind,status,urgency,association,language,flagged,created_at,updated_at,served_at,closed_at,days_open',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 6).join(','))).toEqual([
      'RECHARGE,OPEN,NORMAL,refugee-womens-centre,fa',
      'PHONE,OPEN,NORMAL,refugee-womens-centre,fa',
    ]);
    expect(csv.body).not.toContain('secret camp');
    expect(csv.body).not.toContain(contact.id);
    expect((await api('GET', '/requests.csv?from=2099-01-01T00:00:00Z')).body.trimEnd().split('\r\n')).toHaveLength(1);
    // for a spreadsheet: the staff language's column names and labels, never the codes
    const labelled = (await api('GET', '/requests.csv?status=OPEN&lang=fr')).body.trimEnd().split('\r\n');
    expect(labelled[0]).toBe(
      'Référence,Type,Statut,Urgence,Association,Langue,Signalée,' +
        'Créée le,Dernier changement,Servie le,Fermée le,Jours ouverte',
    );
    expect(labelled.slice(1).map((l) => l.split(',').slice(1, 7).join(','))).toEqual([
      'Recharge,Ouverte,Normale,refugee-womens-centre,dari / farsi,non',
      'Téléphone,Ouverte,Normale,refugee-womens-centre,dari / farsi,non',
    ]);
    expect((await api('GET', '/requests.csv?lang=de')).statusCode).toBe(400);
    expect((await api('GET', '/requests?status=LOST')).statusCode).toBe(400);
    expect((await api('GET', '/requests?from=yesterday')).statusCode).toBe(400);
  });
});

describe('tokens', () => {
  it(
    'shows a new token once, stores only its SHA-256, ' + 'lists it without secret, and a revoked token stops working',
    async () => {
      const created = await api('POST', '/tokens', { name: 'ateliers-du-bocage', scopes: ['write', 'read'] });
      expect(created.statusCode).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const { id, token, scopes } = created.json<{ id: string; token: string; scopes: string[] }>();
      expect(token).toMatch(/^rls_[A-Za-z0-9_-]{43}$/);
      expect(scopes).toEqual(['read', 'write']);
      const row = await t.relais.db.apiToken.findUniqueOrThrow({ where: { id } });
      expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));

      expect((await api('GET', '/associations', undefined, token)).statusCode).toBe(200);
      const listed = (await api('GET', '/tokens')).body;
      expect(listed).toContain(id);
      expect(listed).not.toContain(token);
      expect(listed).not.toContain(row.tokenHash);
      expect((await t.relais.db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();

      expect((await api('DELETE', `/tokens/${id}`)).json()).toMatchObject({ id, revokedAt: expect.any(String) });
      expect((await api('GET', '/associations', undefined, token)).statusCode).toBe(401);
      expect((await t.relais.db.auditEvent.findMany({ where: { entityId: id } })).map((a) => a.action).sort()).toEqual([
        'apiToken.created',
        'apiToken.revoked',
      ]);
    },
  );

  it('refuses an unknown scope, an empty scope list and an unknown token id', async () => {
    expect((await api('POST', '/tokens', { name: 'x', scopes: ['root'] })).statusCode).toBe(400);
    expect((await api('POST', '/tokens', { name: 'x', scopes: [] })).statusCode).toBe(400);
    expect((await api('DELETE', '/tokens/0b1e8a4c-1a7e-4c3e-9b1a-2f9d7c1e5a10')).statusCode).toBe(404);
  });
});
