import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, type ApiScope } from '../../../../src/core/apiTokens/apiTokenService.js';
import { startTestRelais, type TestRelais } from '../../../support/testRelais.js';

let t: TestRelais;
let pledgeId = '';
const tokens = { read: '', contacts: '', admin: '' };
const donor = {
  name: 'Camille Martin',
  phone: '+33 6 12 34 56 78',
  email: 'camille.martin@example.org',
  address: '12 rue des Lilas, 59140 Dunkerque',
};

beforeAll(async () => {
  t = await startTestRelais('donor_contacts', {}, { workers: false });
  const make = async (scopes: ApiScope[]) =>
    (await createApiToken(t.relais.db, { name: scopes.join('+'), scopes, actor: { type: 'SYSTEM', id: null } })).token;
  tokens.read = await make(['read']);
  tokens.contacts = await make(['read', 'donor-contacts']);
  tokens.admin = await make(['admin']);
  const pledge = await t.relais.db.pledge.create({
    data: {
      reference: 'D-4242',
      donorKind: 'INDIVIDUAL',
      status: 'COLLECTED',
      collectedAt: new Date('2026-11-20T10:00:00Z'),
      donorDetails: donor,
    },
  });
  pledgeId = pledge.id;
  const device = { model: 'Samsung Galaxy A12', serial: 'SN-4242-1', status: 'COLLECTED', pledgeId } as const;
  await t.relais.db.device.create({ data: device });
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, token: string) =>
  t.relais.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });

describe('donor contact details need the donor-contacts scope', () => {
  it('a read token reading a pledge by id gets it without the donor’s name, phone, e-mail or address', async () => {
    const response = await get(`/pledges/${pledgeId}`, tokens.read);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: pledgeId, reference: 'D-4242', status: 'COLLECTED' });
    expect(response.json()).not.toHaveProperty('donor');
    for (const value of Object.values(donor)) expect(response.body).not.toContain(value);
  });

  it('a read token asking for the receipt PDF, which names the donor, is refused with 403', async () => {
    const response = await get(`/pledges/${pledgeId}/receipt.pdf`, tokens.read);
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const message = 'this token lacks the "donor-contacts" scope';
    expect(response.json()).toMatchObject({ error: 'RELAIS_FORBIDDEN', message });
  });

  it('a donor-contacts token gets the donor contact details and the receipt PDF', async () => {
    const pledge = await get(`/pledges/${pledgeId}`, tokens.contacts);
    expect(pledge.statusCode).toBe(200);
    expect(pledge.json()).toMatchObject({ reference: 'D-4242', donor });
    const receipt = await get(`/pledges/${pledgeId}/receipt.pdf`, tokens.contacts);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(receipt.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('an admin token implies the donor-contacts scope', async () => {
    expect((await get(`/pledges/${pledgeId}`, tokens.admin)).json()).toMatchObject({ donor });
    expect((await get(`/pledges/${pledgeId}/receipt.pdf`, tokens.admin)).statusCode).toBe(200);
  });

  it('the pledge list carries no donor contact details, even for a donor-contacts token', async () => {
    const list = await get('/pledges', tokens.contacts);
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: Array<{ id: string }> }>().items.map((p) => p.id)).toEqual([pledgeId]);
    for (const value of Object.values(donor)) expect(list.body).not.toContain(value);
  });

  it('POST /tokens reads scopes typed in any case and creates a donor-contacts token', async () => {
    const response = await t.relais.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'donations-desk', scopes: ['READ', ' Donor-Contacts'] }),
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json<{ token: string; scopes: string[]; associationId: string | null }>();
    expect(created).toMatchObject({ scopes: ['read', 'donor-contacts'], associationId: null });
    expect((await get(`/pledges/${pledgeId}`, created.token)).json()).toMatchObject({ donor });
  });
});
