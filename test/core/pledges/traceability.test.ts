import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../../src/core/devices/imei.js';
import { allocateDevice } from '../../../src/core/devices/allocateDevice.js';
import { handOverDevice } from '../../../src/core/devices/handOverDevice.js';
import { receiptData } from '../../../src/core/pledges/pledgeReceipt.js';
import { receiptToken } from '../../../src/core/pledges/receiptLink.js';
import { sendDonorUpdate } from '../../../src/core/pledges/donorUpdates.js';
import { createPledge, queueDonorUpdate } from '../../../src/core/pledges/pledgeService.js';
import { createRequest } from '../../../src/core/requests/requestService.js';
import { prismaRunner } from '../../../src/core/db/sqlRunner.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

const ADMIN_TOKEN = 'traceability-admin-token-0123456789';
let t: TestRelais;
beforeAll(async () => {
  t = await startTestRelais('traceability', { ADMIN_TOKEN, PUBLIC_URL: 'https://relais.example.org' });
});
afterAll(async () => {
  await t?.close();
});

function api(method: 'GET' | 'POST', url: string, body?: Record<string, unknown>) {
  return t.relais.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(body ? { payload: body } : {}),
  });
}

/** A person who wrote to us on the web chat (so Relais can answer them). */
async function contactOnWeb(language: string, platformId: string) {
  const { db, secrets } = t.relais;
  const contact = await db.contact.create({ data: { language, consentAt: new Date() } });
  await db.channelIdentity.create({
    data: {
      channel: 'WEB',
      platformIdHash: secrets.hash(`WEB:${platformId}`),
      addressCipher: secrets.encrypt(platformId),
      contactId: contact.id,
    },
  });
  return contact;
}

async function textsTo(contactId: string): Promise<string[]> {
  const rows = await t.relais.db.message.findMany({
    where: { contactId, direction: 'OUTBOUND' },
    orderBy: { seq: 'asc' },
    select: { content: true },
  });
  return rows.map((r) =>
    r.content && typeof r.content === 'object' && 'text' in r.content ? String(r.content.text) : '',
  );
}

