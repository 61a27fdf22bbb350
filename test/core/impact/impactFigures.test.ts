import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impactFigures } from '../../../src/core/impact/impactFigures.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

const ADMIN_TOKEN = 'impact-admin-token-0123456789abc';
let t: TestRelais;
const ids = { a: '', b: '' };
const at = (iso: string) => new Date(`2026-${iso}T12:00:00Z`);
const NOVEMBER = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };

/**
 * A small network, with dates on both sides of November 2026. The expected figures below are
 * counted by hand from this list (see each test).
 */
beforeAll(async () => {
  t = await startTestRelais('impact', { ADMIN_TOKEN }, { workers: false });
  const { db } = t.relais;
  ids.a = (await db.association.create({ data: { slug: 'impact-a', name: 'A Calais' } })).id;
  ids.b = (await db.association.create({ data: { slug: 'impact-b', name: 'B Dunkerque' } })).id;
  const c1 = (await db.contact.create({ data: { language: 'fr' } })).id;
  const c2 = (await db.contact.create({ data: { language: 'ar' } })).id;
  const pledge = (await db.pledge.create({ data: { reference: 'D-9001', donorKind: 'COMPANY', status: 'PROCESSED' } }))
    .id;
  const device = (
    id: string,
    kind: 'SMARTPHONE' | 'LAPTOP' | 'TABLET',
    associationId: string,
    created: string,
    extra: { pledgeId?: string; erasureCertificate?: string } = {},
  ) =>
    db.device.create({
      data: { id, kind, model: kind, status: 'HANDED_OVER', associationId, createdAt: at(created), ...extra },
    });
  const d = [
    '11111111-0000-4000-8000-000000000001',
    '11111111-0000-4000-8000-000000000002',
    '11111111-0000-4000-8000-000000000003',
    '11111111-0000-4000-8000-000000000004',
    '11111111-0000-4000-8000-000000000005',
  ] as const;
  await device(d[0], 'SMARTPHONE', ids.a, '11-05', { pledgeId: pledge, erasureCertificate: 'C1' });
  await device(d[1], 'LAPTOP', ids.a, '11-05', { pledgeId: pledge, erasureCertificate: 'C2' });
  await device(d[2], 'SMARTPHONE', ids.b, '10-20', { pledgeId: pledge, erasureCertificate: 'C3' });
  // imported from a CSV with its certificate
  await device(d[3], 'TABLET', ids.b, '11-10', { erasureCertificate: 'C4' });
  await device(d[4], 'SMARTPHONE', ids.a, '10-01', { erasureCertificate: 'C5' }); // imported before November
  const event = (
    action: string,
    entityId: string,
    when: string,
    associationId: string | null = null,
    entityType = 'Device',
  ) => db.auditEvent.create({ data: { actorType: 'API', action, entityType, entityId, associationId, at: at(when) } });
  await event('device.collected', d[0], '11-05');
  await event('device.erased', d[0], '11-06');
  await event('device.collected', d[1], '11-05');
  await event('device.erased', d[1], '11-07');
  await event('device.collected', d[2], '10-20');
  await event('device.erased', d[2], '11-02');
  await event('pledge.sponsorship_fulfilled', pledge, '11-15', ids.a, 'Pledge');
  const request = (
    ref: string,
    kind: 'PHONE' | 'RECHARGE',
    associationId: string,
    contactId: string | null,
    created: string,
    served?: string,
  ) =>
    db.request.create({
      data: {
        reference: ref,
        kind,
        associationId,
        contactId,
        status: served ? 'SERVED' : 'OPEN',
        createdAt: at(created),
        ...(served ? { servedAt: at(served) } : {}),
      },
    });
  const r1 = await request('P-9001', 'PHONE', ids.a, c1, '11-10', '11-15');
  const r2 = await request('P-9002', 'PHONE', ids.a, c1, '11-10', '11-16');
  const r3 = await request('P-9003', 'PHONE', ids.b, null, '10-30', '11-20'); // the person was erased since
  const r4 = await request('P-9004', 'PHONE', ids.b, c2, '10-30', '12-02');
  const r5 = await request('R-9005', 'RECHARGE', ids.a, c1, '10-30');
  const r6 = await request('R-9006', 'RECHARGE', ids.b, c2, '10-14');
  const handOver = (deviceId: string, requestId: string, when: string) =>
    db.allocation.create({ data: { deviceId, requestId, status: 'HANDED_OVER', handedOverAt: at(when) } });
  await handOver(d[0], r1.id, '11-15');
  await handOver(d[1], r2.id, '11-16');
  await handOver(d[3], r3.id, '11-20');
  await handOver(d[2], r4.id, '12-02');
  await db.recharge.create({ data: { requestId: r5.id, operator: 'Lyca', createdAt: at('11-03') } });
  await db.recharge.create({ data: { requestId: r6.id, operator: 'SFR', createdAt: at('10-15') } });
  await db.followUp.create({
    data: {
      kind: 'CHECKIN',
      status: 'ANSWERED',
      requestId: r1.id,
      dueAt: at('11-18'),
      answeredAt: at('11-18'),
      answer: 'works',
    },
  });
  await db.followUp.create({
    data: {
      kind: 'CHECKIN',
      status: 'ANSWERED',
      requestId: r3.id,
      dueAt: at('11-25'),
      answeredAt: at('11-25'),
      answer: 'problem',
    },
  });
  await db.followUp.create({ data: { kind: 'CHECKIN', status: 'SENT', requestId: r1.id, dueAt: at('11-28') } });
});
afterAll(async () => {
  await t?.close();
});

