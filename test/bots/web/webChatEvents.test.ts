// The web chat's event stream over real HTTP: a reply is announced at once (no polling), the
// stream is refused to an unknown session and beyond its limits, and responses are compressed
// above 1 KB except the stream itself.
import { request, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrlOf } from '../../support/browser.js';
import { createRelais } from '../../../src/relais.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
let base: string;
beforeAll(async () => {
  // 4 streams in the process: 3 of one session (its limit) and one more
  t = await startTestRelais('webchat_events', { WEBCHAT_EVENT_STREAMS_MAX: '4' }, { listen: true });
  base = baseUrlOf(t);
});
afterAll(async () => {
  await t?.close();
});

interface Stream {
  response: IncomingMessage;
  /** the events received so far, by name */
  events: Array<{ event: string; data: string; at: number }>;
  text: string;
  close(): void;
}

/** Opens GET /chat/api/events as a browser's EventSource does, and collects what it says. */
function openStream(sessionId: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/chat/api/events?session=${encodeURIComponent(sessionId)}`, {
      headers: { accept: 'text/event-stream', ...headers },
    });
    req.on('error', reject);
    req.on('response', (response) => {
      const stream: Stream = { response, events: [], text: '', close: () => req.destroy() };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        stream.text += chunk;
        const blocks = stream.text.split('\n\n');
        stream.events = blocks
          .slice(0, -1)
          .map((block) => {
            const lines = block.split('\n');
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '';
            return { event, data, at: 0 };
          })
          .filter((e) => e.event)
          .map((e, i) => ({ ...e, at: stream.events[i]?.at ?? Date.now() }));
      });
      response.on('error', () => undefined);
      resolve(stream);
    });
    req.end();
  });
}

const post = async (sessionId: string, clientMessageId: string, body: Record<string, unknown>) => {
  const response = await fetch(`${base}/chat/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sessionId, clientMessageId, ...body }),
  });
  expect(response.status).toBe(202);
};

const history = async (sessionId: string, after = 0) => {
  const response = await fetch(`${base}/chat/api/messages?after=${after}`, {
    headers: { 'x-relais-session': sessionId },
  });
  return response.json() as Promise<{ messages: Array<{ seq: number; from: string; text: string }>; next?: number }>;
};

/** A session Relais knows: its first message is stored and answered. */
async function knownSession(sessionId: string): Promise<number> {
  await post(sessionId, 'm0000001', { kind: 'start', language: 'en' });
  const first = await eventually(async () => {
    const h = await history(sessionId);
    return h.messages.some((m) => m.from === 'relais') ? h : undefined;
  });
  return first.next ?? 0;
}

const waitFor = (stream: Stream, event: string, count = 1, timeoutMs = 5000) =>
  eventually(async () => stream.events.filter((e) => e.event === event).length >= count, timeoutMs, 10);

