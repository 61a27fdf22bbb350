// The load process of the inbound benchmark: posts real-shaped Telegram webhook updates with
// autocannon for many people at once, each walking a conversation in order (a person's next
// update is sent only after the previous one was answered 200, like Telegram does per chat).
// Runs in its own process so that the load generator is not measured with the service.
//   npx tsx bench/webhookLoad.ts '<json options>'   → one JSON line on stdout
import process from 'node:process';
import autocannon from 'autocannon';
import { startUpdateIdsAt, TelegramUpdateFactory } from '../test/support/telegramUpdates.js';
import { percentile } from './support/stats.js';
import {
  webhookLoadOptionsSchema,
  type WebhookLoadOptionsParsed,
  type WebhookLoadResult,
} from './support/webhookLoadTypes.js';
import { updateFor, WALKS } from './support/walks.js';

interface Person {
  factory: TelegramUpdateFactory;
  step: number;
}

/** Hands out the next (person, step) whose previous step was answered; never two in flight for one person. */
class WalkScheduler {
  private readonly ready: Person[] = [];
  private nextChatId: number;
  walksCompleted = 0;

  constructor(
    private readonly options: WebhookLoadOptionsParsed,
    private readonly steps: number,
  ) {
    this.nextChatId = options.firstChatId;
    for (let i = 0; i < options.chats; i++) this.ready.push(this.newPerson());
  }

  private newPerson(): Person {
    return { factory: new TelegramUpdateFactory(this.nextChatId++, 'en'), step: 0 };
  }

  take(): Person | undefined {
    return this.ready.shift();
  }

  /** answered: the person goes on (or a new person takes their place); refused: same step again */
  answered(person: Person, accepted: boolean): void {
    if (!accepted) {
      this.ready.push(person);
      return;
    }
    person.step += 1;
    if (person.step < this.steps) this.ready.push(person);
    else {
      this.walksCompleted += 1;
      if (this.options.amount === 0) this.ready.push(this.newPerson());
    }
  }
}

async function runPhase(
  options: WebhookLoadOptionsParsed,
  scheduler: WalkScheduler,
  seconds: number,
  amount: number,
): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const walk = WALKS[options.walk];
  if (!walk) throw new Error(`unknown walk ${options.walk}`);
  const latencies: number[] = [];
  // autocannon gives each connection a context object for the request in flight
  const inFlight = new WeakMap<object, { person: Person; sentAt: number }>();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(amount > 0 ? { amount } : { duration: seconds }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/telegram/webhook',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': options.secret },
        setupRequest: (request, context) => {
          const person = scheduler.take();
          if (!person) return request; // cannot happen while connections ≤ chats
          const step = walk.steps[person.step];
          if (!step) throw new Error('walk step out of range');
          inFlight.set(context, { person, sentAt: performance.now() });
          return { ...request, body: JSON.stringify(updateFor(person.factory, step)) };
        },
        onResponse: (status, _body, context) => {
          const sent = inFlight.get(context);
          if (!sent) return;
          inFlight.delete(context);
          latencies.push(performance.now() - sent.sentAt);
          scheduler.answered(sent.person, status === 200);
        },
      },
    ],
  });
  return { result, latencies };
}

async function main(): Promise<void> {
  const options = webhookLoadOptionsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  // runs with distinct chat ranges get distinct update ids (one bot: ids must never repeat)
  startUpdateIdsAt(options.firstChatId * 100);
  const walk = WALKS[options.walk];
  if (!walk) throw new Error(`unknown walk ${options.walk}`);
  const scheduler = new WalkScheduler(options, walk.steps.length);
  if (options.warmupSec > 0) await runPhase(options, scheduler, options.warmupSec, 0);
  const completedBefore = scheduler.walksCompleted;
  const started = performance.now();
  const { result, latencies } = await runPhase(options, scheduler, options.durationSec, options.amount);
  const seconds = (performance.now() - started) / 1000;
  const ok = result['2xx'];
  const out: WebhookLoadResult = {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: round(seconds),
    perSec: round(ok / seconds),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.reduce((m, x) => Math.max(x, m), 0)),
    walksCompleted: scheduler.walksCompleted - completedBefore,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

const round = (n: number) => Math.round(n * 10) / 10;

main().catch((error: unknown) => {
  process.stderr.write(`webhook load failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
