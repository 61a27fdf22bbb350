import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token: string | null;
  /** the raw body as sent, to search for text that must never reach Slack */
  raw: string;
}

/** A file shared through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
export interface FakeUpload {
  fileId: string;
  filename: string;
  title: string | undefined;
  altText: string | undefined;
  /** the bytes received at the upload URL */
  bytes: Buffer;
  channelId: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
}

/** A file a person shared with Slack (e.g. through a modal's file_input), served to the bot token only. */
export interface HostedFile {
  id: string;
  name: string;
  mimetype: string;
  bytes: Buffer;
  /** who uploaded it */
  user?: string;
}

interface PendingUpload {
  filename: string;
  length: number;
  altText: string | undefined;
  bytes?: Buffer;
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

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * The file in an upload: the first file part of a multipart body (what the Web API client sends), else the raw body.
 */
async function uploadedBytes(body: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  const files: Blob[] = [];
  form.forEach((value) => {
    if (typeof value !== 'string') files.push(value);
  });
  const [file] = files;
  return file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
}

const optionalString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * A local stand-in for Slack's Web API (https://slack.com/api/<method>) on 127.0.0.1 and a
 * random port: records every call and answers like Slack does (ok, ts, channel, view ids).
 * `failNext(method, error)` makes the next call of a method answer `{ ok: false, error }`.
 * File uploads follow Slack's external flow: files.getUploadURLExternal hands out an upload
 * URL served here (`/upload/v1/<file id>`, it keeps the bytes), files.completeUploadExternal
 * shares them; `uploads` lists what was shared. Slash commands' response_url (`/respond/…`)
 * is served here too and recorded as method `response_url`.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  /** files shared (completed uploads), in order */
  readonly uploads: FakeUpload[] = [];
  private pendingUploads = new Map<string, PendingUpload>();
  private server: Server | undefined;
  private seq = 0;
  private failures = new Map<string, string[]>();
  private delays = new Map<string, number>();
  readonly botUserId = 'UBOT00001';
  readonly botId = 'BBOT00001';
  /** the bot token Relais is configured with: private file downloads need it */
  botToken = 'xoxb-test-token';
  private hostedFiles = new Map<string, HostedFile>();

  get url(): string {
    return `${this.origin}/api/`;
  }

  /** a response_url for slash commands, answered by this fake */
  get responseUrl(): string {
    return `${this.origin}/respond/commands/T00000001`;
  }

