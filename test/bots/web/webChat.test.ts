import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
beforeAll(async () => {
  t = await startTestRelais('webchat');
});
afterAll(async () => {
  await t?.close();
});

const session = 'webchat_session_0123456789abcdef';
const post = (body: Record<string, unknown>) =>
  t.relais.app.inject({ method: 'POST', url: '/chat/api/messages', payload: { sessionId: session, ...body } });
const history = async (s = session) =>
  (await t.relais.app.inject({ method: 'GET', url: '/chat/api/messages', headers: { 'x-relais-session': s } })).json<{
    messages: Array<{ from: string; text: string; choices?: Array<{ id: string; label: string }>; rtl?: boolean }>;
  }>().messages;

// The walks and the contract every channel passes (a post retried with its client message id
// stored and answered once, malformed posts refused with 400, Postgres down, order) run on the
// web chat in the channel conformance suite (test/conformance/); here only what is its own.
describe('web chat', () => {
  it('serves the page with a strict Content-Security-Policy', async () => {
    const page = await t.relais.app.inject({ method: 'GET', url: '/chat' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script type="module" src="/chat/assets/chat.js">');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await t.relais.app.inject({ method: 'GET', url: '/chat/assets/chat.js' })).statusCode).toBe(200);
  });

  it('walks first contact to the menu in Arabic, right to left, through the queue', async () => {
    expect((await post({ kind: 'start', clientMessageId: 'm0000001' })).statusCode).toBe(202);
    await eventually(async () => (await history()).some((m) => m.choices?.length === 8));
    expect((await post({ kind: 'text', text: '٣', clientMessageId: 'm0000002' })).statusCode).toBe(202);
    const messages = await eventually(async () => {
      const h = await history();
      return h.some((m) => m.text === t.relais.i18n.t('ar', 'menu:title')) ? h : undefined;
    });
    const menu = messages.find((m) => m.text === t.relais.i18n.t('ar', 'menu:title'));
    expect(menu?.rtl).toBe(true);
    expect(messages.filter((m) => m.from === 'person').map((m) => m.text)).toEqual(['٣']);
  });

  it('shows a reconnection code once: the text is erased when the page has fetched it', async () => {
    const codeSession = 'webchat_code_session_0123456789ab';
    const send = (clientMessageId: string, body: Record<string, unknown>) =>
      t.relais.app.inject({
        method: 'POST',
        url: '/chat/api/messages',
        payload: { sessionId: codeSession, clientMessageId, ...body },
      });
    const fetchAfter = async (after: number) =>
      (
        await t.relais.app.inject({
          method: 'GET',
          url: `/chat/api/messages?after=${after}`,
          headers: { 'x-relais-session': codeSession },
        })
      ).json<{ messages: Array<{ seq: number; text: string }> }>().messages;
    await send('c0000001', { kind: 'start', language: 'en' });
    await eventually(async () =>
      (await fetchAfter(0)).some((m) => m.text === t.relais.i18n.t('en', 'onboarding:choose_language')),
    );
    await send('c0000002', { kind: 'choice', choiceId: 'lang:en' });
    await eventually(async () => (await fetchAfter(0)).some((m) => m.text === t.relais.i18n.t('en', 'menu:title')));
    const menu = (await fetchAfter(0)).find((m) => m.text === t.relais.i18n.t('en', 'menu:title'));
    await send('c0000003', { kind: 'choice', choiceId: 'code' });
    await eventually(async () => (await fetchAfter(0)).some((m) => m.text === t.relais.i18n.t('en', 'code:intro')));
    // asked for what follows the menu only, the page still sees the tap as the button's label
    const afterMenu = await fetchAfter(menu?.seq ?? 0);
    expect(afterMenu.map((m) => m.text)).toContain(t.relais.i18n.t('en', 'menu:code'));
    expect(afterMenu.every((m) => m.seq > (menu?.seq ?? 0))).toBe(true);
    await send('c0000004', { kind: 'choice', choiceId: 'show' });
    const shown = await eventually(async () => (await fetchAfter(0)).find((m) => /\d{4} \d{4} \d{2}/.test(m.text)));
    const code = /(\d{4} \d{4} \d{2})/.exec(shown.text)?.[1] ?? '';
    // still there until the page asks for what comes after it (it may be reloading)
    expect((await fetchAfter(0)).some((m) => m.text.includes(code))).toBe(true);
    const last = Math.max(...(await fetchAfter(0)).map((m) => m.seq));
    await fetchAfter(last);
    expect((await fetchAfter(0)).some((m) => m.text.includes(code))).toBe(false);
    const rows = await t.relais.db.message.findMany({
      where: {
        channel: 'WEB',
        direction: 'OUTBOUND',
        identity: {
          contactId:
            (await t.relais.db.message.findFirstOrThrow({ where: { dedupeKey: `${codeSession}:c0000001` } }))
              .contactId ?? '',
        },
      },
      select: { content: true },
    });
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows.filter((r) => r.content !== null).length).toBeGreaterThan(3);
  });

  it('a message number too large for the database is refused with 400, and its value is logged nowhere', async () => {
    const headers = { 'x-relais-session': session };
    const ask = (after: string) =>
      t.relais.app.inject({ method: 'GET', url: `/chat/api/messages?after=${after}`, headers });
    const huge = await ask('99999999999999999999');
    expect(huge.statusCode).toBe(400);
    const named = { path: 'after', message: expect.stringContaining('0 to 9007199254740991') };
    expect(huge.json()).toMatchObject({ error: 'RELAIS_BAD_REQUEST', issues: [named] });
    for (const after of ['-1', '1.5', 'abc', '9007199254740992']) expect((await ask(after)).statusCode).toBe(400);
    expect((await ask('9007199254740991')).json()).toMatchObject({ messages: [] });
    expect(t.logs.text).not.toContain('99999999999999999999');
    expect(t.logs.text).not.toMatch(/out of range|unhandled error/);
  });

  it('"I am someone else → new profile" hides the previous person\'s messages and gives a new session', async () => {
    const handset = 'webchat_shared_handset_0123456789';
    const app = t.relais.app;
    const en = (key: string) => t.relais.i18n.t('en', key);
    const send = (sessionId: string, clientMessageId: string, body: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/chat/api/messages', payload: { sessionId, clientMessageId, ...body } });
    const read = async (sessionId: string) => {
      const headers = { 'x-relais-session': sessionId };
      const response = await app.inject({ method: 'GET', url: '/chat/api/messages', headers });
      return response.json<{ messages: Array<{ from: string; text: string }>; profile: string | null }>();
    };
    const renew = (sessionId: string) =>
      app.inject({ method: 'POST', url: '/chat/api/session', headers: { 'x-relais-session': sessionId } });
    const says = async (sessionId: string, key: string) =>
      (await read(sessionId)).messages.some((m) => m.text === en(key));
    const menuShown = async (sessionId: string) =>
      (await read(sessionId)).messages.filter((m) => m.text === en('menu:title')).length;
    const firstPerson = (messages: Array<{ text: string }>) => messages.some((m) => m.text.includes('rue des Lilas'));

    await send(handset, 'p0000001', { kind: 'start', language: 'en' });
    await eventually(async () => says(handset, 'onboarding:choose_language'));
    await send(handset, 'p0000002', { kind: 'choice', choiceId: 'lang:en' });
    await eventually(async () => (await menuShown(handset)) === 1);
    await send(handset, 'p0000003', { kind: 'text', text: 'first person: my address is 3 rue des Lilas' });
    await send(handset, 'p0000004', { kind: 'text', text: 'menu' });
    // an unexpected text at the menu shows the menu again: two or three menus by now
    await eventually(async () => (await menuShown(handset)) >= 2);
    const before = await read(handset);
    expect(firstPerson(before.messages)).toBe(true);

    await send(handset, 'p0000005', { kind: 'choice', choiceId: 'otherPerson' });
    await eventually(async () => says(handset, 'otherPerson:intro'));
    await send(handset, 'p0000006', { kind: 'choice', choiceId: 'new' });
    await eventually(async () => says(handset, 'otherPerson:confirm_new'));
    await send(handset, 'p0000007', { kind: 'choice', choiceId: 'yes' });
    const started = await eventually(async () => {
      const now = await read(handset);
      return now.messages.some((m) => m.text === en('otherPerson:started')) ? now : null;
    });
    // the same session now reads the new profile only: none of the previous person's messages
    expect(firstPerson(started.messages)).toBe(false);
    expect(started.messages.some((m) => m.text === en('menu:title'))).toBe(false);
    expect(started.messages.filter((m) => m.from === 'person')).toEqual([]);
    expect(started.profile).not.toBe(before.profile);

    // the page noticed the new profile and takes a new session; the old id reads nothing any more
    const renewed = await renew(handset);
    expect(renewed.statusCode).toBe(200);
    const next = renewed.json<{ sessionId: string }>().sessionId;
    expect(next).toMatch(/^[A-Za-z0-9_-]{22,64}$/);
    expect(next).not.toBe(handset);
    expect(await read(handset)).toEqual({ messages: [], profile: null });
    expect((await renew(handset)).statusCode).toBe(404);
    const fresh = await read(next);
    expect(fresh.profile).toBe(started.profile);
    expect(fresh.messages.map((m) => m.text)).toContain(en('otherPerson:started'));
    expect(firstPerson(fresh.messages)).toBe(false);
    // the new person goes on from the new session, with their own profile
    await send(next, 'p0000008', { kind: 'choice', choiceId: 'lang:en' });
    await eventually(async () => (await menuShown(next)) === 1);
    expect(firstPerson((await read(next)).messages)).toBe(false);
  });

  it('a reply delivered after the person wrote again still reaches the page: polled again from below it', async () => {
    // no delivery worker: the replies stay PENDING until this test marks them delivered
    const held = await startTestRelais('webchat_cursor', {}, { workers: false });
    try {
      const late = 'webchat_late_reply_0123456789abc';
      const app = held.relais.app;
      const send = (clientMessageId: string, body: Record<string, unknown>) => {
        const payload = { ...body, sessionId: late, clientMessageId };
        return app.inject({ method: 'POST', url: '/chat/api/messages', payload });
      };
      const read = async (after: number) => {
        const headers = { 'x-relais-session': late };
        const response = await app.inject({ method: 'GET', url: `/chat/api/messages?after=${after}`, headers });
        return response.json<{ messages: Array<{ seq: number; from: string; text: string }>; next: number }>();
      };
      expect((await send('l0000001', { kind: 'start', language: 'en' })).statusCode).toBe(202);
      expect((await send('l0000002', { kind: 'text', text: 'hello?' })).statusCode).toBe(202);
      const first = await read(0);
      // what the person wrote is shown; the welcome, not delivered yet, is below it
      expect(first.messages.map((m) => m.text)).toContain('hello?');
      const { db } = held.relais;
      const pending = await db.message.findMany({
        where: { channel: 'WEB', direction: 'OUTBOUND', status: 'PENDING' },
        orderBy: { seq: 'asc' },
      });
      expect(pending.length).toBeGreaterThan(0);
      expect(first.next).toBeLessThan(Number(pending[0]?.seq));
      await db.message.updateMany({ where: { id: { in: pending.map((m) => m.id) } }, data: { status: 'SENT' } });
      const second = await read(first.next);
      expect(second.messages.map((m) => m.text)).toContain(held.relais.i18n.t('en', 'onboarding:welcome'));
      expect(second.next).toBeGreaterThanOrEqual(Math.max(...first.messages.map((m) => m.seq)));
    } finally {
      await held.close();
    }
  });

  it('another session never sees this conversation', async () => {
    expect(await history('another_session_0123456789abcdef')).toEqual([]);
  });

  it('stores HTML as text and returns it as data, never as markup', async () => {
    await post({ kind: 'text', text: '<img src=x onerror=alert(1)>', clientMessageId: 'm0000020' });
    const messages = await history();
    expect(messages.some((m) => m.from === 'person' && m.text === '<img src=x onerror=alert(1)>')).toBe(true);
  });
});

describe('health', () => {
  it('/healthz and /readyz answer, /readyz names each dependency', async () => {
    expect((await t.relais.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.relais.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
      checks: { postgres: 'ok', redis: 'ok' },
    });
  });
});
