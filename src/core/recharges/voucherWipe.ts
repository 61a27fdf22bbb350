import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../db.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { REQUEST_TASKS } from '../requests/requestService.js';
import { VOUCHER_WIPE_TASK } from './giveRecharge.js';

export const voucherWipeSchema = z.object({ rechargeId: z.string().uuid(), messageId: z.string().uuid(), round: z.number().int().min(0).default(0) });
const MAX_DELAY_MS = 3_600_000;
/** about a week of hourly checks: a message still pending by then is not going anywhere */
const MAX_ROUNDS = 200;

/**
 * Once the message carrying a voucher has left (SENT) or failed for good, the voucher is
 * erased from Relais: Recharge.voucherCipher and the message content are cleared, and the
 * card is refreshed ("voucher sent"). While the message is still pending (channel offline),
 * the check is re-scheduled with a growing delay through the outbox. Idempotent.
 */
export async function wipeDeliveredVoucher(db: Db, raw: unknown): Promise<{ outcome: 'wiped' | 'waiting'; jobIds: string[] }> {
  const data = voucherWipeSchema.parse(raw);
  return db.$transaction(async (tx) => {
    const message = await tx.message.findUnique({ where: { id: data.messageId }, select: { status: true, sentAt: true } });
    const settled = !message || message.status === 'SENT' || message.status === 'FAILED' || data.round >= MAX_ROUNDS;
    if (!settled) {
      const delay = Math.min(5_000 * 2 ** Math.min(data.round, 20), MAX_DELAY_MS);
      const job = await enqueueTask(tx, VOUCHER_WIPE_TASK, { ...data, round: data.round + 1 }, new Date(Date.now() + delay));
      return { outcome: 'waiting' as const, jobIds: [job] };
    }
    const recharge = await tx.recharge.update({
      where: { id: data.rechargeId },
      data: { voucherCipher: null, ...(message?.status === 'SENT' ? { sentAt: message.sentAt ?? new Date() } : {}) },
      select: { requestId: true },
    });
    await tx.message.updateMany({ where: { id: data.messageId, contentPurgedAt: null }, data: { content: Prisma.DbNull, contentPurgedAt: new Date() } });
    const job = await enqueueTask(tx, REQUEST_TASKS.changed, { requestId: recharge.requestId });
    return { outcome: 'wiped' as const, jobIds: [job] };
  });
}
