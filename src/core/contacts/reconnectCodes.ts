import { randomInt } from 'node:crypto';
import type { Tx } from '../db.js';
import type { Channel } from '../../generated/prisma/enums.js';
import type { Secrets } from '../secrets.js';
import { recordAudit } from '../audit/auditTrail.js';
import { queueStaffAlert } from '../staff/staffAlerts.js';
import { normalizeDigits } from '../../flows/engine/parseInput.js';

/** 10 digits: readable in any script (digits are typed in Latin, Arabic-Indic or Persian). */
export const CODE_DIGITS = 10;
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MS = 60 * 60_000;
export const ONE_TIME_CODE_DAYS = 7;

export type CodeCheck =
  | { result: 'ok'; contactId: string; kind: 'PERSONAL' | 'ONE_TIME' }
  | { result: 'invalid'; attemptsLeft: number }
  | { result: 'locked'; until: Date }
  | { result: 'paused' }
  | { result: 'self' };

const BUDGET_WINDOW_MS = 60 * 60_000;

/**
 * Wrong codes tolerated per channel and hour, all accounts together. The per-account lock does
 * not stop someone who opens many accounts (a web chat session costs nothing); this caps the
 * guesses a channel accepts, whoever makes them.
 */
export interface GuessBudget {
  channel: Channel;
  failuresPerHour: number;
}

/** Shows a code as "4827 1930 56" (digits in groups, easier to copy by hand). */
export function formatCode(code: string): string {
  return code.replace(/(\d{4})(\d{4})(\d{2})/, '$1 $2 $3');
}

/** Keeps the digits of what a person typed ("٤٨٢٧ ١٩٣٠ ٥٦" → "4827193056"); null if it cannot be a code. */
export function parseCode(text: string): string | null {
  const digits = normalizeDigits(text).replace(/[\s\-.]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_DIGITS; i++) code += String(randomInt(10));
  return code;
}

async function issue(tx: Tx, secrets: Secrets, contactId: string, kind: 'PERSONAL' | 'ONE_TIME', issuedById: string | null): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode();
    const codeHash = secrets.hash(`reconnect:${code}`);
    const clash = await tx.reconnectCode.findUnique({ where: { codeHash }, select: { id: true } });
    if (clash) continue;
    await tx.reconnectCode.create({
      data: { kind, codeHash, contactId, issuedById, ...(kind === 'ONE_TIME' ? { expiresAt: new Date(Date.now() + ONE_TIME_CODE_DAYS * 86_400_000) } : {}) },
    });
    return code;
  }
  throw new Error('could not draw a unique reconnection code');
}

/**
 * Draws a new personal code for a person (the old one stops working: only a keyed hash is
 * stored, so a code cannot be shown twice). Returns the code in clear, to show once.
 */
export async function issuePersonalCode(tx: Tx, secrets: Secrets, contactId: string): Promise<string> {
  await tx.reconnectCode.deleteMany({ where: { contactId, kind: 'PERSONAL' } });
  return issue(tx, secrets, contactId, 'PERSONAL', null);
}

/** A volunteer issues a one-time code (valid 7 days) for a person who lost their phone. Audited. */
export async function issueOneTimeCode(tx: Tx, secrets: Secrets, contactId: string, staffId: string): Promise<string> {
  const code = await issue(tx, secrets, contactId, 'ONE_TIME', staffId);
  await recordAudit(tx, { actorType: 'STAFF', actorId: staffId, action: 'code.issued', entityType: 'Contact', entityId: contactId });
  return code;
}

