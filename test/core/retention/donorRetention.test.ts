import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impactFigures } from '../../../src/core/impact/impactFigures.js';
import { readDonorDetails } from '../../../src/core/pledges/pledgeDraft.js';
import { purgeExpiredData } from '../../../src/core/retention/retentionPurge.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

const DAY = 86_400_000;
let t: TestRelais;
beforeAll(async () => {
  t = await startTestRelais('donor_retention', { DONOR_RETENTION_DAYS: '30' }, { workers: false });
});
afterAll(async () => {
  await t?.close();
});

describe('donor retention', () => {
  it(
    'erases donor contact details DONOR_RETENTION_DAYS after the pledge is closed; open and recent pledges keep ' +
      'them, counts stay',
    async () => {
      const { db } = t.relais;
      const now = new Date();
      const donor = { name: 'Claire Martin', email: 'claire@example.com', address: '1 rue X, 62100 Calais' };
      const contact = await db.contact.create({ data: { language: 'fr', kind: 'DONOR' } });
      const pledge = (reference: string, status: 'CLOSED' | 'CANCELLED' | 'SCHEDULED', closedDaysAgo: number | null) =>
        db.pledge.create({
          data: {
            reference,
            donorKind: 'COMPANY',
            status,
            contactId: contact.id,
            donorDetails: donor,
            items: [{ kind: 'laptop', quantity: 4 }],
            ...(closedDaysAgo !== null ? { closedAt: new Date(now.getTime() - closedDaysAgo * DAY) } : {}),
          },
        });
      const old = await pledge('D-8001', 'CLOSED', 31);
      await pledge('D-8002', 'CANCELLED', 45);
      await pledge('D-8003', 'CLOSED', 29);
      await pledge('D-8004', 'SCHEDULED', null);
      const device = await db.device.create({
        data: { kind: 'LAPTOP', model: 'ThinkPad', serial: 'SN-8001', status: 'COLLECTED', pledgeId: old.id },
      });
      await db.auditEvent.create({
        data: { actorType: 'API', action: 'device.collected', entityType: 'Device', entityId: device.id },
      });
      const before = await impactFigures(db);

      const counts = await purgeExpiredData(db, t.config, now);
      expect(counts.donorDetails).toBe(2);
      const after = await db.pledge.findMany({
        orderBy: { reference: 'asc' },
        select: { reference: true, donorDetails: true, contactId: true, donorDetailsErasedAt: true, items: true },
      });
      expect(after.map((p) => [p.reference, readDonorDetails(p.donorDetails)?.name ?? null, p.contactId])).toEqual([
        ['D-8001', null, null],
        ['D-8002', null, null],
        ['D-8003', 'Claire Martin', contact.id],
        ['D-8004', 'Claire Martin', contact.id],
      ]);
      expect(JSON.stringify(after.slice(0, 2))).not.toContain('claire');
      expect(after[0]?.items).toEqual([{ kind: 'laptop', quantity: 4 }]);
      expect(await db.device.count({ where: { pledgeId: old.id } })).toBe(1);
      expect(await impactFigures(db)).toEqual(before);
      expect((await purgeExpiredData(db, t.config, now)).donorDetails).toBe(0);
    },
  );
});
