import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorkerProcess } from '../../support/workerProcess.js';
import { SIGNING_SECRET, startSlackFixture, TRIAGE, type SlackFixture } from './support/slackFixture.js';

// Slack in HTTP mode with the web process and a separate worker process (src/worker.ts), as
// the Compose file runs them: Slack's requests reach the web process only, so the worker gets
// Slack's background tasks with a bare Web API client and must not load Bolt.
let f: SlackFixture;
let worker: ChildProcess | undefined;
const packagesFile = join(mkdtempSync(join(tmpdir(), 'relais-worker-')), 'packages.txt');

beforeAll(async () => {
  f = await startSlackFixture('slack_worker', { RUN_WORKERS: 'false' });
  worker = spawnWorkerProcess(
    f.t.config,
    {
      TELEGRAM_MODE: 'off',
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: f.fake.url,
      SLACK_TRIAGE_CHANNEL: TRIAGE,
      LOADED_PACKAGES_FILE: packagesFile,
    },
    { preload: ['./test/support/loadedPackagesPreload.mjs'] },
  );
}, 60_000);
afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await f?.close();
});

describe('Slack in a worker process', () => {
  it('posts the request card from the worker, without loading Bolt', async () => {
    const contactId = await f.newPerson('+33655550077', 'en');
    // newRequest waits until the card is posted and its ts stored: only the worker runs tasks
    const request = await f.newRequest({ kind: 'PHONE', contactId });
    expect(request.channel).toBe(TRIAGE);
    const posted = f.fake.of('chat.postMessage').filter((c) => JSON.stringify(c.args).includes(request.reference));
    expect(posted).toHaveLength(1);
    expect(posted[0]?.token).toBe('xoxb-test-token');

    const exited = new Promise<number | null>((resolve) => worker?.once('exit', resolve));
    worker?.kill('SIGTERM');
    expect(await exited).toBe(0);
    const packages = readFileSync(packagesFile, 'utf8').split('\n');
    expect(packages).toContain('@slack/web-api');
    expect(packages).not.toContain('@slack/bolt');
  }, 60_000);
});
