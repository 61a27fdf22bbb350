import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, type ApiScope } from '../../../../src/core/apiTokens/apiTokenService.js';
import { withCheckDigit } from '../../../../src/core/devices/imei.js';
import { startTestRelais, type TestRelais } from '../../../support/testRelais.js';

let t: TestRelais;
const tokens = { read: '', write: '', admin: '', readWrite: '', donorContacts: '' };
const ids = { association: '', staff: '', place: '', token: '', pledge: '' };
let serial = 0;

beforeAll(async () => {
  t = await startTestRelais('admin_scopes', {}, { workers: false });
  const make = async (scopes: ApiScope[]) =>
    (await createApiToken(t.relais.db, { name: scopes.join('+'), scopes, actor: { type: 'SYSTEM', id: null } })).token;
  tokens.read = await make(['read']);
  tokens.write = await make(['write']);
  tokens.admin = await make(['admin']);
  tokens.readWrite = await make(['read', 'write']);
  tokens.donorContacts = await make(['donor-contacts']);
  const association = await t.relais.db.association.create({
    data: { slug: 'utopia-56', name: 'Utopia 56', city: 'Calais' },
  });
  ids.association = association.id;
  ids.staff = (
    await t.relais.db.staffMember.create({ data: { slackUserId: 'U0STAFF01', associationId: association.id } })
  ).id;
  ids.place = (await t.relais.db.place.create({ data: { name: 'Charging point', category: 'CHARGING' } })).id;
  ids.pledge = (await t.relais.db.pledge.create({ data: { reference: 'D-7001', donorKind: 'COMPANY' } })).id;
  ids.token = (
    await createApiToken(t.relais.db, { name: 'to-revoke', scopes: ['read'], actor: { type: 'SYSTEM', id: null } })
  ).id;
});
afterAll(async () => {
  await t?.close();
});

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: () => string;
  scope: ApiScope;
  ok: number;
  body?: () => unknown;
  contentType?: string;
}

const next = () => ++serial;
const routes: RouteCase[] = [
  { method: 'GET', url: () => '/api/v1/associations', scope: 'read', ok: 200 },
  {
    method: 'POST',
    url: () => '/api/v1/associations',
    scope: 'write',
    ok: 201,
    body: () => ({ slug: `assoc-${next()}`, name: 'Association' }),
  },
  {
    method: 'PATCH',
    url: () => `/api/v1/associations/${ids.association}`,
    scope: 'write',
    ok: 200,
    body: () => ({ city: 'Calais' }),
  },
  { method: 'GET', url: () => '/api/v1/staff', scope: 'admin', ok: 200 },
  {
    method: 'POST',
    url: () => '/api/v1/staff',
    scope: 'admin',
    ok: 201,
    body: () => ({
      slackUserId: `U0NEW${next()}`,
      associationId: ids.association,
      role: 'COORDINATOR',
      language: 'en',
    }),
  },
  { method: 'PATCH', url: () => `/api/v1/staff/${ids.staff}`, scope: 'admin', ok: 200, body: () => ({ active: true }) },
  { method: 'GET', url: () => '/api/v1/places', scope: 'read', ok: 200 },
  {
    method: 'POST',
    url: () => '/api/v1/places',
    scope: 'write',
    ok: 201,
    body: () => ({
      name: 'Relay point',
      category: 'RELAY_POINT',
      latitude: 48.85,
      longitude: 2.35,
      hours: [{ day: 1, open: '09:00', close: '12:00' }],
    }),
  },
  {
    method: 'PATCH',
    url: () => `/api/v1/places/${ids.place}`,
    scope: 'write',
    ok: 200,
    body: () => ({ active: true }),
  },
  { method: 'POST', url: () => `/api/v1/places/${ids.place}/deactivate`, scope: 'write', ok: 200 },
  { method: 'GET', url: () => '/api/v1/devices', scope: 'read', ok: 200 },
  {
    method: 'POST',
    url: () => `/api/v1/devices/import?associationId=${ids.association}`,
    scope: 'write',
    ok: 201,
    contentType: 'text/csv',
    body: () =>
      'imei,model,grade,certificate\n' +
      `${withCheckDigit(String(35925108000000 + next()))},Sony Xperia X,A,CERT-${serial}\n`,
  },
  { method: 'GET', url: () => '/api/v1/requests', scope: 'read', ok: 200 },
  { method: 'GET', url: () => '/api/v1/requests.csv', scope: 'read', ok: 200 },
  { method: 'GET', url: () => '/api/v1/pledges', scope: 'read', ok: 200 },
  { method: 'GET', url: () => `/api/v1/pledges/${ids.pledge}`, scope: 'read', ok: 200 },
  // the pledge is not collected yet: the receipt is a 409 once the scope is there
  { method: 'GET', url: () => `/api/v1/pledges/${ids.pledge}/receipt.pdf`, scope: 'donor-contacts', ok: 409 },
  {
    method: 'POST',
    url: () => `/api/v1/pledges/${ids.pledge}/status`,
    scope: 'write',
    ok: 200,
    body: () => ({ status: 'SCHEDULED', scheduledAt: '2026-12-01T09:00:00Z', refurbisher: 'Envie' }),
  },
  { method: 'GET', url: () => '/api/v1/impact', scope: 'read', ok: 200 },
  { method: 'GET', url: () => '/api/v1/impact.csv', scope: 'read', ok: 200 },
  {
    method: 'GET',
    url: () => `/api/v1/impact.png?from=2026-11-01&to=2026-12-01&association=${ids.association}&lang=fr`,
    scope: 'read',
    ok: 200,
  },
  { method: 'GET', url: () => '/api/v1/tokens', scope: 'admin', ok: 200 },
  {
    method: 'POST',
    url: () => '/api/v1/tokens',
    scope: 'admin',
    ok: 201,
    body: () => ({ name: `partner-${next()}`, scopes: ['read'] }),
  },
  { method: 'DELETE', url: () => `/api/v1/tokens/${ids.token}`, scope: 'admin', ok: 200 },
];

