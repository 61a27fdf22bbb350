import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Which peers may tell the client's address in `X-Forwarded-For`: nobody (`false`), the last
 * `n` hops (the reverse proxies in front), or peers whose address is in the list. Fastify's
 * `trustProxy: true` would believe any client, who could then pose as a new address per post.
 */
export type TrustProxy = false | number | string[];

/** proxy-addr's names for address ranges */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const EXPECTED =
  'expected off, a number of proxy hops (1 behind one reverse proxy) or proxy addresses/CIDRs (10.0.0.2,172.16.0.0/12)';

/**
 * `TRUST_PROXY`: off (default) | a hop count | a comma-separated list of addresses, CIDRs or
 * loopback/linklocal/uniquelocal.
 */
export const trustProxySchema = z.string().transform((raw, ctx): TrustProxy => {
  const value = raw.trim().toLowerCase();
  if (value === 'off' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops <= 20) return hops;
  }
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length > 0 && entries.every(isAddressOrRange)) return entries;
  const message = value === 'true' ? `true would believe any client; ${EXPECTED}` : EXPECTED;
  ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  return z.NEVER;
});

/**
 * The `trustProxy` option for Fastify. A hop count becomes a function: Fastify 5.12 ignores a
 * bare number (it cannot check that the peer is a proxy), so trusting `n` hops is stated as
 * "the first `n` addresses from the socket are proxies". That holds only when nothing but the
 * proxies can reach the port (docs/DEPLOY.md); otherwise list their addresses.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}
