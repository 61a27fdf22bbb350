import process from 'node:process';
import { ConfigError } from './core/config.js';
import { StartupProblem } from './core/startupChecks.js';
import type { Relais } from './relais.js';

/** On SIGINT/SIGTERM: stop taking work, let in-flight work finish (at most 30 s), exit. */
export function stopOnSignals(relais: Relais, what: string): void {
  const shutdown = async (signal: string) => {
    relais.log.info({ signal }, `${what} shutting down: finishing in-flight work`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await relais.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** A start-up failure in one line for known problems (config, Postgres, Redis), the stack otherwise; exit 1. */
export function exitOnStartupFailure(prefix: string) {
  return (error: unknown): never => {
    if (error instanceof ConfigError || error instanceof StartupProblem)
      process.stderr.write(`${prefix}: ${error.message}\n`);
    else
      process.stderr.write(
        `${prefix}: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    process.exit(1);
  };
}
