import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import type { TestRelais } from './testRelais.js';

/** Debian's Chromium (ENVIRONMENT.md): never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts headless Chromium, or explains how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: ` +
        'run `apt-get install -y chromium` (as .ci/run does) or set CHROMIUM_PATH',
    );
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** http://127.0.0.1:<port> of a test Relais started with `listen: true`. */
export function baseUrlOf(t: TestRelais): string {
  const address = t.relais.app.addresses().find((a) => typeof a !== 'string');
  if (!address || typeof address === 'string')
    throw new Error('the test server has no TCP address (start it with listen: true)');
  return `http://127.0.0.1:${address.port}`;
}
