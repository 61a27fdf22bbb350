import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BotApiCall {
  method: string;
  body: Record<string, unknown>;
  /** when the answer was given (after `sendDelayMs`) */
  at: number;
  /** when the request arrived (Telegram's limits count arrivals) */
  arrivedAt: number;
  /** HTTP status the fake answered with */
  status: number;
  /** false when the caller was gone before the answer (killed mid-send): it never learnt the outcome */
  answered: boolean;
  /** the message_id a successful sendMessage answered with */
  messageId?: number;
}

/** A Bot API error answer, as Telegram sends it (HTTP status = error_code). */
export interface BotApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

type Rule = { method: string; chatId?: string; times: number; failure: BotApiFailure };

export const FAKE_BOT_INFO = {
  id: 123456,
  is_bot: true,
  first_name: 'Relais test',
  username: 'relais_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

/**
 * A small stand-in for the Telegram Bot API on 127.0.0.1 (random port): records every call
 * and answers like Telegram, or with the failures a test scripts (429, 403, 500…).
 * Point grammY at it with `TELEGRAM_API_ROOT=fake.apiRoot`.
 */
export class FakeBotApi {
  readonly calls: BotApiCall[] = [];
  private readonly rules: Rule[] = [];
  private server: Server | undefined;
  private nextMessageId = 1;
  apiRoot = '';
  /** answers sendMessage this late (a slow Bot API: a worker can be killed mid-send) */
  sendDelayMs = 0;
  /** requests received and not answered yet */
  open = 0;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.open++;
      void this.handle(request).then(({ call, status, body }) => {
        this.open--;
        // a caller that died mid-request never reads this answer (its socket is gone)
        if (call) call.answered = !request.socket.destroyed;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo; // listen() on a TCP port always gives an AddressInfo
    this.apiRoot = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` calls of `method` (to `chatId` if given) fail with `failure`. */
  fail(method: string, failure: BotApiFailure, options: { chatId?: string | number; times?: number } = {}): void {
    this.rules.push({
      method,
      failure,
      times: options.times ?? 1,
      ...(options.chatId !== undefined ? { chatId: String(options.chatId) } : {}),
    });
  }

  /** Every call of `method` to this chat fails, e.g. a person who blocked the bot. */
  failAlways(method: string, chatId: string | number, failure: BotApiFailure): void {
    this.fail(method, failure, { chatId, times: Number.POSITIVE_INFINITY });
  }

  callsOf(method: string): BotApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** sendMessage calls that succeeded, to one chat. */
  messagesTo(chatId: string | number): BotApiCall[] {
    return this.callsOf('sendMessage').filter((c) => String(c.body.chat_id) === String(chatId) && c.status === 200);
  }

  textsTo(chatId: string | number): string[] {
    return this.messagesTo(chatId).map((c) => String(c.body.text));
  }

  private async handle(request: IncomingMessage): Promise<{ call?: BotApiCall; status: number; body: unknown }> {
    const arrivedAt = Date.now();
    const match = /^\/bot[^/]+\/(\w+)$/.exec(request.url ?? '');
    const raw = await readBody(request);
    const body = parseBody(raw);
    const method = match?.[1] ?? 'unknown';
    if (method === 'sendMessage' && this.sendDelayMs > 0) await new Promise((r) => setTimeout(r, this.sendDelayMs));
    const answer = this.answer(method, body);
    const messageId = answer.messageId;
    const call = {
      method,
      body,
      at: Date.now(),
      arrivedAt,
      status: answer.status,
      answered: true,
      ...(messageId ? { messageId } : {}),
    };
    this.calls.push(call);
    return { ...answer, call };
  }

  private answer(method: string, body: Record<string, unknown>): { status: number; body: unknown; messageId?: number } {
    const rule = this.rules.find(
      (r) => r.method === method && r.times > 0 && (r.chatId === undefined || r.chatId === String(body.chat_id)),
    );
    if (rule) {
      rule.times -= 1;
      return { status: rule.failure.error_code, body: { ok: false, ...rule.failure } };
    }
    switch (method) {
      case 'getMe':
        return ok(FAKE_BOT_INFO);
      case 'sendMessage': {
        const messageId = this.nextMessageId++;
        const sent = {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(body.chat_id), type: 'private' },
          text: body.text,
        };
        return { ...ok(sent), messageId };
      }
      case 'getWebhookInfo':
        return ok({ url: '', has_custom_certificate: false, pending_update_count: 0 });
      case 'getUpdates':
        return ok([]);
      default:
        return ok(true);
    }
  }
}

function ok(result: unknown) {
  return { status: 200, body: { ok: true, result } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  const parsed: unknown = JSON.parse(raw);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : {};
}
