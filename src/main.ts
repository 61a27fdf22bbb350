import './runtimeTuning.js';
import process from 'node:process';
import { loadConfig } from './core/config.js';
import { createLogger } from './core/logger.js';
import { waitForDependencies } from './core/startupChecks.js';
import { exitOnStartupFailure, stopOnSignals } from './processLifecycle.js';
import { createRelais } from './relais.js';
import { channelTransports } from './bots/channelTransports.js';

/** The web process: HTTP (webhooks, web chat, admin API, health) and, unless RUN_WORKERS=false, the queue workers. */
async function main() {
  const config = loadConfig(process.env);
  const applied = await waitForDependencies(config, createLogger(config.LOG_LEVEL));
  const relais = await createRelais(config, { transports: channelTransports, web: true });
  for (const name of applied) relais.log.info({ migration: name }, 'migration applied');
  await relais.start();
  relais.log.info(
    { url: `http://${config.HOST}:${config.PORT}/chat`, workers: config.RUN_WORKERS },
    'Relais is running; open the web chat at this address',
  );
  stopOnSignals(relais, 'service');
}

main().catch(exitOnStartupFailure('relais'));
