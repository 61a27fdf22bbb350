import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import process from 'node:process';
import pg from 'pg';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, dropDatabase, ensureDatabase, readMigrationList } from '../../src/core/db/schemaEngine.js';
import { MIGRATIONS_DIR } from '../../src/core/startupChecks.js';
import { freePort } from '../support/freePort.js';
import { TEST_PG_BASE, TEST_REDIS_URL, uniqueQueuePrefix } from '../support/testDatabase.js';
import { eventually } from '../support/testRelais.js';
import { TcpProxy } from './support/tcpProxy.js';

/** A service process (`src/main.ts` or `src/worker.ts` under tsx) whose output the test reads. */
interface ServiceProcess {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

const started: ServiceProcess[] = [];
let proxy: TcpProxy | undefined;
const databases: string[] = [];

function startService(entry: 'src/main.ts' | 'src/worker.ts', env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', APP_SECRET: 'test-secret-0123456789abcdef', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service: ServiceProcess = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => (service.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (service.stderr += chunk.toString()));
  started.push(service);
  return service;
}

function freshDatabaseUrl(label: string): string {
  const name = `relais_test_${label}_${randomBytes(4).toString('hex')}`;
  const url = new URL(name, TEST_PG_BASE).toString();
  databases.push(url);
  return url;
}

async function answersReady(port: number): Promise<boolean> {
  const answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
  return answer?.status === 200;
}

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1',
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const service of started) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await Promise.all(started.map((service) => service.exit));
  await proxy?.close();
  for (const url of databases) await dropDatabase(url);
});

describe('processes started together on a server without the database', () => {
  it('several processes creating and migrating the same new database at once create it once and apply each migration ' +
    'once', async () => {
    const url = freshDatabaseUrl('together');
    const created = await Promise.all(Array.from({ length: 6 }, () => ensureDatabase(url)));
    expect(created.filter(Boolean)).toHaveLength(1);
    const applied = await Promise.all(
      Array.from({ length: 4 }, () => applyMigrations({ connectionString: url, migrationsDir: MIGRATIONS_DIR })),
    );
    const { migrationDirectories } = await readMigrationList(MIGRATIONS_DIR);
    const names = migrationDirectories.map((m) => m.path).sort();
    expect(applied.flat().sort()).toEqual(names);
    expect(await appliedMigrations(url)).toEqual(names);
  }, 60_000);

  it('two web processes and two workers started at once all come up, and the migrations are applied once', async () => {
    const url = freshDatabaseUrl('compose_up');
    // Postgres becomes reachable for the four at the same instant, as when it finishes starting
    // while they wait: their first queries (look for the database, create it) then race
    const postgres = new URL(TEST_PG_BASE);
    proxy = await new TcpProxy(postgres.hostname, Number(postgres.port || 5432)).start();
    proxy.hold();
    const viaProxy = new URL(url);
    viaProxy.port = String(proxy.port);
    const common = {
      DATABASE_URL: viaProxy.toString(),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: uniqueQueuePrefix('fresh_start'),
      STARTUP_RETRY_SECONDS: '150',
    };
    const ports = [await freePort(), await freePort()];
    // as docker-compose.yml runs them: the web processes migrate, the workers wait for it
    const web = ports.map((port) =>
      startService('src/main.ts', { ...common, PORT: String(port), RUN_WORKERS: 'false', AUTO_MIGRATE: 'true' }),
    );
    const workers = [1, 2].map(() => startService('src/worker.ts', { ...common, AUTO_MIGRATE: 'false' }));
    const began = Date.now();
    // each opens its first connection (a pg connect waits 10 s): let them all through together
    await eventually(async () => proxy?.heldCount === 4 || Date.now() - began > 7000, 10_000, 50);
    proxy.release();

    for (const port of ports) await eventually(() => answersReady(port), 150_000, 250);
    for (const worker of workers)
      await eventually(async () => worker.stdout.includes('Relais worker is running'), 150_000, 250);
    process.stdout.write(`fresh server: 2 web + 2 workers ready in ${((Date.now() - began) / 1000).toFixed(1)} s\n`);

    for (const service of [...web, ...workers]) {
      expect(service.child.exitCode).toBeNull();
      expect(service.stderr).not.toMatch(/duplicate key|could not start/);
    }
    const { migrationDirectories } = await readMigrationList(MIGRATIONS_DIR);
    const names = migrationDirectories.map((m) => m.path).sort();
    expect(await appliedMigrations(url)).toEqual(names);
    // each migration was reported as applied by exactly one process
    const reported = web.flatMap((service) =>
      [...service.stdout.matchAll(/"migration":"([^"]+)"/g)].map((match) => match[1]),
    );
    expect(reported.sort()).toEqual(names);
    for (const service of [...web, ...workers]) service.child.kill('SIGTERM');
    expect(await Promise.all([...web, ...workers].map((service) => service.exit))).toEqual([0, 0, 0, 0]);
  }, 240_000);

  it('a process that cannot reach Postgres retries with backoff, ' +
    'saying why each time, then gives up in one line', async () => {
    const port = await freePort();
    const began = Date.now();
    const web = startService('src/main.ts', {
      DATABASE_URL: `postgresql://relais:s3cret-password@127.0.0.1:${port}/relais`,
      REDIS_URL: TEST_REDIS_URL,
      PORT: '0',
      STARTUP_RETRY_SECONDS: '4',
    });
    expect(await web.exit).toBe(1);
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(4000);

    const attempts = web.stdout
      .split('\n')
      .filter((line) => line.includes('not ready; retrying'))
      .map((line) =>
        z
          .object({ attempt: z.number(), retryInMs: z.number(), reason: z.string(), dependency: z.string() })
          .parse(JSON.parse(line)),
      );
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, i) => i + 1));
    // the waits grow (0.5 s, 1 s, 2 s … with ±20 % jitter), the last one cut at the deadline
    expect(attempts[1]?.retryInMs ?? 0).toBeGreaterThan(attempts[0]?.retryInMs ?? 0);
    for (const attempt of attempts) {
      expect(attempt.dependency).toBe('PostgreSQL');
      expect(attempt.reason).toContain(`cannot connect to PostgreSQL at 127.0.0.1:${port}: connection refused`);
    }
    const lines = web.stderr.split('\n').filter((line) => line.startsWith('relais:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port}: connection refused.*gave up after \\d+ attempt\\(s\\) in 4 s`),
    );
    expect(web.stdout + web.stderr).not.toContain('s3cret-password');
    expect(web.stderr).not.toMatch(/\n\s+at /);
    process.stdout.write(
      `unreachable Postgres: ${attempts.length} attempts, gave up after ${(took / 1000).toFixed(1)} s\n`,
    );
  }, 60_000);
});
