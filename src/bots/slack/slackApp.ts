import { App, SocketModeReceiver, type Authorize, type AuthorizeResult } from '@slack/bolt';
import type { TaskHandlers } from '../../core/queue/taskWorker.js';
import { errorSummary } from '../../core/outbound/outboxDispatcher.js';
import { registerAllocation } from './features/allocateFeature.js';
import { registerAnnounce } from './features/announceFeature.js';
import { registerAppHome } from './features/appHomeFeature.js';
import { registerAssign } from './features/assignFeature.js';
import { registerClose } from './features/closeFeature.js';
import { registerFollowUpAnswers } from './features/followUpAnswers.js';
import { registerNeeds } from './features/needsFeature.js';
import { registerPlaces } from './features/placeFeature.js';
import { registerPledgeActions } from './features/pledgeActions.js';
import { registerPledgeReceipt } from './features/pledgeReceiptFeature.js';
import { registerRelaisCommand } from './features/commands/relaisCommand.js';
import { registerRecharge } from './features/rechargeFeature.js';
import { registerRelay } from './features/relayFeature.js';
import { registerRequestActions } from './features/requestActions.js';
import { registerTransfers } from './features/transferFeature.js';
import { registerAssociations } from './features/associations/associationsFeature.js';
import { registerJoin } from './features/join/joinFeature.js';
import { registerStockImport } from './features/stock/stockImportFeature.js';
import { registerTeam } from './features/team/teamFeature.js';
import { FastifySlackReceiver } from './receiver/fastifyReceiver.js';
import { createSlackClient, slackClientOptions } from './slackClient.js';
import type { SlackClient, SlackDeps } from './slackDeps.js';
import { slackLogger } from './slackLogger.js';
import { slackTasks } from './slackTasks.js';

export interface SlackSettings {
  mode: 'http' | 'socket';
  botToken: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  apiUrl: string;
}

export interface SlackApp {
  app: App;
  /** Web API client with the bot token, for background tasks */
  client: SlackClient;
  /** set in HTTP mode: mounts /slack/* on the shared Fastify app */
  receiver: FastifySlackReceiver | null;
  tasks: TaskHandlers;
}

/**
 * Bolt calls authorize for every incoming request; a bot token's identity never changes, so
 * auth.test runs once (and again only after a failure) instead of once per event.
 */
function cachedAuthorize(client: SlackClient, botToken: string): Authorize<boolean> {
  let cached: Promise<AuthorizeResult> | undefined;
  return () => {
    if (!cached) {
      const attempt: Promise<AuthorizeResult> = client.auth.test().then((r) => ({
        botToken,
        ...(r.bot_id ? { botId: r.bot_id } : {}),
        ...(r.user_id ? { botUserId: r.user_id } : {}),
        ...(r.team_id ? { teamId: r.team_id } : {}),
      }));
      cached = attempt;
      attempt.catch(() => {
        if (cached === attempt) cached = undefined;
      });
    }
    return cached;
  };
}

/**
 * Builds the Bolt app for staff: HTTP requests arrive through our Fastify receiver, or
 * Socket Mode opens an outbound websocket (no public URL). Every feature registers its
 * listeners here; the tasks it returns keep Slack in step with the database.
 */
export function createSlackApp(deps: SlackDeps, settings: SlackSettings): SlackApp {
  const logger = slackLogger(deps.log);
  const clientOptions = slackClientOptions(settings.apiUrl);
  const client = createSlackClient(settings, deps.log);
  let receiver: FastifySlackReceiver | null = null;
  let socketReceiver: SocketModeReceiver | null = null;
  if (settings.mode === 'http') {
    if (!settings.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    receiver = new FastifySlackReceiver({ signingSecret: settings.signingSecret, log: deps.log });
  } else {
    if (!settings.appToken) throw new Error('SLACK_APP_TOKEN is required in Socket Mode');
    socketReceiver = new SocketModeReceiver({
      appToken: settings.appToken,
      logger,
      installerOptions: { clientOptions },
    });
  }
  const app = new App({
    receiver: receiver ?? socketReceiver ?? undefined,
    authorize: cachedAuthorize(client, settings.botToken),
    logger,
    clientOptions,
    convoStore: false,
  });
  app.error(async (error) => {
    deps.log.warn({ err: errorSummary(error.original ?? error), code: error.code }, 'slack listener error');
    throw error;
  });

  registerRequestActions(app, deps);
  registerAllocation(app, deps);
  registerRecharge(app, deps);
  registerClose(app, deps);
  registerTransfers(app, deps);
  registerRelaisCommand(app, deps);
  registerAppHome(app, deps);
  registerPledgeActions(app, deps);
  registerPledgeReceipt(app, deps);
  registerNeeds(app, deps);
  registerPlaces(app, deps);
  registerRelay(app, deps);
  registerFollowUpAnswers(app, deps);
  registerAssign(app, deps);
  registerTeam(app, deps);
  registerAssociations(app, deps);
  registerJoin(app, deps);
  registerStockImport(app, deps);
  registerAnnounce(app, deps);
  return { app, client, receiver, tasks: slackTasks(deps, client) };
}
