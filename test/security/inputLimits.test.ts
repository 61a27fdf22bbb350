import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundContentSchema } from '../../src/core/messages/messageTypes.js';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { startSecurityRelais, TELEGRAM_BOT_ID, type SecurityRelais } from './support/securityRelais.js';

let s: SecurityRelais;
beforeAll(async () => {
  s = await startSecurityRelais('limits');
});
afterAll(async () => {
  await s?.close();
});

/** Texts at the edges, and what must be stored for each (NUL and other C0 controls removed). */
const CASES: Array<{ name: string; text: string; stored: string }> = [
  { name: 'only emoji', text: '🙏🏽👨‍👩‍👧‍👦🇸🇩❤️', stored: '🙏🏽👨‍👩‍👧‍👦🇸🇩❤️' },
  {
    name: 'mixed right-to-left and left-to-right',
    text: 'سلام hello ‏٣‏ Calais שלום 42',
    stored: 'سلام hello ‏٣‏ Calais שלום 42',
  },
  { name: 'control characters', text: 'a\u0001b\u0007c\u001bd\u007fe\tf\ng', stored: 'abcde\tf\ng' },
  { name: 'NUL bytes', text: 'help\u0000 me\u0000', stored: 'help me' },
  { name: 'SQL injection', text: '\'); DROP TABLE "Message"; --', stored: '\'); DROP TABLE "Message"; --' },
  {
    name: 'HTML injection',
    text: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
    stored: '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>',
  },
];

let sessionNumber = 0;
const newSession = () => `limits_session_${String(++sessionNumber).padStart(4, '0')}_abcdefghij`;
const postWeb = (sessionId: string, body: Record<string, unknown>) =>
  s.t.relais.app.inject({
    method: 'POST',
    url: '/chat/api/messages',
    payload: { sessionId, clientMessageId: `limit${String(sessionNumber).padStart(4, '0')}`, ...body },
  });
const history = async (sessionId: string) =>
  (
    await s.t.relais.app.inject({
      method: 'GET',
      url: '/chat/api/messages',
      headers: { 'x-relais-session': sessionId },
    })
  ).json<{ messages: Array<{ from: string; text: string }> }>().messages;
const storedContent = async (channel: 'WEB' | 'TELEGRAM', dedupeKey: string) => {
  const row = await s.t.relais.db.message.findUnique({ where: { channel_dedupeKey: { channel, dedupeKey } } });
  return row ? inboundContentSchema.parse(row.content) : null;
};

describe('inputs at the limits, through the web chat', () => {
  it.each(CASES)('$name: stored as sent (without control characters) and answered', async ({ text, stored }) => {
    const session = newSession();
    expect((await postWeb(session, { kind: 'text', text })).statusCode).toBe(202);
    expect(await storedContent('WEB', `${session}:limit${String(sessionNumber).padStart(4, '0')}`)).toEqual({
      kind: 'text',
      text: stored,
    });
    const messages = await eventually(async () => {
      const h = await history(session);
      return h.some((m) => m.from !== 'person') ? h : undefined;
    });
    // the history is JSON data: the page puts it in the DOM with textContent
    expect(messages.find((m) => m.from === 'person')?.text).toBe(stored);
  });

  it('takes 4096 characters and refuses 4097 or an empty text with 400', async () => {
    const session = newSession();
    expect((await postWeb(session, { kind: 'text', text: 'é'.repeat(4096) })).statusCode).toBe(202);
    expect((await postWeb(newSession(), { kind: 'text', text: 'é'.repeat(4097) })).statusCode).toBe(400);
    expect((await postWeb(newSession(), { kind: 'text', text: '' })).statusCode).toBe(400);
    await eventually(async () => (await history(session)).some((m) => m.from !== 'person'));
  });

  it('the page script never inserts HTML: text goes in with textContent only', async () => {
    const script = await readFile(new URL('../../src/bots/web/public/chat.js', import.meta.url), 'utf8');
    expect(script).toContain('.textContent =');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });
});

describe('inputs at the limits, through the Telegram webhook', () => {
  let chatId = 5_200_000_000;

  async function sendAndWait(text: string) {
    const person = new TelegramUpdateFactory(++chatId, 'en');
    const update = person.text(text);
    const response = await s.telegram(update);
    expect(response.statusCode).toBe(200);
    await eventually(async () => s.botApi.textsTo(person.chatId).length > 0);
    return storedContent('TELEGRAM', `tg:${TELEGRAM_BOT_ID}:${update.update_id}`);
  }

  it.each(CASES)('$name: stored as sent (without control characters) and answered', async ({ text, stored }) => {
    expect(await sendAndWait(text)).toEqual({ kind: 'text', text: stored });
  });

  it("a text of Telegram's maximum length (4096) is stored whole and answered", async () => {
    const text = 'ا'.repeat(4000) + '🙂'.repeat(48);
    expect(await sendAndWait(text)).toEqual({ kind: 'text', text });
  });

  it('a text made only of NUL and control characters is stored empty and still answered', async () => {
    expect(await sendAndWait('\u0000\u0001\u0000')).toEqual({ kind: 'text', text: '' });
  });
});
