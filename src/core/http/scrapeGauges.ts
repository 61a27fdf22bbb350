import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import type { RequestStatus } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';

/** Statuses where someone is waiting for an association: the ones whose age matters. */
export const WAITING_REQUEST_STATUSES: readonly RequestStatus[] = ['OPEN', 'CLAIMED', 'ALLOCATED'];
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
const SCRAPE_TIMEOUT_MS = 2000;
/** Prometheus servers scraping in pairs hit us twice within a second: one query serves both. */
const SNAPSHOT_TTL_MS = 1000;

interface Snapshot {
  queues: Array<{ queue: string; counts: Record<string, number> }>;
  requests: Array<{ status: RequestStatus; count: number; oldestSeconds: number }>;
  messages: Array<{ channel: string; count: number; oldestSeconds: number }>;
  jobs: Array<{ queue: string; count: number; oldestSeconds: number }>;
}

export interface ScrapeSources {
  db: Db;
  queues: () => readonly Queue[];
}

/**
 * Gauges read on each scrape of /metrics: BullMQ job counts per queue and state, requests
 * waiting per status with the age of the oldest, and the transactional outbox backlog
 * (outbound messages and tasks still in Postgres). A source that does not answer within 2 s
 * is left out of that scrape (its series disappear) rather than failing it or showing stale values.
 */
export function registerScrapeGauges(registry: Registry, sources: ScrapeSources): void {
  let cached: { at: number; value: Promise<Snapshot> } | undefined;
  const snapshot = () => {
    if (!cached || Date.now() - cached.at > SNAPSHOT_TTL_MS) cached = { at: Date.now(), value: takeSnapshot(sources) };
    return cached.value;
  };
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (snap: Snapshot, set: (labels: Record<L, string>, value: number) => void) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const snap = await snapshot();
        this.reset();
        fill(snap, (labels, value) => this.set(labels, value));
      },
    });

  gauge(
    'relais_queue_jobs',
    'BullMQ jobs per queue and state (waiting, active, delayed, prioritized, failed)',
    ['queue', 'state'],
    (snap, set) => {
      for (const { queue, counts } of snap.queues)
        for (const state of QUEUE_STATES) set({ queue, state }, counts[state] ?? 0);
    },
  );
  gauge(
    'relais_requests_waiting',
    'Requests in a status where a person is waiting (OPEN, CLAIMED, ALLOCATED)',
    ['status'],
    (snap, set) => {
      for (const r of snap.requests) set({ status: r.status }, r.count);
    },
  );
  gauge(
    'relais_request_oldest_age_seconds',
    'Age of the oldest request in each waiting status (0 when none)',
    ['status'],
    (snap, set) => {
      for (const r of snap.requests) set({ status: r.status }, r.oldestSeconds);
    },
  );
  gauge(
    'relais_outbox_pending_messages',
    'Outbound messages stored in Postgres and not yet delivered, by channel',
    ['channel'],
    (snap, set) => {
      for (const m of snap.messages) set({ channel: m.channel }, m.count);
    },
  );
  gauge(
    'relais_outbox_pending_jobs',
    'Background tasks stored in the outbox and not yet handed to their queue',
    ['queue'],
    (snap, set) => {
      for (const j of snap.jobs) set({ queue: j.queue }, j.count);
    },
  );
  gauge(
    'relais_outbox_oldest_pending_seconds',
    'Age of the oldest undelivered outbound message and undispatched task (0 when none)',
    ['kind'],
    (snap, set) => {
      if (snap.requests.length === 0) return; // Postgres did not answer
      set({ kind: 'message' }, Math.max(0, ...snap.messages.map((m) => m.oldestSeconds)));
      set({ kind: 'task' }, Math.max(0, ...snap.jobs.map((j) => j.oldestSeconds)));
    },
  );
}

async function takeSnapshot({ db, queues }: ScrapeSources): Promise<Snapshot> {
  const now = Date.now();
  const age = (date: Date | null | undefined) => (date ? Math.max(0, (now - date.getTime()) / 1000) : 0);
  const [queueCounts, requestGroups, messageGroups, jobGroups] = await Promise.all([
    Promise.all(
      queues().map(async (queue) => ({
        queue: queue.name,
        counts: await withTimeout(queue.getJobCounts(...QUEUE_STATES)),
      })),
    ),
    withTimeout(
      db.request.groupBy({
        by: ['status'],
        where: { status: { in: [...WAITING_REQUEST_STATUSES] } },
        _count: { _all: true },
        _min: { createdAt: true },
      }),
    ),
    withTimeout(
      db.message.groupBy({
        by: ['channel'],
        where: { direction: 'OUTBOUND', status: 'PENDING' },
        _count: { _all: true },
        _min: { createdAt: true },
      }),
    ),
    withTimeout(
      db.outboxJob.groupBy({
        by: ['queue'],
        where: { status: 'PENDING' },
        _count: { _all: true },
        _min: { createdAt: true },
      }),
    ),
  ]);
  const postgresAnswered = requestGroups !== undefined && messageGroups !== undefined && jobGroups !== undefined;
  return {
    queues: queueCounts.flatMap((q) => (q.counts ? [{ queue: q.queue, counts: q.counts }] : [])),
    requests: postgresAnswered
      ? WAITING_REQUEST_STATUSES.map((status) => {
          const group = requestGroups.find((g) => g.status === status);
          return { status, count: group?._count._all ?? 0, oldestSeconds: age(group?._min.createdAt) };
        })
      : [],
    messages: postgresAnswered
      ? messageGroups.map((g) => ({ channel: g.channel, count: g._count._all, oldestSeconds: age(g._min.createdAt) }))
      : [],
    jobs: postgresAnswered
      ? jobGroups.map((g) => ({ queue: g.queue, count: g._count._all, oldestSeconds: age(g._min.createdAt) }))
      : [],
  };
}

/** The value, or undefined when the source fails or is slower than a scrape can wait. */
async function withTimeout<T>(promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SCRAPE_TIMEOUT_MS))),
    ]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
