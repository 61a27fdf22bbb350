import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, type ApiScope } from '../../../../src/core/apiTokens/apiTokenService.js';
import { withCheckDigit } from '../../../../src/core/devices/imei.js';
import { startTestRelais, type TestRelais } from '../../../support/testRelais.js';

let t: TestRelais;
const UNKNOWN_ID = '0b1e8a4c-1a7e-4c3e-9b1a-2f9d7c1e5a10';
const tokens = { boundA: '', boundAdminA: '', network: '' };
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Side {
  association: string;
  request: string;
  pledge: string;
  stockDevice: string;
  donatedDevice: string;
  place: string;
  staff: string;
}
const a: Side = { association: '', request: '', pledge: '', stockDevice: '', donatedDevice: '', place: '', staff: '' };
const b: Side = { ...a };

/** An association with one of everything: a request, a pledge routed to it, stock, a donated device, a place, staff. */
async function seedAssociation(side: Side, slug: string, n: number) {
  const db = t.relais.db;
  side.association = (await db.association.create({ data: { slug, name: slug } })).id;
  const associationId = side.association;
  side.request = (await db.request.create({ data: { reference: `P-${9000 + n}`, kind: 'PHONE', associationId } })).id;
  const donorDetails = { name: `Donor ${slug}`, email: `${slug}@example.org` };
  const pledge = { reference: `D-${9000 + n}`, donorKind: 'COMPANY', associationId, donorDetails } as const;
  side.pledge = (await db.pledge.create({ data: pledge })).id;
  const imei = withCheckDigit(String(35925108100000 + n));
  const inStock = { model: 'Sony Xperia X', imei, status: 'IN_STOCK', associationId } as const;
  side.stockDevice = (await db.device.create({ data: inStock })).id;
  const donated = { model: 'iPhone 8', serial: `SN-${slug}`, status: 'COLLECTED', pledgeId: side.pledge } as const;
  side.donatedDevice = (await db.device.create({ data: donated })).id;
  side.place = (await db.place.create({ data: { name: `${slug} office`, category: 'ASSOCIATION', associationId } })).id;
  const slackUserId = `U0${slug.toUpperCase().replace(/-/g, '')}`;
  side.staff = (await db.staffMember.create({ data: { slackUserId, associationId } })).id;
}

beforeAll(async () => {
  t = await startTestRelais('bound_tokens', {}, { workers: false });
  await seedAssociation(a, 'assoc-a', 1);
  await seedAssociation(b, 'assoc-b', 2);
  const make = async (scopes: ApiScope[], associationId: string | null) => {
    const input = { name: scopes.join('+'), scopes, associationId, actor: { type: 'SYSTEM' as const, id: null } };
    return (await createApiToken(t.relais.db, input)).token;
  };
  tokens.boundA = await make(['read', 'write', 'donor-contacts'], a.association);
  tokens.boundAdminA = await make(['admin'], a.association);
  tokens.network = await make(['admin'], null);
});
afterAll(async () => {
  await t?.close();
});

function api(method: Method, url: string, token: string, body?: unknown) {
  const contentType = typeof body === 'string' ? 'text/csv' : 'application/json';
  return t.relais.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}
async function ids(url: string, token: string): Promise<string[]> {
  const page = (await api('GET', url, token)).json<{ items: Array<{ id: string }> }>();
  return page.items.map((item) => item.id).sort();
}
const schedule = { status: 'SCHEDULED', scheduledAt: '2026-12-10T09:00:00Z', refurbisher: 'Envie' };

