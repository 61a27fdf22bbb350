import { randomInt } from 'node:crypto';
import type { Tx } from '../db.js';
import type { Channel } from '../../generated/prisma/enums.js';
import type { Secrets } from '../secrets.js';
import { recordAudit } from '../audit/auditTrail.js';
import { queueStaffAlert } from '../staff/staffAlerts.js';
import type { AddressGuesses } from './addressGuesses.js';
import { countCodeFailures, lockCodeGuesses } from './contactSql.js';

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
 * guesses a channel accepts, whoever makes them. With `address`, wrong codes are also counted
 * per client address (web chat), in Redis.
 */
export interface GuessBudget {
  channel: Channel;
  failuresPerHour: number;
  address?: { key: string; failuresPerHour: number; guesses: AddressGuesses };
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_DIGITS; i++) code += String(randomInt(10));
  return code;
}

/** The keyed hash a code is stored (and carried in a conversation's state) as; never the digits. */
export function codeHash(secrets: Secrets, code: string): string {
  return secrets.hash(`reconnect:${code}`);
}

const DAY_MS = 86_400_000;

type CodeKind = 'PERSONAL' | 'ONE_TIME';

async function issue(
  tx: Tx,
  secrets: Secrets,
  contactId: string,
  kind: CodeKind,
  issuedById: string | null,
  expiresAt: Date,
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode();
    const hash = codeHash(secrets, code);
    const clash = await tx.reconnectCode.findUnique({ where: { codeHash: hash }, select: { id: true } });
    if (clash) continue;
    await tx.reconnectCode.create({ data: { kind, codeHash: hash, contactId, issuedById, expiresAt } });
    return code;
  }
  throw new Error('could not draw a unique reconnection code');
}

/**
 * Draws a new personal code for a person, valid `validityDays` (the old one stops working:
 * only a keyed hash is stored, so a code cannot be shown twice; showing it again is how a
 * person renews it). Returns the code in clear, to show once.
 */
export async function issuePersonalCode(
  tx: Tx,
  secrets: Secrets,
  contactId: string,
  validityDays: number,
  now = new Date(),
): Promise<string> {
  await tx.reconnectCode.deleteMany({ where: { contactId, kind: 'PERSONAL' } });
  return issue(tx, secrets, contactId, 'PERSONAL', null, new Date(now.getTime() + validityDays * DAY_MS));
}

/**
 * A coordinator issues a one-time code (valid 7 days) for a person who lost their phone.
 * Audited, with the request it was asked for.
 */
export async function issueOneTimeCode(
  tx: Tx,
  secrets: Secrets,
  contactId: string,
  staffId: string,
  context: { requestId: string; associationId: string },
): Promise<string> {
  const expiresAt = new Date(Date.now() + ONE_TIME_CODE_DAYS * DAY_MS);
  const code = await issue(tx, secrets, contactId, 'ONE_TIME', staffId, expiresAt);
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: staffId,
    action: 'code.issued',
    entityType: 'Contact',
    entityId: contactId,
    associationId: context.associationId,
    data: { requestId: context.requestId },
  });
  return code;
}

/** Wrong codes recorded on a channel in the last hour (audit events `code.failed`). */
async function recentFailures(tx: Tx, channel: Channel, now: Date): Promise<number> {
  const since = new Date(now.getTime() - BUDGET_WINDOW_MS);
  return countCodeFailures(tx, channel, since);
}

/**
 * Takes the channel's guess lock until the transaction ends: wrong codes of one channel are
 * counted one transaction at a time, so parallel guesses cannot all see "below the cap"
 * (a transaction-scoped advisory lock; the next holder's count sees the previous commit).
 */
async function lockChannelGuesses(tx: Tx, channel: Channel): Promise<void> {
  await lockCodeGuesses(tx, channel);
}

/**
 * Counts a wrong code on the channel; exactly one failure (the one that reaches the cap)
 * pauses it and alerts staff. Returns true when the channel was already over the cap.
 */
async function countChannelFailure(tx: Tx, identityId: string, budget: GuessBudget, now: Date): Promise<boolean> {
  const { channel } = budget;
  await lockChannelGuesses(tx, channel);
  const before = await recentFailures(tx, channel, now);
  await recordAudit(tx, {
    actorType: 'SYSTEM',
    action: 'code.failed',
    entityType: 'ChannelIdentity',
    entityId: identityId,
    data: { channel },
  });
  if (before + 1 === budget.failuresPerHour) {
    await recordAudit(tx, { actorType: 'SYSTEM', action: 'code.paused', entityType: 'Channel', entityId: channel });
    await queueStaffAlert(tx, 'reconnect_codes_paused', { channel });
  }
  return before >= budget.failuresPerHour;
}

