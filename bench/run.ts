// `npm run bench` — inbound throughput (Relais vs a bare insert), outbound pacing against a
// rate-limited fake Bot API, and memory with many open conversations. Each service runs in
// its own process against real Postgres and Redis, on fresh databases dropped afterwards.
//   npm run bench                  full run (~16 min; the outbound and announcement parts are ~6 min each)
//   npm run bench -- --only announce   10 000 people receive an announcement while 20 walk the phone request
//   npm run bench -- --only announce --people 3000 --walkers 20   a shorter announcement
//   npm run bench -- --quick       short version (~1.5 min)
//   npm run bench -- --only inbound,memory --walk onboarding --profile /tmp/prof
//   npm run bench -- --whatsapp    also the WhatsApp worker memory benchmark (~2-3 min)
// Services run from the compiled build (`npm run build` first, as in production);
// BENCH_TSX=1 runs them under tsx like `npm start`.
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { runInboundBench } from './inboundBench.js';
import { runMemoryBench } from './memoryBench.js';
import { runOutboundBench } from './outboundBench.js';
import { runAnnounceBench } from './announceBench.js';
import { loadAverage } from './support/benchEnv.js';
import { WALKS } from './support/walks.js';
import { measureWhatsAppWorkerMemory } from './whatsappWorkerMemory.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'inbound,outbound,memory,announce' },
    walk: { type: 'string', default: 'phone-request' },
    profile: { type: 'string' },
    whatsapp: { type: 'boolean', default: false },
    // the announcement's audience and walkers (defaults: 10 000 and 20; --quick 600 and 5)
    people: { type: 'string' },
    walkers: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const only = new Set(values.only.split(','));
  if (!WALKS[values.walk]) throw new Error(`unknown walk ${values.walk}; known: ${Object.keys(WALKS).join(', ')}`);
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const machine = {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    cpu,
    ramGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadAverage(),
    quick,
  };
  const build = process.env.BENCH_TSX === '1' ? 'tsx' : 'compiled (npm run build)';
  if (build !== 'tsx') execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  log('machine', { ...machine, build });
  const results: Record<string, unknown> = { machine: { ...machine, build } };
  if (only.has('inbound')) {
    results.inbound = await runInboundBench({
      walk: values.walk,
      chats: quick ? 100 : 400,
      connections: 32,
      durationSec: quick ? 8 : 20,
      warmupSec: quick ? 2 : 4,
      ...(values.profile ? { cpuProfDir: values.profile } : {}),
    });
    log('inbound', results.inbound);
  }
  if (only.has('memory')) {
    results.memory = await runMemoryBench({
      conversations: quick ? 2000 : 10_000,
      requests: quick ? 100 : 300,
      workerSeconds: quick ? 8 : 20,
    });
    log('memory', results.memory);
  }
  if (only.has('outbound')) {
    results.outbound = await runOutboundBench(
      quick ? { messages: 600, chats: 120 } : { messages: 10_000, chats: 2000 },
    );
    log('outbound', results.outbound);
  }
  if (only.has('announce')) {
    const size = quick ? { people: 600, walkers: 5 } : { people: 10_000, walkers: 20 };
    results.announce = await runAnnounceBench({
      people: values.people ? Number(values.people) : size.people,
      walkers: values.walkers ? Number(values.walkers) : size.walkers,
    });
    log('announce', results.announce);
  }
  if (values.whatsapp) {
    results.whatsapp = await measureWhatsAppWorkerMemory(quick ? 200 : 1000);
    log('whatsapp', results.whatsapp);
  }
  results.loadAverageAfter = loadAverage();
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

function log(label: string, value: unknown): void {
  process.stderr.write(`[bench] ${label}: ${JSON.stringify(value)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
