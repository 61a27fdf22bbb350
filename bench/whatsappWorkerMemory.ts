// Memory of a worker process running the WhatsApp adapter, without Chromium (the fake
// whatsapp-web.js client stands in for the browser): resident set size idle, then after N
// conversations (first contact, language choice, menu) through the real inbound path,
// Postgres, Redis, BullMQ delivery and the adapter. Pacing is off so it finishes quickly.
//   npx tsx bench/whatsappWorkerMemory.ts [conversations]
// `measureWhatsAppWorkerMemory` runs the worker in a child process (clean numbers) and is
// what `npm run bench` calls.
import { spawn } from 'node:child_process';
import os from 'node:os';
import process from 'node:process';
import { Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadConfig } from '../src/core/config.js';
import { createRelais } from '../src/relais.js';
import { FakeWhatsApp, type FakeSentMessage } from '../test/support/fakeWhatsAppClient.js';
import { createTestDatabase, TEST_REDIS_URL, uniqueQueuePrefix } from '../test/support/testDatabase.js';
import { fakeWhatsAppTransports, WHATSAPP_TEST_ENV } from '../test/support/whatsappRelais.js';

const resultSchema = z.object({
  /** the same worker without WhatsApp, idle: what the adapter adds is the difference */
  baselineIdleRssMb: z.number().optional(),
  conversations: z.number(),
  inboundMessages: z.number(),
  outboundMessages: z.number(),
  seconds: z.number(),
  idleRssMb: z.number(),
  peakRssMb: z.number(),
  afterRssMb: z.number(),
  afterHeapUsedMb: z.number(),
});
export type WhatsAppWorkerMemory = z.infer<typeof resultSchema> & { node: string; cpus: string; date: string };

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONCURRENCY = 50;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Runs the measurement in a fresh worker process (`node --expose-gc`) and returns its numbers. */
export async function measureWhatsAppWorkerMemory(conversations = 1000): Promise<WhatsAppWorkerMemory> {
  const baseline = resultSchema.parse(await runChild(['--child', '0', '--without-whatsapp']));
  const measured = resultSchema.parse(await runChild(['--child', String(conversations)]));
  return {
    ...measured,
    baselineIdleRssMb: baseline.idleRssMb,
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    date: new Date().toISOString().slice(0, 10),
  };
}

async function runChild(args: string[]): Promise<unknown> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', THIS_FILE, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`WhatsApp memory benchmark exited with ${code}`);
  return JSON.parse(output.trim().split('\n').at(-1) ?? '');
}

/** The worker side: a Relais worker (no HTTP) with the WhatsApp adapter on a fresh database. */
async function runWorker(conversations: number, withWhatsApp: boolean): Promise<z.infer<typeof resultSchema>> {
  const database = await createTestDatabase('bench_wa_memory');
  const world = new FakeWhatsApp();
  world.retainSent = false;
  const received = new Map<string, number>();
  const waiters = new Map<string, { count: number; resolve: () => void }>();
  world.onSend = (message: FakeSentMessage) => {
    const count = (received.get(message.chatId) ?? 0) + 1;
    received.set(message.chatId, count);
    const waiter = waiters.get(message.chatId);
    if (waiter && count >= waiter.count) {
      waiters.delete(message.chatId);
      waiter.resolve();
    }
  };
  const repliesReach = (chatId: string, count: number) =>
    (received.get(chatId) ?? 0) >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.set(chatId, { count, resolve }));

  const config = loadConfig({
    ...WHATSAPP_TEST_ENV,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('bench_wa'),
    APP_SECRET: 'bench-secret-0123456789abcdef',
    FLOOD_MAX_PER_MINUTE: '1000',
  });
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const relais = await createRelais(config, {
    web: false,
    workers: true,
    transports: withWhatsApp ? fakeWhatsAppTransports(world) : () => [],
    logDestination: sink,
  });
  await relais.start();
  try {
    while (withWhatsApp && !world.current) await new Promise((resolve) => setTimeout(resolve, 20));
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        global.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    await settle();
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);

    const started = Date.now();
    let next = 0;
    const converse = async () => {
      while (next < conversations) {
        const jid = `3361${String(next++).padStart(7, '0')}@c.us`;
        world.write(jid, 'hello');
        await repliesReach(jid, 3); // welcome, privacy notice, languages
        world.write(jid, '2');
        await repliesReach(jid, 6); // language set, how to erase, menu
        world.write(jid, 'menu');
        await repliesReach(jid, 7);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, converse));
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    await settle();
    const after = process.memoryUsage();
    return {
      conversations,
      inboundMessages: conversations * 3,
      outboundMessages: [...received.values()].reduce((a, b) => a + b, 0),
      seconds: Math.round(seconds * 10) / 10,
      idleRssMb: mb(idle),
      peakRssMb: mb(Math.max(peak, after.rss)),
      afterRssMb: mb(after.rss),
      afterHeapUsedMb: mb(after.heapUsed),
    };
  } finally {
    await relais.stop();
    await database.drop();
  }
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url;
if (invokedDirectly) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    runWorker(Number(args[1] ?? 1000), !args.includes('--without-whatsapp'))
      .then((result) => {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      });
  } else {
    measureWhatsAppWorkerMemory(Number(args[0] ?? 1000))
      .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
      .catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      });
  }
}