describe('web chat event stream', () => {
  it('announces a reply at once, without its content; the page then fetches it', async () => {
    const sessionId = 'events_session_0123456789abcdef';
    const cursor = await knownSession(sessionId);
    const stream = await openStream(sessionId, { 'accept-encoding': 'gzip, deflate, br' });
    try {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
      // never compressed: a compressor would hold the events back until its buffer fills
      expect(stream.response.headers['content-encoding']).toBeUndefined();
      expect(stream.response.headers['x-content-type-options']).toBe('nosniff');
      await waitFor(stream, 'ready');
      const sentAt = Date.now();
      await post(sessionId, 'm0000002', { kind: 'choice', choiceId: 'lang:en' });
      await waitFor(stream, 'update');
      const update = stream.events.find((e) => e.event === 'update');
      expect((update?.at ?? Infinity) - sentAt).toBeLessThan(1500);
      // "something new" and where: no text of the conversation
      const announced = JSON.parse(update?.data ?? '{}') as { seq?: number };
      expect(announced.seq).toBeGreaterThan(cursor);
      expect(Object.keys(announced)).toEqual(['seq']);
      const fetched = await history(sessionId, cursor);
      const menu = t.relais.i18n.t('en', 'menu:title');
      await eventually(async () => {
        const h = fetched.messages.some((m) => m.text === menu) ? fetched : await history(sessionId, cursor);
        return h.messages.some((m) => m.from === 'relais' && m.text === menu);
      });
      expect(stream.text).not.toContain(menu);
    } finally {
      stream.close();
    }
  });

  it('tells the open pages to fetch once when its Redis subscriber comes back from an outage', async () => {
    const sessionId = 'events_outage_0123456789abcdef';
    await knownSession(sessionId);
    const stream = await openStream(sessionId);
    try {
      await waitFor(stream, 'ready');
      // cut this process's subscriber connection only (others share this Redis)
      const clients = String(await t.relais.redis.client('LIST'));
      const line = clients.split('\n').find((l) => l.includes(`name=${t.config.QUEUE_PREFIX}:webchat-events `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await t.relais.redis.client('KILL', 'ID', id ?? '');
      await waitFor(stream, 'update');
      expect(stream.events.find((e) => e.event === 'update')?.data).toBe('{"seq":0}');
      // subscribed again: a reply is announced as before
      await post(sessionId, 'm0000002', { kind: 'choice', choiceId: 'lang:en' });
      await waitFor(stream, 'update', 2);
    } finally {
      stream.close();
    }
  });

  it('refuses a session Relais does not know, and a malformed one', async () => {
    const unknown = await openStream('events_unknown_0123456789abcdef');
    expect(unknown.response.statusCode).toBe(404);
    unknown.close();
    const malformed = await openStream('not a session');
    expect(malformed.response.statusCode).toBe(400);
    malformed.close();
  });

  it('answers 503 beyond 3 streams of a session and beyond the process limit; a closed one frees it', async () => {
    const a = 'events_limit_a_0123456789abcdef';
    const b = 'events_limit_b_0123456789abcdef';
    const c = 'events_limit_c_0123456789abcdef';
    await Promise.all([knownSession(a), knownSession(b), knownSession(c)]);
    const open: Stream[] = [];
    try {
      for (let i = 0; i < 3; i++) open.push(await openStream(a));
      expect(open.map((s) => s.response.statusCode)).toEqual([200, 200, 200]);
      const fourth = await openStream(a);
      expect(fourth.response.statusCode).toBe(503);
      expect(fourth.response.headers['retry-after']).toBeDefined();
      fourth.close();
      open.push(await openStream(b));
      expect(open[3]?.response.statusCode).toBe(200);
      // 4 open in the process (WEBCHAT_EVENT_STREAMS_MAX): another session waits too
      const full = await openStream(c);
      expect(full.response.statusCode).toBe(503);
      full.close();
      // a page that goes away frees its place
      open.shift()?.close();
      const again = await eventually(async () => {
        const s = await openStream(c);
        if (s.response.statusCode === 200) return s;
        s.close();
        return undefined;
      });
      open.push(again);
    } finally {
      for (const s of open) s.close();
    }
  });
});

describe('web chat event stream, the web process apart from the delivery worker', () => {
  it('hears a reply the worker process delivered, through Redis', async () => {
    const web = await startTestRelais('webchat_events_split', {}, { listen: true, workers: false });
    const worker = await createRelais(web.config, { http: false, workers: true, logDestination: web.logs });
    await worker.start();
    const saved = base;
    base = baseUrlOf(web);
    try {
      const sessionId = 'events_split_0123456789abcdef0';
      await knownSession(sessionId);
      const stream = await openStream(sessionId);
      try {
        await waitFor(stream, 'ready');
        await post(sessionId, 'm0000002', { kind: 'choice', choiceId: 'lang:en' });
        await waitFor(stream, 'update');
        const menu = web.relais.i18n.t('en', 'menu:title');
        await eventually(async () => (await history(sessionId)).messages.some((m) => m.text === menu));
      } finally {
        stream.close();
      }
    } finally {
      base = saved;
      await worker.stop();
      await web.close();
    }
  });
});

describe('compression', () => {
  it('gzips the page and the history above 1 KB when asked, and leaves small answers alone', async () => {
    const asset = await fetchRaw('/chat/assets/chat.js', { 'accept-encoding': 'gzip' });
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(asset.body).toString('utf8')).toContain('EventSource');
    const sessionId = 'events_gzip_0123456789abcdef00';
    await knownSession(sessionId);
    // the language chosen, the menu comes: the history is well above 1 KB
    await post(sessionId, 'm0000002', { kind: 'choice', choiceId: 'lang:en' });
    const menu = t.relais.i18n.t('en', 'menu:title');
    await eventually(async () => (await history(sessionId)).messages.some((m) => m.text === menu));
    const page = await fetchRaw('/chat/api/messages', { 'accept-encoding': 'gzip', 'x-relais-session': sessionId });
    expect(page.headers['content-encoding']).toBe('gzip');
    const body = gunzipSync(page.body);
    expect(body.length).toBeGreaterThan(1024);
    expect(page.body.length).toBeLessThan(body.length);
    expect(JSON.parse(body.toString('utf8')).messages.some((m: { text: string }) => m.text === menu)).toBe(true);
    const small = await fetchRaw('/healthz', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    const plain = await fetchRaw('/chat/assets/chat.js', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toContain('EventSource');
  });
});

/** A GET whose body is read as it comes (Node's fetch would decompress it). */
function fetchRaw(path: string, headers: Record<string, string>) {
  return new Promise<{ headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}${path}`, { headers });
    req.on('error', reject);
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    });
    req.end();
  });
}
