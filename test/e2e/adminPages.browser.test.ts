// The pages operators open in a browser: the API documentation (Swagger UI) and the queue
// dashboard (Bull Board), each under its own Content-Security-Policy.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrlOf, launchChromium } from '../support/browser.js';
import { startTestRelais, type TestRelais } from '../support/testRelais.js';

const ADMIN_TOKEN = 'browser-admin-token-0123456789';
const SCREENSHOTS = 'test-results';

let t: TestRelais;
let browser: Browser;
let baseURL = '';

beforeAll(async () => {
  t = await startTestRelais('admin_pages', { ADMIN_TOKEN }, { listen: true, workers: false });
  baseURL = baseUrlOf(t);
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/**
 * Script errors and CSP violations a page reports. Bull Board asks for Google Fonts: our CSP
 * blocks that on purpose (no third-party request from an admin page), the page falls back to
 * system fonts.
 */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    const text = message.text();
    if (
      message.type() === 'error' &&
      /Content Security Policy/.test(text) &&
      !text.includes('https://fonts.googleapis.com/')
    )
      problems.push(text);
  });
  return problems;
}

describe('operator pages in a browser', () => {
  it('the API documentation lists the admin routes and runs under its CSP', async () => {
    const page = await browser.newPage({ baseURL, viewport: { width: 1280, height: 900 } });
    const problems = watchProblems(page);
    await page.goto('/docs/');
    await page.locator('.opblock-tag').filter({ hasText: 'devices' }).first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.opblock-summary-path').allTextContents()).toEqual(
      expect.arrayContaining(['/api/v1/devices/import', '/api/v1/requests.csv']),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/api-docs.png` });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the queue dashboard opens with the admin token as Basic password and shows the queues', async () => {
    const context = await browser.newContext({
      baseURL,
      httpCredentials: { username: 'admin', password: ADMIN_TOKEN },
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto('/admin/queues');
    await page.getByText('outbound-web').first().waitFor({ timeout: 15_000 });
    await page.getByText('tasks').first().click();
    await page
      .getByText(/failed/i)
      .first()
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/queue-dashboard.png` });
    expect(problems).toEqual([]);
    await context.close();
  });
});
