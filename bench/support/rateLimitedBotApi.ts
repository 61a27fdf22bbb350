import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_BOT_INFO } from '../../test/support/fakeBotApi.js';

export interface RateLimits {
  /** most sendMessage calls accepted in any window of `windowMs` (Telegram: about 30 per second) */
  globalPerWindow: number;
  /** least gap between two accepted messages to one chat (Telegram: about 1 per second) */
  perChatMs: number;
  windowMs: number;
}

export const TELEGRAM_LIMITS: RateLimits = { globalPerWindow: 30, perChatMs: 1000, windowMs: 1000 };

/**
 * A local Bot API that enforces Telegram's flood limits strictly, with sliding windows: a
 * sendMessage beyond 30 in the last second overall, or less than a second after the last one
 * to the same chat, gets `429 Too Many Requests: retry after N` (`parameters.retry_after`).
 * Counts what it accepted and refused, and the first and last accepted times.
 */
export class RateLimitedBotApi {
  apiRoot = '';
  accepted = 0;
  rejected429 = 0;
  /** of which for the per-chat limit (the rest: the overall limit) */
  rejectedPerChat = 0;
  firstAt = 0;
  lastAt = 0;
  /** accepted messages per chat (a chat receiving the same text twice is a duplicate) */
  readonly textsByChat = new Map<string, string[]>();
  /** called for every accepted message (a benchmark timing replies to some chats) */
  onAccepted: ((chat: string, at: number) => void) | undefined;
  private readonly recent: number[] = [];
  private readonly lastByChat = new Map<string, number>();
  private server: Server | undefined;
  private nextMessageId = 1;

  constructor(private readonly limits: RateLimits | null = TELEGRAM_LIMITS) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void readJson(request).then((body) => {
        const method = /^\/bot[^/]+\/(\w+)$/.exec(request.url ?? '')?.[1] ?? 'unknown';
        const { status, payload } = this.answer(method, body);
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo; // a TCP listen() always gives an AddressInfo
    this.apiRoot = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** How many accepted messages repeated one already accepted for the same chat. */
  duplicates(): number {
    let count = 0;
    for (const texts of this.textsByChat.values()) count += texts.length - new Set(texts).size;
    return count;
  }

  private answer(method: string, body: Record<string, unknown>): { status: number; payload: unknown } {
    if (method === 'getMe') return { status: 200, payload: { ok: true, result: FAKE_BOT_INFO } };
    if (method !== 'sendMessage') return { status: 200, payload: { ok: true, result: true } };
    const now = performance.now();
    const chat = String(body.chat_id);
    const { globalWait, chatWait } = this.waitMs(chat, now);
    const wait = Math.max(globalWait, chatWait);
    if (wait > 0) {
      this.rejected429 += 1;
      if (chatWait > 0) this.rejectedPerChat += 1;
      const retryAfter = Math.max(1, Math.ceil(wait / 1000));
      return {
        status: 429,
        payload: {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfter}`,
          parameters: { retry_after: retryAfter },
        },
      };
    }
    this.recent.push(now);
    this.lastByChat.set(chat, now);
    this.accepted += 1;
    if (this.firstAt === 0) this.firstAt = now;
    this.lastAt = now;
    const texts = this.textsByChat.get(chat) ?? [];
    texts.push(String(body.text));
    this.textsByChat.set(chat, texts);
    this.onAccepted?.(chat, now);
    return {
      status: 200,
      payload: {
        ok: true,
        result: {
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id), type: 'private' },
          text: body.text,
        },
      },
    };
  }

  /** 0 when a message may go now, otherwise how long until it could, per limit. */
  private waitMs(chat: string, now: number): { globalWait: number; chatWait: number } {
    if (!this.limits) return { globalWait: 0, chatWait: 0 };
    const { globalPerWindow, perChatMs, windowMs } = this.limits;
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - windowMs) this.recent.shift();
    const globalWait = this.recent.length >= globalPerWindow ? (this.recent[0] ?? now) + windowMs - now : 0;
    const last = this.lastByChat.get(chat);
    const chatWait = last !== undefined && now - last < perChatMs ? last + perChatMs - now : 0;
    return { globalWait, chatWait };
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {};
  } catch {
    return {};
  }
}
