import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CHROMIUM_ARGS, createWhatsAppClientFactory } from '../../../src/bots/whatsapp/whatsappClient.js';

// what whatsapp-web.js keeps of its options (read back without starting Chromium)
const builtClient = z.object({
  options: z.object({ puppeteer: z.object({ executablePath: z.string(), args: z.array(z.string()) }) }),
  authStrategy: z.object({ clientId: z.string(), dataPath: z.string() }),
});

describe('the production WhatsApp client', () => {
  it('is whatsapp-web.js with the session kept in WHATSAPP_DATA_DIR and Debian Chromium run headless', async () => {
    const factory = createWhatsAppClientFactory({
      WHATSAPP_CLIENT_ID: 'association-calais',
      WHATSAPP_DATA_DIR: './data/whatsapp-test',
      CHROMIUM_PATH: '/usr/bin/chromium',
    });
    const client = builtClient.parse(await factory());
    expect(client.authStrategy).toMatchObject({
      clientId: 'association-calais',
      dataPath: path.resolve('./data/whatsapp-test'),
    });
    expect(client.options.puppeteer.executablePath).toBe('/usr/bin/chromium');
    expect(client.options.puppeteer.args).toEqual(expect.arrayContaining(CHROMIUM_ARGS));
    expect(CHROMIUM_ARGS).toEqual([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ]);
  });
});
