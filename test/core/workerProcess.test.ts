import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTask } from '../../src/core/queue/enqueueTask.js';
import { QUEUES } from '../../src/core/queue/queueConnection.js';
import { createRelais, type Relais } from '../../src/relais.js';
import { FakeChannel } from '../support/fakeChannel.js';
import { eventually, LogCapture, startTestRelais, type TestRelais } from '../support/testRelais.js';

// one platform seen by every process: the web process receives, the workers deliver
const channel = new FakeChannel('TELEGRAM');
let web: TestRelais;
let delivery: Relais;
let tasks: Relais | undefined;

beforeAll(async () => {
  web = await startTestRelais('worker_process', {}, { transports: () => [channel], workers: false });
  // as src/worker.ts builds it, with WORKER_QUEUES=delivery
  delivery = await createRelais(
    { ...web.config, WORKER_QUEUES: ['delivery'] },
    {
      transports: () => [channel],
      web: false,
      http: false,
      workers: true,
      logDestination: new LogCapture(),
      sweepIntervalMs: 300,
    },
  );
  await delivery.start();
  await channel.start(web.relais.receive);
});
afterAll(async () => {
  await tasks?.stop();
  await delivery?.stop();
  await web?.close();
});

describe('worker processes', () => {
  it(
    'a delivery worker builds no HTTP surface and runs no background task, yet delivers what the web process ' +
      'stored, each once',
    async () => {
      expect(() => delivery.app).toThrow(/serves no HTTP/);
      expect((await web.relais.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      await channel.sendEvent('tg-worker-1', { kind: 'start' });
      const outbound = { direction: 'OUTBOUND' as const };
      const written = await web.relais.db.message.count({ where: outbound });
      expect(written).toBeGreaterThan(0);
      await eventually(
        async () => (await web.relais.db.message.count({ where: { ...outbound, status: 'SENT' } })) === written,
      );
      expect(channel.textsTo('tg-worker-1')).toHaveLength(written);

      // a background task waits in its queue: this worker does not take tasks
      const taskId = await web.relais.db.$transaction((tx) =>
        enqueueTask(tx, 'staff.alert', { code: 'worker_roles_test' }),
      );
      await web.relais.dispatcher.dispatchJobs([taskId]);
      const queue = web.relais.dispatcher.queue(QUEUES.tasks);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await queue.getJob(taskId).then((job) => job?.getState())).toBe('waiting');

      // a tasks worker takes it
      tasks = await createRelais(
        { ...web.config, WORKER_QUEUES: ['tasks'] },
        {
          transports: () => [],
          web: false,
          http: false,
          workers: true,
          logDestination: new LogCapture(),
          sweepIntervalMs: 300,
        },
      );
      await tasks.start();
      await eventually(async () => (await queue.getJob(taskId).then((job) => job?.getState())) === 'completed');
    },
  );
});