describe('a token bound to an association', () => {
  it('a token bound to A lists only A’s associations, requests, pledges, devices, places and staff', async () => {
    expect(await ids('/associations', tokens.boundA)).toEqual([a.association]);
    expect(await ids('/requests', tokens.boundA)).toEqual([a.request]);
    expect(await ids('/pledges', tokens.boundA)).toEqual([a.pledge]);
    expect(await ids('/devices', tokens.boundA)).toEqual([a.stockDevice, a.donatedDevice].sort());
    expect(await ids('/places', tokens.boundA)).toEqual([a.place]);
    expect(await ids('/staff', tokens.boundAdminA)).toEqual([a.staff]);
    const csv = (await api('GET', '/requests.csv', tokens.boundA)).body;
    expect(csv).toContain('P-9001');
    expect(csv).not.toContain('P-9002');
  });

  it('a token bound to A that filters on B’s association gets empty lists, not B’s items', async () => {
    for (const path of ['/requests', '/pledges', '/devices', '/places']) {
      expect(await ids(`${path}?associationId=${b.association}`, tokens.boundA), path).toEqual([]);
    }
    expect(await ids(`/staff?associationId=${b.association}`, tokens.boundAdminA)).toEqual([]);
    const csv = await api('GET', `/requests.csv?associationId=${b.association}`, tokens.boundA);
    expect(csv.body).not.toContain('P-9002');
  });

  it('a token bound to A reading B’s pledge, receipt or device history gets 404, as for an unknown id', async () => {
    const urls = [`/pledges/${b.pledge}`, `/pledges/${b.pledge}/receipt.pdf`];
    urls.push(`/devices/${b.stockDevice}/history`, `/devices/${b.donatedDevice}/history`);
    for (const url of urls) {
      const response = await api('GET', url, tokens.boundA);
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ error: 'RELAIS_NOT_FOUND' });
      expect(response.body).not.toContain('assoc-b');
    }
    const unknown = await api('GET', `/pledges/${UNKNOWN_ID}`, tokens.boundA);
    expect((await api('GET', `/pledges/${b.pledge}`, tokens.boundA)).json()).toEqual(unknown.json());
    const own = await api('GET', `/pledges/${a.pledge}`, tokens.boundA);
    expect(own.json()).toMatchObject({ id: a.pledge, donor: { name: 'Donor assoc-a' } });
  });

  it('a token bound to A cannot change B’s pledge, place, device, association or staff (404)', async () => {
    const before = await t.relais.db.pledge.findUniqueOrThrow({ where: { id: b.pledge } });
    const csv = 'serial,model,grade,certificate\nSN-IMPORT-1,Nokia 3310,A,CERT-1\n';
    const changes: Array<[Method, string, string, unknown]> = [
      ['POST', `/pledges/${b.pledge}/status`, tokens.boundA, schedule],
      ['POST', `/pledges/${b.pledge}/devices`, tokens.boundA, { devices: [{ model: 'Pixel 4a', serial: 'SN-NEW-1' }] }],
      ['PATCH', `/places/${b.place}`, tokens.boundA, { name: 'taken over' }],
      ['POST', `/places/${b.place}/deactivate`, tokens.boundA, undefined],
      ['POST', `/devices/${b.donatedDevice}/status`, tokens.boundA, { status: 'RECYCLED' }],
      ['PATCH', `/associations/${b.association}`, tokens.boundA, { name: 'taken over' }],
      ['PATCH', `/staff/${b.staff}`, tokens.boundAdminA, { active: false }],
      ['POST', `/devices/import?associationId=${b.association}`, tokens.boundA, csv],
    ];
    for (const [method, url, token, body] of changes) {
      const response = await api(method, url, token, body);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(404);
    }
    const db = t.relais.db;
    expect(await db.pledge.findUniqueOrThrow({ where: { id: b.pledge } })).toEqual(before);
    const place = await db.place.findUniqueOrThrow({ where: { id: b.place } });
    expect(place).toMatchObject({ name: 'assoc-b office', active: true });
    expect((await db.device.findUniqueOrThrow({ where: { id: b.donatedDevice } })).status).toBe('COLLECTED');
    expect(await db.association.findUniqueOrThrow({ where: { id: b.association } })).toMatchObject({ name: 'assoc-b' });
    expect(await db.staffMember.findUniqueOrThrow({ where: { id: b.staff } })).toMatchObject({ active: true });
    expect(await db.device.count({ where: { serial: { in: ['SN-NEW-1', 'SN-IMPORT-1'] } } })).toBe(0);
  });

  it('a token bound to A cannot hand its items or new staff to B (422, as unknown) nor to none (403)', async () => {
    const refusals: Array<[Method, string, string, unknown, number]> = [
      ['POST', `/pledges/${a.pledge}/status`, tokens.boundA, { ...schedule, associationId: b.association }, 422],
      ['POST', `/pledges/${a.pledge}/status`, tokens.boundA, { ...schedule, associationId: null }, 403],
      ['PATCH', `/places/${a.place}`, tokens.boundA, { associationId: b.association }, 422],
      ['POST', '/places', tokens.boundA, { name: 'Hijacked', category: 'DROP_OFF', associationId: b.association }, 422],
      ['POST', '/staff', tokens.boundAdminA, { slackUserId: 'U0INTRUDER', associationId: b.association }, 422],
      ['PATCH', `/staff/${a.staff}`, tokens.boundAdminA, { associationId: b.association }, 422],
    ];
    for (const [method, url, token, body, status] of refusals) {
      const response = await api(method, url, token, body);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
    }
    const intruder = { slackUserId: 'U0INTRUDER', associationId: UNKNOWN_ID };
    const unknown = await api('POST', '/staff', tokens.boundAdminA, intruder);
    expect(unknown.json()).toMatchObject({ error: 'RELAIS_UNKNOWN_REFERENCE' });
    const db = t.relais.db;
    const pledge = await db.pledge.findUniqueOrThrow({ where: { id: a.pledge } });
    expect(pledge).toMatchObject({ associationId: a.association, status: 'PLEDGED' });
    expect(await db.place.count({ where: { associationId: b.association } })).toBe(1);
    expect(await db.staffMember.count({ where: { slackUserId: 'U0INTRUDER' } })).toBe(0);
  });

  it('a token bound to A creates places in A and changes its own items', async () => {
    const created = await api('POST', '/places', tokens.boundA, { name: 'A drop-off', category: 'DROP_OFF' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ associationId: a.association });
    const patched = await api('PATCH', `/places/${a.place}`, tokens.boundA, { city: 'Calais' });
    expect(patched.json()).toMatchObject({ city: 'Calais' });
    const newStaff = { slackUserId: 'U0NEWA01', associationId: a.association, role: 'coordinator' };
    const staff = await api('POST', '/staff', tokens.boundAdminA, newStaff);
    expect(staff.statusCode, staff.body).toBe(201);
    expect(staff.json()).toMatchObject({ role: 'COORDINATOR', associationId: a.association });
    const recycled = await api('POST', `/devices/${a.donatedDevice}/status`, tokens.boundA, { status: 'RECYCLED' });
    expect(recycled.statusCode).toBe(200);
  });

  it('a token bound to A gets A’s impact figures only, and 404 for B’s', async () => {
    expect((await api('GET', '/impact', tokens.boundA)).json()).toMatchObject({ associationId: a.association });
    expect((await api('GET', `/impact?association=${b.association}`, tokens.boundA)).statusCode).toBe(404);
    expect((await api('GET', `/impact.png?association=${b.association}`, tokens.boundA)).statusCode).toBe(404);
    const csv = (await api('GET', '/impact.csv', tokens.boundA)).body.trim().split('\r\n');
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(['assoc-a']);
  });

  it(
    'a token bound to an association, even with the admin scope, cannot mint, list or revoke tokens, ' +
      'create associations or open the queue dashboard',
    async () => {
      const headers = { authorization: `Bearer ${tokens.boundAdminA}` };
      const dashboard = { method: 'GET' as const, url: '/admin/queues', headers };
      const refused = [
        await api('POST', '/tokens', tokens.boundAdminA, { name: 'escalate', scopes: ['admin'] }),
        await api('GET', '/tokens', tokens.boundAdminA),
        await api('DELETE', `/tokens/${UNKNOWN_ID}`, tokens.boundAdminA),
        await api('POST', '/associations', tokens.boundAdminA, { slug: 'assoc-c', name: 'C' }),
        await t.relais.app.inject(dashboard),
      ];
      const message = 'this token is bound to one association; this route needs a network-wide token';
      for (const response of refused) {
        expect(response.statusCode, response.body).toBe(403);
        expect(response.json()).toMatchObject({ error: 'RELAIS_FORBIDDEN', message });
      }
      expect(await t.relais.db.apiToken.count({ where: { name: 'escalate' } })).toBe(0);
      expect(await t.relais.db.association.count({ where: { slug: 'assoc-c' } })).toBe(0);
    },
  );
});