/** A token that has every scope except the one the route needs. */
const wrongToken = (scope: ApiScope) =>
  scope === 'read' ? tokens.write : scope === 'write' ? tokens.read : tokens.readWrite;
const rightToken = (scope: ApiScope) =>
  ({ admin: tokens.admin, read: tokens.read, write: tokens.write, 'donor-contacts': tokens.donorContacts })[scope];

function call(route: RouteCase, token?: string) {
  const body = route.body?.();
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = route.contentType ?? 'application/json';
  return t.relais.app.inject({
    method: route.method,
    url: route.url(),
    headers,
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

describe('admin API scopes', () => {
  it.each(routes)(
    '$method $url answers 401 without a token, 403 with a token lacking "$scope", and $ok with it',
    async (route) => {
      const anonymous = await call(route);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(anonymous.json()).toMatchObject({ error: 'RELAIS_UNAUTHENTICATED' });

      const wrong = await call(route, wrongToken(route.scope));
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json()).toMatchObject({
        error: 'RELAIS_FORBIDDEN',
        message: `this token lacks the "${route.scope}" scope`,
      });

      const right = await call(route, rightToken(route.scope));
      expect(right.statusCode, right.body).toBe(route.ok);
    },
  );

  it('an admin token is accepted on every route', async () => {
    for (const route of routes.filter((r) => r.method === 'GET')) {
      expect((await call(route, tokens.admin)).statusCode).toBe(route.ok);
    }
  });

  it('a malformed, unknown or non-Bearer authorization is 401', async () => {
    for (const authorization of [
      'Bearer',
      'Bearer rls_unknown',
      'Token abc',
      `Basic ${Buffer.from(`x:${tokens.admin}`).toString('base64')}`,
      `Bearer ${'x'.repeat(600)}`,
    ]) {
      const response = await t.relais.app.inject({
        method: 'GET',
        url: '/api/v1/associations',
        headers: { authorization },
      });
      expect(response.statusCode, authorization.slice(0, 20)).toBe(401);
    }
  });
});
