import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelais, type Relais } from '../../src/relais.js';
import { FakeChannel } from '../support/fakeChannel.js';
import { eventually, LogCapture, startTestRelais, type TestRelais } from '../support/testRelais.js';

// one platform seen by both processes: the web process receives, the worker delivers
const channel = new FakeChannel('TELEGRAM');
let web: TestRelais;
let worker: Relais;

beforeAll(async () => {
  web = await startTestRelais('worker_process', {}, { transports: () => [channel], workers: false });
  // as src/worker.ts builds it
  worker = await createRelais(web.config, { transports: () => [channel], web: false, http: false, workers: true, logDestination: new LogCapture(), sweepIntervalMs: 300 });
  await worker.start();
  await channel.start(web.relais.receive);
});
afterAll(async () => {
  await worker?.stop();
  await web?.close();
});

describe('a worker process', () => {
  it('builds no HTTP surface, yet delivers what the web process stored; the web process still serves its routes', async () => {
    expect(() => worker.app).toThrow(/serves no HTTP/);
    expect((await web.relais.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await channel.sendEvent('tg-worker-1', { kind: 'start' });
    const outbound = { direction: 'OUTBOUND' as const };
    const written = await web.relais.db.message.count({ where: outbound });
    expect(written).toBeGreaterThan(0);
    // every reply the web process wrote is sent by the worker, once
    await eventually(async () => (await web.relais.db.message.count({ where: { ...outbound, status: 'SENT' } })) === written);
    expect(channel.textsTo('tg-worker-1')).toHaveLength(written);
  });
});
