import { spawn, type ChildProcess } from 'node:child_process';
import process from 'node:process';
import type { Config } from '../../src/core/config.js';

/**
 * Starts `src/worker.ts` in a child process (under tsx) on the same database, Redis and queue
 * prefix as `config` (a test's web process), with `env` on top (channels, preloads' settings).
 * `preload`: modules given to node with --import before tsx.
 */
export function spawnWorkerProcess(
  config: Config,
  env: Record<string, string>,
  options: { preload?: string[] } = {},
): ChildProcess {
  const imports = (options.preload ?? []).flatMap((module) => ['--import', module]);
  return spawn(process.execPath, [...imports, '--import', 'tsx', 'src/worker.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      APP_SECRET: config.APP_SECRET,
      AUTO_MIGRATE: 'false',
      ...env,
    },
    stdio: 'ignore',
  });
}
