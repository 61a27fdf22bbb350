import { randomUUID } from 'node:crypto';
import process from 'node:process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelTransports } from '../../src/bots/channelTransports.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import { resolveIdentity } from '../../src/core/contacts/contactService.js';
import { prismaRunner } from '../../src/core/db/sqlRunner.js';
import { FOLLOW_UP_TASKS } from '../../src/core/followUps/followUpService.js';
import { APPOINTMENT_SCHEDULED_TASK } from '../../src/core/followUps/followUpTasks.js';
import { enqueueTask } from '../../src/core/queue/enqueueTask.js';
import { LOST_TASK_AFTER_MS } from '../../src/core/outbound/lostTaskRecovery.js';
import { QUEUES } from '../../src/core/queue/queueConnection.js';
import { VOUCHER_WIPE_TASK } from '../../src/core/recharges/giveRecharge.js';
import { createRequest, REQUEST_TASKS } from '../../src/core/requests/requestService.js';
import { STAFF_ALERT_TASK } from '../../src/core/staff/staffAlerts.js';
import { createRelais, type Relais } from '../../src/relais.js';
import { FakeSlackApi } from '../bots/slack/support/fakeSlackApi.js';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '../support/testDatabase.js';
import { eventually, LogCapture } from '../support/testRelais.js';
import { PrivateRedis } from './support/privateRedis.js';

const CARDS = 'CASSOC0001';
const ALERTS = 'CALERTS001';
const PER_KIND = 5;
const CREATED = 20;

let redis: PrivateRedis;
let database: TestDatabase;
let slack: FakeSlackApi;
let config: Config;
let web: Relais;
let worker: Relais | undefined;
let workerLogs: LogCapture;

beforeAll(async () => {
  redis = await new PrivateRedis().start();
  database = await createTestDatabase('redis_lost_tasks');
  slack = new FakeSlackApi();
  await slack.start();
  config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: redis.url,
    QUEUE_PREFIX: uniqueQueuePrefix('redis_lost_tasks'),
    APP_SECRET: 'test-secret-0123456789abcdef',
    RUN_WORKERS: 'false',
    SLACK_MODE: 'http',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    SLACK_API_URL: slack.url,
    SLACK_TRIAGE_CHANNEL: CARDS,
    SLACK_ALERTS_CHANNEL: ALERTS,
  });
  // the web process: it writes and hands over the tasks, but runs none
  web = await createRelais(config, {
    transports: channelTransports,
    web: false,
    workers: false,
    logDestination: new LogCapture(),
  });
  await web.start();
});
afterAll(async () => {
  await redis?.start().catch(() => undefined);
  await worker?.stop();
  await web?.stop();
  await slack?.stop();
  await database?.drop();
  await redis?.stop();
});

async function startWorker(): Promise<Relais> {
  workerLogs = new LogCapture();
  const relais = await createRelais(
    { ...config, RUN_WORKERS: true },
    {
      transports: channelTransports,
      web: false,
      http: false,
      workers: true,
      sweepIntervalMs: 300,
      logDestination: workerLogs,
    },
  );
  await relais.start();
  return relais;
}

/** What each kind of task did, read from the fake Slack and the database. */
interface Effects {
  cardsPosted: Map<string, number>;
  cardUpdates: Map<string, number>;
  alerts: number;
  vouchersLeft: number;
  checkIns: number;
  reminders: number;
}

async function effects(db: Relais['db'], ids: Ids): Promise<Effects> {
  const count = (calls: ReturnType<FakeSlackApi['of']>, key: (args: Record<string, unknown>) => unknown) => {
    const counts = new Map<string, number>();
    for (const call of calls) counts.set(String(key(call.args)), (counts.get(String(key(call.args))) ?? 0) + 1);
    return counts;
  };
  return {
    cardsPosted: count(
      slack.of('chat.postMessage').filter((c) => c.args.channel === CARDS),
      (args) => JSON.stringify(args),
    ),
    cardUpdates: count(slack.of('chat.update'), (args) => args.ts),
    alerts: slack.of('chat.postMessage').filter((c) => c.args.channel === ALERTS).length,
    vouchersLeft: await db.recharge.count({ where: { id: { in: ids.recharges }, voucherCipher: { not: null } } }),
    checkIns: await db.followUp.count({ where: { requestId: { in: ids.handedOver }, kind: 'CHECKIN' } }),
    reminders: await db.followUp.count({
      where: { requestId: { in: ids.appointments }, kind: 'APPOINTMENT_REMINDER', status: 'SCHEDULED' },
    }),
  };
}

