import { createHmac } from 'node:crypto';
import { safeEqual } from '../../../core/secrets.js';

/** Slack's replay window: a request signed more than 5 minutes away from now is refused. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export type SignatureCheck = 'valid' | 'missing' | 'stale' | 'mismatch';

/**
 * Checks Slack's `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`
 * with the signing secret) and the timestamp window, in both directions (a clock far ahead
 * is as suspicious as a replay). The comparison is constant-time. The body must be the raw
 * bytes Slack sent: re-serialised JSON or form data would not match.
 */
export function checkSlackSignature(input: {
  signingSecret: string;
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs?: number;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp) || !signature.startsWith('v0=')) return 'missing';
  const nowSeconds = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return 'stale';
  const digest = createHmac('sha256', input.signingSecret)
    .update(`v0:${timestamp}:`)
    .update(input.rawBody)
    .digest('hex');
  const expected = `v0=${digest}`;
  return safeEqual(signature, expected) ? 'valid' : 'mismatch';
}
