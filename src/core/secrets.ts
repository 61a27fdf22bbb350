import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keyed hashing and encryption of personal identifiers. Platform ids (Telegram chat ids,
 * WhatsApp numbers) are looked up by HMAC and kept only encrypted for delivery, so a
 * database dump alone does not reveal who talked to an association.
 */
export class Secrets {
  private readonly hmacKey: Buffer;
  private readonly encKey: Buffer;

  constructor(appSecret: string) {
    this.hmacKey = createHash('sha256').update(`relais:hmac:${appSecret}`).digest();
    this.encKey = createHash('sha256').update(`relais:enc:${appSecret}`).digest();
  }

  /** Stable keyed hash (hex) of an identifier. */
  hash(value: string): string {
    return createHmac('sha256', this.hmacKey).update(value).digest('hex');
  }

  /** AES-256-GCM, output `iv.tag.ciphertext` in base64url. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  decrypt(sealed: string): string {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !body) throw new Error('malformed ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }
}

/** Constant-time comparison of two secrets of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
