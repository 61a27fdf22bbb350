// The web chat in a real browser (Debian Chromium driven by playwright-core) at a small
// phone's size. Each `it` continues the same conversation, like a person would: append new
// walks (the phone request, orientation…) as further steps before the reload check.
import { mkdirSync } from 'node:fs';
import { MENU_ENTRIES } from '../../src/flows/flowRegistry.js';

/** The menu of people in exile (donors have their own entry). */
const PEOPLE_MENU = MENU_ENTRIES.filter((entry) => entry.audience === 'beneficiary' || entry.audience === 'all');
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrlOf, launchChromium } from '../support/browser.js';
import { startTestRelais, type TestRelais } from '../support/testRelais.js';

const SCREENSHOTS = 'test-results';
const PHONE = { width: 360, height: 740 };
const WAIT_MS = 15_000;

let t: TestRelais;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
const tr = (language: string, key: string, params?: Record<string, string | number>) =>
  t.relais.i18n.t(language, key, params);

beforeAll(async () => {
  t = await startTestRelais('webchat_browser', {}, { listen: true });
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-GB',
    baseURL: baseUrlOf(t),
  });
  page = await context.newPage();
  // a CSP violation or a script error is a failure of the page, whatever the test checks
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** How many bubbles the page shows; pass it to {@link relaisSays} to wait for a new answer. */
async function bubbleCount() {
  return page.locator('.msg').count();
}

/** Waits until Relais says `text` in a bubble after the first `after` bubbles. */
async function relaisSays(text: string, after = 0) {
  await page.waitForFunction(
    ([from, expected]) =>
      Array.from(document.querySelectorAll('.msg.relais')).some(
        (m) =>
          Array.from(document.querySelectorAll('.msg')).indexOf(m) >= from && (m.textContent ?? '').includes(expected),
      ),
    [after, text] as const,
    { timeout: WAIT_MS },
  );
}

/** Taps the choice labelled `label` among the buttons of Relais's latest question; returns the bubble count before. */
async function choose(label: string): Promise<number> {
  const button = page.locator('.msg.relais .choices button:not([disabled])').filter({ hasText: label }).last();
  await button.waitFor({ state: 'visible', timeout: WAIT_MS });
  const before = await bubbleCount();
  await button.tap();
  return before;
}

/** Types a message and sends it; returns the bubble count before. */
async function type(text: string): Promise<number> {
  const before = await bubbleCount();
  await page.locator('#text').fill(text);
  await page.locator('#send').tap();
  return before;
}