interface Ids {
  tasks: string[];
  created: string[];
  references: string[];
  cardTs: string[];
  recharges: string[];
  handedOver: string[];
  appointments: string[];
}

/** One batch of every task kind the fault run lost, written as the services write them. */
async function writeTasks(relais: Relais, round: number): Promise<Ids> {
  const db = relais.db;
  const ids: Ids = {
    tasks: [],
    created: [],
    references: [],
    cardTs: [],
    recharges: [],
    handedOver: [],
    appointments: [],
  };
  const contactId = await db.$transaction(
    async (tx) => (await resolveIdentity(tx, relais.secrets, 'TELEGRAM', `lost-${round}`)).contactId,
  );
  const association = await db.association.create({ data: { slug: `lost-${round}`, name: `Association ${round}` } });
  const request = (
    kind: 'PHONE' | 'RECHARGE' | 'HELP',
    i: number,
    extra: { slackChannelId?: string; slackTs?: string } = {},
  ) =>
    db.request.create({
      data: { reference: `T${round}-${kind}-${i}`, kind, contactId, associationId: association.id, ...extra },
      select: { id: true },
    });
  for (let i = 0; i < CREATED; i++) {
    const { request: created, taskId } = await db.$transaction((tx) =>
      createRequest(prismaRunner(tx), {
        kind: 'HELP',
        contactId,
        associationId: null,
        urgency: 'NORMAL',
        language: 'fr',
        details: {},
        flaggedReason: null,
      }),
    );
    ids.created.push(created.id);
    ids.references.push(created.reference);
    ids.tasks.push(taskId);
  }
  for (let i = 0; i < PER_KIND; i++) {
    const ts = `${round}00000${i}.000100`;
    const carded = await request('HELP', i, { slackChannelId: CARDS, slackTs: ts });
    ids.cardTs.push(ts);
    const recharge = await db.recharge.create({
      data: { requestId: (await request('RECHARGE', i)).id, operator: 'Lyca', voucherCipher: 'sealed-voucher' },
      select: { id: true },
    });
    ids.recharges.push(recharge.id);
    const handed = await request('PHONE', i);
    ids.handedOver.push(handed.id);
    const booked = await request('PHONE', 100 + i);
    ids.appointments.push(booked.id);
    const device = await db.device.create({
      data: { model: 'Fairphone 4', status: 'ALLOCATED', associationId: association.id },
      select: { id: true },
    });
    const allocation = await db.allocation.create({
      data: {
        deviceId: device.id,
        requestId: booked.id,
        activeDeviceId: device.id,
        activeRequestId: booked.id,
        appointmentAt: new Date(Date.now() + 3 * 86_400_000),
        appointmentPlace: 'Local',
      },
      select: { id: true },
    });
    ids.tasks.push(
      ...(await db.$transaction(async (tx) => [
        await enqueueTask(tx, REQUEST_TASKS.changed, { requestId: carded.id }),
        await enqueueTask(tx, VOUCHER_WIPE_TASK, { rechargeId: recharge.id, messageId: randomUUID(), round: 0 }),
        await enqueueTask(tx, FOLLOW_UP_TASKS.schedule, { requestId: handed.id }),
        await enqueueTask(tx, APPOINTMENT_SCHEDULED_TASK, { allocationId: allocation.id }),
        await enqueueTask(tx, STAFF_ALERT_TASK, { code: `lost_task_${round}_${i}` }),
      ])),
    );
  }
  return ids;
}

