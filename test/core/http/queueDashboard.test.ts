import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/core/apiTokens/apiTokenService.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

const ADMIN_TOKEN = 'bootstrap-admin-token-0123456789';
let t: TestRelais;
let readToken = '';
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

beforeAll(async () => {
  t = await startTestRelais(
    'queue_dashboard',
    { ADMIN_TOKEN },
    { workers: false, transports: () => [new FakeChannel('TELEGRAM')] },
  );
  readToken = (
    await createApiToken(t.relais.db, {
      name: 'reader',
      scopes: ['read', 'write'],
      actor: { type: 'SYSTEM', id: null },
    })
  ).token;
});
afterAll(async () => {
  await t?.close();
});

describe('queue dashboard', () => {
  it('asks a browser for credentials, refuses tokens without the admin scope', async () => {
    const anonymous = await t.relais.app.inject({ method: 'GET', url: '/admin/queues' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="Relais queues", charset="UTF-8"');
    expect(
      (
        await t.relais.app.inject({
          method: 'GET',
          url: '/admin/queues',
          headers: { authorization: basic('wrong-password-000000') },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (await t.relais.app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: basic(readToken) } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await t.relais.app.inject({
          method: 'GET',
          url: '/admin/queues/api/queues',
          headers: { authorization: `Bearer ${readToken}` },
        })
      ).statusCode,
    ).toBe(403);
  });

  it(
    'serves the board to an admin (Basic or Bearer) with ' + 'its own CSP and lists the outbound and task queues',
    async () => {
      const page = await t.relais.app.inject({
        method: 'GET',
        url: '/admin/queues',
        headers: { authorization: basic(ADMIN_TOKEN) },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<div id="root">');
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
      expect(page.headers['cache-control']).toBe('no-store');
      const api = await t.relais.app.inject({
        method: 'GET',
        url: '/admin/queues/api/queues?activeQueue=tasks',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(api.statusCode).toBe(200);
      const names = api
        .json<{ queues: Array<{ name: string }> }>()
        .queues.map((q) => q.name)
        .sort();
      // each channel has its conversation queue and its announcements' lower-priority lane
      expect(names).toEqual([
        'outbound-telegram',
        'outbound-telegram-announcements',
        'outbound-web',
        'outbound-web-announcements',
        'tasks',
      ]);
    },
  );

  it('refuses a change that another site makes the browser send with the stored credentials', async () => {
    const crossSite = await t.relais.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/tasks/pause',
      headers: { authorization: basic(ADMIN_TOKEN), 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(crossSite.statusCode).toBe(403);
    const oldBrowser = await t.relais.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/tasks/pause',
      headers: { authorization: basic(ADMIN_TOKEN), origin: 'null' },
    });
    expect(oldBrowser.statusCode).toBe(403);
    const sameOrigin = await t.relais.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/tasks/resume',
      headers: { authorization: basic(ADMIN_TOKEN), 'sec-fetch-site': 'same-origin' },
    });
    expect(sameOrigin.statusCode).toBe(200);
  });
});
