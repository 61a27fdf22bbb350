import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../db.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { REQUEST_TASKS } from '../requests/requestService.js';
import { VOUCHER_WIPE_TASK } from './giveRecharge.js';

export const voucherWipeSchema = z.object({
  rechargeId: z.string().uuid(),
  messageId: z.string().uuid(),
  round: z.number().int().min(0).default(0),
});
const MAX_DELAY_MS = 3_600_000;
/** about a week of hourly checks: a message still pending by then is not going anywhere */
const MAX_ROUNDS = 200;
const DAY_MS = 86_400_000;
const sensitiveSchema = z.object({ sensitive: z.literal(true) });

/**
 * Once the message carrying a voucher has reached the person, or failed for good, the voucher
 * is erased from Relais: Recharge.voucherCipher and the message content are cleared, and the
 * card is refreshed ("voucher sent"). Reaching the person: a platform that now holds the text
 * (Telegram, WhatsApp) erased it when it took it; the web chat keeps it until the page has
 * fetched it and asked for what follows (a closed page would otherwise lose the code for good),
 * or until the message retention period (`retentionDays`) is over. Until then the check is
 * re-scheduled with a growing delay (at most hourly) through the outbox. Idempotent.
 */
export async function wipeDeliveredVoucher(
  db: Db,
  raw: unknown,
  options: { retentionDays: number },
  now = new Date(),
): Promise<{ outcome: 'wiped' | 'waiting'; jobIds: string[] }> {
  const data = voucherWipeSchema.parse(raw);
  return db.$transaction(async (tx) => {
    const message = await tx.message.findUnique({
      where: { id: data.messageId },
      select: { status: true, sentAt: true, createdAt: true, content: true, contentPurgedAt: true },
    });
    const expired = message !== null && message.createdAt.getTime() < now.getTime() - options.retentionDays * DAY_MS;
    // a voucher queued before vouchers were sensitive: its platform did not erase it, "sent" is enough
    const sensitive = sensitiveSchema.safeParse(message?.content).success;
    const stillHeld = message?.status === 'SENT' && message.contentPurgedAt === null && sensitive;
    const reached = message?.status === 'SENT' && !stillHeld;
    const givenUp = message?.status === 'PENDING' && data.round >= MAX_ROUNDS;
    const settled = !message || message.status === 'FAILED' || reached || expired || givenUp;
    if (!settled) {
      const delay = Math.min(5_000 * 2 ** Math.min(data.round, 20), MAX_DELAY_MS);
      const next = new Date(now.getTime() + delay);
      const job = await enqueueTask(tx, VOUCHER_WIPE_TASK, { ...data, round: data.round + 1 }, next);
      return { outcome: 'waiting' as const, jobIds: [job] };
    }
    const recharge = await tx.recharge.update({
      where: { id: data.rechargeId },
      data: { voucherCipher: null, ...(reached ? { sentAt: message.sentAt ?? now } : {}) },
      select: { requestId: true },
    });
    await tx.message.updateMany({
      where: { id: data.messageId, contentPurgedAt: null },
      data: { content: Prisma.DbNull, contentPurgedAt: now },
    });
    const job = await enqueueTask(tx, REQUEST_TASKS.changed, { requestId: recharge.requestId });
    return { outcome: 'wiped' as const, jobIds: [job] };
  });
}
