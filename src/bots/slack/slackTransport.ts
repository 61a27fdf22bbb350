import type { ChannelTransport } from '../../core/channels/channelTransport.js';
import { createStaffI18n } from '../../core/staff/staffI18n.js';
import type { RelaisCore } from '../../relaisCore.js';
import { createSlackClient } from './slackClient.js';
import type { SlackDeps } from './slackDeps.js';
import { slackTasks } from './slackTasks.js';

/**
 * The Slack app for association staff, as a transport of the composition root: its routes
 * (HTTP mode) on the shared Fastify app, its tasks (request cards, relay, alerts) in the
 * workers, the Socket Mode connection started with the process. Null when SLACK_MODE=off.
 * Slack is not a channel for people: there is no sender.
 *
 * In HTTP mode a process that serves no HTTP (src/worker.ts) receives nothing from Slack: it
 * gets the tasks with a bare Web API client and never loads Bolt (docs/BENCHMARKS.md).
 */
export async function createSlackTransport(core: RelaisCore): Promise<ChannelTransport | null> {
  const { config } = core;
  if (config.SLACK_MODE === 'off' || !config.SLACK_BOT_TOKEN) return null;
  const deps: SlackDeps = {
    db: core.db,
    i18n: core.i18n,
    text: createStaffI18n(),
    secrets: core.secrets,
    config,
    dispatcher: core.dispatcher,
    log: core.log,
  };
  if (config.SLACK_MODE === 'http' && !core.servesHttp) {
    return {
      name: 'slack',
      tasks: slackTasks(
        deps,
        createSlackClient({ botToken: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL }, core.log),
      ),
    };
  }
  const { createSlackApp } = await import('./slackApp.js');
  const slack = createSlackApp(deps, {
    mode: config.SLACK_MODE,
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
  });
  const receiver = slack.receiver;
  return {
    name: 'slack',
    tasks: slack.tasks,
    ...(receiver ? { registerRoutes: (app) => receiver.registerRoutes(app) } : {}),
    ...(config.SLACK_MODE === 'socket'
      ? {
          start: async () => {
            await slack.app.start();
          },
          stop: async () => {
            await slack.app.stop();
          },
        }
      : {}),
  };
}
