// The web chat's own words, its language and direction, a rate limit waited out, focus and
// the "start over" question, in Debian's Chromium at a small phone's size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrlOf, launchChromium } from '../support/browser.js';
import { startTestRelais, type TestRelais } from '../support/testRelais.js';

const PHONE = { width: 360, height: 740 };
const WAIT_MS = 15_000;

let t: TestRelais;
let browser: Browser;
const problems: string[] = [];
const tr = (language: string, key: string) => t.relais.i18n.t(language, key);

beforeAll(async () => {
  t = await startTestRelais('webchat_language', {}, { listen: true });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function phone(locale: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    locale,
    baseURL: baseUrlOf(t),
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto('/chat');
  return page;
}

const says = (page: Page, text: string) =>
  page.waitForFunction(
    (expected) =>
      Array.from(document.querySelectorAll('.msg.relais')).some((m) => (m.textContent ?? '').includes(expected)),
    text,
    { timeout: WAIT_MS },
  );

async function tap(page: Page, label: string) {
  const button = page.locator('.msg.relais .choices button:not([disabled])').filter({ hasText: label }).last();
  await button.waitFor({ state: 'visible', timeout: WAIT_MS });
  await button.tap();
}

describe("the web chat speaks the person's language", () => {
  it('its own words, lang and dir follow the person: Arabic right to left, then Tigrinya', async () => {
    const page = await phone('ar');
    await page.waitForFunction(() => document.documentElement.lang === 'ar', undefined, { timeout: WAIT_MS });
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.locator('#text').getAttribute('placeholder')).toBe(tr('ar', 'channel:web.ui.placeholder'));
    expect(await page.locator('#send').getAttribute('aria-label')).toBe(tr('ar', 'channel:web.ui.send'));
    expect(await page.locator('#reset').getAttribute('aria-label')).toBe(tr('ar', 'channel:web.ui.new_conversation'));

    await tap(page, tr('en', 'languages:ti'));
    await page.waitForFunction(() => document.documentElement.lang === 'ti', undefined, { timeout: WAIT_MS });
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    expect(await page.locator('#text').getAttribute('placeholder')).toBe(tr('ti', 'channel:web.ui.placeholder'));
    // buttons use the page's font, like the bubbles
    const fonts = await page.evaluate(() => [
      getComputedStyle(document.querySelector('.msg.relais .choices button') ?? document.body).fontFamily,
      getComputedStyle(document.body).fontFamily,
    ]);
    expect(fonts[0]).toBe(fonts[1]);
    // the input is inside a landmark; the log is not a live region, only new messages are announced
    expect(await page.locator('footer form#composer[aria-label] #text').count()).toBe(1);
    expect(await page.locator('#log').getAttribute('aria-live')).toBeNull();
    expect(await page.locator('#announce[aria-live="polite"]').textContent()).toContain(tr('ti', 'menu:title'));
    await page.context().close();
  });

  it(
    'a message typed during a rate limit is kept, ' + "said so in the person's language, and delivered afterwards",
    async () => {
      const page = await phone('fr');
      await tap(page, tr('en', 'languages:fr'));
      await says(page, tr('fr', 'menu:title'));
      // this session has used its share of the minute (as a fast tapper would), for 2 more seconds
      const session = await page.evaluate(() => localStorage.getItem('relais.session') ?? '');
      const sessionHash = t.relais.secrets.hash(`webchat-rate:${session}`).slice(0, 32);
      const key = `${t.config.QUEUE_PREFIX}:webchat-rate:session:${sessionHash}`;
      await t.relais.redis.set(key, '1000', 'PX', 2000);
      await page.locator('#text').fill('téléphone');
      await page.locator('#send').tap();
      await page.waitForFunction(
        (text) => document.getElementById('status')?.textContent === text,
        tr('fr', 'channel:web.too_many_messages'),
        { timeout: WAIT_MS },
      );
      expect(await page.locator('#text').inputValue()).toBe('téléphone');
      // sent by itself after Retry-After, then the box is emptied
      await says(page, tr('fr', 'phone:for_whom'));
      expect(await page.locator('#text').inputValue()).toBe('');
      expect(await page.locator('.msg.person').filter({ hasText: 'téléphone' }).count()).toBe(1);
      await page.context().close();
    },
  );

  it('a re-render keeps the focus where it was, and ↻ asks before starting over', async () => {
    const page = await phone('en');
    await tap(page, tr('en', 'languages:en'));
    await says(page, tr('en', 'menu:title'));
    await page.locator('#text').focus();
    await page.evaluate(async () => {
      // another tab of the same session writes: this page re-renders with the new messages
      const body = {
        kind: 'text',
        sessionId: localStorage.getItem('relais.session'),
        clientMessageId: 'othertab1',
        text: 'menu',
      };
      await fetch('/chat/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    });
    await page.waitForFunction(() => document.querySelectorAll('.msg.person').length >= 2, undefined, {
      timeout: WAIT_MS,
    });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('text');

    const bubbles = await page.locator('.msg').count();
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.locator('#reset').tap();
    await page.waitForTimeout(300);
    expect(asked).toEqual([tr('en', 'channel:web.ui.restart_confirm')]);
    expect(await page.locator('.msg').count()).toBe(bubbles);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
