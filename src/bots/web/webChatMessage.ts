import { z } from 'zod';
import type { InboundMessage } from '../../core/messages/messageTypes.js';

/** What the web chat page posts. The session id is a random 128-bit value kept by the browser. */
export const webChatPostSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    language: z.string().max(16).optional(),
    text: z.string().min(1).max(4096),
  }),
  z.object({
    kind: z.literal('choice'),
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    language: z.string().max(16).optional(),
    choiceId: z.string().min(1).max(64),
  }),
  z.object({
    kind: z.literal('location'),
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    language: z.string().max(16).optional(),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  }),
  // payload: the page's `?start=` (a deep link, e.g. `give` for donors), as on Telegram
  z.object({
    kind: z.literal('start'),
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
    clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    language: z.string().max(16).optional(),
    payload: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  }),
]);
export type WebChatPost = z.infer<typeof webChatPostSchema>;

/**
 * Translates a web chat post into the channel-neutral inbound message. `clientAddress` is the
 * poster's IP as Fastify sees it (right behind a proxy only when the proxy is trusted): the
 * core counts wrong reconnection codes per address with it, and never stores it.
 */
export function toInboundMessage(body: WebChatPost, receivedAt: Date, clientAddress?: string): InboundMessage {
  const base = {
    channel: 'WEB' as const,
    platformId: body.sessionId,
    dedupeKey: `${body.sessionId}:${body.clientMessageId}`,
    receivedAt,
    ...(body.language ? { languageHint: body.language } : {}),
    ...(clientAddress ? { clientAddress } : {}),
  };
  switch (body.kind) {
    case 'text':
      return { ...base, content: { kind: 'text', text: body.text } };
    case 'choice':
      return { ...base, content: { kind: 'choice', choiceId: body.choiceId } };
    case 'location':
      return { ...base, content: { kind: 'location', latitude: body.latitude, longitude: body.longitude } };
    case 'start':
      return { ...base, content: body.payload ? { kind: 'start', payload: body.payload } : { kind: 'start' } };
  }
}
