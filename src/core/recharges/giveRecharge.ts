import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { ContactUnreachable, NotFound, RequestAlreadyServed, WrongRequestKind } from '../errors.js';
import type { I18n } from '../i18n/i18n.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { queueTextToContact } from '../outbound/queueTextToContact.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { changeRequestStatus } from '../requests/requestService.js';
import type { Secrets } from '../secrets.js';
import { assertCanActOnRequest, type StaffActor } from '../staff/staffAccess.js';

/** Task that wipes the voucher once the message carrying it has reached the person (see voucherWipe.ts). */
export const VOUCHER_WIPE_TASK = 'recharge.wipeVoucher';
export const VOUCHER_WIPE_FIRST_CHECK_MS = 3_000;

export interface RechargeInput {
  requestId: string;
  staff: StaffActor;
  operator: string;
  amountCents: number | null;
  /** a voucher code the person dials, or the reference of a top-up done on their line */
  kind: 'voucher' | 'topup';
  code: string;
}

/**
 * Serves a recharge request: stores the recharge (the voucher encrypted), marks the request
 * SERVED, writes the code to the person in their language (a sensitive message) and
 * schedules the wipe of the voucher once that message has reached them. Recharge.requestId
 * is unique: a second recharge for the same request fails (RequestAlreadyServed). The code is
 * never audited nor logged.
 */
export async function giveRecharge(
  tx: Tx,
  deps: { i18n: I18n; secrets: Secrets },
  input: RechargeInput,
): Promise<{ rechargeId: string; message: DispatchableMessage; jobIds: string[] }> {
  const request = await tx.request.findUnique({
    where: { id: input.requestId },
    select: { id: true, kind: true, status: true, associationId: true, contactId: true, reference: true },
  });
  if (!request) throw new NotFound('request');
  assertCanActOnRequest(input.staff, request);
  if (request.kind !== 'RECHARGE') throw new WrongRequestKind('RECHARGE');
  if (request.status !== 'OPEN' && request.status !== 'CLAIMED') throw new RequestAlreadyServed();
  if (!request.contactId) throw new ContactUnreachable();

  const change = await changeRequestStatus(tx, request.id, {
    to: 'SERVED',
    actor: { type: 'STAFF', id: input.staff.id },
    assigneeId: input.staff.id,
    expectFrom: ['OPEN', 'CLAIMED'],
  });
  const recharge = await tx.recharge.create({
    data: {
      requestId: request.id,
      operator: input.operator,
      amountCents: input.amountCents,
      voucherCipher: deps.secrets.encrypt(input.code),
      givenById: input.staff.id,
    },
    select: { id: true },
  });
  if (!request.associationId)
    await tx.request.update({ where: { id: request.id }, data: { associationId: input.staff.associationId } });
  const amount = input.amountCents === null ? '' : formatEuros(input.amountCents);
  const message = await queueTextToContact(tx, deps.i18n, {
    contactId: request.contactId,
    requestId: request.id,
    key: input.kind === 'voucher' ? 'recharge_given:voucher' : 'recharge_given:topup',
    params: { reference: request.reference, operator: input.operator, amount, code: input.code },
    sensitive: true,
  });
  if (!message) throw new ContactUnreachable();
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: input.staff.id,
    action: 'recharge.given',
    entityType: 'Recharge',
    entityId: recharge.id,
    associationId: request.associationId ?? input.staff.associationId,
    data: { requestId: request.id, operator: input.operator, amountCents: input.amountCents, kind: input.kind },
  });
  const wipe = await enqueueTask(
    tx,
    VOUCHER_WIPE_TASK,
    { rechargeId: recharge.id, messageId: message.id, round: 0 },
    new Date(Date.now() + VOUCHER_WIPE_FIRST_CHECK_MS),
  );
  return { rechargeId: recharge.id, message, jobIds: [change.taskId, wipe] };
}

/** 1000 → "10 €", 550 → "5,50 €" (amounts are shown to people in France). */
export function formatEuros(cents: number): string {
  return cents % 100 === 0 ? `${cents / 100} €` : `${(cents / 100).toFixed(2).replace('.', ',')} €`;
}
