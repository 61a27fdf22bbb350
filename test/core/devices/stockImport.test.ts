import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../../src/core/db.js';
import { withCheckDigit } from '../../../src/core/devices/imei.js';
import { importStock } from '../../../src/core/devices/stockImport.js';
import { NotFound } from '../../../src/core/errors.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase.js';

let database: TestDatabase;
let db: Db;
let associationId = '';
const staff = { type: 'STAFF' as const, id: '6f1c2b8e-3d4a-4e5f-9a0b-1c2d3e4f5a6b' };
const imei = (n: number) => withCheckDigit(String(35925108200000 + n));
const header = 'imei,model,grade,certificate,pledge';
const csvOf = (...rows: string[]) => [header, ...rows].join('\n');

beforeAll(async () => {
  database = await createTestDatabase('stock_import');
  db = createDb({ url: database.url, poolMax: 5, connectTimeoutMs: 5000 });
  associationId = (await db.association.create({ data: { slug: 'auberge', name: "L'Auberge des Migrants" } })).id;
  await db.pledge.create({ data: { reference: 'D-1001', donorKind: 'COMPANY' } });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('importing a delivery into stock', () => {
  it(
    'puts every row of a valid file in stock, linked ' + 'to its pledge, with one audit event by the volunteer',
    async () => {
      const report = await importStock(db, {
        associationId,
        actor: staff,
        csv: csvOf(
          `${imei(1)},Sony Xperia X,A,EC-1,D-1001`,
          `${imei(2)},Sony Xperia X,A,EC-2,`,
          `${imei(3)},Sony Xperia XA,B,EC-3,`,
        ),
      });
      expect(report).toEqual({
        status: 'imported',
        rowCount: 3,
        importedCount: 3,
        summary: [
          { model: 'Sony Xperia X', grade: 'A', count: 2 },
          { model: 'Sony Xperia XA', grade: 'B', count: 1 },
        ],
        errors: [],
        ignoredColumns: [],
      });
      const devices = await db.device.findMany({
        where: { associationId },
        include: { pledge: true },
        orderBy: { imei: 'asc' },
      });
      expect(devices.map((d) => [d.imei, d.status, d.erasureCertificate, d.pledge?.reference ?? null])).toEqual([
        [imei(1), 'IN_STOCK', 'EC-1', 'D-1001'],
        [imei(2), 'IN_STOCK', 'EC-2', null],
        [imei(3), 'IN_STOCK', 'EC-3', null],
      ]);
      const audit = await db.auditEvent.findMany({ where: { action: 'devices.imported' } });
      expect(audit).toEqual([
        expect.objectContaining({
          actorType: 'STAFF',
          actorId: staff.id,
          associationId,
          data: expect.objectContaining({ count: 3 }),
        }),
      ]);
    },
  );

  it('imports nothing when one IMEI has a wrong Luhn digit, and says which line', async () => {
    const bad = imei(11).slice(0, 14) + String((Number(imei(11)[14]) + 3) % 10);
    const report = await importStock(db, {
      associationId,
      actor: staff,
      csv: csvOf(`${imei(10)},Sony Xperia X,A,EC-10,`, `${bad},Sony Xperia X,A,EC-11,`),
    });
    expect(report.status).toBe('rejected');
    expect(report.errors).toEqual([
      { line: 3, column: 'imei', code: 'IMEI_CHECKSUM', message: expect.stringContaining('Luhn'), value: bad },
    ]);
    expect(await db.device.count({ where: { imei: imei(10) } })).toBe(0);
  });

  it('imports nothing when an IMEI is twice in the file', async () => {
    const report = await importStock(db, {
      associationId,
      actor: staff,
      csv: csvOf(`${imei(20)},X,A,EC-20,`, `${imei(21)},X,A,EC-21,`, `${imei(20)},X,A,EC-22,`),
    });
    expect(report).toMatchObject({
      status: 'rejected',
      rowCount: 3,
      importedCount: 0,
      errors: [{ line: 4, code: 'DUPLICATE_IN_FILE', message: 'this IMEI is already on line 2' }],
    });
    expect(await db.device.count({ where: { imei: { in: [imei(20), imei(21)] } } })).toBe(0);
  });

  it('imports nothing when devices are already registered or a pledge is unknown, and lists each problem', async () => {
    const before = await db.device.count();
    const report = await importStock(db, {
      associationId,
      actor: staff,
      csv: csvOf(
        `${imei(30)},X,A,EC-30,`,
        `${imei(1)},X,A,EC-31,`,
        `${imei(32)},X,A,EC-32,D-9999`,
        `${imei(2)},X,A,EC-33,`,
      ),
    });
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'DUPLICATE_IN_DATABASE'],
      [4, 'PLEDGE_UNKNOWN'],
      [5, 'DUPLICATE_IN_DATABASE'],
    ]);
    expect(await db.device.count()).toBe(before);
  });

  it('one report lists format errors and the rows already registered together, without a second try', async () => {
    const before = await db.device.count();
    const bad = imei(60).slice(0, 14) + String((Number(imei(60)[14]) + 1) % 10);
    const csv = csvOf(
      `${imei(61)},X,A,EC-61,`,
      `${bad},X,A,EC-60,`,
      `${imei(1)},X,A,,`,
      `12345,X,A,EC-62,`,
      `${imei(61)},X,A,EC-63,`,
      `${imei(2)},X,A,EC-64,`,
    );
    const report = await importStock(db, { associationId, actor: staff, dryRun: true, csv });
    expect(report.status).toBe('rejected');
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'IMEI_CHECKSUM'],
      [4, 'FIELD_MISSING'],
      [4, 'DUPLICATE_IN_DATABASE'],
      [5, 'IMEI_FORMAT'],
      [6, 'DUPLICATE_IN_FILE'],
      [7, 'DUPLICATE_IN_DATABASE'],
    ]);
    expect(await db.device.count()).toBe(before);
  });

  it('a dry run reports a valid file and changes nothing', async () => {
    const before = await db.device.count();
    const report = await importStock(db, {
      associationId,
      actor: staff,
      dryRun: true,
      csv: csvOf(`${imei(40)},X,A,EC-40,`),
    });
    expect(report).toMatchObject({ status: 'valid', importedCount: 0, errors: [] });
    expect(await db.device.count()).toBe(before);
    expect(await db.auditEvent.count({ where: { action: 'devices.imported' } })).toBe(1);
  });

  it('the same delivery imported twice at once ends in stock exactly once', async () => {
    const csv = csvOf(...Array.from({ length: 40 }, (_, i) => `${imei(100 + i)},Sony Xperia X,A,EC-${100 + i},`));
    const reports = await Promise.all([
      importStock(db, { associationId, actor: staff, csv }),
      importStock(db, { associationId, actor: staff, csv }),
    ]);
    expect(reports.map((r) => r.status).sort()).toEqual(['imported', 'rejected']);
    expect(reports.find((r) => r.status === 'rejected')?.errors).toHaveLength(40);
    expect(
      await db.device.count({ where: { imei: { in: Array.from({ length: 40 }, (_, i) => imei(100 + i)) } } }),
    ).toBe(40);
  });

  it('an unknown association is NotFound', async () => {
    await expect(
      importStock(db, {
        associationId: '0b1e8a4c-1a7e-4c3e-9b1a-2f9d7c1e5a10',
        actor: staff,
        csv: csvOf(`${imei(50)},X,A,EC,`),
      }),
    ).rejects.toBeInstanceOf(NotFound);
  });
});
