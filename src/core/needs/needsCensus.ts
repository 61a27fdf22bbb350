import { z } from 'zod';
import { recordAudit } from '../audit/auditTrail.js';
import type { Db, Tx } from '../db.js';
import type { StaffActor } from '../staff/staffAccess.js';
import { handedOverSince } from './needsSql.js';

/** Monthly needs an association declares (devices and recharges per month). */
export const needsSchema = z.object({
  phonesPerMonth: z.number().int().min(0).max(10_000),
  laptopsPerMonth: z.number().int().min(0).max(10_000),
  tabletsPerMonth: z.number().int().min(0).max(10_000),
  rechargesPerMonth: z.number().int().min(0).max(10_000),
});
export type Needs = z.infer<typeof needsSchema>;
export const NEEDS_FIELDS = [
  'phonesPerMonth',
  'laptopsPerMonth',
  'tabletsPerMonth',
  'rechargesPerMonth',
] as const satisfies ReadonlyArray<keyof Needs>;

/** Device kinds a need is about; recharges have no device. */
export const NEED_OF_DEVICE = {
  SMARTPHONE: 'phonesPerMonth',
  LAPTOP: 'laptopsPerMonth',
  TABLET: 'tabletsPerMonth',
} as const;
export type NeededDeviceKind = keyof typeof NEED_OF_DEVICE;

/** An association's census line with what it received this month. */
export interface NeedsLine extends Needs {
  associationId: string;
  associationName: string;
  /** devices handed over this (UTC) month, by kind */
  handedOver: Record<NeededDeviceKind, number>;
}

/**
 * Saves the census of the staff member's association (one row per association, replaced
 * each time) and audits it as `needs.updated` with the new figures.
 */
export async function saveNeeds(tx: Tx, staff: StaffActor, needs: Needs): Promise<string> {
  const values = needsSchema.parse(needs);
  const row = await tx.needsCensus.upsert({
    where: { associationId: staff.associationId },
    create: { associationId: staff.associationId, ...values, updatedById: staff.id },
    update: { ...values, updatedById: staff.id },
    select: { id: true },
  });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: staff.id,
    action: 'needs.updated',
    entityType: 'NeedsCensus',
    entityId: row.id,
    associationId: staff.associationId,
    data: values,
  });
  return row.id;
}

/** An association's last census (to prefill the form), or null before its first. */
export async function currentNeeds(db: Db, associationId: string): Promise<Needs | null> {
  return db.needsCensus.findUnique({
    where: { associationId },
    select: { phonesPerMonth: true, laptopsPerMonth: true, tabletsPerMonth: true, rechargesPerMonth: true },
  });
}

/** First instant of the current month in UTC (the census is "per month"; a simple calendar month is close enough). */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Every association's census, with the devices it handed over since the start of this month. */
export async function needsLines(db: Db, now = new Date()): Promise<NeedsLine[]> {
  const [rows, handed] = await Promise.all([
    db.needsCensus.findMany({
      include: { association: { select: { name: true } } },
      orderBy: { association: { name: 'asc' } },
    }),
    handedOverSince(db, monthStart(now)),
  ]);
  return rows.map((r) => {
    const handedOver: Record<NeededDeviceKind, number> = { SMARTPHONE: 0, LAPTOP: 0, TABLET: 0 };
    for (const h of handed)
      if (h.associationId === r.associationId && isNeededKind(h.kind)) handedOver[h.kind] = h.count;
    return {
      associationId: r.associationId,
      associationName: r.association.name,
      phonesPerMonth: r.phonesPerMonth,
      laptopsPerMonth: r.laptopsPerMonth,
      tabletsPerMonth: r.tabletsPerMonth,
      rechargesPerMonth: r.rechargesPerMonth,
      handedOver,
    };
  });
}

const isNeededKind = (kind: string): kind is NeededDeviceKind => kind in NEED_OF_DEVICE;

/** What is still needed this month for one kind: declared need minus devices handed over (never below 0). */
export function unmetNeed(line: NeedsLine, kind: NeededDeviceKind): number {
  return Math.max(0, line[NEED_OF_DEVICE[kind]] - line.handedOver[kind]);
}

/** Network totals of the census lines. */
export function needsTotals(lines: NeedsLine[]): Needs & { unmet: Record<NeededDeviceKind, number> } {
  const sum = (f: (l: NeedsLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  return {
    phonesPerMonth: sum((l) => l.phonesPerMonth),
    laptopsPerMonth: sum((l) => l.laptopsPerMonth),
    tabletsPerMonth: sum((l) => l.tabletsPerMonth),
    rechargesPerMonth: sum((l) => l.rechargesPerMonth),
    unmet: {
      SMARTPHONE: sum((l) => unmetNeed(l, 'SMARTPHONE')),
      LAPTOP: sum((l) => unmetNeed(l, 'LAPTOP')),
      TABLET: sum((l) => unmetNeed(l, 'TABLET')),
    },
  };
}

/**
 * The association a pledge of this device kind should go to: the largest unmet need this
 * month (ties: alphabetical), or null when nobody declared an unmet need for it.
 */
export function suggestAssociation(
  lines: NeedsLine[],
  kind: NeededDeviceKind,
): { associationId: string; associationName: string; unmet: number } | null {
  let best: { associationId: string; associationName: string; unmet: number } | null = null;
  for (const line of lines) {
    const unmet = unmetNeed(line, kind);
    if (unmet > 0 && (!best || unmet > best.unmet))
      best = { associationId: line.associationId, associationName: line.associationName, unmet };
  }
  return best;
}