describe('traceability of a donated phone', () => {
  it(
    "rebuilds a device's full history, pledge to hand-over, from the audit trail; the donor hears of each step, " +
      "without anyone's identity",
    async () => {
      const { db, i18n } = t.relais;
      const association = await db.association.create({ data: { slug: 'trace-calais', name: 'Trace Calais' } });
      const staff = await db.staffMember.create({
        data: { slackUserId: 'UTRACE01', associationId: association.id, role: 'COORDINATOR', language: 'fr' },
      });
      const donor = await contactOnWeb('fr', 'trace-donor-session-0001');
      const person = await contactOnWeb('ar', 'trace-person-session-0001');
      const { pledge } = await db.$transaction((tx) =>
        createPledge(tx, {
          contactId: donor.id,
          draft: {
            kind: 'EQUIPMENT',
            donorKind: 'COMPANY',
            items: [{ kind: 'smartphone', quantity: 1 }],
            postcode: '62100',
            donor: { name: 'Claire Martin', organisation: 'Martin Transports SA', email: 'claire@example.com' },
            certificateRequired: true,
          },
        }),
      );
      expect(pledge.reference).toMatch(/^D-\d{4,}$/);

      expect((await api('GET', `/pledges/${pledge.id}/receipt.pdf`)).statusCode).toBe(409);
      const scheduled = await api('POST', `/pledges/${pledge.id}/status`, {
        status: 'SCHEDULED',
        scheduledAt: '2026-12-03T09:00:00Z',
        refurbisher: 'Atelier du Bocage',
      });
      expect(scheduled.json()).toMatchObject({ status: 'SCHEDULED', refurbisher: 'Atelier du Bocage' });
      const imei = withCheckDigit('35209900176148');
      const collected = await api('POST', `/pledges/${pledge.id}/devices`, {
        devices: [{ kind: 'SMARTPHONE', model: 'Fairphone 3', imei }],
      });
      expect(collected.statusCode).toBe(201);
      const [deviceId = ''] = collected.json<{ deviceIds: string[] }>().deviceIds;
      expect((await api('POST', `/devices/${deviceId}/status`, { status: 'REFURBISHED', grade: 'A' })).statusCode).toBe(
        409,
      );
      expect(
        (await api('POST', `/devices/${deviceId}/status`, { status: 'ERASED', certificate: 'CERT-2026-778' }))
          .statusCode,
      ).toBe(200);
      expect((await api('POST', `/devices/${deviceId}/status`, { status: 'REFURBISHED', grade: 'A' })).statusCode).toBe(
        200,
      );
      expect(
        (await api('POST', `/devices/${deviceId}/status`, { status: 'IN_STOCK', associationId: association.id }))
          .statusCode,
      ).toBe(200);
      expect(await db.pledge.findUniqueOrThrow({ where: { id: pledge.id }, select: { status: true } })).toEqual({
        status: 'PROCESSED',
      });

      const staffActor = {
        id: staff.id,
        slackUserId: staff.slackUserId,
        associationId: association.id,
        role: staff.role,
        language: 'fr',
      };
      await db.$transaction(async (tx) => {
        const { request } = await createRequest(prismaRunner(tx), {
          kind: 'PHONE',
          contactId: person.id,
          associationId: association.id,
          details: { forWhom: 'self', situation: 'lost' },
        });
        await allocateDevice(tx, i18n, {
          requestId: request.id,
          deviceId,
          staff: staffActor,
          timeZone: 'Europe/Paris',
        });
        await handOverDevice(tx, { requestId: request.id, staff: staffActor });
      });
      expect((await api('POST', `/pledges/${pledge.id}/status`, { status: 'CLOSED' })).statusCode).toBe(200);

      const receipt = await api('GET', `/pledges/${pledge.id}/receipt.pdf`);
      expect(receipt.statusCode).toBe(200);
      expect(receipt.headers['content-type']).toBe('application/pdf');
      expect(receipt.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(await receiptData(db, pledge.id)).toMatchObject({
        reference: pledge.reference,
        organisation: 'Martin Transports SA',
        donorName: 'Claire Martin',
        devices: [{ model: 'Fairphone 3', identifier: imei, certificate: 'CERT-2026-778' }],
      });
      mkdirSync('test-results', { recursive: true });
      writeFileSync('test-results/pledge-receipt.pdf', receipt.rawPayload);

      const history = (await api('GET', `/devices/${deviceId}/history`)).json<{
        steps: Array<{ action: string; at: string; data: unknown }>;
      }>().steps;
      expect(history.map((s) => s.action)).toEqual([
        'pledge.created',
        'pledge.scheduled',
        'device.collected',
        'pledge.collected',
        'device.erased',
        'device.refurbished',
        'device.in_stock',
        'pledge.processed',
        'device.allocated',
        'device.handed_over',
        'pledge.closed',
      ]);
      const times = history.map((s) => Date.parse(s.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(history.find((s) => s.action === 'device.erased')?.data).toMatchObject({
        erasureCertificate: 'CERT-2026-778',
        pledgeId: pledge.id,
      });
      const trail = JSON.stringify(history);
      for (const secret of ['Claire', 'claire@example.com', 'Martin Transports', person.id, donor.id])
        expect(trail).not.toContain(secret);

      const updates = await eventually(async () => {
        const texts = await textsTo(donor.id);
        return texts.length >= 5 ? texts : undefined;
      }, 15_000);
      const fr = (key: string, params: Record<string, string | number>) => i18n.t('fr', key, params);
      expect(updates[0]).toContain(
        fr('donor:update_scheduled', {
          reference: pledge.reference,
          date: 'jeudi 3 décembre',
          refurbisher: 'Atelier du Bocage',
        }),
      );
      expect(updates.join('\n')).toContain(fr('donor:update_collected', { reference: pledge.reference }));
      expect(updates.join('\n')).toContain(
        fr('donor:update_processed', { reference: pledge.reference, count: 1, certificates: 'CERT-2026-778' }),
      );
      expect(updates.join('\n')).toContain(fr('donor:update_handed_over', { reference: pledge.reference, count: 1 }));
      expect(updates.join('\n')).toContain(
        fr('donor:update_closed', { reference: pledge.reference, count: 1, kg: 0.2, co2: 30 }),
      );
      expect(updates.every((text) => text.endsWith(i18n.t('fr', 'donor:updates_footer')))).toBe(true);
    },
  );

  it('milestones reach the donor in the order they happened, even when a later one is picked up first', async () => {
    const { db, i18n, config } = t.relais;
    const donor = await contactOnWeb('en', 'trace-donor-session-0003');
    const { pledge } = await db.$transaction((tx) =>
      createPledge(tx, {
        contactId: donor.id,
        draft: { kind: 'EQUIPMENT', donorKind: 'COMPANY', items: [{ kind: 'laptop', quantity: 2 }], postcode: '59000' },
      }),
    );
    await db.$transaction((tx) => queueDonorUpdate(tx, pledge.id, 'scheduled'));
    await db.$transaction((tx) => queueDonorUpdate(tx, pledge.id, 'collected'));
    // the "collected" task runs before the "scheduled" one (the task worker may also race us): "scheduled" still goes
    // first, once
    await sendDonorUpdate(
      db,
      { i18n, config, secrets: t.relais.secrets },
      { pledgeId: pledge.id, milestone: 'collected' },
    );
    expect(
      (
        await sendDonorUpdate(
          db,
          { i18n, config, secrets: t.relais.secrets },
          { pledgeId: pledge.id, milestone: 'scheduled' },
        )
      ).outcome,
    ).toBe('already sent');
    const texts = await textsTo(donor.id);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(
      i18n.t('en', 'donor:update_scheduled', { reference: pledge.reference, date: '—', refurbisher: '—' }),
    );
    expect(texts[1]).toContain(i18n.t('en', 'donor:update_collected', { reference: pledge.reference }));
  });

  it(
    'the donor opens their receipt from the link in the "received" message; a forged, expired or early link opens ' +
      'nothing',
    async () => {
      const { db, i18n, secrets } = t.relais;
      const donor = await contactOnWeb('fr', 'trace-donor-session-0004');
      const { pledge } = await db.$transaction((tx) =>
        createPledge(tx, {
          contactId: donor.id,
          draft: {
            kind: 'EQUIPMENT',
            donorKind: 'COMPANY',
            items: [{ kind: 'laptop', quantity: 1 }],
            postcode: '62100',
            donor: { name: 'Jeanne Roux', organisation: 'Roux Logistique', email: 'jeanne@example.com' },
          },
        }),
      );
      const early = await t.relais.app.inject({
        method: 'GET',
        url: `/receipt.pdf?t=${receiptToken(secrets, pledge.id, new Date(Date.now() + 60_000))}`,
      });
      expect(early.statusCode).toBe(409);
      expect(
        (
          await api('POST', `/pledges/${pledge.id}/devices`, {
            devices: [{ kind: 'LAPTOP', model: 'ThinkPad T480', serial: 'PF1ABCDE' }],
          })
        ).statusCode,
      ).toBe(201);
      const received = await eventually(
        async () =>
          (await textsTo(donor.id)).find((text) => text.includes(pledge.reference) && text.includes('/receipt.pdf?t=')),
        15_000,
      );
      expect(received).toContain(i18n.t('fr', 'donor:update_collected', { reference: pledge.reference }));
      const link = new URL(
        /https:\/\/relais\.example\.org\/receipt\.pdf\?t=[A-Za-z0-9_.-]+/.exec(received)?.[0] ?? 'https://x/',
      );
      expect(link.searchParams.get('t')).toBeTruthy();
      const pdf = await t.relais.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['cache-control']).toContain('no-store');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

      const token = link.searchParams.get('t') ?? '';
      const forged = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
      const otherPledge = token.replace(
        /^[^.]+/,
        Buffer.from(`${donor.id}.${Math.floor(Date.now() / 1000) + 3600}`).toString('base64url'),
      );
      for (const bad of [forged, otherPledge, 'nonsense', '']) {
        const answer = await t.relais.app.inject({ method: 'GET', url: `/receipt.pdf?t=${encodeURIComponent(bad)}` });
        expect(answer.statusCode).toBe(404);
        expect(answer.headers['content-type']).toContain('text/plain');
        expect(answer.body).toContain('This receipt link is not valid');
      }
      const expired = await t.relais.app.inject({
        method: 'GET',
        url: `/receipt.pdf?t=${receiptToken(secrets, pledge.id, new Date(Date.now() - 1000))}`,
      });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('expired');
    },
  );

  it('a donor who opted out gets no milestone message; the pledge still moves and is audited', async () => {
    const { db } = t.relais;
    const donor = await contactOnWeb('en', 'trace-donor-session-0002');
    await db.contact.update({ where: { id: donor.id }, data: { donorUpdates: false } });
    const { pledge } = await db.$transaction((tx) =>
      createPledge(tx, {
        contactId: donor.id,
        draft: { kind: 'PICKUP', donorKind: 'INDIVIDUAL', items: [{ kind: 'laptop', quantity: 3 }], volumeM3: 3 },
      }),
    );
    expect(
      (
        await api('POST', `/pledges/${pledge.id}/status`, {
          status: 'SCHEDULED',
          scheduledAt: '2026-12-05T09:00:00Z',
          refurbisher: 'Envie',
        })
      ).statusCode,
    ).toBe(200);
    await eventually(
      async () => (await db.outboxJob.count({ where: { name: 'pledge.donorUpdate', status: 'DONE' } })) >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await textsTo(donor.id)).toEqual([]);
    expect(await db.auditEvent.count({ where: { entityId: pledge.id, action: 'pledge.scheduled' } })).toBe(1);
    expect((await api('POST', `/pledges/${pledge.id}/status`, { status: 'PROCESSED' })).statusCode).toBe(409);
  });
});