/** Wrong codes recorded on a channel in the last hour (audit events `code.failed`). */
async function recentFailures(tx: Tx, channel: Channel, now: Date): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM "AuditEvent"
    WHERE action = 'code.failed' AND at > ${new Date(now.getTime() - BUDGET_WINDOW_MS)}::timestamp AND data->>'channel' = ${channel}`;
  return row?.n ?? 0;
}

/**
 * Checks a code typed from an identity. Five wrong codes lock that identity for an hour; with a
 * `budget`, once a channel has seen `failuresPerHour` wrong codes in the last hour (from any
 * accounts), every check on it pauses until the hour has passed, and staff are alerted once.
 * Each wrong code is audited (`code.failed`: the identity and the channel, never the digits).
 * Does not link anything.
 */
export async function checkReconnectCode(tx: Tx, secrets: Secrets, identityId: string, typed: string, now = new Date(), budget?: GuessBudget): Promise<CodeCheck> {
  const identity = await tx.channelIdentity.findUniqueOrThrow({ where: { id: identityId }, select: { contactId: true, failedCodeAttempts: true, lockedUntil: true } });
  if (identity.lockedUntil && identity.lockedUntil > now) return { result: 'locked', until: identity.lockedUntil };
  const failuresSoFar = budget ? await recentFailures(tx, budget.channel, now) : 0;
  if (budget && failuresSoFar >= budget.failuresPerHour) return { result: 'paused' };
  const code = parseCode(typed);
  const found = code
    ? await tx.reconnectCode.findUnique({ where: { codeHash: secrets.hash(`reconnect:${code}`) }, select: { contactId: true, kind: true, usedAt: true, expiresAt: true, contact: { select: { status: true } } } })
    : null;
  const valid = found && !found.usedAt && (!found.expiresAt || found.expiresAt > now) && found.contact.status !== 'ERASED';
  if (!valid) {
    const failed = identity.failedCodeAttempts + 1;
    const locked = failed >= MAX_FAILED_ATTEMPTS;
    await tx.channelIdentity.update({
      where: { id: identityId },
      data: { failedCodeAttempts: locked ? 0 : failed, lockedUntil: locked ? new Date(now.getTime() + LOCK_MS) : null },
    });
    if (budget) {
      await recordAudit(tx, { actorType: 'SYSTEM', action: 'code.failed', entityType: 'ChannelIdentity', entityId: identityId, data: { channel: budget.channel } });
      if (failuresSoFar + 1 === budget.failuresPerHour) {
        await recordAudit(tx, { actorType: 'SYSTEM', action: 'code.paused', entityType: 'Channel', entityId: budget.channel });
        await queueStaffAlert(tx, 'reconnect_codes_paused', { channel: budget.channel });
      }
    }
    if (locked) {
      await recordAudit(tx, { actorType: 'SYSTEM', action: 'code.locked', entityType: 'ChannelIdentity', entityId: identityId });
      return { result: 'locked', until: new Date(now.getTime() + LOCK_MS) };
    }
    return { result: 'invalid', attemptsLeft: MAX_FAILED_ATTEMPTS - failed };
  }
  if (found.contactId === identity.contactId) return { result: 'self' };
  return { result: 'ok', contactId: found.contactId, kind: found.kind };
}

/**
 * Moves an identity (a new phone number or app) to the person the code belongs to, after
 * the person confirmed. Re-checks the code in the same transaction; a one-time code is used
 * up. The requests and follow-ups of that person continue on the new identity.
 */
export async function linkIdentity(tx: Tx, secrets: Secrets, identityId: string, typed: string): Promise<{ contactId: string } | null> {
  const check = await checkReconnectCode(tx, secrets, identityId, typed);
  if (check.result !== 'ok') return null;
  const code = parseCode(typed);
  if (code && check.kind === 'ONE_TIME') await tx.reconnectCode.update({ where: { codeHash: secrets.hash(`reconnect:${code}`) }, data: { usedAt: new Date() } });
  const identity = await tx.channelIdentity.findUniqueOrThrow({ where: { id: identityId }, select: { profileIds: true } });
  await tx.channelIdentity.update({
    where: { id: identityId },
    data: { contactId: check.contactId, failedCodeAttempts: 0, lockedUntil: null, lastSeenAt: new Date(), profileIds: [...new Set([...identity.profileIds, check.contactId])] },
  });
  await recordAudit(tx, { actorType: 'CONTACT', actorId: check.contactId, action: 'identity.linked', entityType: 'Contact', entityId: check.contactId, data: { codeKind: check.kind } });
  return { contactId: check.contactId };
}
