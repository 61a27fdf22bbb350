import './runtimeTuning.js';
import process from 'node:process';
import { loadConfig } from './core/config.js';
import { createLogger } from './core/logger.js';
import { waitForDependencies } from './core/startupChecks.js';
import { exitOnStartupFailure, stopOnSignals } from './processLifecycle.js';
import { createRelais } from './relais.js';
import { channelTransports } from './bots/channelTransports.js';

/**
 * A worker process: queue workers only (outbound delivery, tasks, WhatsApp client), no HTTP listener. Scale by running
 * more.
 */
async function main() {
  const config = loadConfig({ ...process.env, RUN_WORKERS: 'true' });
  const applied = await waitForDependencies(config, createLogger(config.LOG_LEVEL));
  const relais = await createRelais(config, { transports: channelTransports, web: false, http: false, workers: true });
  for (const name of applied) relais.log.info({ migration: name }, 'migration applied');
  await relais.start();
  relais.log.info('Relais worker is running');
  stopOnSignals(relais, 'worker');
}

main().catch(exitOnStartupFailure('relais worker'));