/**
 * Checks a code (by its keyed hash) typed from an identity. Five wrong codes lock that identity
 * for an hour. With a `budget`: once a channel has seen `failuresPerHour` wrong codes in the
 * last hour (from any accounts), it pauses: staff are alerted once, and accounts (and client
 * addresses) that typed a wrong code are refused even with the right one, while a correct
 * code from an account that has not failed still works (the pause stops guessing, it must
 * not lock people out); a wrong code then answers "paused". A client address with
 * `address.failuresPerHour` wrong codes in the hour is refused. Each wrong code is audited
 * (`code.failed`: the identity and the channel, never the digits). Does not link anything.
 * `attempt` names this check (the inbound message), so a retried turn counts an address once.
 */
export async function checkReconnectCode(
  tx: Tx,
  identityId: string,
  hash: string,
  now = new Date(),
  budget?: GuessBudget,
  attempt = '',
): Promise<CodeCheck> {
  const identity = await tx.channelIdentity.findUniqueOrThrow({
    where: { id: identityId },
    select: { contactId: true, failedCodeAttempts: true, lockedUntil: true },
  });
  if (identity.lockedUntil && identity.lockedUntil > now) return { result: 'locked', until: identity.lockedUntil };
  const address = budget?.address;
  const addressFailures = address ? await address.guesses.failures(address.key, now) : 0;
  if (address && addressFailures >= address.failuresPerHour) {
    return { result: 'locked', until: new Date(now.getTime() + BUDGET_WINDOW_MS) };
  }
  const found = await tx.reconnectCode.findUnique({
    where: { codeHash: hash },
    select: { contactId: true, kind: true, usedAt: true, expiresAt: true, contact: { select: { status: true } } },
  });
  const unexpired = !found?.expiresAt || found.expiresAt > now;
  const valid = found && !found.usedAt && unexpired && found.contact.status !== 'ERASED';
  if (valid) {
    const hasFailed = identity.failedCodeAttempts > 0 || identity.lockedUntil !== null || addressFailures > 0;
    const paused = budget && hasFailed && (await recentFailures(tx, budget.channel, now)) >= budget.failuresPerHour;
    if (paused) return { result: 'paused' };
    if (found.contactId === identity.contactId) return { result: 'self' };
    return { result: 'ok', contactId: found.contactId, kind: found.kind };
  }
  const failed = identity.failedCodeAttempts + 1;
  const locked = failed >= MAX_FAILED_ATTEMPTS;
  await tx.channelIdentity.update({
    where: { id: identityId },
    data: { failedCodeAttempts: locked ? 0 : failed, lockedUntil: locked ? new Date(now.getTime() + LOCK_MS) : null },
  });
  const overCap = budget ? await countChannelFailure(tx, identityId, budget, now) : false;
  if (address) await address.guesses.record(address.key, now, `${identityId}:${now.getTime()}:${attempt}`);
  if (locked) {
    await recordAudit(tx, {
      actorType: 'SYSTEM',
      action: 'code.locked',
      entityType: 'ChannelIdentity',
      entityId: identityId,
    });
    return { result: 'locked', until: new Date(now.getTime() + LOCK_MS) };
  }
  if (overCap) return { result: 'paused' };
  return { result: 'invalid', attemptsLeft: MAX_FAILED_ATTEMPTS - failed };
}

export interface LinkedIdentity {
  contactId: string;
  /** the person's accounts other than the linked one, as they were before the link */
  previousIdentities: Array<{ id: string; channel: Channel }>;
}

/**
 * Moves an identity (a new phone number or app) to the person the code belongs to, after
 * the person confirmed. Re-checks the code (by its hash) in the same transaction; a one-time
 * code is used up. The requests and follow-ups of that person continue on the new identity;
 * the person's record notes when (`accountLinkedAt`, shown on request cards).
 */
export async function linkIdentity(
  tx: Tx,
  identityId: string,
  hash: string,
  now = new Date(),
): Promise<LinkedIdentity | null> {
  const check = await checkReconnectCode(tx, identityId, hash, now);
  if (check.result !== 'ok') return null;
  const { contactId, kind } = check;
  if (kind === 'ONE_TIME') await tx.reconnectCode.update({ where: { codeHash: hash }, data: { usedAt: now } });
  const previousIdentities = await tx.channelIdentity.findMany({
    where: { contactId, id: { not: identityId } },
    select: { id: true, channel: true },
  });
  const { profileIds } = await tx.channelIdentity.findUniqueOrThrow({
    where: { id: identityId },
    select: { profileIds: true },
  });
  await tx.channelIdentity.update({
    where: { id: identityId },
    data: {
      contactId,
      failedCodeAttempts: 0,
      lockedUntil: null,
      lastSeenAt: now,
      profileIds: [...new Set([...profileIds, contactId])],
    },
  });
  await tx.contact.update({ where: { id: contactId }, data: { accountLinkedAt: now } });
  await recordAudit(tx, {
    actorType: 'CONTACT',
    actorId: contactId,
    action: 'identity.linked',
    entityType: 'Contact',
    entityId: contactId,
    data: { codeKind: kind, previousAccounts: previousIdentities.length },
  });
  return { contactId, previousIdentities };
}
