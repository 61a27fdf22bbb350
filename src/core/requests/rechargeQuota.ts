import type { Tx } from '../db.js';

export interface RechargeQuota {
  /** recharges a person may ask for in the period without a volunteer's decision */
  count: number;
  days: number;
}

/**
 * Whether one more recharge request would exceed the quota: counts the person's recharge
 * requests of the last `days` days in the database (cancelled ones do not count). The
 * inbound path locks the person's row, so two requests of one person cannot both slip under.
 */
export async function isOverRechargeQuota(tx: Tx, contactId: string, quota: RechargeQuota, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - quota.days * 86_400_000);
  const recent = await tx.request.count({
    where: { contactId, kind: 'RECHARGE', createdAt: { gte: since }, status: { not: 'CANCELLED' } },
  });
  return recent >= quota.count;
}