describe('web chat in a browser, on a 360×740 phone screen', () => {
  it('first contact shows the welcome, the privacy notice and the languages as buttons', async () => {
    await page.goto('/chat');
    await relaisSays(tr('en', 'onboarding:choose_language'));
    const buttons = page.locator('.msg.relais .choices button');
    expect(await buttons.count()).toBe(8);
    expect(await buttons.evaluateAll((list) => list.map((b) => b.tagName))).toEqual(Array(8).fill('BUTTON'));
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    // nothing is wider than the phone: no sideways scrolling
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });

  it('picking English with a button opens the menu in English', async () => {
    const before = await choose('English');
    await relaisSays(tr('en', 'onboarding:language_set'), before);
    await relaisSays(tr('en', 'menu:title'), before);
    await page.locator('.msg.person').filter({ hasText: 'English' }).waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: `${SCREENSHOTS}/webchat-en-menu.png` });
  });

  it('"My data" shows what is kept, and the main menu button comes back to the menu', async () => {
    await relaisSays(tr('en', 'privacy:what_next'), await choose(tr('en', 'menu:privacy')));
    await relaisSays(tr('en', 'menu:title'), await choose(tr('en', 'common:choice_menu')));
    // only the latest question's buttons can be tapped
    const enabled = page.locator('.msg.relais .choices button:not([disabled])');
    expect(await enabled.count()).toBe(PEOPLE_MENU.length);
  });

  it('a reply is shown without the 1 s poll: an idle page only holds its event stream', async () => {
    const fetches: string[] = [];
    const count = (request: { url(): string; method(): string }) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/chat/api/')) fetches.push(`${request.method()} ${url.pathname}`);
    };
    page.on('request', count);
    try {
      await page.waitForTimeout(3000);
      // with a stream open, 3 idle seconds cost no request (the fallback asks every second)
      expect(fetches).toEqual([]);
      expect(await page.evaluate(() => typeof EventSource)).toBe('function');
      const asked = Date.now();
      await relaisSays(tr('en', 'privacy:what_next'), await choose(tr('en', 'menu:privacy')));
      const shownMs = Date.now() - asked;
      // the post, then a fetch for each announced reply; not one a second
      expect(fetches.filter((f) => f === 'POST /chat/api/messages')).toHaveLength(1);
      expect(fetches.filter((f) => f === 'GET /chat/api/messages').length).toBeLessThanOrEqual(4);
      expect(shownMs).toBeLessThan(3000);
      await relaisSays(tr('en', 'menu:title'), await choose(tr('en', 'common:choice_menu')));
    } finally {
      page.off('request', count);
    }
  });

  it('without EventSource the page polls every second, and still shows the replies', async () => {
    const fallback = await browser.newContext({ viewport: PHONE, locale: 'en-GB', baseURL: baseUrlOf(t) });
    await fallback.addInitScript(() => {
      // an old browser, or a proxy that cuts streams
      Reflect.deleteProperty(window, 'EventSource');
    });
    const old = await fallback.newPage();
    try {
      let polls = 0;
      old.on('request', (request) => {
        if (request.method() === 'GET' && new URL(request.url()).pathname === '/chat/api/messages') polls++;
      });
      await old.goto('/chat');
      await old.locator('.msg.relais .choices button').first().waitFor({ timeout: WAIT_MS });
      const before = polls;
      await old.waitForTimeout(2500);
      expect(polls - before).toBeGreaterThanOrEqual(2);
    } finally {
      await fallback.close();
    }
  });

  it('a typed number answers a question as well as a button', async () => {
    const languageEntry = PEOPLE_MENU.findIndex((entry) => entry.id === 'language') + 1;
    await relaisSays(tr('en', 'onboarding:choose_language'), await type(String(languageEntry)));
    expect(await page.locator('.msg.relais .choices button:not([disabled])').count()).toBe(8);
  });

  it(
    'switching to Arabic lays the page out right to left, ' + 'Relais on the right and the person on the left',
    async () => {
      const before = await choose('العربية');
      await relaisSays(tr('ar', 'onboarding:language_set'), before);
      await relaisSays(tr('ar', 'menu:title'), before);
      await page.waitForFunction(() => document.documentElement.dir === 'rtl', undefined, { timeout: WAIT_MS });
      const layout = await page.evaluate(() => {
        const box = (element: Element | null | undefined) => element?.getBoundingClientRect();
        const relais = box(Array.from(document.querySelectorAll('.msg.relais')).at(-1));
        const person = box(Array.from(document.querySelectorAll('.msg.person')).at(-1));
        const main = box(document.querySelector('main'));
        return {
          relaisLeft: relais?.left ?? 0,
          relaisRight: relais?.right ?? 0,
          personLeft: person?.left ?? 0,
          personRight: person?.right ?? 0,
          mainLeft: main?.left ?? 0,
          mainRight: main?.right ?? 0,
        };
      });
      expect(layout.mainRight - layout.relaisRight).toBeLessThan(20);
      expect(layout.relaisLeft - layout.mainLeft).toBeGreaterThan(layout.mainRight - layout.relaisRight);
      expect(layout.personLeft - layout.mainLeft).toBeLessThan(20);
      expect(
        await page
          .locator('.msg.relais')
          .last()
          .evaluate((el) => getComputedStyle(el).direction),
      ).toBe('rtl');
      await page.screenshot({ path: `${SCREENSHOTS}/webchat-ar-menu.png` });
    },
  );

  it('requests a phone in Arabic with buttons, from the menu to the reference', async () => {
    await relaisSays(tr('ar', 'phone:for_whom'), await choose(tr('ar', 'menu:phone')));
    await relaisSays(tr('ar', 'phone:situation'), await choose(tr('ar', 'phone:for_self')));
    await relaisSays(tr('ar', 'phone:urgency'), await choose(tr('ar', 'phone:situation_stolen')));
    // no association in this database: the next question is where the person stays
    await relaisSays(tr('ar', 'phone:stay'), await choose(tr('ar', 'phone:urgency_high')));
    await relaisSays(tr('ar', 'phone:summary').split('\n')[0] ?? '', await choose(tr('ar', 'common:choice_skip')));
    const before = await choose(tr('ar', 'phone:choice_send'));
    await relaisSays(tr('ar', 'phone:created').split('{{')[0] ?? '', before);
    // one short line instead of the whole menu: the reference stays in sight on a phone screen
    await relaisSays(tr('ar', 'menu:after_done'), before);
    const request = await t.relais.db.request.findFirstOrThrow({ where: { kind: 'PHONE' } });
    expect(request.reference).toMatch(/^P-\d+$/);
    const reference = page.locator('.msg.relais').filter({ hasText: request.reference });
    expect(await reference.count()).toBe(1);
    const box = await reference.boundingBox();
    const log = await page.locator('main').boundingBox();
    expect(box && log && box.y >= log.y - 1 && box.y + box.height <= log.y + log.height + 1).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/webchat-ar-phone-request.png` });
  });

  let code = '';
  it('shows a personal code and keeps it on screen, while the server erases it once the page has it', async () => {
    // "0" brings the menu back after the short line
    await relaisSays(tr('ar', 'menu:title'), await type('0'));
    await relaisSays(tr('ar', 'code:intro'), await choose(tr('ar', 'menu:code')));
    const before = await choose(tr('ar', 'code:choice_show'));
    await relaisSays(tr('ar', 'code:keep_it', { days: 90 }), before);
    const bubble = page.locator('.msg.relais').filter({ hasText: /\d{4} \d{4} \d{2}/ });
    code = /\d{4} \d{4} \d{2}/.exec((await bubble.textContent()) ?? '')?.[0] ?? '';
    expect(code).not.toBe('');
    const codeRows = () =>
      t.relais.db.message.findMany({
        where: { channel: 'WEB', direction: 'OUTBOUND', contentPurgedAt: { not: null } },
        select: { content: true },
      });
    const deadline = Date.now() + WAIT_MS;
    while ((await codeRows()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await codeRows()).toEqual([{ content: null }]);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await bubble.count()).toBe(1);
  });

  it('the conversation survives a reload, still right to left (a personal code is not shown again)', async () => {
    const before = await bubbleCount();
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll('.msg').length >= n, before - 1, { timeout: WAIT_MS });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await bubbleCount()).toBe(before - 1);
    expect(await page.locator('.msg').filter({ hasText: code }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    // the code flow ended with the short line: no stale buttons to tap
    expect(await page.locator('.msg.relais .choices button:not([disabled])').count()).toBe(0);
  });

  it('"I am someone else → new profile": the page forgets the previous person and takes a new session', async () => {
    const request = await t.relais.db.request.findFirstOrThrow({ where: { kind: 'PHONE' } });
    const oldSession = await page.evaluate(() => localStorage.getItem('relais.session'));
    await relaisSays(tr('ar', 'menu:title'), await type('0'));
    await relaisSays(tr('ar', 'otherPerson:intro'), await choose(tr('ar', 'menu:other_person')));
    await relaisSays(tr('ar', 'otherPerson:confirm_new'), await choose(tr('ar', 'otherPerson:choice_new')));
    await choose(tr('ar', 'common:choice_yes'));
    const renewed = (old: string | null) => localStorage.getItem('relais.session') !== old;
    await page.waitForFunction(renewed, oldSession, { timeout: WAIT_MS });
    // the new person chooses their language: the page shows their conversation only
    const languagesOffered = () =>
      document.querySelectorAll('.msg.relais .choices button:not([disabled])').length === 8;
    await page.waitForFunction(languagesOffered, undefined, { timeout: WAIT_MS });
    expect(await page.locator('.msg').filter({ hasText: request.reference }).count()).toBe(0);
    expect(await page.locator('.msg.person').count()).toBe(0);
    const oldHistory = await page.evaluate(async (old) => {
      const response = await fetch('/chat/api/messages', { headers: { 'x-relais-session': old ?? '' } });
      return response.json();
    }, oldSession);
    expect(oldHistory).toEqual({ messages: [], profile: null });
    await page.reload();
    await page.waitForFunction(languagesOffered, undefined, { timeout: WAIT_MS });
    expect(await page.locator('.msg').filter({ hasText: request.reference }).count()).toBe(0);
  });

  it('a phone past the cap of new conversations from its address is told so in its own language', async () => {
    // this address has opened its hourly share of new sessions (as a script would)
    const address = t.relais.secrets.hash('webchat-ip:127.0.0.1').slice(0, 32);
    await t.relais.redis.set(`${t.config.QUEUE_PREFIX}:webchat-rate:new-session:${address}`, '1000', 'PX', 3_600_000);
    const options = { viewport: PHONE, isMobile: true, hasTouch: true, locale: 'fr-FR', baseURL: baseUrlOf(t) };
    const french = await browser.newContext(options);
    const other = await french.newPage();
    await other.goto('/chat');
    const refusal = other.locator('#status').filter({ hasText: tr('fr', 'channel:web.too_many_new_sessions') });
    await refusal.waitFor({ timeout: WAIT_MS });
    expect(await other.locator('.msg').count()).toBe(0);
    await french.close();
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(problems).toEqual([]);
  });
});
