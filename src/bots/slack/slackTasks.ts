import type { TaskHandlers } from '../../core/queue/taskWorker.js';
import { announcementSlackTasks } from './features/announceFeature.js';
import { assignTasks } from './features/assignFeature.js';
import { followUpNoticeTasks } from './features/followUpAnswers.js';
import { pledgeCardTasks } from './features/pledgeCards.js';
import { relayTasks } from './features/relayFeature.js';
import { requestCardTasks } from './features/requestCards.js';
import { staffAlertTasks } from './features/staffAlerts.js';
import type { SlackClient, SlackDeps } from './slackDeps.js';

/**
 * Slack's background tasks (request and pledge cards kept in step with the database, people's
 * messages relayed into threads, staff alerts). They need only the Web API client: a worker
 * runs them without loading Bolt (see slackTransport.ts).
 */
export function slackTasks(deps: SlackDeps, client: SlackClient): TaskHandlers {
  return {
    ...requestCardTasks(deps, client),
    ...relayTasks(deps, client),
    ...staffAlertTasks(deps, client),
    ...pledgeCardTasks(deps, client),
    ...followUpNoticeTasks(deps, client),
    ...assignTasks(deps, client),
    ...announcementSlackTasks(deps, client),
  };
}