describe('a network-wide token', () => {
  it('an unbound admin token sees every association’s requests, pledges, devices, places and staff', async () => {
    expect(await ids('/requests', tokens.network)).toEqual([a.request, b.request].sort());
    expect(await ids('/pledges', tokens.network)).toEqual([a.pledge, b.pledge].sort());
    const devices = [a.stockDevice, b.stockDevice, a.donatedDevice, b.donatedDevice];
    expect(await ids('/devices', tokens.network)).toEqual(expect.arrayContaining(devices));
    expect(await ids('/places', tokens.network)).toEqual(expect.arrayContaining([a.place, b.place]));
    expect(await ids('/staff', tokens.network)).toEqual(expect.arrayContaining([a.staff, b.staff]));
    expect((await api('GET', `/pledges/${b.pledge}`, tokens.network)).statusCode).toBe(200);
    expect((await api('GET', '/impact', tokens.network)).json()).toMatchObject({ associationId: null });
  });

  it('POST /tokens binds a new token to an association, shown in the list; an unknown association is 422', async () => {
    const body = { name: 'assoc-b-dashboard', scopes: ['read'], associationId: b.association };
    const created = await api('POST', '/tokens', tokens.network, body);
    expect(created.statusCode, created.body).toBe(201);
    const token = created.json<{ id: string; token: string; associationId: string }>();
    expect(token.associationId).toBe(b.association);
    expect(await ids('/pledges', token.token)).toEqual([b.pledge]);
    const listed = (await api('GET', '/tokens', tokens.network)).json<{ items: Array<{ id: string }> }>().items;
    expect(listed.find((item) => item.id === token.id)).toMatchObject({ associationId: b.association });
    const where = { action: 'apiToken.created', entityId: token.id };
    expect(await t.relais.db.auditEvent.findFirstOrThrow({ where })).toMatchObject({ associationId: b.association });
    const nowhere = { name: 'nowhere', scopes: ['read'], associationId: UNKNOWN_ID };
    const unknown = await api('POST', '/tokens', tokens.network, nowhere);
    expect(unknown.statusCode).toBe(422);
  });
});