  private get origin(): string {
    const address = this.server?.address() as AddressInfo | null;
    return `http://127.0.0.1:${address?.port ?? 0}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void (async () => {
        const body = await readBody(request);
        const path = (request.url ?? '').split('?')[0] ?? '';
        if (path.startsWith('/upload/v1/'))
          return this.receiveUpload(path.slice('/upload/v1/'.length), body, request.headers['content-type'], response);
        if (path.startsWith('/files-pri/')) return this.serveFile(path, request.headers.authorization, response);
        const raw = body.toString('utf8');
        if (path.startsWith('/respond/')) {
          this.calls.push({
            method: 'response_url',
            args: JSON.parse(raw || '{}') as Record<string, unknown>,
            token: null,
            raw,
          });
          response.end('ok');
          return;
        }
        const method = path.replace(/^\/api\//, '');
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

  /**
   * A file as if a person had uploaded it in Slack (a file_input in a modal): files.info
   * describes it, its url_private_download serves the bytes to `Authorization: Bearer <bot token>`.
   */
  hostFile(name: string, bytes: Buffer | string, mimetype = 'text/csv', user?: string): HostedFile {
    this.seq += 1;
    const content = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
    const file = {
      id: `F${String(this.seq).padStart(10, '0')}`,
      name,
      mimetype,
      bytes: content,
      ...(user ? { user } : {}),
    };
    this.hostedFiles.set(file.id, file);
    return file;
  }

  private fileObject(file: HostedFile): Record<string, unknown> {
    const download = `${this.origin}/files-pri/T00000001-${file.id}/download/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      ...(file.user ? { user: file.user } : {}),
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: 'csv',
      size: file.bytes.length,
      url_private: download.replace('/download/', '/'),
      url_private_download: download,
    };
  }

  /** Like files.slack.com: the bytes for the bot token; without it, Slack's HTML sign-in page (200, not an error). */
  private serveFile(path: string, authorization: string | undefined, response: ServerResponse): void {
    const id = /^\/files-pri\/T00000001-(F\d+)\//.exec(path)?.[1] ?? '';
    const file = this.hostedFiles.get(id);
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
    this.calls.push({ method: 'file_download', args: { fileId: id }, token, raw: '' });
    if (!file || token !== this.botToken) {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      return;
    }
    response.setHeader('content-type', file.mimetype);
    response.end(file.bytes);
  }

  /**
   * The upload URL: keeps the bytes of a file announced by files.getUploadURLExternal (400 if unknown or not the
   * announced length).
   */
  private async receiveUpload(
    fileId: string,
    body: Buffer,
    contentType: string | undefined,
    response: ServerResponse,
  ): Promise<void> {
    const pending = this.pendingUploads.get(fileId);
    const bytes = await uploadedBytes(body, contentType);
    // the bytes are kept in `uploads`, not in `calls`: allText() stays the text sent to Slack
    this.calls.push({ method: 'upload', args: { fileId, length: bytes.length }, token: null, raw: '' });
    if (!pending || bytes.length !== pending.length) {
      response.statusCode = 400;
      response.end('bad upload');
      return;
    }
    pending.bytes = bytes;
    response.end(`OK - ${bytes.length}`);
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
        return {
          ok: true,
          url: 'https://relais-test.slack.com/',
          team: 'Relais',
          user: 'relais',
          team_id: 'T00000001',
          user_id: this.botUserId,
          bot_id: this.botId,
        };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        return {
          ok: true,
          channel,
          ts,
          message: { type: 'message', text: args.text, user: this.botUserId, bot_id: this.botId, ts },
        };
      }
      case 'chat.update':
        return { ok: true, channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.delete':
        return { ok: true, channel, ts: args.ts };
      case 'reactions.add':
        return { ok: true };
      case 'users.info': {
        // everyone is a person, except the bot itself
        const user = String(args.user);
        return {
          ok: true,
          user: { id: user, name: user.toLowerCase(), deleted: false, is_bot: user === this.botUserId },
        };
      }
      case 'conversations.open':
        // a direct message with the bot: D + the user id
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      case 'files.info': {
        const file = this.hostedFiles.get(String(args.file));
        return file ? { ok: true, file: this.fileObject(file) } : { ok: false, error: 'file_not_found' };
      }
      case 'files.getUploadURLExternal': {
        this.seq += 1;
        const fileId = `F${String(this.seq).padStart(10, '0')}`;
        const length = Number(args.length);
        if (typeof args.filename !== 'string' || !Number.isInteger(length) || length <= 0)
          return { ok: false, error: 'invalid_arguments' };
        this.pendingUploads.set(fileId, { filename: args.filename, length, altText: optionalString(args.alt_text) });
        return { ok: true, upload_url: `${this.origin}/upload/v1/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as Array<{ id?: unknown; title?: unknown }>) : [];
        const done = files.map((f) => ({
          id: String(f.id),
          title: optionalString(f.title),
          pending: this.pendingUploads.get(String(f.id)),
        }));
        // Slack refuses to share a file whose bytes never reached the upload URL
        if (done.length === 0 || done.some((f) => !f.pending?.bytes)) return { ok: false, error: 'file_not_found' };
        for (const f of done) {
          this.pendingUploads.delete(f.id);
          this.uploads.push({
            fileId: f.id,
            filename: f.pending?.filename ?? '',
            title: f.title,
            altText: f.pending?.altText,
            bytes: f.pending?.bytes ?? Buffer.alloc(0),
            channelId: optionalString(args.channel_id),
            threadTs: optionalString(args.thread_ts),
            initialComment: optionalString(args.initial_comment),
          });
        }
        return { ok: true, files: done.map((f) => ({ id: f.id, title: f.title, name: f.pending?.filename })) };
      }
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        this.seq += 1;
        return {
          ok: true,
          view: {
            id: typeof args.view_id === 'string' ? args.view_id : `V${String(this.seq).padStart(8, '0')}`,
            hash: `hash${this.seq}`,
            ...(args.view as Record<string, unknown>),
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
