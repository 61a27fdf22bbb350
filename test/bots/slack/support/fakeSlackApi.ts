import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  /** the raw body as sent, to search for text that must never reach Slack */
  raw: string;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // the Web API client sends nested arguments (blocks, view) as JSON strings
    out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return out;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A local stand-in for Slack's Web API (https://slack.com/api/<method>) on 127.0.0.1 and a
 * random port: records every call and answers like Slack does (ok, ts, channel, view ids).
 * `failNext(method, error)` makes the next call of a method answer `{ ok: false, error }`.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  private seq = 0;
  private failures = new Map<string, string[]>();
  private delays = new Map<string, number>();
  readonly botUserId = 'UBOT00001';
  readonly botId = 'BBOT00001';

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    return `http://127.0.0.1:${address?.port ?? 0}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void (async () => {
        const raw = await readBody(request);
        const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
        const delay = this.delays.get(method);
        if (delay) await new Promise((r) => setTimeout(r, delay));
        const args = parseBody(raw, request.headers['content-type']);
        const auth = request.headers.authorization;
        const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : null;
        this.calls.push({ method, args, token, raw });
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.end(JSON.stringify(this.answer(method, args)));
      })();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** Makes every call of a method answer after `ms` (a slow Slack). */
  slowDown(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Calls of one method (auth.test excluded from nothing: ask for it explicitly). */
  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Everything sent to Slack so far, as one string (to assert what never appears in it). */
  allText(): string {
    return this.calls.map((c) => decodeURIComponent(c.raw.replace(/\+/g, ' '))).join('\n');
  }

  private nextTs(): string {
    this.seq += 1;
    return `${1_700_000_000 + this.seq}.${String(this.seq).padStart(6, '0')}`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const failure = this.failures.get(method)?.shift();
    if (failure) return { ok: false, error: failure };
    const channel = typeof args.channel === 'string' ? args.channel : 'C_UNKNOWN';
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://relais-test.slack.com/', team: 'Relais', user: 'relais', team_id: 'T00000001', user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        return { ok: true, channel, ts, message: { type: 'message', text: args.text, user: this.botUserId, bot_id: this.botId, ts } };
      }
      case 'chat.update':
        return { ok: true, channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.delete':
        return { ok: true, channel, ts: args.ts };
      case 'reactions.add':
        return { ok: true };
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        this.seq += 1;
        return { ok: true, view: { id: typeof args.view_id === 'string' ? args.view_id : `V${String(this.seq).padStart(8, '0')}`, hash: `hash${this.seq}`, ...(args.view as Record<string, unknown>) } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
