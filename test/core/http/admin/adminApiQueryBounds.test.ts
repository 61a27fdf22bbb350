import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelais, type TestRelais } from '../../../support/testRelais.js';

const ADMIN_TOKEN = 'bootstrap-admin-token-0123456789';
let t: TestRelais;
let pledgeId = '';

beforeAll(async () => {
  t = await startTestRelais('admin_bounds', { ADMIN_TOKEN }, { workers: false });
  pledgeId = (await t.relais.db.pledge.create({ data: { reference: 'D-5151', donorKind: 'COMPANY' } })).id;
});
afterAll(async () => {
  await t?.close();
});

const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
const get = (url: string) => t.relais.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
const LISTS = ['/requests', '/pledges', '/devices', '/places'];
const BAD_LIMITS = ['99999999999999999999', '1e400', '1e2', '0x10', '-1', '0', '1.5', '', '%20', '10&limit=20'];
const BAD_DATES = [
  '-200000-01-01',
  '+200000-01-01',
  '275760-09-13',
  '99999999999999999999',
  '-8640000000000000',
  '1',
  '0000-01-01',
  '2026-13-45',
];

/** Log lines that show the typed value or an error reaching the database. */
function leaks(value: string): string[] {
  const shows = (line: string) => value.length > 3 && line.includes(value);
  const failed = (line: string) => line.includes('"level":50') || /Postgres|22008|22009|Invalid `/.test(line);
  return t.logs.lines.filter((line) => shows(line) || failed(line));
}

describe('numbers and dates typed in the admin API are bounded', () => {
  it('a huge, negative, hexadecimal, exponent or repeated limit is a 400 saying what is expected', async () => {
    const expected = {
      error: 'RELAIS_BAD_REQUEST',
      message: 'invalid querystring',
      issues: [{ path: '/limit', message: 'expected a whole number from 1 to 200' }],
    };
    for (const path of LISTS) {
      for (const limit of BAD_LIMITS) {
        const response = await get(`${path}?limit=${limit}`);
        expect(response.statusCode, `${path}?limit=${limit}`).toBe(400);
        expect(response.json(), `${path}?limit=${limit}`).toEqual(expected);
      }
      expect((await get(`${path}?limit=200`)).statusCode).toBe(200);
    }
    expect(leaks('99999999999999999999')).toEqual([]);
  });

  it('a date outside 1970–9999 or not in ISO 8601 is a 400, never a Postgres error (500) in the logs', async () => {
    const issue = expect.objectContaining({ message: expect.stringMatching(/^expected an ISO 8601 date/) });
    for (const date of BAD_DATES) {
      const typed = encodeURIComponent(date);
      const urls = [`/impact?from=${typed}`, `/impact.csv?to=${typed}`, `/impact.png?from=${typed}`];
      urls.push(`/requests?from=${typed}`);
      for (const url of urls) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(400);
        expect(response.json<{ issues: unknown[] }>().issues, url).toEqual([issue]);
      }
      expect(leaks(date), date).toEqual([]);
    }
    expect((await get('/impact?from=2026-11-01&to=2026-12-01T00:00:00Z')).statusCode).toBe(200);
  });

  it('a pickup date out of range in a pledge status change is a 400, and the pledge is unchanged', async () => {
    for (const scheduledAt of [-8.64e15, 8.64e15, '-100000-01-01', '+275760-09-13T00:00:00Z']) {
      const response = await t.relais.app.inject({
        method: 'POST',
        url: `/api/v1/pledges/${pledgeId}/status`,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ status: 'SCHEDULED', scheduledAt, refurbisher: 'Envie' }),
      });
      expect(response.statusCode, String(scheduledAt)).toBe(400);
      expect(response.json()).toMatchObject({ error: 'RELAIS_BAD_REQUEST', issues: [{ path: '/scheduledAt' }] });
    }
    const pledge = await t.relais.db.pledge.findUniqueOrThrow({ where: { id: pledgeId } });
    expect(pledge).toMatchObject({ status: 'PLEDGED', scheduledAt: null });
    expect(leaks('-100000-01-01')).toEqual([]);
  });
});
