import type { Db } from '../db.js';

export interface StockDevice {
  id: string;
  model: string;
  grade: string | null;
  /** last 4 characters of the IMEI (or serial): enough to find the box, not to identify the phone */
  tail: string;
}

export interface StockLine {
  model: string;
  grade: string | null;
  count: number;
}

/** Devices of an association in stock, oldest first (first in, first out), optionally of one model. */
export async function devicesInStock(
  db: Db,
  associationId: string,
  options: { model?: string | null; limit?: number } = {},
): Promise<StockDevice[]> {
  const devices = await db.device.findMany({
    where: { associationId, status: 'IN_STOCK', ...(options.model ? { model: options.model } : {}) },
    select: { id: true, model: true, grade: true, imei: true, serial: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: options.limit ?? 100,
  });
  return devices.map((d) => ({ id: d.id, model: d.model, grade: d.grade, tail: (d.imei ?? d.serial ?? '').slice(-4) }));
}

/** Stock of an association counted by model and grade (what `/relais stock` and App Home show). */
export async function stockSummary(db: Db, associationId: string): Promise<StockLine[]> {
  const groups = await db.device.groupBy({
    by: ['model', 'grade'],
    where: { associationId, status: 'IN_STOCK' },
    _count: { _all: true },
    orderBy: [{ model: 'asc' }, { grade: 'asc' }],
  });
  return groups.map((g) => ({ model: g.model, grade: g.grade, count: g._count._all }));
}

/** Models an association has in stock with their counts, for the model filter of the allocation modal. */
export async function modelsInStock(db: Db, associationId: string): Promise<Array<{ model: string; count: number }>> {
  const groups = await db.device.groupBy({
    by: ['model'],
    where: { associationId, status: 'IN_STOCK' },
    _count: { _all: true },
    orderBy: { model: 'asc' },
  });
  return groups.map((g) => ({ model: g.model, count: g._count._all }));
}
