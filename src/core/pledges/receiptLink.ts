import { z } from 'zod';
import { safeEqual, type Secrets } from '../secrets.js';

/** How long the link in a donor's message opens their receipt. */
export const RECEIPT_LINK_DAYS = 30;
/** 128 bits of HMAC-SHA-256: the link cannot be guessed or altered. */
const SIGNATURE_LENGTH = 32;
const DAY_MS = 86_400_000;

function signature(secrets: Secrets, payload: string): string {
  return secrets.hash(`receipt-link:${payload}`).slice(0, SIGNATURE_LENGTH);
}

/**
 * A signed, expiring token that opens one pledge's receipt, for the donor's own chat. It holds
 * the pledge id and the expiry, nothing personal; it goes in the query string, which the
 * request logs drop.
 */
export function receiptToken(secrets: Secrets, pledgeId: string, expiresAt: Date): string {
  const payload = Buffer.from(`${pledgeId}.${Math.floor(expiresAt.getTime() / 1000)}`).toString('base64url');
  return `${payload}.${signature(secrets, payload)}`;
}

/** The link to send a donor (undefined when PUBLIC_URL is not set: no one could open it). */
export function receiptUrl(
  publicUrl: string | undefined,
  secrets: Secrets,
  pledgeId: string,
  now: Date,
): string | undefined {
  if (!publicUrl) return undefined;
  const url = new URL('/receipt.pdf', publicUrl);
  url.searchParams.set('t', receiptToken(secrets, pledgeId, new Date(now.getTime() + RECEIPT_LINK_DAYS * DAY_MS)));
  return url.toString();
}

export type ReceiptTokenCheck = { status: 'valid'; pledgeId: string } | { status: 'invalid' } | { status: 'expired' };

const uuid = z.string().uuid();

/** Checks a token's signature (constant time), shape and expiry. */
export function readReceiptToken(secrets: Secrets, token: string, now = new Date()): ReceiptTokenCheck {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined || !safeEqual(given, signature(secrets, payload)))
    return { status: 'invalid' };
  const [pledgeId, expires, rest] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (rest !== undefined || !uuid.safeParse(pledgeId).success || !expires || !/^\d{1,12}$/.test(expires))
    return { status: 'invalid' };
  if (Number(expires) * 1000 < now.getTime()) return { status: 'expired' };
  return { status: 'valid', pledgeId: pledgeId ?? '' };
}
