import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Receive } from '../../core/channels/channelTransport.js';
import { safeEqual } from '../../core/secrets.js';
import {
  cloudWebhookSchema,
  mapCloudMessage,
  type CloudMessage,
  type CloudStatus,
  type CloudWebhook,
} from './cloudWebhookPayload.js';

export const CLOUD_WEBHOOK_PATH = '/whatsapp-cloud/webhook';
/** Meta batches up to a few hundred events; a message's text is at most 4 096 characters */
const BODY_LIMIT = 1024 * 1024;

export interface CloudWebhookDeps {
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  log: Logger;
  /** the person behind a message: business-scoped user id when given, else the WhatsApp id */
  platformIdOf: (ids: { userId?: string; waId?: string }) => Promise<string>;
  /** after a stored message: its held messages go out, its aliases are recorded */
  afterStored: (contactId: string, ids: { platformId: string; userId?: string; waId?: string }) => Promise<void>;
  onStatus: (status: CloudStatus) => Promise<void>;
  /** the person's new number or user id names the same person from now on */
  /** `number`: the person's phone number changed (a new wa_id); `user`: their business-scoped user id changed */
  onIdChanged: (known: { userId?: string; waId?: string }, newId: string, kind: 'number' | 'user') => Promise<void>;
}

/** `sha256=<hex>`: the HMAC-SHA256 of the raw body with the app secret, compared in constant time. */
export function validSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The Cloud API webhook. GET: Meta's verification handshake (the challenge echoed only for the
 * right verify token). POST: the signature over the raw body is checked before anything is
 * read (401, nothing stored); then every message of the batch is stored through `receive`, in
 * order, and every status recorded, before the 200: a crash before it makes Meta deliver the
 * batch again, and the replay is de-duplicated by the WhatsApp message id.
 */
export async function registerCloudWebhook(
  app: FastifyInstance,
  receive: Receive,
  deps: CloudWebhookDeps,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    const raw = { parseAs: 'buffer' as const, bodyLimit: BODY_LIMIT };
    scope.addContentTypeParser('*', raw, (_request, body, done) => done(null, body));
    scope.get(CLOUD_WEBHOOK_PATH, async (request, reply) => verification(request, reply, deps));
    scope.post(CLOUD_WEBHOOK_PATH, { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['x-hub-signature-256'];
      if (!validSignature(raw, typeof signature === 'string' ? signature : undefined, deps.appSecret)) {
        const code = 'RELAIS_WHATSAPP_CLOUD_BAD_SIGNATURE';
        deps.log.warn({ code }, 'WhatsApp Cloud webhook call without a valid signature');
        const message = 'missing or wrong X-Hub-Signature-256';
        return reply.status(401).send({ error: 'RELAIS_BAD_SIGNATURE', message });
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.status(400).send({ error: 'RELAIS_BAD_REQUEST', message: 'the body is not JSON' });
      }
      const parsed = cloudWebhookSchema.safeParse(json);
      if (!parsed.success) {
        const field = parsed.error.issues[0]?.path.join('.') ?? '';
        return reply.status(400).send({ error: 'RELAIS_BAD_REQUEST', message: `not a WhatsApp webhook (${field})` });
      }
      await handleBatch(parsed.data, receive, deps);
      return reply.status(200).send();
    });
  });
}

function verification(request: FastifyRequest, reply: FastifyReply, deps: CloudWebhookDeps) {
  const query = request.query as Record<string, unknown>;
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  const rightToken = typeof token === 'string' && safeEqual(token, deps.verifyToken);
  if (mode === 'subscribe' && rightToken && typeof challenge === 'string') {
    return reply.status(200).type('text/plain').send(challenge);
  }
  deps.log.warn({ code: 'RELAIS_WHATSAPP_CLOUD_BAD_VERIFY' }, 'WhatsApp Cloud webhook verification refused');
  return reply.status(403).send({ error: 'RELAIS_FORBIDDEN', message: 'wrong verify token' });
}

async function handleBatch(body: CloudWebhook, receive: Receive, deps: CloudWebhookDeps): Promise<void> {
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const value = change.value;
      if (change.field !== 'messages') continue;
      if (value.metadata && value.metadata.phone_number_id !== deps.phoneNumberId) {
        deps.log.warn({ field: change.field }, 'WhatsApp Cloud event for another phone number ignored');
        continue;
      }
      for (const message of value.messages ?? []) await handleMessage(message, value.contacts ?? [], receive, deps);
      for (const status of value.statuses ?? []) await deps.onStatus(status);
    }
  }
}

async function handleMessage(
  message: CloudMessage,
  contacts: Array<{ wa_id?: string; user_id?: string }>,
  receive: Receive,
  deps: CloudWebhookDeps,
): Promise<void> {
  const system = message.system;
  const newId =
    system?.type === 'user_changed_number'
      ? system.wa_id
      : system?.type === 'user_changed_user_id'
        ? system.user_id
        : undefined;
  if (newId) {
    const known = {
      ...(message.from_user_id ? { userId: message.from_user_id } : {}),
      ...(message.from ? { waId: message.from } : {}),
    };
    await deps.onIdChanged(known, newId, system?.type === 'user_changed_number' ? 'number' : 'user');
    const about = { type: system?.type, channel: 'WHATSAPP_CLOUD' };
    deps.log.info(about, 'WhatsApp Cloud account id changed: linked to the same person');
    return;
  }
  const mapped = mapCloudMessage(message);
  if (mapped.kind === 'ignored') {
    deps.log.info({ type: mapped.reason, channel: 'WHATSAPP_CLOUD' }, 'WhatsApp Cloud message ignored');
    return;
  }
  const card = contacts.find(
    (c) => (message.from && c.wa_id === message.from) || (message.from_user_id && c.user_id === message.from_user_id),
  );
  const userId = message.from_user_id ?? card?.user_id;
  const waId = message.from ?? card?.wa_id;
  const ids = { ...(userId ? { userId } : {}), ...(waId ? { waId } : {}) };
  const platformId = await deps.platformIdOf(ids);
  const result = await receive({
    channel: 'WHATSAPP_CLOUD',
    platformId,
    dedupeKey: message.id,
    receivedAt: new Date(),
    content: mapped.content,
  });
  if (result.status !== 'duplicate') await deps.afterStored(result.contactId, { platformId, ...ids });
}
