import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// the package's root entry is a CommonJS default export that NodeNext types cannot construct
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { channelTransports } from '../../src/bots/channelTransports.js';
import { freePort } from './freePort.js';
import { startTestRelais, type TestRelais } from './testRelais.js';
import { TelegramTestUser, type TelegramTestUserOptions } from './telegramTestUser.js';

const USER_EVENTS = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'] as const;
/** how long the proxy holds an empty getUpdates (real Telegram: up to `timeout` s) */
const LONG_POLL_HOLD_MS = 1_000;
const POLL_START_TIMEOUT_MS = 15_000;

export interface TelegramTestbedOptions {
  /** extra Relais configuration (defaults: no per-chat pacing so tests run fast) */
  env?: Record<string, string>;
  token?: string;
}

/**
 * A Telegram bot end to end, for tests: the `telegram-test-api` emulator stands in for
 * Telegram, and a real Relais (fresh database, real Redis, workers) runs the Telegram
 * channel in long-polling mode against it. `user()` gives a simulated person.
 *
 * ```ts
 * const bed = await startTelegramTestbed('myflow');
 * const amina = bed.user({ languageCode: 'ar' });
 * await amina.start();              // resolves with the bot's replies to /start
 * await amina.press('العربية');     // an inline button, by label, number or data
 * const replies = await amina.sendText('٢');
 * await bed.close();
 * ```
 */
export class TelegramTestbed {
  private nextChatId = 5_000_001;

  private constructor(
    private readonly api: BotApiEmulator,
    readonly relais: TestRelais,
    readonly token: string,
  ) {}

  /** the telegram-test-api server (its `storage` holds every message both ways) */
  get emulator(): TelegramServer {
    return this.api.emulator;
  }

  /** Starts the emulator, the long-polling proxy in front of it and a Relais polling it. */
  static async start(label: string, options: TelegramTestbedOptions = {}): Promise<TelegramTestbed> {
    const token = options.token ?? '123456789:TEST-emulated_bot_token';
    const api = await startBotApiEmulator();
    try {
      const relais = await startTestRelais(
        label,
        {
          TELEGRAM_MODE: 'polling',
          TELEGRAM_BOT_TOKEN: token,
          TELEGRAM_API_ROOT: api.apiRoot,
          TELEGRAM_RATE_PER_CHAT_MS: '0',
          ...options.env,
        },
        { transports: channelTransports },
      );
      // a test's first message should not wait for grammY's start-up (getMe, deleteWebhook)
      await api.polled(POLL_START_TIMEOUT_MS);
      return new TelegramTestbed(api, relais, token);
    } catch (error) {
      await api.close();
      throw error;
    }
  }

  /** A new person in a private chat with the bot (their own chat id unless given). */
  user(options: Partial<TelegramTestUserOptions> = {}): TelegramTestUser {
    const chatId = options.chatId ?? this.nextChatId++;
    return new TelegramTestUser(this, {
      chatId,
      firstName: options.firstName ?? 'Amina',
      ...(options.languageCode ? { languageCode: options.languageCode } : {}),
    });
  }

  get botId(): string {
    return this.token.split(':')[0] ?? '';
  }

  async close(): Promise<void> {
    // Relais first: stopping the poller makes one last getUpdates through the proxy
    await this.relais.close();
    await this.api.close();
  }
}

/** Shorthand for `TelegramTestbed.start`. */
export function startTelegramTestbed(label: string, options: TelegramTestbedOptions = {}): Promise<TelegramTestbed> {
  return TelegramTestbed.start(label, options);
}

async function startEmulator(): Promise<TelegramServer> {
  // the emulator reads port 0 as "9000": pick a free port ourselves, retry if someone takes it
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const emulator = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 3600 });
    try {
      await emulator.start();
      return emulator;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

/** The emulator and the URL to give grammY as its API root. */
export interface BotApiEmulator {
  emulator: TelegramServer;
  apiRoot: string;
  /** resolves once a bot has called getUpdates (it is polling); rejects after `timeoutMs` */
  polled(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts telegram-test-api on a free port behind a long-polling proxy. The emulator answers
 * getUpdates at once, so grammY would poll in a tight loop; the proxy forwards every Bot API
 * call and holds an empty getUpdates until the simulated user sends something (or a second
 * passes), like Telegram's long polling.
 */
export async function startBotApiEmulator(): Promise<BotApiEmulator> {
  const emulator = await startEmulator();
  const target = emulator.config.apiURL;
  let markPolled: () => void = () => undefined;
  const firstPoll = new Promise<void>((resolve) => (markPolled = resolve));
  const server: Server = createServer((request, response) => {
    if (request.url?.endsWith('/getUpdates')) markPolled();
    void relay(request, response, target, emulator).then(
      ({ status, text }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(text);
      },
      () => {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: false, error_code: 502, description: 'emulator unreachable' }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo; // a TCP listener always has an AddressInfo
  return {
    emulator,
    apiRoot: `http://127.0.0.1:${port}`,
    polled: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () =>
              reject(
                new Error(`the bot did not start polling the emulator within ${timeoutMs} ms (see the Relais logs)`),
              ),
            timeoutMs,
          )),
      );
      await Promise.race([firstPoll, timeout]).finally(() => clearTimeout(timer));
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.stop();
    },
  };
}

async function relay(
  request: IncomingMessage,
  response: ServerResponse,
  target: string,
  emulator: TelegramServer,
): Promise<{ status: number; text: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const body = Buffer.concat(chunks);
  const forward = async () => {
    const answer = await fetch(`${target}${request.url ?? ''}`, {
      method: request.method ?? 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
      ...(body.length > 0 ? { body } : {}),
    });
    return { status: answer.status, text: await answer.text() };
  };
  const first = await forward();
  const token = /^\/bot([^/]+)\/getUpdates$/.exec(request.url ?? '')?.[1];
  if (!token || !/"timeout":\s*[1-9]/.test(body.toString('utf8')) || !/"result":\s*\[\s*\]/.test(first.text))
    return first;
  await userActivity(emulator, decodeURIComponent(token), response);
  return forward();
}

/** Resolves when the simulated user sends something, the client goes away, or the hold time is over. */
function userActivity(emulator: TelegramServer, token: string, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const event of USER_EVENTS) emulator.off(event, done);
      response.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, LONG_POLL_HOLD_MS);
    for (const event of USER_EVENTS) emulator.on(event, done);
    // the response closes before we answer only when grammY aborts the call (bot.stop)
    response.on('close', done);
    // something may have arrived between the empty answer and the listeners above
    if (emulator.storage.userMessages.some((update) => update.botToken === token && !update.isRead)) done();
  });
}