describe('impact figures', () => {
  it('for the network in November: each figure matches the count made by hand', async () => {
    // collected: d1, d2 (d3 was collected in October) · erased: d1, d2, d3 in November + d4 imported with its
    // certificate
    // handed over: d1 (phone), d2 (laptop), d4 (tablet) → waste 0.18 + 2 + 0.5 = 2.68 kg, CO2e 30 + 150 + 60 = 240 kg
    // people equipped: c1 (twice) and the erased person of r3 → 2 · requests: r1, r2 received; r1, r2, r3 served
    expect(await impactFigures(t.relais.db, NOVEMBER)).toEqual({
      requestsReceived: 2,
      requestsServed: 3,
      devicesCollected: 2,
      devicesErased: 4,
      devicesHandedOver: 3,
      rechargesGiven: 1,
      peopleEquipped: 2,
      followUpsAnswered: 2,
      phonesSponsored: 1,
      wasteAvoidedKg: 2.7,
      co2eAvoidedKg: 240,
    });
  });

  it('per association, through the admin API (JSON) and as CSV', async () => {
    const get = (url: string) =>
      t.relais.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    // A: d1 + d2 collected, erased and handed over (one person), its recharge, f1, the sponsorship
    const a = await get(`/api/v1/impact?from=2026-11-01&to=2026-12-01&association=${ids.a}`);
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({
      associationId: ids.a,
      figures: {
        requestsReceived: 2,
        requestsServed: 2,
        devicesCollected: 2,
        devicesErased: 2,
        devicesHandedOver: 2,
        rechargesGiven: 1,
        peopleEquipped: 1,
        followUpsAnswered: 1,
        phonesSponsored: 1,
        wasteAvoidedKg: 2.2,
        co2eAvoidedKg: 180,
      },
      factors: { kgPerDevice: { SMARTPHONE: 0.18 } },
    });
    // B: d3 erased in November (collected in October) and d4 imported; d4 handed over to r3
    const b = await impactFigures(t.relais.db, { associationId: ids.b, ...NOVEMBER });
    expect(b).toMatchObject({
      requestsReceived: 0,
      requestsServed: 1,
      devicesCollected: 0,
      devicesErased: 2,
      devicesHandedOver: 1,
      rechargesGiven: 0,
      peopleEquipped: 1,
      followUpsAnswered: 1,
      phonesSponsored: 0,
      wasteAvoidedKg: 0.5,
      co2eAvoidedKg: 60,
    });

    const csv = await get('/api/v1/impact.csv?from=2026-11-01&to=2026-12-01');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'association,from,to,requestsReceived,requestsServed,devicesCollected,devicesErased,devicesHandedOver,' +
        'rechargesGiven,peopleEquipped,followUpsAnswered,phonesSponsored,wasteAvoidedKg,co2eAvoidedKg',
    );
    expect(
      lines.slice(1).map((l) =>
        l
          .split(',')
          .filter((_, i) => i !== 1 && i !== 2)
          .join(','),
      ),
    ).toEqual([
      'A Calais,2,2,2,2,2,1,1,1,1,2.2,180',
      'B Dunkerque,0,1,0,2,1,0,1,1,0,0.5,60',
      '(network),2,3,2,4,3,1,2,2,1,2.7,240',
    ]);
  });

  it(
    'as a PNG chart through the admin API, per ' + 'association or for the network; an unknown association is 404',
    async () => {
      const get = (url: string) =>
        t.relais.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const png = await get(`/api/v1/impact.png?from=2026-11-01&to=2026-12-01&association=${ids.a}&lang=fr`);
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.rawPayload.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
        true,
      );
      expect({ width: png.rawPayload.readUInt32BE(16), height: png.rawPayload.readUInt32BE(20) }).toEqual({
        width: 1200,
        height: 675,
      });
      const network = await get('/api/v1/impact.png');
      expect(network.statusCode).toBe(200);
      expect(network.headers['content-type']).toBe('image/png');
      expect(network.rawPayload.equals(png.rawPayload)).toBe(false);
      expect((await get('/api/v1/impact.png?association=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
      expect((await get('/api/v1/impact.png?lang=de')).statusCode).toBe(400);
    },
  );

  it(
    'an association named x;=HYPERLINK("http://evil") leaves impact.csv quoted ' + 'and guarded for , and ; readers',
    async () => {
      await t.relais.db.association.create({ data: { slug: 'impact-evil', name: 'x;=HYPERLINK("http://evil")' } });
      const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const csv = await t.relais.app.inject({ method: 'GET', url: '/api/v1/impact.csv', headers });
      expect(csv.statusCode).toBe(200);
      const line = csv.body.split('\r\n').find((l) => l.includes('HYPERLINK'));
      expect(line?.startsWith('"x;\'=HYPERLINK(""http://evil"")",')).toBe(true);
      expect(line?.split(/[;,]/).filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);
    },
  );

  it('without a period it counts everything, including what happened outside November', async () => {
    const all = await impactFigures(t.relais.db);
    expect(all).toMatchObject({
      devicesCollected: 3,
      devicesErased: 5,
      devicesHandedOver: 4,
      rechargesGiven: 2,
      peopleEquipped: 3,
    });
  });
});
