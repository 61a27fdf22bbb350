import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db.js';
import { InvalidTransition, NotFound } from '../errors.js';
import { readReceiptToken } from '../pledges/receiptLink.js';
import { receiptData, renderReceiptPdf } from '../pledges/pledgeReceipt.js';
import type { Secrets } from '../secrets.js';

export const RECEIPT_PATH = '/receipt.pdf';

const query = z.object({ t: z.string().min(1).max(300) });

/** What a donor's browser shows when the link cannot give the receipt (French, then English). */
const TEXTS = {
  invalid: 'Ce lien de reçu n’est pas valide.\nThis receipt link is not valid.',
  expired:
    'Ce lien de reçu a expiré : demandez le reçu à l’association.\n' +
    'This receipt link has expired: ask the association for the receipt.',
  notReady:
    'Ce don n’a pas encore été reçu : le reçu sera disponible après la collecte.\n' +
    'This gift has not been received yet: the receipt will be available after the pickup.',
} as const;

/**
 * `GET /receipt.pdf?t=<token>`: the receipt of one pledge, for the donor who got the link in
 * their chat (donorUpdates.ts). The signed token is the only credential; a wrong, altered or
 * expired one gets a short human answer (404 / 410), never a hint of what exists.
 */
export async function receiptRoute(app: FastifyInstance, deps: { db: Db; secrets: Secrets }): Promise<void> {
  app.get(RECEIPT_PATH, async (request, reply) => {
    const human = (status: number, text: string) =>
      reply
        .status(status)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(text);
    const parsed = query.safeParse(request.query);
    if (!parsed.success) return human(404, TEXTS.invalid);
    const check = readReceiptToken(deps.secrets, parsed.data.t);
    if (check.status === 'invalid') return human(404, TEXTS.invalid);
    if (check.status === 'expired') return human(410, TEXTS.expired);
    try {
      const pdf = await renderReceiptPdf(await receiptData(deps.db, check.pledgeId));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', 'inline; filename="receipt.pdf"')
        .header('cache-control', 'private, no-store')
        .header('referrer-policy', 'no-referrer')
        .send(pdf);
    } catch (error) {
      if (error instanceof NotFound) return human(404, TEXTS.invalid);
      if (error instanceof InvalidTransition) return human(409, TEXTS.notReady);
      throw error;
    }
  });
}