async function statuses(ids: string[]): Promise<Record<string, number>> {
  const rows = await web.db.outboxJob.groupBy({ by: ['status'], where: { id: { in: ids } }, _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

function expectEveryTaskRanOnce(seen: Effects, ids: Ids) {
  // request.created: one card per request, never two
  for (const reference of ids.references)
    expect([...seen.cardsPosted.entries()].filter(([text]) => text.includes(reference)).map(([, n]) => n)).toEqual([1]);
  // request.changed: the existing card updated in place
  for (const ts of ids.cardTs) expect(seen.cardUpdates.get(ts) ?? 0).toBeGreaterThanOrEqual(1);
  expect(seen.vouchersLeft).toBe(0); // recharge.wipeVoucher
  expect(seen.checkIns).toBe(2 * PER_KIND); // followups.schedule: FOLLOW_UP_DAYS 3,30
  expect(seen.reminders).toBe(2 * PER_KIND); // appointment.scheduled: APPOINTMENT_REMINDER_HOURS 24,2
  expect(seen.alerts).toBe(PER_KIND); // staff.alert
}

describe('Redis restarted without its data (no AOF)', () => {
  let lost: Ids;

  it('runs every task that was handed to BullMQ but not run yet, once, after Redis comes back empty', async () => {
    lost = await writeTasks(web, 1);
    expect(await web.dispatcher.dispatchJobs(lost.tasks)).toBe(lost.tasks.length);
    expect(await statuses(lost.tasks)).toEqual({ DISPATCHED: lost.tasks.length });
    const queue = web.dispatcher.queue(QUEUES.tasks);
    expect(await queue.getJob(lost.tasks[0] ?? '').then((job) => job?.name)).toBe(REQUEST_TASKS.created);

    await redis.stop();
    await redis.start();
    const restarted = Date.now();
    // the job is gone (the producer reconnects within a second)
    await eventually(async () => (await queue.getJob(lost.tasks[0] ?? '')) === undefined, 10_000, 100);

    worker = await startWorker();
    const workerUp = Date.now();
    await eventually(async () => (await statuses(lost.tasks)).DONE === lost.tasks.length, 60_000, 100);
    const s = (ms: number) => (ms / 1000).toFixed(1);
    process.stdout.write(
      `${lost.tasks.length} tasks lost by Redis all ran ${s(Date.now() - restarted)} s after its restart ` +
        `(worker started in ${s(workerUp - restarted)} s)\n`,
    );
    expectEveryTaskRanOnce(await effects(web.db, lost), lost);
    expect(workerLogs.text).toContain('tasks lost by Redis were queued again');
  }, 90_000);

  it('runs no task again that already ran when Redis lost ' +
    'its data a second time, and puts the job schedulers back', async () => {
    // what the lost tasks queued in turn has run too (a wiped voucher refreshes its request's card, which posts
    // it): only the check-ins and reminders, due in days, are left waiting
    await eventually(
      async () =>
        (await web.db.outboxJob.count({ where: { status: { not: 'DONE' }, name: { not: FOLLOW_UP_TASKS.due } } })) ===
        0,
      30_000,
      100,
    );
    const before = await effects(web.db, lost);
    const updates = slack.of('chat.update').length;
    const posts = slack.of('chat.postMessage').length;
    const queue = web.dispatcher.queue(QUEUES.tasks);
    await redis.stop();
    await redis.start();
    // the sweep finds Redis empty, checks every handed-over task (none: all are DONE) and leaves its mark
    const client = await queue.getBackend().client;
    // (generous bounds: on a loaded 2-core machine the reconnection and the sweep's first round can take seconds)
    await eventually(async () => (await client.get(queue.toKey('outbox-checked'))) !== null, 45_000, 100);
    // the job schedulers Redis lost with the rest are back (retention purge, follow-up catch-up)
    await eventually(
      async () =>
        (await queue.getJobScheduler('retention-daily')) && (await queue.getJobScheduler('followups-catch-up')),
      30_000,
      100,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await statuses(lost.tasks)).toEqual({ DONE: lost.tasks.length });
    expect(slack.of('chat.postMessage')).toHaveLength(posts);
    expect(slack.of('chat.update')).toHaveLength(updates);
    expect(await effects(web.db, lost)).toEqual(before);
  }, 100_000);

  it('runs a task whose job alone vanished from Redis (its mark kept, as after a lagging replica took over) once it ' +
    'is overdue', async () => {
    const alerts = () => slack.of('chat.postMessage').filter((c) => c.args.channel === ALERTS).length;
    const before = alerts();
    await worker?.stop();
    worker = undefined;
    const id = await web.db.$transaction((tx) => enqueueTask(tx, STAFF_ALERT_TASK, { code: 'lost_job_only' }));
    await web.dispatcher.dispatchJobs([id]);
    const dispatched = Date.now();
    await web.dispatcher.queue(QUEUES.tasks).remove(id);
    worker = await startWorker();
    await eventually(async () => (await statuses([id])).DONE === 1, 40_000, 100);
    const took = Date.now() - dispatched;
    process.stdout.write(`a task whose job vanished ran ${(took / 1000).toFixed(1)} s after its hand-over\n`);
    // looked for again only once not seen for LOST_TASK_AFTER_MS: a job waiting its turn is left alone
    expect(took).toBeGreaterThanOrEqual(LOST_TASK_AFTER_MS);
    expect(alerts()).toBe(before + 1);
  }, 60_000);
});
